"""The writes of 专家巡讲: forming and changing a tour, its status, planning its stops, recording a stop (attendance,
staff present, notes; marking it done writes one ledger entry and the staff's 学时), photos."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User, system_user
from bangfu.core.attachments import attachment_add
from bangfu.core.audit import audit
from bangfu.core.dates import cn_date
from bangfu.core.models import AttachmentKind
from bangfu.core.workflow import transition
from bangfu.learning.services import hours_record
from bangfu.ledger.selectors import default_pairing
from bangfu.ledger.services import ledger_record
from bangfu.museums.models import Museum
from bangfu.notifications.services import notify
from bangfu.parties import acting_side
from bangfu.permissions import require

from .models import MAX_ATTENDANCE, Audience, LectureStop, LectureTour, StopStatus, TourStatus

STOP_SOURCE = "tours.stop"
HOURS_LABEL = "专家巡讲"


def _team_errors(*, leader, experts) -> dict[str, str]:
    errors = {}
    if not experts:
        errors["experts"] = "请至少选择一位巡讲专家。"
    elif leader is not None and leader not in experts:
        errors["leader"] = "团长须是巡讲团成员。"
    return errors


def _period_errors(start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    if start and end and end < start:
        return {"end": "结束日期不能早于开始日期。"}
    return {}


@transaction.atomic
def tour_create(*, by, title: str, lead_museum: Museum, start: datetime.date, end: datetime.date, experts,
                leader=None, area: str = "people", theme: str = "", description: str = "") -> LectureTour:
    """The association forms a lecture team and announces its tour (stops are planned afterwards)."""
    require(by, "tours.manage_tours")
    experts = list(experts)
    errors = _team_errors(leader=leader, experts=experts) | _period_errors(start, end)
    if errors:
        raise ValidationError(errors)
    tour = LectureTour(title=title.strip(), lead_museum=lead_museum, start=start, end=end, leader=leader,
                       area=area, theme=theme.strip(), description=description.strip(),
                       created_by=by if getattr(by, "pk", None) else None)
    tour.full_clean()
    if tour.created_by is not None:
        User.objects.select_for_update().filter(pk=by.pk).exists()  # the same form sent twice at once: one waits
    again = (LectureTour.objects.filter(title=tour.title, lead_museum=lead_museum, start=start, end=end)
             .exclude(status=TourStatus.CANCELLED).first())
    if again is not None:  # sent again (a double click, a retried POST): the tour already formed
        return again
    tour.save()
    tour.experts.set(experts)
    audit(actor=by, action="组建巡讲团", obj=tour)
    return tour


@transaction.atomic
def tour_update(*, tour: LectureTour, by, title: str, lead_museum: Museum, start: datetime.date,
                end: datetime.date, experts, leader=None, area: str = "people", theme: str = "",
                description: str = "") -> LectureTour:
    """Change a tour that is not over: its team may not drop an expert who teaches at a stop still to come."""
    require(by, "tours.manage_tours", tour)
    tour = LectureTour.objects.select_for_update().get(pk=tour.pk)
    if not tour.is_open:
        raise ValidationError(f"巡讲{tour.get_status_display()}，不能再修改。")
    experts = list(experts)
    errors = _team_errors(leader=leader, experts=experts) | _period_errors(start, end)
    teaching = {e for stop in tour.stops.filter(status=StopStatus.PLANNED).prefetch_related("teachers")
                for e in stop.teachers.all()}
    dropped = sorted(e.name for e in teaching - set(experts))
    if dropped and "experts" not in errors:
        errors["experts"] = f"{'、'.join(dropped)}仍是待开展站点的主讲专家，请先调整站点。"
    done_elsewhere = tour.stops.exclude(status=StopStatus.CANCELLED).exclude(date__range=(start, end)).exists()
    if done_elsewhere and not errors.keys() & {"end"}:
        errors["start"] = "已有站点在这一期间之外，请先调整站点日期。"
    if tour.stops.filter(status=StopStatus.DONE).exists() and lead_museum.pk != tour.lead_museum_id:
        errors["lead_museum"] = "已有站点记入帮扶台账，不能更换牵头单位。"
    if errors:
        raise ValidationError(errors)
    tour.title, tour.lead_museum, tour.start, tour.end = title.strip(), lead_museum, start, end
    tour.leader, tour.area, tour.theme, tour.description = leader, area, theme.strip(), description.strip()
    tour.full_clean()
    tour.save()
    tour.experts.set(experts)
    tour.stops.filter(status=StopStatus.PLANNED).update(helper=lead_museum)
    audit(actor=by, action="修改巡讲", obj=tour)
    return tour


@transaction.atomic
def tour_move(*, tour: LectureTour, by, to: str, reason: str = "") -> LectureTour:
    """Start, finish or cancel a tour (cancelling also cancels its stops still to come)."""
    require(by, "tours.manage_tours", tour)
    if to == TourStatus.FINISHED and tour.stops.filter(status=StopStatus.PLANNED).exists():
        raise ValidationError("还有待开展的站点：请先完成或取消这些站点，再结束巡讲。")
    transition(tour, to=to, by=by, reason=reason)
    if to == TourStatus.CANCELLED:
        for stop in tour.stops.filter(status=StopStatus.PLANNED):
            transition(stop, to=StopStatus.CANCELLED, by=by, reason=reason)
    return tour


def _stop_errors(*, tour: LectureTour, museum: Museum | None, date: datetime.date | None, teachers,
                 expected, hours) -> dict[str, str]:
    errors = {}
    if museum is not None and museum.pk == tour.lead_museum_id:
        errors["museum"] = "站点不能是巡讲的牵头单位本身。"
    if date is not None and not (tour.start <= date <= tour.end):
        errors["date"] = f"日期须在巡讲期间内（{cn_date(tour.start)}至{cn_date(tour.end)}）。"
    team = set(tour.experts.all())
    if not teachers:
        errors["teachers"] = "请至少选择一位主讲专家。"
    elif not set(teachers) <= team:
        errors["teachers"] = "主讲专家须是巡讲团成员。"
    if expected is not None and not (0 <= int(expected) <= MAX_ATTENDANCE):
        errors["expected"] = f"预计人数须在 0–{MAX_ATTENDANCE} 之间。"
    if hours is not None and not (Decimal("0.5") <= Decimal(str(hours)) <= Decimal("24")):
        errors["hours"] = "学时须在 0.5–24 之间。"
    return errors


@transaction.atomic
def stop_add(*, tour: LectureTour, by, museum: Museum, date: datetime.date, topic: str, teachers,
             audience: str = Audience.STAFF, expected: int = 0, hours=Decimal("3")) -> LectureStop:
    """Add a stop to the route of a tour not over yet; the stop museum's admins hear of it."""
    require(by, "tours.manage_tours", tour)
    tour = LectureTour.objects.select_for_update().get(pk=tour.pk)
    if not tour.is_open:
        raise ValidationError(f"巡讲{tour.get_status_display()}，不能再增加站点。")
    teachers = list(teachers)
    errors = _stop_errors(tour=tour, museum=museum, date=date, teachers=teachers, expected=expected, hours=hours)
    if errors:
        raise ValidationError(errors)
    stop = LectureStop(tour=tour, museum=museum, helper=tour.lead_museum, date=date, topic=topic.strip(),
                    audience=audience, expected=expected or 0, hours=hours)
    stop.full_clean()
    stop.save()
    stop.teachers.set(teachers)
    audit(actor=by, action="规划巡讲站点", obj=stop)
    url = reverse("tours:stop", args=[stop.pk])
    for user in User.objects.of_museum(museum).filter(is_active=True, role="museum_admin"):
        transaction.on_commit(lambda user=user: notify(
            user=user, key=f"tours-stop-planned-{stop.pk}", url=url,
            title=f"专家巡讲「{tour.title}」将于{cn_date(date)}到贵馆",
            body=f"讲题：{stop.topic}。如需调整日期，请与省博物馆协会联系。"))
    return stop


