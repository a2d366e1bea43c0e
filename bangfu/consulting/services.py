"""The writes of 远程咨询: asking, answering, commenting, accepting, closing, files, and the online meetings. Each
checks its permission itself (consulting.rules), runs in one transaction, is audited and tells people after
commit."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.areas import Area
from bangfu.core.attachments import attachment_add, attachment_new, attachment_store
from bangfu.core.audit import audit
from bangfu.core.search import index_rows
from bangfu.core.workflow import transition
from bangfu.experts.models import Expert
from bangfu.notifications.services import notify
from bangfu.pairings.models import Pairing
from bangfu.parties import acts_for_association, works_at_museum
from bangfu.permissions import require

from .models import (
    Answer,
    AnswerRole,
    Comment,
    Meeting,
    MeetingStatus,
    Question,
    QuestionStatus,
    QuestionTerm,
    split_tags,
)
from .rules import expert_of

MAX_FILES = 5
MAX_TAGS = 8
MAX_EXPERTS_TOLD = 8  # experts told of a new question: the best matches, not the whole pool
MAX_PARTICIPANTS = 30
MAX_AHEAD_DAYS = 366
RESUBMIT_MINUTES = 10  # the same question sent again this soon (a double click, a retried POST) is the one asked


def _clean(record, exclude=()) -> None:
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _tell(users, *, key: str, title: str, url: str, body: str = "") -> None:
    users = [u for u in users if u is not None]
    if users:
        transaction.on_commit(lambda: [notify(user=u, key=key, title=title, body=body, url=url, email=True)
                                       for u in users])


def question_url(question) -> str:
    return reverse("consulting:question", args=[question.pk])


def meeting_url(meeting) -> str:
    return reverse("consulting:meeting", args=[meeting.pk])


# --- the index -------------------------------------------------------------------------------------------------

def question_text(question: Question) -> str:
    """What the search reads: the title (twice), the tags, the body and the accepted answer."""
    answer = question.accepted_answer.body if question.accepted_answer_id else ""
    return "\n".join([question.title, question.title, question.tags, question.body, answer])


def index_question(question: Question) -> None:
    index_rows(question, question_text(question), terms=QuestionTerm, owner="question")


def reindex_questions() -> int:
    done = 0
    for question in Question.objects.select_related("accepted_answer").order_by("pk").iterator():
        index_question(question)
        done += 1
    return done


# --- who hears of a new question ---------------------------------------------------------------------------------

def ask_recipients(question: Question) -> list[User]:
    """The asker's helpers' staff (open pairings) and the experts whose areas hold the question's area, those whose
    tags meet its tags first, at most MAX_EXPERTS_TOLD of them — not the whole pool."""
    helpers = Pairing.objects.open().filter(helped_id=question.museum_id).values("helper_id")
    staff = list(User.objects.filter(museum_id__in=helpers, role__in=["museum_admin", "museum_staff"],
                                     is_active=True).order_by("pk"))
    experts = list(Expert.objects.active().filter(specialties__area=question.area, user__is_active=True)
                   .exclude(user=None).select_related("user").distinct().order_by("pk"))
    tags = set(question.tag_list)
    experts.sort(key=lambda e: -len(tags & set(e.tag_list)))
    users = {u.pk: u for u in staff}
    for expert in experts[:MAX_EXPERTS_TOLD]:
        users.setdefault(expert.user_id, expert.user)
    users.pop(question.asked_by_id, None)
    return list(users.values())


# --- questions ------------------------------------------------------------------------------------------------

@transaction.atomic
def question_ask(*, by, area: str, title: str, body: str, tags: str = "", files=()) -> Question:
    """A museum's staff member asks; the asker's helpers and the matching experts hear of it."""
    require(by, "consulting.ask")
    if area not in Area.values:
        raise ValidationError({"area": "请选择领域。"})
    tag_list = split_tags(tags)
    if len(tag_list) > MAX_TAGS:
        raise ValidationError({"tags": f"标签最多 {MAX_TAGS} 个。"})
    if any(len(t) > 20 for t in tag_list):
        raise ValidationError({"tags": "每个标签最多 20 个字。"})
    question = Question(museum_id=by.museum_id, asked_by=by, area=area, tags="，".join(tag_list),
                        title=(title or "").strip(), body=(body or "").strip())
    _clean(question, exclude=["museum", "asked_by", "accepted_answer"])
    User.objects.select_for_update().filter(pk=by.pk).exists()  # the same form sent twice at once: one waits
    again = Question.objects.filter(
        asked_by=by, title=question.title, body=question.body,
        created_at__gte=timezone.now() - datetime.timedelta(minutes=RESUBMIT_MINUTES)).first()
    if again is not None:
        return again
    question.save()
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"一次最多上传 {MAX_FILES} 个附件。"})
    for file in files:  # a refused file rolls the question back
        try:
            checked = attachment_new(owner=question, by=by, file=file)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
        attachment_store(attachment=checked, by=by, audited=False)
    index_question(question)
    audit(actor=by, action="提出咨询问题", obj=question, note=question.title)
    _tell(ask_recipients(question), key=f"consulting-asked-{question.pk}", url=question_url(question),
          title=f"{question.museum.name}提问：{question.title}", body=question.body[:200])
    return question


def _answer_role(by) -> tuple[str, int | None]:
    if acts_for_association(by):
        return AnswerRole.ASSOCIATION, None
    if works_at_museum(by):
        return AnswerRole.HELPER, by.museum_id
    if expert_of(by) is not None:
        return AnswerRole.EXPERT, None
    return AnswerRole.ASSOCIATION, None


@transaction.atomic
def answer_add(*, question: Question, by, body: str) -> Answer:
    """A helper's staff member, an expert or the association answers; the asker hears of it."""
    question = Question.objects.select_for_update().select_related("museum").get(pk=question.pk)
    require(by, "consulting.answer", question)
    role, museum_id = _answer_role(by)
    answer = Answer(question=question, author=by, museum_id=museum_id, role=role, body=(body or "").strip())
    _clean(answer, exclude=["question", "author", "museum"])
    again = question.answers.filter(author=by, body=answer.body).first()  # the same answer sent twice
    if again is not None:
        return again
    answer.save()
    if question.status == QuestionStatus.OPEN:
        transition(question, to=QuestionStatus.ANSWERED, by=by, set={"first_answer_at": answer.created_at},
                   note=f"{by.display_name}回答")
    else:
        audit(actor=by, action="回答问题", obj=question, note=answer.body[:100])
    _tell([question.asked_by], key=f"consulting-answer-{answer.pk}", url=question_url(question),
          title=f"{by.display_name}回答了您的问题「{question.title}」", body=answer.body[:200])
    return answer


