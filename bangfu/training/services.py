"""The business operations of training classes: create and publish a class and its timetable, nominate staff
(quotas and the waiting list, held under simultaneous nominations by locking the class row), withdraw, accept or
reject, sign in to a session (by code, in its window) or be marked present, record assessment results, complete the
class (学时 and certificates through `bangfu.learning.services`, one ledger entry per sending museum) and give
feedback. Every function checks its own permission and refuses with a Chinese message."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import MUSEUM_ROLES, User
from bangfu.core.areas import Area
from bangfu.core.audit import audit
from bangfu.core.dates import cn_date
from bangfu.core.workflow import transition
from bangfu.learning.services import certificate_issue, hours_record
from bangfu.ledger.services import ledger_record
from bangfu.museums.models import Museum
from bangfu.notifications.services import notify
from bangfu.pairings.models import Pairing
from bangfu.permissions import require

from .models import (
    MAX_PLACES,
    Attendance,
    ClassMuseum,
    ClassStatus,
    Eligibility,
    Feedback,
    Nomination,
    NominationState,
    Session,
    TrainingClass,
)

SOURCE = "training.class"          # the learning record's source (hours, certificates): one class
LEDGER_SOURCE = "training.class"   # the ledger's source: one sending museum's result (ClassMuseum)
SOURCE_LABEL = "培训班"
MAX_NOMINATIONS_AT_ONCE = 50

CLASS_FIELDS = ("title", "area", "description", "host", "start", "end", "online", "place", "link", "places",
                "places_per_museum", "eligibility", "deadline", "threshold", "has_assessment", "pass_mark",
                "window_before")


# --- reading helpers shared with the pages ----------------------------------------------------------------


def eligibility_error(klass: TrainingClass, museum: Museum | None) -> str:
    """Why `museum` may not nominate staff to `klass` ("" when it may)."""
    if museum is None:
        return "只有博物馆可以推荐学员。"
    if klass.eligibility == Eligibility.HELPED and not Pairing.objects.open().filter(helped=museum).exists():
        return "本班只面向结对帮扶中的受帮扶馆。"
    if klass.eligibility == Eligibility.CITIES and not klass.cities.filter(pk=museum.city_id).exists():
        return "本班只面向指定市的博物馆。"
    return ""


def total_hours(klass: TrainingClass) -> Decimal:
    """The class's 学时: the sum of its sessions' hours."""
    return klass.sessions.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def _check_class(values: dict, *, organiser_museum: Museum | None) -> dict[str, str]:
    errors = {}
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        errors["end"] = "结束日期不能早于开始日期。"
    if values.get("deadline") and end and values["deadline"] > end:
        errors["deadline"] = "报名截止日期不能晚于结束日期。"
    places, per = values.get("places") or 0, values.get("places_per_museum") or 0
    if not (1 <= places <= MAX_PLACES):
        errors["places"] = f"总名额须在 1–{MAX_PLACES} 之间。"
    if per < 0 or per > places:
        errors["places_per_museum"] = "每馆名额不能超过总名额（0 表示不限）。"
    if (organiser_museum is None and values.get("host") is not None
            and not Museum.objects.helpers().filter(pk=values["host"].pk).exists()):
        # The host is the ledger's helper side: a county museum would be written as helping the others.
        errors["host"] = f"承办馆须为帮扶馆（大馆），{values['host'].display_name}不是。"
    if organiser_museum is not None and values.get("host") not in (None, organiser_museum):
        errors["host"] = "博物馆主办的培训班由本馆承办。"
    if values.get("has_assessment") and values.get("pass_mark") is None:
        errors["pass_mark"] = "有结业考核时请填写及格分。"  # noqa: S105 — a mark, not a password
    if values.get("online") and not values.get("link"):
        errors["link"] = "线上培训请填写链接。"
    if not values.get("online") and not (values.get("place") or "").strip():
        errors["place"] = "请填写培训地点。"
    return errors


def _organiser_museum(by) -> Museum | None:
    return None if getattr(by, "is_association_admin", False) or getattr(by, "is_system", False) else by.museum


@transaction.atomic
def class_create(*, by, title: str, area: str, start: datetime.date, end: datetime.date, places: int,
                 host: Museum | None = None, places_per_museum: int = 0, description: str = "",
                 online: bool = False, place: str = "", link: str = "", eligibility: str = Eligibility.ALL,
                 cities=(), deadline: datetime.date | None = None, threshold: int = 80,
                 has_assessment: bool = False, pass_mark=None, window_before: int = 30,
                 publish: bool = False) -> TrainingClass:
    """A new class, as a draft (or published at once with `publish`). Organised by the association, or by the
    acting admin's museum (then also its host)."""
    require(by, "training.add_class")
    organiser = _organiser_museum(by)
    values = {"title": title, "area": area, "start": start, "end": end, "places": places,
              "places_per_museum": places_per_museum, "description": description, "online": online,
              "place": place, "link": link, "eligibility": eligibility, "deadline": deadline,
              "threshold": threshold, "has_assessment": has_assessment, "pass_mark": pass_mark,
              "window_before": window_before, "host": host if organiser is None else (host or organiser)}
    errors = _check_class(values, organiser_museum=organiser)
    if errors:
        raise ValidationError(errors)
    klass = TrainingClass(organiser_museum=organiser, created_by=by, **values)
    klass.full_clean()
    klass.save()
    if cities:
        klass.cities.set(cities)
    audit(actor=by, action="创建培训班", obj=klass)
    if publish:
        class_publish(klass=klass, by=by)
    return klass


