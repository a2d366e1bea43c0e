"""Writes of the 对接 threads: a response to a post opens a private thread between the post's owner and the
respondent; they exchange messages (with attachments), both confirm the match with the same terms, both confirm
completion and rate each other, and the completed thread writes one entry to the assistance ledger.

Every function checks its permission itself (`require`), runs in one transaction, audits (status moves through
`core.workflow.transition`) and notifies the other side. The post follows its threads (`settle_post`): in talks
while a thread is open, matched when its capacity is taken, completed when every place is completed, published
again when the last open thread closes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User, system_user
from bangfu.core.attachments import attachment_new, attachment_store
from bangfu.core.audit import audit
from bangfu.core.numbers import grouped
from bangfu.core.workflow import transition
from bangfu.ledger.models import QUANTITIES, QUANTITY_FIELDS
from bangfu.ledger.selectors import default_pairing
from bangfu.ledger.services import ledger_record, quantity_errors
from bangfu.notifications.services import notify
from bangfu.parties import acting_side
from bangfu.permissions import require

from .index import index_post
from .models import TAKEN_STATUSES, Message, Post, PostKind, PostStatus, Rating, Thread, ThreadStatus
from .rules import POSTER, RESPONDER, expert_of, thread_side

LEDGER_SOURCE = "exchange.thread"  # declared in module.py (LedgerSource)
LEDGER_LABEL = "供需对接"
LIVE = (ThreadStatus.OPEN, ThreadStatus.MATCHED)  # a thread still under way: one per post and respondent
TAKEN = TAKEN_STATUSES
DECIMALS = ("days", "money_yuan")  # the quantities with decimals (the others are counts)
SYSTEM_SIDE = "system"  # the side of the platform's own notes in a thread
SIDE_LABELS = {POSTER: "发布方", RESPONDER: "响应方", "association": "协会", SYSTEM_SIDE: "平台"}


# --- reading a thread ----------------------------------------------------------------------------------------


def helper_side(thread: Thread) -> str:
    """The side that gives the help: the poster of an offer, the respondent to a need."""
    return POSTER if thread.post.kind == PostKind.OFFER else RESPONDER


def other(side: str) -> str:
    return RESPONDER if side == POSTER else POSTER


def side_museum(thread: Thread, side: str):
    """The museum of one side: the museum itself, or the museum an expert works at (None if the expert has none)."""
    if side == POSTER:
        return thread.poster_museum or (thread.poster_expert.museum if thread.poster_expert_id else None)
    return thread.responder_museum or (thread.responder_expert.museum if thread.responder_expert_id else None)


def side_name(thread: Thread, side: str) -> str:
    return thread.poster_name if side == POSTER else thread.responder_name


def side_users(thread: Thread, side: str) -> list[User]:
    """Who acts for a side: the admins and staff of its museum, or the expert's account."""
    museum_id = thread.poster_museum_id if side == POSTER else thread.responder_museum_id
    if museum_id:
        return list(User.objects.filter(museum_id=museum_id, role__in=("museum_admin", "museum_staff"),
                                        is_active=True))
    expert = thread.poster_expert if side == POSTER else thread.responder_expert
    return [expert.user] if expert is not None and expert.user_id and expert.user.is_active else []


def live_thread_of(user, post: Post) -> Thread | None:
    """The thread under way between the user's museum (or the user as an expert) and a post, if any: the post's
    page links to it instead of offering a new response."""
    if getattr(user, "is_museum_member", False):
        mine = Q(responder_museum_id=user.museum_id)
    elif (expert := expert_of(user)) is not None:
        mine = Q(responder_expert_id=expert.pk)
    else:
        return None
    return post.threads.filter(mine, status__in=LIVE).first()


def normalised_terms(text: str) -> str:
    """The terms as compared between the sides: spaces at line ends, blank lines and line endings do not count."""
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _acting(by, thread: Thread) -> str:
    require(by, "exchange.act_thread", thread)
    side = thread_side(by, thread)
    if side is None:  # act_thread is the parties' only; kept for the type checker and a changed rule
        raise PermissionDenied("只有对接双方可以进行此操作。")
    return side


def _locked(thread: Thread) -> Thread:
    """The thread read afresh under a row lock: two people of one side, or both sides, acting at once queue here."""
    return (Thread.objects.select_for_update(of=("self",))
            .select_related("post", "poster_museum", "poster_expert__museum", "responder_museum",
                            "responder_expert__museum").get(pk=thread.pk))


def _url(thread: Thread) -> str:
    return reverse("exchange:thread", args=[thread.pk])