@transaction.atomic
def comment_add(*, question: Question, by, body: str) -> Comment:
    require(by, "consulting.comment", question)
    comment = Comment(question=question, author=by, body=(body or "").strip())
    _clean(comment, exclude=["question", "author"])
    comment.save()
    audit(actor=by, action="评论问题", obj=question, note=comment.body[:100])
    others = {a.author_id: a.author for a in question.answers.select_related("author")}
    others[question.asked_by_id] = question.asked_by
    others.pop(by.pk, None)
    _tell(others.values(), key=f"consulting-comment-{comment.pk}", url=question_url(question),
          title=f"{by.display_name}评论了问题「{question.title}」", body=comment.body[:200])
    return comment


@transaction.atomic
def answer_accept(*, question: Question, answer: Answer, by) -> Question:
    """The asker (or their museum's admin) accepts one answer: the question is resolved and joins the knowledge
    base; the answer's author hears of it."""
    require(by, "consulting.accept", question)
    if answer.question_id != question.pk:
        raise ValidationError({"answer": "只能采纳本问题下的回答。"})
    transition(question, to=QuestionStatus.RESOLVED, by=by, name="accept",
               set={"accepted_answer": answer, "resolved_at": timezone.now()},
               note=f"采纳 {answer.author.display_name} 的回答")
    index_question(question)
    _tell([answer.author], key=f"consulting-accepted-{question.pk}", url=question_url(question),
          title=f"您对「{question.title}」的回答被采纳", body="该问答已收入知识库。")
    return question


@transaction.atomic
def question_close(*, question: Question, by, reason: str) -> Question:
    require(by, "consulting.close", question)
    transition(question, to=QuestionStatus.CLOSED, by=by, reason=reason)
    return question


@transaction.atomic
def question_file_add(*, question: Question, by, file=None, link: str = "", caption: str = ""):
    require(by, "consulting.add_question_file", question)
    if question.attachments.count() >= 20:
        raise ValidationError({"file": "一个问题最多 20 个附件。"})
    return attachment_add(owner=question, by=by, file=file, link=link, caption=caption)


# --- meetings ---------------------------------------------------------------------------------------------------

def _check_link(link: str) -> str:
    link = (link or "").strip()
    parts = urlsplit(link)
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in link):
        raise ValidationError({"link": "请填写以 https:// 开头的会议链接（如腾讯会议的邀请链接）。"})
    if len(link) > Meeting._meta.get_field("link").max_length:
        raise ValidationError({"link": "链接太长（最多 300 个字符）。"})
    return link


def _check_time(starts_at: datetime.datetime | None, duration_minutes) -> None:
    if starts_at is None:
        raise ValidationError({"starts_at": "请填写开始时间。"})
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": "开始时间必须晚于现在。"})
    if starts_at > now + datetime.timedelta(days=MAX_AHEAD_DAYS):
        raise ValidationError({"starts_at": "最多预约一年以内的会议。"})
    if not isinstance(duration_minutes, int) or not 15 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": "时长应在 15 到 480 分钟之间。"})


def participant_choices(question: Question):
    """Who may be asked to a meeting: the asker's museum's and its helpers' staff (open pairings), those who
    answered or commented, and the experts with an account in the question's area."""
    helpers = Pairing.objects.open().filter(helped_id=question.museum_id).values("helper_id")
    return (User.objects.filter(
        Q(museum_id=question.museum_id, role__in=["museum_admin", "museum_staff"])
        | Q(museum_id__in=helpers, role__in=["museum_admin", "museum_staff"])
        | Q(consulting_answers__question=question) | Q(pk__in=Comment.objects.filter(question=question)
                                                        .values("author_id"))
        | Q(expert_profile__specialties__area=question.area, expert_profile__is_active=True),
        is_active=True).distinct().order_by("pk"))