@transaction.atomic
def class_update(*, klass: TrainingClass, by, cities=None, **values) -> TrainingClass:
    """Change a class's details (not after it completed or was cancelled)."""
    require(by, "training.manage_class", klass)
    klass = TrainingClass.objects.select_for_update().get(pk=klass.pk)
    if klass.status in (ClassStatus.COMPLETED, ClassStatus.CANCELLED):
        raise ValidationError("已结业或已取消的培训班不能修改。")
    unknown = set(values) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    merged = {name: getattr(klass, name) for name in CLASS_FIELDS} | values
    errors = _check_class(merged, organiser_museum=klass.organiser_museum)
    accepted = klass.nominations.filter(state=NominationState.ACCEPTED).count()
    if merged["places"] < accepted:
        errors["places"] = f"已录取 {accepted} 人，总名额不能少于已录取人数。"
    if "end" not in errors:
        outside = [s for s in klass.sessions.all()
                   if not (merged["start"] <= timezone.localtime(s.start).date() <= merged["end"]
                           and timezone.localtime(s.end).date() <= merged["end"])]
        if outside:  # else their sign-in windows and the completion date would not match the class
            errors["start"] = (f"课程「{outside[0].title}」不在新的日期内（共 {len(outside)} 次课），"
                               "请先调整或删除这些课程。")
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(klass, name, value)
    klass.full_clean()
    klass.save()
    if cities is not None:
        klass.cities.set(cities)
    audit(actor=by, action="修改培训班", obj=klass)
    if klass.status in (ClassStatus.PUBLISHED, ClassStatus.CLOSED):
        while _move_up(klass, by=by) is not None:  # more places (in total or per museum): the waiting list moves up
            pass
    return klass


MAX_QUICK_DAYS = 31