def _tell(thread: Thread, side: str, *, key: str, title: str, body: str = "") -> None:
    for user in side_users(thread, side):
        notify(user=user, key=key, title=title, body=body, url=_url(thread), email=True)


def _note(thread: Thread, body: str) -> Message:
    """A note of the platform in the thread's conversation (a place taken, a ledger entry not written…)."""
    return Message.objects.create(thread=thread, author=system_user(), side=SYSTEM_SIDE, body=body)


# --- the post follows its threads -------------------------------------------------------------------------


def _move_post(post: Post, *, to: str, by, name: str, note: str = "") -> None:
    if not Post.workflow.source_error(post, to=to, name=name):
        transition(post, to=to, by=by, name=name, note=note)


def settle_post(post: Post, *, by) -> Post:
    """Bring the post's status in line with its threads (the post's row is locked by the caller): completed when
    every place is completed, matched when every place is taken, in talks while a thread is open, published
    otherwise. Posts that left the exchange (withdrawn, expired) stay as they are."""
    if post.status not in (PostStatus.PUBLISHED, PostStatus.TALKS, PostStatus.MATCHED):
        return post
    counts = dict.fromkeys(ThreadStatus.values, 0)
    for status in post.threads.values_list("status", flat=True):
        counts[status] += 1
    taken = counts[ThreadStatus.MATCHED] + counts[ThreadStatus.COMPLETED]
    if counts[ThreadStatus.COMPLETED] >= post.capacity:
        _move_post(post, to=PostStatus.COMPLETED, by=by, name="complete")
    elif taken >= post.capacity:
        _move_post(post, to=PostStatus.MATCHED, by=by, name="match")
    else:
        if post.status == PostStatus.MATCHED:  # a place came free again
            _move_post(post, to=PostStatus.PUBLISHED, by=by, name="reopen")
        if counts[ThreadStatus.OPEN] or taken:
            _move_post(post, to=PostStatus.TALKS, by=by, name="talks")
        else:
            _move_post(post, to=PostStatus.PUBLISHED, by=by, name="reopen")
    index_post(post)
    return post


def places_taken(post: Post) -> int:
    """How many of the post's places are taken: its matched and completed threads."""
    return post.threads.filter(status__in=TAKEN).count()


LEFT_WHY = {PostStatus.WITHDRAWN: "已由发布方撤回", PostStatus.EXPIRED: "已到期下架"}


def threads_after_post_left(post: Post, *, by, reason: str = "") -> None:
    """The post left the exchange (withdrawn, expired; the post's row is locked by the caller): its open threads
    are closed with a note of the platform and their respondents told; matched threads stay — the help was
    agreed — and say so."""
    why = LEFT_WHY.get(post.status, post.get_status_display())
    kind = post.get_kind_display()
    said = f"（原因：{reason.strip()}）" if (reason or "").strip() else ""
    for thread in post.threads.filter(status__in=LIVE).select_related(
            "post", "poster_museum", "poster_expert", "responder_museum", "responder_expert"):
        if thread.status == ThreadStatus.OPEN:
            close_reason = f"这条{kind}{why}{said}"[:Thread._meta.get_field("close_reason").max_length]
            transition(thread, to=ThreadStatus.CLOSED, by=by, name="close", reason=close_reason,
                       set={"close_reason": close_reason})
            _note(thread, f"这条{kind}{why}{said}，对接随之关闭。")
            _tell(thread, RESPONDER, key=f"exchange-left-{thread.pk}", body=close_reason[:200],
                  title=f"{kind}{why}，对接已关闭：{post.title}")
        else:
            _note(thread, f"这条{kind}{why}{said}。双方已确认的对接不受影响，请按商定的条件继续，完成后确认并评价。")
            _tell(thread, RESPONDER, key=f"exchange-left-{thread.pk}",
                  title=f"{kind}{why}，已确认的对接照常进行：{post.title}")


# --- starting a thread, messages ------------------------------------------------------------------------


def _message_new(*, thread: Thread, by, side: str, body: str, file=None, link: str = "", caption: str = ""):
    """A message and its attachment, both checked before either is written (a refused message leaves no file)."""
    body = (body or "").strip()
    message = Message(thread=thread, author=by, side=side, body=body)
    errors = {}
    if not body:
        errors["body"] = "请填写消息内容。"
    else:
        try:
            message.full_clean(exclude=["thread", "author"])
        except ValidationError as exc:
            errors |= exc.message_dict
    attachment = None
    if file or (link or "").strip():
        try:
            # Checked as the message's (unsaved: `exchange.change_message` asks its author and thread only); the
            # owner's id is set once the message is saved.
            attachment = attachment_new(owner=message, by=by, file=file, link=link, caption=caption)
        except ValidationError as exc:
            errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    return message, attachment


