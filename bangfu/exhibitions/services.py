"""Writes of exhibitions: touring exhibitions and their stops, co-curation projects and their guidance.

Every function checks its permission itself (`require`), runs in one transaction, audits (status moves through
`core.workflow.transition`) and notifies the other side after commit. A tour's calendar is held under a row lock
on the exhibition: a request and an acceptance read the held stops only once they hold it, so two simultaneous
requests for overlapping dates queue and the second is refused."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import system_user
from bangfu.accounts.notices import tell_museum
from bangfu.core.attachments import attachment_add
from bangfu.core.audit import audit, diff, snapshot
from bangfu.core.dates import cn_date
from bangfu.core.models import AttachmentKind
from bangfu.core.workflow import transition
from bangfu.ledger.selectors import default_pairing, entry_for
from bangfu.ledger.services import ledger_correct, ledger_record
from bangfu.parties import acting_side, acts_for_association, works_at_museum
from bangfu.permissions import require

from .models import (
    STAGE_ORDER,
    CurationProject,
    Guidance,
    ProjectStatus,
    Stage,
    StageRecord,
    StopStatus,
    TouringExhibition,
    TouringStatus,
    TourStop,
    TourWindow,
)

STOP_SOURCE = "exhibitions.stop"  # declared in module.py (LedgerSource)
PROJECT_SOURCE = "exhibitions.project"
MAX_WINDOW_DAYS = 3 * 366  # a free window longer than three years is a typing mistake
MAX_STOP_DAYS = 3 * 366
MAX_WINDOWS = 50
MAX_YEARS_AHEAD = 10  # a window or a stop more than ten years ahead is a typing mistake (and 9999 would overflow)
MAX_PHOTOS = 12
TOURING_FIELDS = ["title", "theme", "description", "item_list", "floor_area", "wall_length", "crates", "climate",
                  "security", "cost_terms", "setup_days", "transit_days", "min_days"]
PROJECT_FIELDS = ["title", "description", "venue", "planned_opening"]


# --- who hears ------------------------------------------------------------------------------------------------




def _stop_url(stop: TourStop) -> str:
    return reverse("exhibitions:stop", args=[stop.pk])


def _project_url(project: CurationProject) -> str:
    return reverse("exhibitions:project", args=[project.pk])


def _span(start: datetime.date, end: datetime.date) -> str:
    return f"{cn_date(start)}—{cn_date(end)}"


# --- touring exhibitions --------------------------------------------------------------------------------------


def _latest_date() -> datetime.date:
    """The latest date a window or a stop may reach: ten years from today."""
    today = timezone.localdate()
    return today.replace(year=today.year + MAX_YEARS_AHEAD, day=min(today.day, 28))


def _too_far(day: datetime.date) -> bool:
    return day > _latest_date()


def _window_errors(start, end) -> str:
    if start is None or end is None:
        return "请填写档期的起止日期。"
    if end < start:
        return "档期的结束日期不能早于开始日期。"
    if _too_far(end):
        return f"档期不能晚于{cn_date(_latest_date())}（今后 {MAX_YEARS_AHEAD} 年之内），请检查年份。"
    if (end - start).days > MAX_WINDOW_DAYS:
        return "一个档期最长三年，请检查年份。"
    return ""


def _set_items(exhibition: TouringExhibition, items) -> None:
    """The exhibition's objects: the owner museum's own, still in its collection."""
    from bangfu.objects.models import CollectionObject

    ids = sorted({getattr(i, "pk", i) for i in items})
    found = list(CollectionObject.objects.filter(pk__in=ids, museum_id=exhibition.museum_id, is_active=True))
    if len(found) != len(ids):
        raise ValidationError({"items": "展品只能从本馆在册的藏品中选择。"})
    exhibition.items.set(found)


def _check_windows(windows) -> list[tuple[datetime.date, datetime.date]]:
    pairs = [(w[0], w[1]) for w in windows]
    if len(pairs) > MAX_WINDOWS:
        raise ValidationError({"windows": f"可预约档期最多 {MAX_WINDOWS} 段。"})
    for start, end in pairs:
        if message := _window_errors(start, end):
            raise ValidationError({"windows": message})
    return pairs


@transaction.atomic
def touring_create(*, museum, by, windows=(), items=(), publish: bool = False, **values) -> TouringExhibition:
    """A touring exhibition of `museum` (its staff), with its free windows [(start, end)] and objects, as a draft
    or published at once."""
    if not acts_for_association(by) and not (works_at_museum(by) and by.museum_id == museum.pk):
        require(by, "exhibitions.add_touring")
        raise PermissionDenied("只能为本馆发布巡展。")
    unknown = set(values) - set(TOURING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    exhibition = TouringExhibition(museum=museum, created_by=by if getattr(by, "pk", None) else None, **values)
    exhibition.full_clean(exclude=["created_by", "items"])
    pairs = _check_windows(windows)
    exhibition.save()
    TourWindow.objects.bulk_create([TourWindow(exhibition=exhibition, start=s, end=e) for s, e in pairs])
    _set_items(exhibition, items)
    audit(actor=by, action="创建巡展", obj=exhibition, note=exhibition.title)
    if publish:
        touring_publish(exhibition=exhibition, by=by)
    return exhibition


def _locked_exhibition(exhibition: TouringExhibition) -> TouringExhibition:
    """The exhibition read afresh under a row lock: its calendar's requests and decisions queue here."""
    return TouringExhibition.objects.select_for_update(of=("self",)).select_related("museum").get(pk=exhibition.pk)