@transaction.atomic
def class_create_published(*, by, hours, **fields) -> TrainingClass:
    """A class published at once with a plain timetable: one session a day (9:00–17:00) sharing `hours` (学时)
    between its days — what the API creates; the organiser refines the timetable on the class's page."""
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except Exception as exc:  # InvalidOperation
        raise ValidationError({"hours": "学时须为数字。"}) from exc
    start, end = fields.get("start"), fields.get("end")
    days = (end - start).days + 1 if start and end and end >= start else 1
    if days > MAX_QUICK_DAYS:
        raise ValidationError({"end": f"这样创建的培训班最长 {MAX_QUICK_DAYS} 天；更长的请在页面上安排课程。"})
    daily = (hours / days).quantize(Decimal("0.1"), rounding="ROUND_DOWN")
    last = hours - daily * (days - 1)
    if daily < Decimal("0.5") or last > Decimal("24"):
        raise ValidationError({"hours": f"学时须在每天 0.5–24 之间（共 {days} 天：{days * Decimal('0.5')}–"
                                        f"{days * 24} 学时）。"})
    klass = class_create(by=by, publish=False, **fields)
    tz = timezone.get_current_timezone()
    for i in range(days):
        day = start + datetime.timedelta(days=i)
        session_add(klass=klass, by=by, title=klass.title if days == 1 else f"{klass.title}（第{i + 1}天）",
                    start=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz),
                    end=datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=tz),
                    hours=last if i == days - 1 else daily, place=klass.place)
    return class_publish(klass=klass, by=by)


def class_publish(*, klass: TrainingClass, by) -> TrainingClass:
    require(by, "training.manage_class", klass)
    transition(klass, to=ClassStatus.PUBLISHED, by=by)
    return klass


def class_close(*, klass: TrainingClass, by) -> TrainingClass:
    require(by, "training.manage_class", klass)
    transition(klass, to=ClassStatus.CLOSED, by=by)
    return klass


def class_reopen(*, klass: TrainingClass, by) -> TrainingClass:
    require(by, "training.manage_class", klass)
    transition(klass, to=ClassStatus.PUBLISHED, by=by)
    return klass


@transaction.atomic
def class_cancel(*, klass: TrainingClass, by, reason: str) -> TrainingClass:
    require(by, "training.manage_class", klass)
    transition(klass, to=ClassStatus.CANCELLED, by=by, reason=reason)
    for nomination in klass.nominations.filter(state__in=[NominationState.ACCEPTED, NominationState.WAITING]
                                               ).select_related("person"):
        notify(user=nomination.person, key=f"training-cancel-{klass.pk}", title=f"培训班「{klass.title}」已取消",
               body=reason.strip()[:300], url=reverse("training:class", args=[klass.pk]))
    return klass


# --- the timetable --------------------------------------------------------------------------------------------


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _check_session(klass: TrainingClass, start: datetime.datetime, end: datetime.datetime, hours) -> dict:
    errors = {}
    if end <= start:
        errors["end"] = "下课时间须晚于上课时间。"
    day = timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    if not (klass.start <= day <= klass.end):
        errors["start"] = f"课程日期须在培训班日期内（{cn_date(klass.start)}至{cn_date(klass.end)}）。"
    last = timezone.localtime(end).date() if timezone.is_aware(end) else end.date()
    if "end" not in errors and not (klass.start <= last <= klass.end):
        # Else the sign-in window (until the session ends) would stay open for years.
        errors["end"] = f"下课时间须在培训班日期内（{cn_date(klass.start)}至{cn_date(klass.end)}）。"
    try:
        value = Decimal(str(hours))
    except Exception:  # InvalidOperation
        value = Decimal("-1")
    if not (Decimal("0.5") <= value <= Decimal("24")):
        errors["hours"] = "学时须在 0.5–24 之间。"
    return errors


@transaction.atomic
def session_add(*, klass: TrainingClass, by, title: str, start: datetime.datetime, end: datetime.datetime,
                hours, experts=(), teacher_names: str = "", place: str = "") -> Session:
    """Add a lesson to the timetable with a fresh random six-digit sign-in code."""
    require(by, "training.manage_class", klass)
    if klass.status in (ClassStatus.COMPLETED, ClassStatus.CANCELLED):
        raise ValidationError("已结业或已取消的培训班不能修改课程安排。")
    errors = _check_session(klass, start, end, hours)
    if errors:
        raise ValidationError(errors)
    for _attempt in range(10):  # a code drawn twice: the unique index decides, draw again
        try:
            with transaction.atomic():
                session = Session.objects.create(klass=klass, title=title.strip(), start=start, end=end,
                                                 hours=Decimal(str(hours)), teacher_names=teacher_names.strip(),
                                                 place=place.strip(), code=_new_code())
                break
        except IntegrityError:
            continue
    else:
        raise ValidationError("签到码分配冲突，请重试。")
    if experts:
        session.experts.set(experts)
    audit(actor=by, action="添加课程", obj=klass, note=title)
    return session