@transaction.atomic
def stop_update(*, stop: LectureStop, by, museum: Museum, date: datetime.date, topic: str, teachers,
                audience: str = Audience.STAFF, expected: int = 0, hours=Decimal("3")) -> LectureStop:
    require(by, "tours.manage_tours", stop.tour)
    stop = LectureStop.objects.select_for_update(of=("self",)).select_related("tour").get(pk=stop.pk)
    if stop.status != StopStatus.PLANNED:
        raise ValidationError(f"本站{stop.get_status_display()}，不能再修改。")
    teachers = list(teachers)
    errors = _stop_errors(tour=stop.tour, museum=museum, date=date, teachers=teachers, expected=expected,
                          hours=hours)
    if errors:
        raise ValidationError(errors)
    if (museum.pk, date) != (stop.museum_id, stop.date):
        stop.confirmed_at = None  # another museum or day: to be confirmed again
    stop.museum, stop.date, stop.topic, stop.audience = museum, date, topic.strip(), audience
    stop.expected, stop.hours = expected or 0, hours
    stop.full_clean()
    stop.save()
    stop.teachers.set(teachers)
    audit(actor=by, action="修改巡讲站点", obj=stop)
    return stop


def _planned_for_answer(stop: LectureStop, by) -> LectureStop:
    require(by, "tours.answer_stop", stop)
    stop = LectureStop.objects.select_for_update(of=("self",)).select_related("tour", "museum").get(pk=stop.pk)
    if stop.status != StopStatus.PLANNED or not stop.tour.is_open:
        raise ValidationError(f"本站{stop.get_status_display()}，无需答复。")
    return stop


@transaction.atomic
def stop_confirm(*, stop: LectureStop, by) -> LectureStop:
    """The stop museum's admin confirms it will host the stop on its date."""
    stop = _planned_for_answer(stop, by)
    stop.confirmed_at = timezone.now()
    stop.save(update_fields=["confirmed_at", "updated_at"])
    audit(actor=by, action="确认接待巡讲", obj=stop)
    return stop