@transaction.atomic
def touring_update(*, exhibition: TouringExhibition, by, items=None, **values) -> TouringExhibition:
    """Change what the owner says about the exhibition (and its objects when `items` is given). Set-up and transit
    days are not changed under held stops: their held dates were checked with the old ones."""
    require(by, "exhibitions.change_touring", exhibition)
    exhibition = _locked_exhibition(exhibition)
    unknown = set(values) - set(TOURING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(exhibition, TOURING_FIELDS)
    for key, value in values.items():
        setattr(exhibition, key, value)
    exhibition.full_clean(exclude=["created_by", "items"])
    held = exhibition.stops.held()
    for name in ("setup_days", "transit_days"):
        if name in values and values[name] != before[name] and held.exists():
            raise ValidationError({name: "已有预约的站点按原来的布展和撤展运输天数占用档期，不能再修改。"})
    exhibition.save()
    if items is not None:
        _set_items(exhibition, items)
    changes = diff(before, snapshot(exhibition, TOURING_FIELDS))
    audit(actor=by, action="修改巡展", obj=exhibition, changes=changes or None)
    return exhibition


@transaction.atomic
def touring_publish(*, exhibition: TouringExhibition, by) -> TouringExhibition:
    """Offer the exhibition on the marketplace: it needs at least one free window."""
    require(by, "exhibitions.change_touring", exhibition)
    if not exhibition.windows.exists():
        raise ValidationError({"windows": "请至少添加一个可预约档期后再发布。"})
    transition(exhibition, to=TouringStatus.PUBLISHED, by=by, name="publish")
    return exhibition


@transaction.atomic
def touring_withdraw(*, exhibition: TouringExhibition, by, reason: str) -> TouringExhibition:
    """Take the exhibition off the marketplace (no new requests); stops already booked stay as they are."""
    require(by, "exhibitions.change_touring", exhibition)
    transition(exhibition, to=TouringStatus.WITHDRAWN, by=by, name="withdraw", reason=reason)
    return exhibition


@transaction.atomic
def window_add(*, exhibition: TouringExhibition, by, start: datetime.date, end: datetime.date) -> TourWindow:
    require(by, "exhibitions.change_touring", exhibition)
    exhibition = _locked_exhibition(exhibition)
    if message := _window_errors(start, end):
        raise ValidationError({"start": message})
    if end < timezone.localdate():
        raise ValidationError({"end": "档期已经过去，请填写今后的日期。"})
    overlapping = exhibition.windows.filter(start__lte=end, end__gte=start).first()
    if overlapping is not None:
        span = _span(overlapping.start, overlapping.end)
        raise ValidationError({"start": f"与已有的档期{span}重叠，请修改那一段或另选日期。"})
    if exhibition.windows.count() >= MAX_WINDOWS:
        raise ValidationError({"start": f"可预约档期最多 {MAX_WINDOWS} 段。"})
    window = TourWindow.objects.create(exhibition=exhibition, start=start, end=end)
    audit(actor=by, action="添加可预约档期", obj=exhibition, note=_span(start, end))
    return window


@transaction.atomic
def window_remove(*, window: TourWindow, by) -> None:
    """Remove a free window. Stops booked inside it stay booked (the window said where new requests may go)."""
    require(by, "exhibitions.change_touring", window.exhibition)
    exhibition = _locked_exhibition(window.exhibition)
    audit(actor=by, action="删除可预约档期", obj=exhibition, note=_span(window.start, window.end))
    window.delete()


@transaction.atomic
def touring_photo_add(*, exhibition: TouringExhibition, by, file=None, link: str = "", caption: str = ""):
    require(by, "exhibitions.change_touring", exhibition)
    if exhibition.attachments.count() >= MAX_PHOTOS:
        raise ValidationError({"file": f"每个巡展最多 {MAX_PHOTOS} 张照片或文件。"})
    kind = AttachmentKind.PHOTO if file is not None and str(getattr(file, "name", "")).lower().endswith(
        (".jpg", ".jpeg", ".png", ".webp")) else AttachmentKind.DOCUMENT
    return attachment_add(owner=exhibition, by=by, file=file, link=link, caption=caption, kind=kind)


# --- the tour calendar ------------------------------------------------------------------------------------------


def held_dates(exhibition: TouringExhibition, start: datetime.date, end: datetime.date):
    """The dates a stop from `start` to `end` holds the exhibition: set-up before, dismantling and transit after.
    A ValidationError beside the date when that leaves the calendar (before year 1 or after 9999)."""
    try:
        held_from = start - datetime.timedelta(days=exhibition.setup_days)
    except OverflowError:
        raise ValidationError({"start": "开展日期连同布展天数早于公元 1 年，请检查年份。"}) from None
    try:
        held_until = end + datetime.timedelta(days=exhibition.transit_days)
    except OverflowError:
        raise ValidationError({"end": "闭展日期连同撤展运输天数超出日历范围，请检查年份。"}) from None
    return held_from, held_until


def calendar_errors(exhibition: TouringExhibition, start, end, *, exclude: int | None = None,
                    today: datetime.date | None = None) -> dict[str, str]:
    """{field: message} of what is wrong with a stop from `start` to `end` on the exhibition's calendar ({} when
    nothing is): the order of the dates, the minimum run, inside a free window, no overlap of its held dates with
    another held stop's (naming that stop's venue and dates). The caller holds the exhibition's row lock."""
    if start is None or end is None:
        return {"start": "请填写开展和闭展日期。"}
    if end < start:
        return {"end": "闭展日期不能早于开展日期。"}
    if today is not None and start < today:
        return {"start": "开展日期不能早于今天。"}
    if _too_far(end):
        return {"end": f"闭展日期不能晚于{cn_date(_latest_date())}（今后 {MAX_YEARS_AHEAD} 年之内），请检查年份。"}
    days = (end - start).days + 1
    if days > MAX_STOP_DAYS:
        return {"end": "展期最长三年，请检查年份。"}
    if days < exhibition.min_days:
        return {"end": f"展期 {days} 天，短于本展览的最短展期 {exhibition.min_days} 天。"}
    windows = list(exhibition.windows.all())
    if not any(w.start <= start and end <= w.end for w in windows):
        free = "；".join(_span(w.start, w.end) for w in windows) or "暂无"
        return {"start": f"展期须在一个可预约档期之内。可预约档期：{free}。"}
    try:
        held_from, held_until = held_dates(exhibition, start, end)
    except ValidationError as exc:
        return {field: messages[0] for field, messages in exc.message_dict.items()}
    clash = (exhibition.stops.held().filter(held_from__lte=held_until, held_until__gte=held_from)
             .exclude(pk=exclude).select_related("venue").order_by("held_from").first())
    if clash is not None:
        return {"start": (
            f"与{clash.venue.name}的档期冲突：该站{_span(clash.start, clash.end)}展出"
            f"（{clash.get_status_display()}），连同布展和撤展运输占用{_span(clash.held_from, clash.held_until)}。"
            f"本次申请连同布展 {exhibition.setup_days} 天、撤展运输 {exhibition.transit_days} 天需占用"
            f"{_span(held_from, held_until)}，请另选日期。")}
    return {}


def _require_request(by, exhibition: TouringExhibition, venue) -> None:
    """Another museum's staff request for their own museum; the association arranges a stop for any venue but the
    owner (a tour it coordinates)."""
    if acts_for_association(by):
        if exhibition.status != TouringStatus.PUBLISHED or venue.pk == exhibition.museum_id:
            raise PermissionDenied("只能为出展馆以外的博物馆预约已发布的巡展。")
        return
    require(by, "exhibitions.request_stop", exhibition)
    if venue.pk != by.museum_id:
        raise PermissionDenied("只能以本馆名义申请接展。")


@transaction.atomic
def stop_request(*, exhibition: TouringExhibition, venue, by, start: datetime.date, end: datetime.date,
                 note: str = "", today: datetime.date | None = None) -> TourStop:
    """A venue museum asks for a stop. Refused (ValidationError naming the stop it collides with) when the held
    dates — set-up before, dismantling and transit after — overlap a held stop, also under two simultaneous
    requests (row lock on the exhibition); outside every free window; shorter than the minimum run; starting
    before today (`today`: the demo's date)."""
    _require_request(by, exhibition, venue)
    exhibition = _locked_exhibition(exhibition)
    _require_request(by, exhibition, venue)  # the status read afresh (withdrawn meanwhile)
    errors = calendar_errors(exhibition, start, end, today=today or timezone.localdate())
    stop = TourStop(exhibition=exhibition, owner_id=exhibition.museum_id, venue=venue, start=start, end=end,
                    note=(note or "").strip(), requested_by=by)
    if not errors:
        stop.held_from, stop.held_until = held_dates(exhibition, start, end)
        try:
            stop.full_clean(exclude=["exhibition", "owner", "venue", "requested_by"])
        except ValidationError as exc:
            errors = exc.message_dict
    if errors:
        raise ValidationError(errors)
    stop.save()
    audit(actor=by, action="申请接展", obj=stop, note=_span(start, end))
    tell_museum(exhibition.museum_id, key=f"exhibitions-stop-{stop.pk}", url=_stop_url(stop),
                title=f"{venue.name}申请接展「{exhibition.title}」：{_span(start, end)}", body=stop.note[:200])
    if acts_for_association(by):  # arranged by the association: the venue hears too
        tell_museum(venue.pk, key=f"exhibitions-stop-arranged-{stop.pk}", url=_stop_url(stop),
                    title=f"协会为本馆预约了巡展「{exhibition.title}」：{_span(start, end)}", body=stop.note[:200])
    return stop


def _locked_stop(stop: TourStop) -> tuple[TouringExhibition, TourStop]:
    exhibition = _locked_exhibition(stop.exhibition)
    return exhibition, TourStop.objects.select_related("venue", "owner").get(pk=stop.pk)


@transaction.atomic
def stop_accept(*, stop: TourStop, by) -> TourStop:
    """The owner confirms the dates: checked again against the calendar under the exhibition's lock."""
    require(by, "exhibitions.decide_stop", stop)
    exhibition, stop = _locked_stop(stop)
    TourStop.workflow.require_source(stop, to=StopStatus.ACCEPTED)
    errors = calendar_errors(exhibition, stop.start, stop.end, exclude=stop.pk)
    if errors:
        raise ValidationError(" ".join(errors.values()))
    transition(stop, to=StopStatus.ACCEPTED, by=by, name="accept")
    tell_museum(stop.venue_id, key=f"exhibitions-stop-accepted-{stop.pk}", url=_stop_url(stop),
                title=f"{exhibition.museum.name}确认了「{exhibition.title}」的接展档期：{_span(stop.start, stop.end)}")
    return stop


@transaction.atomic
def stop_decline(*, stop: TourStop, by, reason: str) -> TourStop:
    """The owner declines a request, with a reason; its dates come free."""
    require(by, "exhibitions.decide_stop", stop)
    exhibition, stop = _locked_stop(stop)
    transition(stop, to=StopStatus.DECLINED, by=by, name="decline", reason=reason)
    tell_museum(stop.venue_id, key=f"exhibitions-stop-declined-{stop.pk}", url=_stop_url(stop), body=reason[:200],
                title=f"{exhibition.museum.name}婉拒了「{exhibition.title}」的接展申请")
    return stop


@transaction.atomic
def stop_withdraw(*, stop: TourStop, by, reason: str) -> TourStop:
    """Either side calls off a requested or accepted stop, with a reason; its dates come free."""
    require(by, "exhibitions.act_stop", stop)
    exhibition, stop = _locked_stop(stop)
    transition(stop, to=StopStatus.WITHDRAWN, by=by, name="withdraw", reason=reason)
    side = acting_side(by, stop)
    other = stop.venue_id if side == "owner" else stop.owner_id
    tell_museum(other, key=f"exhibitions-stop-withdrawn-{stop.pk}", url=_stop_url(stop), body=reason[:200],
                title=f"「{exhibition.title}」在{stop.venue.name}的巡展站点已撤回")
    if side not in ("owner", "venue"):  # the association: both sides hear
        tell_museum(stop.venue_id, key=f"exhibitions-stop-withdrawn-{stop.pk}", url=_stop_url(stop), body=reason[:200],
                    title=f"「{exhibition.title}」在{stop.venue.name}的巡展站点已撤回")
    return stop


@transaction.atomic
def stop_complete(*, stop: TourStop, by, visitors: int, events: int, outcome: str = "",
                  today: datetime.date | None = None) -> TourStop:
    """Record the stop's figures when it ended; one ledger entry (source `exhibitions.stop`, owner helped venue)."""
    require(by, "exhibitions.act_stop", stop)
    exhibition, stop = _locked_stop(stop)
    TourStop.workflow.require_source(stop, to=StopStatus.COMPLETED)
    today = today or timezone.localdate()
    if stop.end > today:
        raise ValidationError({"visitors": f"展期到{cn_date(stop.end)}结束，闭展后才能记录展出结果。"})
    stop.visitors, stop.events, stop.outcome = visitors, events, (outcome or "").strip()
    try:
        stop.full_clean(exclude=["exhibition", "owner", "venue", "requested_by", "held_from", "held_until"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    transition(stop, to=StopStatus.COMPLETED, by=by, name="complete",
               set={"visitors": stop.visitors, "events": stop.events, "outcome": stop.outcome},
               note=f"观众 {stop.visitors} 人次，配套活动 {stop.events} 场")
    pairing = default_pairing(helper=stop.owner, helped=stop.venue)
    if pairing is not None and pairing.start_date > stop.end:
        pairing = None
    writer = by if acting_side(by, {"helper": stop.owner, "helped": stop.venue}) else system_user()
    ledger_record(by=writer, helper=stop.owner, helped=stop.venue, pairing=pairing, area="exhibition",
                  kind="巡展", date=min(stop.end, today), visitors=stop.visitors,
                  object_count=exhibition.items.count(),
                  description=f"巡展「{exhibition.title}」在{stop.venue.name}展出（{_span(stop.start, stop.end)}）",
                  source_type=STOP_SOURCE, source_id=stop.pk, source_label="巡展")
    side = acting_side(by, stop)
    other = stop.venue_id if side == "owner" else stop.owner_id
    tell_museum(other, key=f"exhibitions-stop-completed-{stop.pk}", url=_stop_url(stop),
                title=f"「{exhibition.title}」在{stop.venue.name}展出结束，已记入帮扶台账")
    return stop


@transaction.atomic
def stop_attachment_add(*, stop: TourStop, by, file=None, link: str = "", caption: str = ""):
    """A file of the stop (the agreement, photos of the set-up, the summary), by either side."""
    require(by, "exhibitions.act_stop", stop)
    return attachment_add(owner=stop, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.DOCUMENT)


# --- co-curation --------------------------------------------------------------------------------------------


def _plan_errors(plan: dict, planned_opening: datetime.date | None = None) -> dict[str, str]:
    """The plan's dates in order and within the next ten years (a year 9999 is a typing mistake)."""
    far = f"不能晚于{cn_date(_latest_date())}（今后 {MAX_YEARS_AHEAD} 年之内），请检查年份。"
    if planned_opening and _too_far(planned_opening):
        return {"planned_opening": f"计划开幕日期{far}"}
    for stage, (start, end) in plan.items():
        if stage not in STAGE_ORDER:
            raise ValueError(f"unknown stage {stage}")
        for field, value in ((f"{stage}_start", start), (f"{stage}_end", end)):
            if value and _too_far(value):
                return {field: f"{Stage(stage).label}的计划日期{far}"}
        if start and end and end < start:
            return {f"{stage}_end": f"{Stage(stage).label}的计划完成日期不能早于计划开始日期。"}
    return {}


@transaction.atomic
def project_create(*, museum, helper, by, title: str, plan: dict | None = None, started_on=None,
                   **values) -> CurationProject:
    """A small museum's exhibition project guided by `helper` (normally its pairing partner), created by the
    museum, its helper or the association; the six stages with their planned dates (`plan`: {stage: (start,
    end)}), the first one started.

    Who names whom: the museum's own staff name as helper a museum of the programme's helpers or their open
    pairing's helper; a helper's staff name only a museum they guide under an open pairing (not any museum); the
    association names any two (it arranges guidance outside pairings too)."""
    if museum.pk == helper.pk:
        raise ValidationError({"helper": "指导馆不能是策展馆自己。"})
    pairing = default_pairing(helper=helper, helped=museum)
    if not acts_for_association(by):
        require(by, "exhibitions.add_project")
        if by.museum_id not in (museum.pk, helper.pk):
            raise PermissionDenied("只能为本馆或本馆指导的博物馆创建策展项目。")
        if by.museum_id == helper.pk and pairing is None:
            raise ValidationError({"museum": f"本馆与{museum.name}没有进行中的结对，"
                                             "不能以指导馆身份为其创建策展项目。"})
        if by.museum_id == museum.pk and pairing is None and not helper.is_helper:
            raise ValidationError({"helper": f"{helper.name}不是帮扶馆，也不是本馆的结对帮扶馆，不能担任指导馆。"})
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    plan = plan or {}
    project = CurationProject(museum=museum, helper=helper, title=title, created_by=by if getattr(by, "pk", None)
                              else None, pairing=pairing, **values)
    errors = {}
    try:
        project.full_clean(exclude=["created_by", "pairing"])
    except ValidationError as exc:
        errors = exc.message_dict
    errors |= _plan_errors(plan, project.planned_opening)
    if errors:
        raise ValidationError(errors)
    project.save()
    started_on = started_on or timezone.localdate()
    StageRecord.objects.bulk_create([
        StageRecord(project=project, stage=stage, planned_start=plan.get(stage, (None, None))[0],
                    planned_end=plan.get(stage, (None, None))[1], started_on=started_on if i == 0 else None)
        for i, stage in enumerate(STAGE_ORDER)])
    audit(actor=by, action="创建策展项目", obj=project, note=title)
    side = acting_side(by, project)
    other = project.helper_id if side != "helper" else project.museum_id
    tell_museum(other, key=f"exhibitions-project-{project.pk}", url=_project_url(project),
                title=f"新的联合策展项目：「{project.title}」（{museum.name}，指导馆{helper.name}）")
    return project


@transaction.atomic
def project_plan(*, project: CurationProject, by, plan: dict, **values) -> CurationProject:
    """Change the project's description and its stages' planned dates (either side)."""
    require(by, "exhibitions.change_project", project)
    project = CurationProject.objects.select_for_update().get(pk=project.pk)
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(project, PROJECT_FIELDS)
    for key, value in values.items():
        setattr(project, key, value)
    errors = {}
    try:
        project.full_clean(exclude=["created_by", "pairing"])
    except ValidationError as exc:
        errors = exc.message_dict
    errors |= _plan_errors(plan, project.planned_opening)
    if errors:
        raise ValidationError(errors)
    project.save()
    for record in project.stages.all():
        if record.stage in plan:
            record.planned_start, record.planned_end = plan[record.stage]
            record.save(update_fields=["planned_start", "planned_end"])
    audit(actor=by, action="修改策展计划", obj=project, changes=diff(before, snapshot(project, PROJECT_FIELDS)) or None)
    return project


@transaction.atomic
def guidance_add(*, project: CurationProject, by, stage: str, date: datetime.date, note: str, file=None,
                 link: str = "", caption: str = "") -> Guidance:
    """A note of guidance at a stage (the helper's curators, or the museum recording what it was advised), with a
    file or link if given."""
    require(by, "exhibitions.change_project", project)
    if project.status == ProjectStatus.CANCELLED:
        raise ValidationError("项目已取消，不能再记录指导。")
    errors = {}
    if stage not in STAGE_ORDER:
        errors["stage"] = "请选择阶段。"
    elif STAGE_ORDER.index(stage) > STAGE_ORDER.index(project.stage):
        errors["stage"] = f"项目还在“{project.get_stage_display()}”阶段，不能为以后的阶段记录指导。"
    if date is not None and date > timezone.localdate():
        errors["date"] = "指导日期不能晚于今天。"
    guidance = Guidance(project=project, stage=stage, date=date, note=(note or "").strip(), author=by)
    try:
        guidance.full_clean(exclude=["project", "author", "stage"])
    except ValidationError as exc:
        errors = exc.message_dict | errors
    if errors:
        raise ValidationError(errors)
    guidance.save()
    if file or (link or "").strip():
        attachment_add(owner=guidance, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.DOCUMENT)
    audit(actor=by, action="记录策展指导", obj=project, note=f"{guidance.get_stage_display()}：{guidance.note[:80]}")
    side = acting_side(by, project)
    other = project.museum_id if side == "helper" else project.helper_id
    tell_museum(other, key=f"exhibitions-guidance-{guidance.pk}", url=_project_url(project), body=guidance.note[:200],
                title=f"「{project.title}」{guidance.get_stage_display()}阶段有新的指导记录")
    return guidance


def next_stage(project: CurationProject) -> str | None:
    i = STAGE_ORDER.index(project.stage)
    return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None


def _move_stage(project: CurationProject, *, to: str, on: datetime.date) -> None:
    records = {r.stage: r for r in project.stages.all()}
    current = records.get(project.stage)
    if current is not None:
        if current.started_on and on < current.started_on:
            raise ValidationError({"date": f"日期不能早于本阶段的开始日期{cn_date(current.started_on)}。"})
        current.finished_on = on
        current.save(update_fields=["finished_on"])
    record = records.get(to) or StageRecord.objects.create(project=project, stage=to)
    record.started_on = on
    if to == Stage.CLOSING:
        record.finished_on = on
    record.save(update_fields=["started_on", "finished_on"])
    CurationProject.objects.filter(pk=project.pk).update(stage=to, updated_at=timezone.now())
    project.stage = to


def _date_check(on: datetime.date | None) -> datetime.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"date": "日期不能晚于今天：只记录已经发生的阶段。"})
    return on


@transaction.atomic
def project_advance(*, project: CurationProject, by, on: datetime.date | None = None,
                    visitors: int = 0) -> CurationProject:
    """The museum finishes the current stage on `on` and starts the next: 开幕 opens the exhibition (one ledger
    entry, `project_open`), 撤展 closes it (`project_close`)."""
    require(by, "exhibitions.advance_project", project)
    project = CurationProject.objects.select_for_update().get(pk=project.pk)
    if project.status not in (ProjectStatus.ACTIVE, ProjectStatus.OPEN):
        raise ValidationError(f"项目{project.get_status_display()}，不能再推进。")
    to = next_stage(project)
    if to == Stage.OPENING:
        return project_open(project=project, by=by, opened_on=on, visitors=visitors)
    if to == Stage.CLOSING:
        return project_close(project=project, by=by, closed_on=on, visitors=visitors)
    if to is None or project.status != ProjectStatus.ACTIVE:
        raise ValidationError("项目已到最后阶段。")
    on = _date_check(on)
    before = project.get_stage_display()
    _move_stage(project, to=to, on=on)
    audit(actor=by, action="推进策展阶段", obj=project, changes={"当前阶段": [before, project.get_stage_display()]})
    tell_museum(project.helper_id, key=f"exhibitions-project-stage-{project.pk}-{to}", url=_project_url(project),
                title=f"「{project.title}」进入{project.get_stage_display()}阶段")
    return project


@transaction.atomic
def project_open(*, project: CurationProject, by, opened_on: datetime.date | None = None,
                 visitors: int = 0) -> CurationProject:
    """The exhibition opens (from 施工布展): one ledger entry (source `exhibitions.project`, helper helped the
    museum)."""
    require(by, "exhibitions.advance_project", project)
    project = CurationProject.objects.select_for_update().select_related("museum", "helper").get(pk=project.pk)
    CurationProject.workflow.require_source(project, to=ProjectStatus.OPEN)
    if project.stage != Stage.BUILD:
        raise ValidationError(f"项目还在“{project.get_stage_display()}”阶段，完成施工布展后才能开幕。")
    opened_on = _date_check(opened_on)
    _move_stage(project, to=Stage.OPENING, on=opened_on)
    project.visitors = visitors or 0
    try:
        project.full_clean(exclude=["created_by", "pairing"])
    except ValidationError as exc:
        raise ValidationError({"visitors": exc.message_dict.get("visitors", exc.messages)}) from None
    transition(project, to=ProjectStatus.OPEN, by=by, name="open",
               set={"opened_on": opened_on, "visitors": project.visitors, "stage": Stage.OPENING})
    pairing = project.pairing if project.pairing_id and project.pairing.start_date <= opened_on else None
    writer = by if acting_side(by, {"helper": project.helper, "helped": project.museum}) else system_user()
    ledger_record(by=writer, helper=project.helper, helped=project.museum, pairing=pairing, area="exhibition",
                  kind="策展指导", date=opened_on, visitors=project.visitors,
                  description=f"联合策展「{project.title}」开幕（{project.helper.name}全过程指导）",
                  source_type=PROJECT_SOURCE, source_id=project.pk, source_label="联合策展")
    tell_museum(project.helper_id, key=f"exhibitions-project-open-{project.pk}", url=_project_url(project),
                title=f"「{project.title}」已开幕，已记入帮扶台账")
    return project


def _ledger_visitors(project: CurationProject, visitors: int) -> None:
    """The whole run's visitors, known at 撤展, replace the figure the opening's ledger entry was written with (one
    piece of help, one row: the entry is corrected, by the platform, with the reason)."""
    entry = entry_for(PROJECT_SOURCE, project.pk)
    if entry is None or entry.is_ended or entry.visitors == visitors:
        return
    ledger_correct(entry=entry, by=system_user(), visitors=visitors, reason="撤展时登记全部展期的观众人次")


@transaction.atomic
def project_close(*, project: CurationProject, by, closed_on: datetime.date | None = None,
                  visitors: int | None = None) -> CurationProject:
    """撤展: the exhibition closes and the project is done (its visitors updated when given)."""
    require(by, "exhibitions.advance_project", project)
    project = CurationProject.objects.select_for_update().get(pk=project.pk)
    CurationProject.workflow.require_source(project, to=ProjectStatus.DONE)
    closed_on = _date_check(closed_on)
    if project.opened_on and closed_on < project.opened_on:
        raise ValidationError({"date": f"撤展日期不能早于开幕日期{cn_date(project.opened_on)}。"})
    _move_stage(project, to=Stage.CLOSING, on=closed_on)
    values = {"closed_on": closed_on, "stage": Stage.CLOSING}
    if visitors:
        values["visitors"] = visitors
    transition(project, to=ProjectStatus.DONE, by=by, name="close", set=values)
    if visitors:
        _ledger_visitors(project, visitors)
    tell_museum(project.helper_id, key=f"exhibitions-project-closed-{project.pk}", url=_project_url(project),
                title=f"「{project.title}」已撤展，项目结束")
    return project


@transaction.atomic
def project_cancel(*, project: CurationProject, by, reason: str) -> CurationProject:
    require(by, "exhibitions.advance_project", project)
    transition(project, to=ProjectStatus.CANCELLED, by=by, name="cancel", reason=reason)
    tell_museum(project.helper_id, key=f"exhibitions-project-cancelled-{project.pk}", url=_project_url(project),
                body=reason[:200], title=f"联合策展项目「{project.title}」已取消")
    return project