@transaction.atomic
def session_update(*, session: Session, by, title: str, start: datetime.datetime, end: datetime.datetime, hours,
                   experts=(), teacher_names: str = "", place: str = "") -> Session:
    """Change a lesson (its code stays: a printed QR code keeps working)."""
    klass = session.klass
    require(by, "training.manage_class", klass)
    if not klass.is_active and klass.status != ClassStatus.DRAFT:
        raise ValidationError("已结业或已取消的培训班不能修改课程安排。")
    errors = _check_session(klass, start, end, hours)
    if errors:
        raise ValidationError(errors)
    session.title, session.start, session.end = title.strip(), start, end
    session.hours, session.teacher_names, session.place = Decimal(str(hours)), teacher_names.strip(), place.strip()
    session.save(update_fields=["title", "start", "end", "hours", "teacher_names", "place"])
    session.experts.set(experts)
    audit(actor=by, action="修改课程", obj=klass, note=title)
    return session


@transaction.atomic
def session_remove(*, session: Session, by) -> None:
    klass = session.klass
    require(by, "training.manage_class", klass)
    if session.attendance.exists():
        raise ValidationError("已有学员签到的课程不能删除。")
    audit(actor=by, action="删除课程", obj=klass, note=session.title)
    session.delete()


# --- nominations ----------------------------------------------------------------------------------------------


def _lock(klass: TrainingClass) -> TrainingClass:
    """The class row, locked: every change to its nominations is decided one at a time."""
    return TrainingClass.objects.select_for_update().get(pk=klass.pk)


def _has_room(klass: TrainingClass, museum_id: int, *, accepted_total: int, accepted_here: int) -> bool:
    return accepted_total < klass.places and (not klass.places_per_museum
                                              or accepted_here < klass.places_per_museum)


@transaction.atomic
def nominate(*, klass: TrainingClass, by, people) -> list[Nomination]:
    """The museum admin `by` nominates staff of their museum: each is accepted while the class and the museum have
    places, otherwise waits in order. Nominating someone already accepted or waiting changes nothing; someone who
    withdrew is queued again; someone the organiser rejected is refused (the organiser may still admit them).
    Returns the nominations in the order given."""
    require(by, "training.nominate", klass)
    museum = by.museum
    people = list(dict.fromkeys(people))
    if not people:
        raise ValidationError({"user_ids": "请选择要推荐的人员。"})
    if len(people) > MAX_NOMINATIONS_AT_ONCE:
        raise ValidationError({"user_ids": f"一次最多推荐 {MAX_NOMINATIONS_AT_ONCE} 人。"})
    strangers = [p for p in people if not (p.is_active and p.role in MUSEUM_ROLES and p.museum_id == museum.pk)]
    if strangers:
        names = "、".join(f"{p.display_name}（编号 {p.pk}）" for p in strangers)
        raise ValidationError({"user_ids": f"只能推荐本馆在职人员：{names} 不是本馆人员。"})
    klass = _lock(klass)
    if klass.status != ClassStatus.PUBLISHED:
        raise ValidationError("培训班当前不接受报名。")
    if klass.deadline and timezone.localdate() > klass.deadline:
        raise ValidationError(f"报名已于{cn_date(klass.deadline)}截止。")
    existing = {n.person_id: n for n in klass.nominations.filter(person__in=people)}
    refused = [p for p in people if p.pk in existing and existing[p.pk].state == NominationState.REJECTED]
    if refused:  # the organiser's decision stands: only the organiser admits a rejected nominee (nomination_accept)
        names = "、".join(f"{p.display_name}（编号 {p.pk}）" for p in refused)
        raise ValidationError({"user_ids": f"主办方已不予录取 {names}，不能再次推荐；如有疑问请联系主办方。"})
    accepted = list(klass.nominations.filter(state=NominationState.ACCEPTED).values_list("museum_id", flat=True))
    total, here = len(accepted), accepted.count(museum.pk)
    now = timezone.now()
    result = []
    for person in people:
        nomination = existing.get(person.pk)
        if nomination is not None and nomination.state in (NominationState.ACCEPTED, NominationState.WAITING):
            result.append(nomination)
            continue
        state = (NominationState.ACCEPTED if _has_room(klass, museum.pk, accepted_total=total, accepted_here=here)
                 else NominationState.WAITING)
        if state == NominationState.ACCEPTED:
            total, here = total + 1, here + 1
        if nomination is None:
            nomination = Nomination.objects.create(klass=klass, person=person, museum=museum, state=state,
                                                   queued_at=now, nominated_by=by)
        else:
            nomination.state, nomination.queued_at, nomination.nominated_by = state, now, by
            nomination.museum = museum
            nomination.save(update_fields=["state", "queued_at", "nominated_by", "museum"])
        audit(actor=by, action="推荐学员", obj=klass, note=f"{person.display_name}：{nomination.get_state_display()}")
        _tell(nomination)
        result.append(nomination)
    return result