def _message_store(message: Message, attachment, *, by) -> Message:
    message.save()
    if attachment is not None:
        attachment.owner = message
        attachment_store(attachment=attachment, by=by)
    audit(actor=by, action="发送对接消息", obj=message, note=message.body[:100])
    return message


@transaction.atomic
def thread_start(*, post: Post, by, message: str, file=None, link: str = "", caption: str = "") -> tuple[Thread, bool]:
    """Respond to a post: a private thread between the post's owner and the respondent's museum (or the expert),
    opened with the first message. A second response of the same museum or expert while its thread is under way
    goes into that thread. Returns (thread, created). The post moves to "in talks"."""
    require(by, "exchange.respond_post", post)
    post = Post.objects.select_for_update().get(pk=post.pk)  # one live thread per respondent, under concurrency
    require(by, "exchange.respond_post", post)  # the status read afresh (matched meanwhile: no new responses)
    if by.is_museum_member:
        responder = {"responder_museum": by.museum, "responder_expert": None}
        mine = Q(responder_museum_id=by.museum_id)
    else:
        expert = expert_of(by)
        if expert is None:
            raise PermissionDenied("只有博物馆工作人员和专家可以响应供需信息。")
        responder = {"responder_museum": None, "responder_expert": expert}
        mine = Q(responder_expert_id=expert.pk)
    existing = post.threads.filter(mine, status__in=LIVE).first()
    if existing is not None:
        message_post(thread=existing, by=by, body=message, file=file, link=link, caption=caption)
        return existing, False
    thread = Thread(post=post, poster_museum_id=post.museum_id, poster_expert_id=post.expert_id, started_by=by,
                    **responder)
    first, attachment = _message_new(thread=thread, by=by, side=RESPONDER, body=message, file=file, link=link,
                                     caption=caption)
    thread.full_clean(exclude=["started_by", "post"])
    thread.save()
    audit(actor=by, action="响应供需信息，开始对接", obj=thread, note=post.title[:100])
    first.thread = thread
    _message_store(first, attachment, by=by)
    settle_post(post, by=by)
    _tell(thread, POSTER, key=f"exchange-thread-{thread.pk}", body=first.body[:200],
          title=f"{thread.responder_name}响应了您的{post.get_kind_display()}：{post.title}")
    return thread, True


@transaction.atomic
def message_post(*, thread: Thread, by, body: str, file=None, link: str = "", caption: str = "") -> Message:
    """A message in the thread, with a file or a link if given; refused in a closed or completed thread."""
    side = _acting(by, thread)
    thread = _locked(thread)
    if thread.status not in LIVE:
        raise ValidationError(f"对接{thread.get_status_display()}，不能再发送消息。")
    message, attachment = _message_new(thread=thread, by=by, side=side, body=body, file=file, link=link,
                                       caption=caption)
    _message_store(message, attachment, by=by)
    Thread.objects.filter(pk=thread.pk).update(updated_at=timezone.now())  # the list shows recent threads first
    _tell(thread, other(side), key=f"exchange-message-{message.pk}", body=message.body[:200],
          title=f"{side_name(thread, side)}在对接中发来消息：{thread.post.title}")
    return message


# --- confirming the match ---------------------------------------------------------------------------------