@transaction.atomic
def stop_ask_to_move(*, stop: LectureStop, by, note: str) -> LectureStop:
    """The stop museum's admin asks the association to move the stop (another date): the association's admins
    hear of it, with the reason; the association changes the stop (and it is confirmed again)."""
    stop = _planned_for_answer(stop, by)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请说明希望调整到什么时间及原因。"})
    stop.confirmed_at = None
    stop.save(update_fields=["confirmed_at", "updated_at"])
    audit(actor=by, action="申请调整巡讲站点", obj=stop, note=note[:300])
    url = reverse("tours:stop", args=[stop.pk])
    for admin in User.objects.filter(role="association_admin", is_active=True):
        transaction.on_commit(lambda admin=admin: notify(
            user=admin, key=f"tours-stop-move-{stop.pk}-{timezone.now():%Y%m%d%H%M%S}", url=url, email=True,
            title=f"{stop.museum.name}申请调整巡讲站点（{cn_date(stop.date)}）", body=note[:300]))
    return stop


@transaction.atomic
def stop_cancel(*, stop: LectureStop, by, reason: str) -> LectureStop:
    require(by, "tours.manage_tours", stop.tour)
    transition(stop, to=StopStatus.CANCELLED, by=by, reason=reason)
    return stop


@transaction.atomic
def stop_record(*, stop: LectureStop, by, attendance: int, notes: str = "", attendees=(), done: bool = True,
                on: datetime.date | None = None) -> LectureStop:
    """Record what happened at a stop: how many attended, which of the museum's staff were present (by their
    accounts), notes. With `done` the stop is marked done: ONE ledger entry (the lead museum helped the stop
    museum; people trained = attendance, 1 day) and the stop's 学时 for every staff member present. A stop is
    recorded once: the ledger keeps what was counted."""
    require(by, "tours.record_stop", stop)
    stop = LectureStop.objects.select_for_update(of=("self",)).with_places().get(pk=stop.pk)
    if stop.status != StopStatus.PLANNED:
        raise ValidationError(f"本站{stop.get_status_display()}，不能再登记。")
    if not stop.tour.is_open:
        raise ValidationError(f"巡讲{stop.tour.get_status_display()}，不能再登记。")
    attendees = list(attendees)
    errors = {}
    if attendance is None or not (1 <= int(attendance) <= MAX_ATTENDANCE):
        errors["attendance"] = f"实到人数须在 1–{MAX_ATTENDANCE} 之间。"
    elif len(attendees) > int(attendance):
        errors["attendees"] = f"到场馆员（{len(attendees)} 人）不能多于实到人数（{attendance} 人）。"
    if any(u.museum_id != stop.museum_id or not u.is_active for u in attendees):
        errors["attendees"] = "到场馆员须是本站博物馆的在职账号。"
    today = timezone.localdate()
    if done and stop.date > today:
        errors["attendance"] = errors.get("attendance") or f"本站日期为{cn_date(stop.date)}，开展之后才能标记完成。"
    if errors:
        raise ValidationError(errors)
    stop.attendance, stop.notes = int(attendance), (notes or "").strip()
    stop.save(update_fields=["attendance", "notes", "updated_at"])
    stop.attendees.set(attendees)
    if not done:
        audit(actor=by, action="登记巡讲出勤", obj=stop)
        return stop
    if stop.tour.status == TourStatus.PLANNED:
        transition(stop.tour, to=TourStatus.UNDERWAY, by=by, note="首站完成")
    transition(stop, to=StopStatus.DONE, by=by, set={"done_at": timezone.now()},
               note=f"实到 {stop.attendance} 人")
    helper, helped = stop.tour.lead_museum, stop.museum
    pairing = default_pairing(helper=helper, helped=helped)
    if pairing is not None and pairing.start_date > stop.date:
        pairing = None
    writer = by if acting_side(by, {"helper": helper, "helped": helped}) else system_user()
    description = f"专家巡讲「{stop.tour.title}」{helped.name}站：{stop.topic}（实到 {stop.attendance} 人）"
    ledger_record(by=writer, helper=helper, helped=helped, pairing=pairing, area="people", kind="专家巡讲",
                  date=stop.date, people_trained=stop.attendance, days=1, source_type=STOP_SOURCE,
                  source_id=stop.pk, source_label="巡讲站点", description=description[:500])
    url = reverse("tours:stop", args=[stop.pk])
    for person in attendees:
        hours_record(person=person, source_type=STOP_SOURCE, source_id=stop.pk, source_label=HOURS_LABEL,
                     title=f"{stop.tour.title}：{stop.topic}", hours=stop.hours, date=stop.date, url=url)
    return stop


@transaction.atomic
def stop_photo_add(*, stop: LectureStop, by, file=None, link: str = "", caption: str = ""):
    """A photo (or a file, a link) of a stop, by its museums, its teachers or the association."""
    require(by, "tours.change_stop", stop)
    return attachment_add(owner=stop, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.PHOTO
                          if file else AttachmentKind.OTHER)