def _tell(nomination: Nomination) -> None:
    klass = nomination.klass
    if nomination.state == NominationState.ACCEPTED:
        title = f"您已被录取参加培训班「{klass.title}」"
        body = f"{cn_date(klass.start)}至{cn_date(klass.end)}，{klass.place or '线上'}。"
    elif nomination.state == NominationState.WAITING:
        title, body = f"您已列入培训班「{klass.title}」的候补名单", "有人退出时将按顺序递补，届时会通知您。"
    else:
        return
    notify(user=nomination.person, key=f"training-{nomination.state}-{nomination.pk}-{nomination.queued_at:%s}",
           title=title, body=body, url=reverse("training:class", args=[klass.pk]))


def _move_up(klass: TrainingClass, *, by) -> Nomination | None:
    """The first waiting person whose museum still has a place is accepted (the class row is locked)."""
    accepted = list(klass.nominations.filter(state=NominationState.ACCEPTED).values_list("museum_id", flat=True))
    if len(accepted) >= klass.places:
        return None
    for waiting in klass.nominations.filter(state=NominationState.WAITING).select_related("person", "klass"
                                                                                         ).order_by("queued_at", "pk"):
        if _has_room(klass, waiting.museum_id, accepted_total=len(accepted),
                     accepted_here=accepted.count(waiting.museum_id)):
            waiting.state = NominationState.ACCEPTED
            waiting.save(update_fields=["state"])
            audit(actor=by, action="候补递补", obj=klass, note=waiting.person.display_name)
            notify(user=waiting.person, key=f"training-moved-up-{waiting.pk}-{timezone.now():%s}",
                   title=f"您已由候补转为录取：培训班「{klass.title}」", email=True,
                   body=f"{cn_date(klass.start)}至{cn_date(klass.end)}，{klass.place or '线上'}。",
                   url=reverse("training:class", args=[klass.pk]))
            return waiting
    return None


def _active_nomination(nomination: Nomination) -> tuple[TrainingClass, Nomination]:
    klass = _lock(nomination.klass)
    nomination = Nomination.objects.select_related("person").get(pk=nomination.pk)
    nomination.klass = klass
    if klass.status not in (ClassStatus.PUBLISHED, ClassStatus.CLOSED):
        raise ValidationError("培训班已结业或已取消，名单不能再变动。")
    return klass, nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by) -> Nomination:
    """The person or their museum's admin withdraws; a freed place goes to the first eligible waiting person."""
    require(by, "training.withdraw", nomination)
    klass, nomination = _active_nomination(nomination)
    if nomination.state not in (NominationState.ACCEPTED, NominationState.WAITING):
        raise ValidationError("该学员已不在名单中。")
    was_accepted = nomination.state == NominationState.ACCEPTED
    nomination.state = NominationState.WITHDRAWN
    nomination.save(update_fields=["state"])
    audit(actor=by, action="退出培训班", obj=klass, note=nomination.person.display_name)
    if was_accepted:
        _move_up(klass, by=by)
    return nomination