@transaction.atomic
def thread_confirm_match(*, thread: Thread, by, terms: str) -> Thread:
    """One side confirms the match with the agreed terms. The first side's terms stand (it may change them until the
    other side confirms); the other side confirms the same terms, or is refused and shown what was confirmed. Once
    both confirmed, the thread is matched — within the post's capacity, held under a lock on the post — and the post
    follows (matched when its places are taken)."""
    side = _acting(by, thread)
    post = Post.objects.select_for_update().get(pk=thread.post_id)  # capacity: one confirmation at a time per post
    thread = _locked(thread)
    if post.status not in (PostStatus.PUBLISHED, PostStatus.TALKS, PostStatus.MATCHED):
        raise ValidationError(f"这条{post.get_kind_display()}{post.get_status_display()}，不能再确认对接。")
    if thread.status != ThreadStatus.OPEN:
        raise ValidationError(f"对接{thread.get_status_display()}，不能再确认对接。")
    text = normalised_terms(terms)
    if not text:
        raise ValidationError({"terms": "请填写商定的对接条件（内容、时间、费用等）。"})
    if len(text) > Thread._meta.get_field("terms").max_length:
        raise ValidationError({"terms": f"不能超过 {Thread._meta.get_field('terms').max_length} 个字。"})
    # No place left: refused before either side confirms, so nobody is asked to confirm what cannot be matched.
    taken = places_taken(post)  # this thread is open, so not among them
    if taken >= post.capacity:
        raise ValidationError("这条需求已与其他方确认对接，不能再确认。" if post.kind == PostKind.NEED else
                              f"这条供给的名额（{post.capacity} 家）已满，不能再确认对接。")
    mine, theirs = f"{side}_confirmed_at", f"{other(side)}_confirmed_at"
    if getattr(thread, theirs) is not None and text != normalised_terms(thread.terms):
        raise ValidationError({"terms": f"{side_name(thread, other(side))}已确认的条件与您填写的不同。对方确认的是：\n"
                                        f"{thread.terms}\n请按对方确认的条件确认，或在对话中商量后由对方重新确认。"})
    now = timezone.now()
    if getattr(thread, theirs) is None:  # the first confirmation (or a change of it): these terms stand
        before = normalised_terms(thread.terms)
        Thread.objects.filter(pk=thread.pk).update(terms=text, **{mine: now}, updated_at=now)
        thread.terms = text
        setattr(thread, mine, now)
        audit(actor=by, action="修改并重新确认对接条件" if before and before != text else "确认对接条件", obj=thread,
              changes={"商定的条件": [before or None, text]} if before != text else None)
        _tell(thread, other(side), key=f"exchange-confirm-{thread.pk}-{side}-{now:%Y%m%d%H%M%S}",
              title=f"{side_name(thread, side)}确认了对接条件，请您确认：{post.title}", body=text[:300])
        return thread
    transition(thread, to=ThreadStatus.MATCHED, by=by, name="match", note="", set={mine: now})
    settle_post(post, by=by)
    _tell(thread, other(side), key=f"exchange-matched-{thread.pk}", title=f"对接已确认：{post.title}",
          body=f"双方已确认对接条件：{text[:200]}")
    tell_if_full(post)
    return thread


def tell_if_full(post: Post) -> None:
    """When the post's places are all taken (matched), the threads still open say so and their respondents hear."""
    if post.status != PostStatus.MATCHED:
        return
    for rest in post.threads.filter(status=ThreadStatus.OPEN).select_related(
            "post", "poster_museum", "poster_expert", "responder_museum", "responder_expert"):
        _note(rest, f"这条{post.get_kind_display()}已与其他方确认对接，名额已满。如仍需对接，请与发布方商量。")
        _tell(rest, RESPONDER, key=f"exchange-full-{rest.pk}", title=f"对接名额已满：{post.title}")


# --- completion, ratings, the ledger ----------------------------------------------------------------------


def _quantities(values: dict) -> dict:
    """The five quantities as numbers (missing ones 0), refused by field when not numbers or beyond the limits."""
    found, errors = {}, {}
    for name in QUANTITY_FIELDS:
        value = (values or {}).get(name)
        try:
            found[name] = Decimal(str(value)) if value not in (None, "") else Decimal(0)
        except InvalidOperation:
            errors[name] = "请输入数字。"
    errors |= quantity_errors({k: v for k, v in found.items() if k not in errors})
    for name, number in found.items():
        places = Thread._meta.get_field(name).decimal_places if name in DECIMALS else 0
        if name not in errors and number != number.quantize(Decimal(1).scaleb(-places)):
            errors[name] = "请输入整数。" if not places else f"最多保留 {places} 位小数。"
    if errors:
        raise ValidationError(errors)
    return {name: v if name in DECIMALS else int(v) for name, v in found.items()}


def _score(score) -> int:
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5 or str(score).strip() not in {str(value), f"{value}.0"}:
        raise ValidationError({"score": "评分请选择 1–5 分。"})
    return value