@transaction.atomic
def meeting_book(*, question: Question, by, starts_at, link: str, duration_minutes: int = 60,
                 meeting_code: str = "", participants=()) -> Meeting:
    """Book an online consultation for a question; the participants hear of it."""
    require(by, "consulting.book_meeting", question)
    question = Question.objects.select_for_update().get(pk=question.pk)  # the same booking sent twice: one waits
    if question.status == QuestionStatus.CLOSED:
        raise ValidationError("问题已关闭，不能预约会议。")
    _check_time(starts_at, duration_minutes)
    link = _check_link(link)
    people = list(participants or [])
    allowed = set(participant_choices(question).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in people):
        raise ValidationError({"participants": "参加人只能是提问馆及其帮扶馆的人员、回答者或相关领域的专家。"})
    if len(people) > MAX_PARTICIPANTS:
        raise ValidationError({"participants": f"参加人最多 {MAX_PARTICIPANTS} 位。"})
    again = question.meetings.filter(status=MeetingStatus.SCHEDULED, starts_at=starts_at, link=link).first()
    if again is not None:  # the same meeting booked again (a double click): the one already booked
        return again
    meeting = Meeting(question=question, starts_at=starts_at, duration_minutes=duration_minutes, link=link,
                      meeting_code=(meeting_code or "").strip(), booked_by=by)
    _clean(meeting, exclude=["question", "booked_by"])
    meeting.save()
    meeting.participants.set({p.pk for p in people} | {by.pk, question.asked_by_id})
    audit(actor=by, action="预约在线咨询", obj=meeting, note=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}")
    audit(actor=by, action="预约在线咨询", obj=question, note=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}")
    _tell([p for p in meeting.participants.all() if p.pk != by.pk], key=f"consulting-meeting-{meeting.pk}",
          url=meeting_url(meeting), title=f"在线咨询：{question.title}",
          body=f"时间：{timezone.localtime(starts_at):%Y年%m月%d日 %H:%M}，时长 {duration_minutes} 分钟。")
    return meeting


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, by, starts_at, duration_minutes: int | None = None,
                       link: str = "") -> Meeting:
    require(by, "consulting.change_meeting", meeting)
    meeting = Meeting.objects.select_for_update().select_related("question").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("只有已预约的会议可以改期。")
    duration = meeting.duration_minutes if duration_minutes is None else duration_minutes
    _check_time(starts_at, duration)
    before = timezone.localtime(meeting.starts_at)
    meeting.starts_at, meeting.duration_minutes = starts_at, duration
    if link:
        meeting.link = _check_link(link)
    meeting.save(update_fields=["starts_at", "duration_minutes", "link", "updated_at"])
    after = timezone.localtime(starts_at)
    audit(actor=by, action="会议改期", obj=meeting, changes={"开始时间": [f"{before:%Y-%m-%d %H:%M}",
                                                                      f"{after:%Y-%m-%d %H:%M}"]})
    _tell([p for p in meeting.participants.all() if p.pk != by.pk],
          key=f"consulting-meeting-{meeting.pk}-moved-{after:%Y%m%d%H%M}", url=meeting_url(meeting),
          title=f"在线咨询改期：{meeting.question.title}", body=f"新时间：{after:%Y年%m月%d日 %H:%M}。")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, reason: str) -> Meeting:
    require(by, "consulting.change_meeting", meeting)
    transition(meeting, to=MeetingStatus.CANCELLED, by=by, reason=reason)
    _tell([p for p in meeting.participants.all() if p.pk != by.pk], key=f"consulting-meeting-{meeting.pk}-cancelled",
          url=meeting_url(meeting), title=f"在线咨询已取消：{meeting.question.title}", body=reason)
    return meeting


@transaction.atomic
def meeting_record(*, meeting: Meeting, by, minutes: str, conclusions: str = "", files=()) -> Meeting:
    """After the meeting has started: its minutes, conclusions and files."""
    require(by, "consulting.change_meeting", meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError({"minutes": "会议开始之后才能记录纪要。"})
    if not (minutes or "").strip():
        raise ValidationError({"minutes": "请填写会议纪要。"})
    values = {"minutes": minutes.strip(), "conclusions": (conclusions or "").strip()}
    for key, value in values.items():
        setattr(meeting, key, value)
    _clean(meeting, exclude=["question", "booked_by", "link"])
    transition(meeting, to=MeetingStatus.HELD, by=by, set=values)
    for file in [f for f in files or () if f][:MAX_FILES]:
        try:
            checked = attachment_new(owner=meeting, by=by, file=file)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
        attachment_store(attachment=checked, by=by, audited=False)
    return meeting


@transaction.atomic
def meeting_file_add(*, meeting: Meeting, by, file=None, link: str = "", caption: str = ""):
    require(by, "consulting.change_meeting", meeting)
    return attachment_add(owner=meeting, by=by, file=file, link=link, caption=caption)