@transaction.atomic
def nomination_reject(*, nomination: Nomination, by, reason: str = "") -> Nomination:
    """The organiser does not admit a nominee; a freed place goes to the first eligible waiting person."""
    require(by, "training.manage_class", nomination.klass)
    klass, nomination = _active_nomination(nomination)
    if nomination.state not in (NominationState.ACCEPTED, NominationState.WAITING):
        raise ValidationError("该学员已不在名单中。")
    was_accepted = nomination.state == NominationState.ACCEPTED
    nomination.state = NominationState.REJECTED
    nomination.save(update_fields=["state"])
    audit(actor=by, action="不予录取", obj=klass, note=f"{nomination.person.display_name} {reason}".strip())
    notify(user=nomination.person, key=f"training-rejected-{nomination.pk}-{timezone.now():%s}",
           title=f"培训班「{klass.title}」未能录取您", body=reason.strip()[:300],
           url=reverse("training:class", args=[klass.pk]))
    if was_accepted:
        _move_up(klass, by=by)
    return nomination


@transaction.atomic
def nomination_accept(*, nomination: Nomination, by) -> Nomination:
    """The organiser admits a waiting (or rejected) nominee by hand: within the class's total places (the
    per-museum quota may be passed over)."""
    require(by, "training.manage_class", nomination.klass)
    klass, nomination = _active_nomination(nomination)
    if nomination.state == NominationState.ACCEPTED:
        return nomination
    if nomination.state == NominationState.WITHDRAWN:
        raise ValidationError("学员已退出，请由所在馆重新推荐。")
    if klass.nominations.filter(state=NominationState.ACCEPTED).count() >= klass.places:
        raise ValidationError(f"总名额 {klass.places} 人已满，不能再录取。")
    nomination.state = NominationState.ACCEPTED
    nomination.save(update_fields=["state"])
    audit(actor=by, action="录取学员", obj=klass, note=nomination.person.display_name)
    _tell(nomination)
    return nomination


# --- attendance -----------------------------------------------------------------------------------------------