@transaction.atomic
def thread_complete(*, thread: Thread, by, score, comment: str = "", quantities: dict | None = None) -> Thread:
    """One side confirms the help was given and rates the other side (1–5, one rating per side). The helping side
    states what the help came to (the ledger's quantities and limits). When both sides have confirmed, the thread
    is completed and one entry written to the ledger."""
    side = _acting(by, thread)
    post = Post.objects.select_for_update().get(pk=thread.post_id)
    thread = _locked(thread)
    if thread.status != ThreadStatus.MATCHED:
        raise ValidationError("双方确认对接后才能确认完成。" if thread.status == ThreadStatus.OPEN
                              else f"对接{thread.get_status_display()}，不能再确认完成。")
    mine = f"{side}_completed_at"
    if getattr(thread, mine) is not None:
        raise ValidationError("您这一方已经确认完成并评价。")
    errors = {}
    try:
        value = _score(score)
    except ValidationError as exc:
        errors |= exc.message_dict
    comment = (comment or "").strip()
    if len(comment) > Rating._meta.get_field("comment").max_length:
        errors["comment"] = f"不能超过 {Rating._meta.get_field('comment').max_length} 个字。"
    helping = side == helper_side(thread)
    counted = {}
    if helping:
        try:
            counted = _quantities(quantities or {})
        except ValidationError as exc:
            errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    rating = Rating(thread=thread, side=side, score=value, comment=comment, by=by)
    rating.full_clean(exclude=["thread", "by"])
    rating.save()
    now = timezone.now()
    both = getattr(thread, f"{other(side)}_completed_at") is not None
    if not both:
        Thread.objects.filter(pk=thread.pk).update(**{mine: now}, **counted, updated_at=now)
        for key, val in {mine: now, **counted}.items():
            setattr(thread, key, val)
        audit(actor=by, action="确认完成并评价", obj=thread,
              note=f"评分 {value} 分" + (f"：{comment}" if comment else ""),
              changes={"数量": [None, _summary(counted)]} if counted else None)
        _tell(thread, other(side), key=f"exchange-complete-{thread.pk}-{side}",
              title=f"{side_name(thread, side)}已确认对接完成，请您确认并评价：{post.title}")
        return thread
    transition(thread, to=ThreadStatus.COMPLETED, by=by, name="complete", set={mine: now, **counted},
               note=f"评分 {value} 分" + (f"：{comment}" if comment else ""))
    _record(thread, post=post, by=by)
    settle_post(post, by=by)
    _tell(thread, other(side), key=f"exchange-completed-{thread.pk}", title=f"对接已完成：{post.title}")
    return thread


def quantity_summary(thread: Thread) -> str:
    """What the help came to, as the helping side stated it: "培训人数 30 人次 · 帮扶天数 2 天" ("" for nothing)."""
    values = {name: getattr(thread, name) for name in QUANTITY_FIELDS}
    return _summary(values) if any(values.values()) else ""


def _summary(counted: dict) -> str:
    return " · ".join(f"{q.label} {grouped(counted[q.name])} {q.unit}" for q in QUANTITIES
                      if counted.get(q.name)) or "无"


def _record(thread: Thread, *, post: Post, by):
    """The completed thread's one ledger entry: the helping side's museum helped the needing museum. An expert
    without a museum has nobody to record as the helper: no entry, and the thread says so."""
    helper, helped = side_museum(thread, helper_side(thread)), side_museum(thread, other(helper_side(thread)))
    if helper is None or helped is None or helper.pk == helped.pk:
        why = ("帮扶专家没有所属博物馆" if helper is None else
               "帮扶方与受援方是同一家博物馆" if helped is not None else "受援方不是博物馆")
        _note(thread, f"对接已完成。{why}，按台账规则不记入帮扶台账（台账记录博物馆之间的帮扶）。")
        return None
    pairing = default_pairing(helper=helper, helped=helped)
    today = timezone.localdate()
    if pairing is not None and pairing.start_date > today:
        pairing = None
    writer = by if acting_side(by, {"helper": helper, "helped": helped}) else system_user()
    # The kind of help: the sub-type, else what was asked or offered (the area is in its own column already).
    kind = post.subtype.name if post.subtype_id else f"{post.get_kind_display()}对接"
    entry = ledger_record(
        by=writer, helper=helper, helped=helped, pairing=pairing, area=post.area, kind=kind[:40], date=today,
        description=post.title, source_type=LEDGER_SOURCE, source_id=thread.pk, source_label=LEDGER_LABEL,
        **{name: getattr(thread, name) for name in QUANTITY_FIELDS},
    )
    return entry


# --- closing ----------------------------------------------------------------------------------------------


@transaction.atomic
def thread_close(*, thread: Thread, by, reason: str) -> Thread:
    """Either side closes an open or matched thread, with a reason; a place it held comes free, and the post is
    published again when no other thread is under way."""
    side = _acting(by, thread)
    post = Post.objects.select_for_update().get(pk=thread.post_id)
    thread = _locked(thread)
    reason = (reason or "").strip()
    if len(reason) > Thread._meta.get_field("close_reason").max_length:
        raise ValidationError({"reason": f"不能超过 {Thread._meta.get_field('close_reason').max_length} 个字。"})
    transition(thread, to=ThreadStatus.CLOSED, by=by, name="close", reason=reason, set={"close_reason": reason})
    settle_post(post, by=by)
    _tell(thread, other(side), key=f"exchange-closed-{thread.pk}", body=reason[:200],
          title=f"{side_name(thread, side)}关闭了对接：{post.title}")
    return thread