def window_of(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """When a session may be signed in to: from `window_before` minutes before it starts until it ends."""
    return session.start - datetime.timedelta(minutes=session.klass.window_before), session.end


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%m月%d日 %H:%M").lstrip("0")


@transaction.atomic
def checkin(*, code: str, by, now: datetime.datetime | None = None) -> tuple[Attendance, bool]:
    """Sign `by` in to the session whose code is `code`. Returns (attendance, created); signing in twice is
    fine (created False). Refusals: a wrong code, outside the window, not an accepted participant."""
    code = (code or "").strip()
    session = (Session.objects.select_related("klass").filter(code=code).first()
               if len(code) == 6 and code.isascii() and code.isdigit() else None)
    if session is None:
        raise ValidationError({"code": "签到码不正确，请核对老师出示的 6 位数字。"})
    klass = session.klass
    nomination = klass.nominations.filter(person=by, state=NominationState.ACCEPTED).first() if by.pk else None
    if nomination is None:
        raise ValidationError({"code": f"您不是培训班「{klass.title}」的录取学员，不能签到。"})
    existing = Attendance.objects.filter(session=session, nomination=nomination).first()
    if existing is not None:
        return existing, False
    if not klass.is_active:
        raise ValidationError({"code": "培训班已结业或已取消，不能再签到。"})
    now = now or timezone.now()
    opens, closes = window_of(session)
    if not (opens <= now <= closes):
        raise ValidationError({"code": f"不在签到时间内：「{session.title}」可在 {_local(opens)} 至 "
                                       f"{_local(closes)} 之间签到。"})
    attendance, created = Attendance.objects.get_or_create(session=session, nomination=nomination,
                                                           defaults={"by_code": True})
    if created:
        audit(actor=by, action="签到", obj=klass, note=session.title)
    return attendance, created


@transaction.atomic
def attendance_mark(*, session: Session, nomination: Nomination, by, present: bool) -> None:
    """The organiser marks a participant present (or not) at a session by hand."""
    klass = session.klass
    require(by, "training.manage_class", klass)
    if nomination.klass_id != klass.pk or nomination.state != NominationState.ACCEPTED:
        raise ValidationError("只能为本班录取学员登记出勤。")
    if not klass.is_active:
        raise ValidationError("培训班已结业或已取消，出勤不能再修改。")
    if present:
        _, created = Attendance.objects.get_or_create(session=session, nomination=nomination,
                                                      defaults={"by_code": False})
    else:
        created = bool(Attendance.objects.filter(session=session, nomination=nomination).delete()[0])
    if created:
        audit(actor=by, action="登记出勤" if present else "取消出勤", obj=klass,
              note=f"{nomination.person.display_name} · {session.title}")


# --- assessment and completion -----------------------------------------------------------------------------


@transaction.atomic
def assessment_record(*, klass: TrainingClass, by, scores: dict) -> int:
    """The organiser records assessment scores {nomination id: score or None}. Returns how many changed."""
    require(by, "training.manage_class", klass)
    klass = _lock(klass)
    if not klass.has_assessment:
        raise ValidationError("本班没有结业考核。")
    if not klass.is_active:
        raise ValidationError("培训班已结业或已取消，成绩不能再修改。")
    changed = 0
    rows = {n.pk: n for n in klass.nominations.filter(pk__in=list(scores), state=NominationState.ACCEPTED)}
    for pk, score in scores.items():
        nomination = rows.get(pk)
        if nomination is None:
            continue
        value = Decimal(str(score)) if score is not None else None
        if value is not None and not (value.is_finite() and Decimal("0") <= value <= Decimal("100")):
            raise ValidationError({"scores": "成绩须在 0–100 之间。"})
        if nomination.score != score:
            nomination.score = score
            nomination.save(update_fields=["score"])
            changed += 1
    if changed:
        audit(actor=by, action="登记考核成绩", obj=klass, note=f"{changed} 人")
    return changed


def attended_hours(klass: TrainingClass) -> dict[int, Decimal]:
    """{nomination id: hours of the sessions attended} for the accepted participants (one query)."""
    rows = (Attendance.objects.filter(session__klass=klass, nomination__state=NominationState.ACCEPTED)
            .values("nomination_id").annotate(hours=Sum("session__hours")))
    return {r["nomination_id"]: r["hours"] or Decimal("0") for r in rows}


def completes(klass: TrainingClass, nomination: Nomination, hours: Decimal, total: Decimal) -> bool:
    """Completion: attended hours ≥ the threshold share of the class's hours, and the assessment passed."""
    if total <= 0 or hours * 100 < total * klass.threshold:
        return False
    return not klass.has_assessment or (nomination.score is not None and nomination.score >= (klass.pass_mark or 0))


@transaction.atomic
def class_complete(*, klass: TrainingClass, by, date: datetime.date | None = None) -> list[Nomination]:
    """Complete a class once it has ended: each accepted participant who attended enough (and passed the
    assessment) completes — the class's hours into their record and a certificate; one ledger entry per sending
    museum other than the host (people trained, days). Returns the completers."""
    require(by, "training.manage_class", klass)
    klass = _lock(klass)
    today = timezone.localdate()
    date = date or today
    if klass.end > today:
        raise ValidationError("培训班结束后才能结业。")
    if date < klass.end or date > today:
        raise ValidationError({"date": "结业日期须在培训班结束之后、不晚于今天。"})
    total = total_hours(klass)
    if total <= 0:
        raise ValidationError("培训班还没有课程安排（学时），不能结业。")
    if klass.host_id is None:
        raise ValidationError("请先在“编辑”中指定承办馆：结业时各选派馆的台账记录以承办馆为帮扶方。")
    transition(klass, to=ClassStatus.COMPLETED, by=by, set={"completed_on": date})
    hours = attended_hours(klass)
    url = reverse("training:class", args=[klass.pk])
    completers, by_museum = [], {}
    for nomination in klass.nominations.filter(state=NominationState.ACCEPTED).select_related("person",
                                                                                             "person__museum"):
        nomination.attended_hours = hours.get(nomination.pk, Decimal("0"))
        nomination.completed = completes(klass, nomination, nomination.attended_hours, total)
        nomination.save(update_fields=["attended_hours", "completed"])
        by_museum.setdefault(nomination.museum_id, 0)
        if not nomination.completed:
            continue
        completers.append(nomination)
        by_museum[nomination.museum_id] += 1
        hours_record(person=nomination.person, source_type=SOURCE, source_id=klass.pk, source_label=SOURCE_LABEL,
                     title=klass.title, hours=total, date=date, url=url)
        certificate_issue(by=by, person=nomination.person, kind="class", source_type=SOURCE, source_id=klass.pk,
                          title=klass.title, issued_on=date, hours=total, start=klass.start, end=klass.end,
                          issuer=klass.organiser_name if klass.organiser_museum_id else "山西省博物馆协会")
        notify(user=nomination.person, key=f"training-completed-{nomination.pk}", url=url,
               title=f"您已完成培训班「{klass.title}」", body=f"计 {total} 学时，结业证书可在“我的培训”中下载。")
    museums = Museum.objects.in_bulk(list(by_museum))
    for museum_id, count in by_museum.items():
        result = ClassMuseum.objects.create(klass=klass, museum_id=museum_id, completers=count)
        if count and museum_id != klass.host_id:
            pairing = Pairing.objects.open().filter(helper_id=klass.host_id, helped_id=museum_id,
                                                    start_date__lte=klass.end).first()
            ledger_record(by=by, helper=klass.host, helped=museums[museum_id], area=Area.PEOPLE, kind="培训班",
                          date=klass.end, pairing=pairing, source_type=LEDGER_SOURCE, source_id=result.pk,
                          source_label=f"培训班：{klass.title}"[:200], people_trained=count, days=klass.days,
                          description=f"{klass.organiser_name}主办、{klass.host.display_name}承办的培训班"
                                      f"「{klass.title}」，{museums[museum_id].display_name} {count} 人结业。")
    audit(actor=by, action="结业情况", obj=klass, note=f"结业 {len(completers)} 人")
    return completers


# --- feedback ---------------------------------------------------------------------------------------------------


@transaction.atomic
def feedback_give(*, klass: TrainingClass, by, content: int, teachers: int, organisation: int,
                  comment: str = "") -> Feedback:
    """A participant rates a completed class, once."""
    if klass.status != ClassStatus.COMPLETED:
        raise ValidationError("培训班结业后才能评价。")
    if not klass.nominations.filter(person=by, state=NominationState.ACCEPTED).exists():
        raise PermissionDenied("只有本班学员可以评价。")
    errors = {name: "请打 1–5 分。" for name, value in
              (("content", content), ("teachers", teachers), ("organisation", organisation))
              if not isinstance(value, int) or not (1 <= value <= 5)}
    if errors:
        raise ValidationError(errors)
    if Feedback.objects.filter(klass=klass, person=by).exists():
        raise ValidationError("您已经评价过这个培训班。")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(klass=klass, person=by, content=content, teachers=teachers,
                                               organisation=organisation, comment=comment.strip()[:1000])
    except IntegrityError:
        raise ValidationError("您已经评价过这个培训班。") from None
    return feedback


def staff_of(museum: Museum):
    """The active staff of a museum that its admin may nominate."""
    return User.objects.of_museum(museum).filter(is_active=True).order_by("full_name", "username")
