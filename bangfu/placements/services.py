"""Writes of placements (跟班学习/挂职锻炼) and guidance visits (短期工作指导).

Every function takes keyword arguments, checks its permission itself (`require`), runs in one transaction, audits
(status moves through `core.workflow.transition`) and notifies after commit. Refusals are ValidationErrors in
Chinese keyed by the form field (and API body field) they concern. A completed placement writes one certificate
(through `bangfu.learning.services`, not for 不合格), its 学时 when the rule credits any, and one ledger entry
(source `placements.placement`); a done visit writes one ledger entry (source `placements.visit`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User, system_user
from bangfu.accounts.notices import tell_museum, tell_user
from bangfu.core.attachments import attachment_add, attachment_new, attachment_store
from bangfu.core.audit import audit
from bangfu.core.dates import cn_date
from bangfu.core.models import Attachment, AttachmentKind
from bangfu.core.workflow import transition
from bangfu.learning.models import Certificate, CertificateKind
from bangfu.learning.services import certificate_issue, hours_record
from bangfu.ledger.selectors import default_pairing
from bangfu.ledger.services import ledger_record
from bangfu.parties import MUSEUM_ROLES, acting_side
from bangfu.permissions import require

from .models import (
    MAX_TRAINED,
    MAX_VISIT_DAYS,
    Grade,
    MonthlyReport,
    Placement,
    PlacementKind,
    PlacementRule,
    PlacementStatus,
    Visit,
    VisitStatus,
)

PLACEMENT_SOURCE = "placements.placement"  # declared in module.py (LedgerSource)
VISIT_SOURCE = "placements.visit"
EARLIEST = datetime.date(2015, 1, 1)
LATEST_START_YEARS = 2  # a request more than two years ahead is a typing mistake (the year)
MAX_PHOTOS = 9


# --- who hears ----------------------------------------------------------------------------------------------------




def placement_url(placement: Placement) -> str:
    return reverse("placements:detail", args=[placement.pk])


def visit_url(visit: Visit) -> str:
    return reverse("placements:visit", args=[visit.pk])


def _text(value) -> str:
    return (value or "").strip()


def _pairing(helper, helped, on: datetime.date):
    """The two museums' open pairing (helper → helped), if any and begun by `on`: placements and visits are not
    limited to pairings (the association may place someone elsewhere), but one that exists is linked."""
    pairing = default_pairing(helper=helper, helped=helped)
    return pairing if pairing is not None and pairing.start_date <= on else None


def _ledger_writer(by, helper, helped):
    return by if acting_side(by, {"helper": helper, "helped": helped}) else system_user()


# --- the rule -----------------------------------------------------------------------------------------------------


def term_errors(*, start: datetime.date | None, end: datetime.date | None,
                rule: PlacementRule | None = None) -> dict[str, str]:
    """What is wrong with a placement's dates, by field: dates before the programme or too far ahead, and the
    association's 3–6 month rule (reported beside the end date, naming the rule)."""
    errors = {}
    today = timezone.localdate()
    if start is not None and start < EARLIEST:
        errors["start"] = f"开始日期不能早于{cn_date(EARLIEST)}（请检查年份）。"
    elif start is not None and start > today.replace(year=today.year + LATEST_START_YEARS, day=min(today.day, 28)):
        errors["start"] = f"开始日期不能晚于 {LATEST_START_YEARS} 年之后（请检查年份）。"
    if not errors and (message := (rule or PlacementRule.current()).error(start, end)):
        errors["end"] = message
    return errors


@transaction.atomic
def rule_update(*, by, min_months: int, max_months: int, credit_hours=0) -> PlacementRule:
    """The association changes the placement rule; placements already requested keep their dates."""
    require(by, "placements.edit_rule")
    errors = {}
    for name, value in (("min_months", min_months), ("max_months", max_months)):
        if not isinstance(value, int) or not 1 <= value <= 24:
            errors[name] = "请填写 1–24 之间的整数月数。"
    if not errors and min_months > max_months:
        errors["max_months"] = "最长期限不能短于最短期限。"
    try:
        hours = Decimal(str(credit_hours or 0)).quantize(Decimal("0.1"))
    except Exception:  # InvalidOperation
        hours = Decimal("-1")
    if not Decimal("0") <= hours <= Decimal("500"):
        errors["credit_hours"] = "结业计入学时须在 0–500 之间。"
    if errors:
        raise ValidationError(errors)
    rule = PlacementRule.current()
    rule = PlacementRule.objects.select_for_update().get(pk=rule.pk)
    before = rule.label, rule.credit_hours
    rule.min_months, rule.max_months, rule.credit_hours, rule.updated_by = min_months, max_months, hours, by
    rule.save()
    audit(actor=by, action="修改跟班学习期限规则", obj=rule,
          changes={"期限": [before[0], rule.label], "结业计入学时": [str(before[1]), str(rule.credit_hours)]})
    return rule


# --- placements -----------------------------------------------------------------------------------------------------


def _check_mentor(mentor, host) -> None:
    if mentor is not None and not (mentor.museum_id == host.pk and mentor.role in MUSEUM_ROLES and mentor.is_active):
        raise ValidationError({"mentor": f"指导老师须为{host.name}的在职账号。"})


@transaction.atomic
def placement_request(*, by, host, person, kind: str, start: datetime.date, end: datetime.date, goals: str,
                      department: str = "", mentor=None) -> Placement:
    """The sending museum's admin requests a placement of one of their staff at a host museum (their request is
    their museum's agreement); the host's admins are told. The dates must keep the association's rule."""
    require(by, "placements.request_placement")
    sending = by.museum
    errors = {}
    if kind not in PlacementKind.values:
        errors["kind"] = "请选择跟班学习或挂职锻炼。"
    if host is None:
        errors["host"] = "请选择接收馆。"
    elif host.pk == sending.pk:
        errors["host"] = "接收馆不能是本馆：请选择帮扶馆或其他接收馆。"
    if person is None or person.museum_id != sending.pk or person.role not in MUSEUM_ROLES or not person.is_active:
        errors["person"] = f"派出人员须为{sending.name}的在职馆员。"
    elif (type(person).objects.select_for_update().filter(pk=person.pk).exists()  # two requests at once: one waits
          and Placement.objects.open().filter(person=person, start__lte=end, end__gte=start).exists()):
        errors["person"] = f"{person.display_name}在这段时间已有跟班学习或挂职安排。"
    if not _text(goals):
        errors["goals"] = "请填写学习目标与计划。"
    errors |= term_errors(start=start, end=end)
    if not errors and mentor is not None:
        try:
            _check_mentor(mentor, host)
        except ValidationError as exc:
            errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)
    placement = Placement(
        sending=sending, host=host, pairing=_pairing(host, sending, start), person=person, kind=kind,
        department=_text(department)[:100], start=start, end=end, goals=_text(goals), mentor=mentor,
        requested_by=by)
    try:
        placement.full_clean(exclude=["sending", "host", "pairing", "person", "mentor", "requested_by"],
                             validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    placement.save()
    audit(actor=by, action="申请跟班学习", obj=placement,
          note=f"{person.display_name} → {host.name}（{placement.get_kind_display()}）")
    tell_museum(host.pk, key=f"placement-requested-{placement.pk}", url=placement_url(placement), admins_only=True,
                title=f"{sending.name}申请派{person.display_name}来馆{placement.get_kind_display()}",
                body=f"{cn_date(start)}至{cn_date(end)}；请确认指导老师后同意，或说明原因婉拒。")
    return placement


@transaction.atomic
def placement_agree(*, placement: Placement, by, mentor, department: str | None = None) -> Placement:
    """The host's admin agrees, naming (or confirming) the mentor."""
    require(by, "placements.host_act", placement)
    if mentor is None:
        raise ValidationError({"mentor": "请选择指导老师。"})
    _check_mentor(mentor, placement.host)
    changes = {"mentor": mentor}
    if department is not None and _text(department):
        changes["department"] = _text(department)[:100]
    transition(placement, to=PlacementStatus.AGREED, by=by, name="agree", note=f"指导老师：{mentor.display_name}",
               set=changes)
    url = placement_url(placement)
    tell_museum(placement.sending_id, key=f"placement-agreed-{placement.pk}", url=url, admins_only=True,
                title=f"{placement.host.name}同意接收{placement.person_name}{placement.get_kind_display()}")
    tell_user(placement.person, key=f"placement-agreed-person-{placement.pk}", url=url,
              title=f"您到{placement.host.name}{placement.get_kind_display()}已获同意",
              body=f"{cn_date(placement.start)}报到；指导老师：{mentor.display_name}。")
    tell_user(mentor, key=f"placement-mentor-{placement.pk}", url=url,
              title=f"您担任{placement.person_name}（{placement.sending.name}）的指导老师")
    return placement


@transaction.atomic
def placement_decline(*, placement: Placement, by, reason: str) -> Placement:
    require(by, "placements.host_act", placement)
    transition(placement, to=PlacementStatus.DECLINED, by=by, name="decline", reason=reason)
    tell_museum(placement.sending_id, key=f"placement-declined-{placement.pk}", url=placement_url(placement),
                admins_only=True, body=_text(reason)[:200],
                title=f"{placement.host.name}婉拒了{placement.person_name}的{placement.get_kind_display()}申请")
    return placement


@transaction.atomic
def placement_withdraw(*, placement: Placement, by, reason: str) -> Placement:
    require(by, "placements.sending_act", placement)
    transition(placement, to=PlacementStatus.WITHDRAWN, by=by, name="withdraw", reason=reason)
    tell_museum(placement.host_id, key=f"placement-withdrawn-{placement.pk}", url=placement_url(placement),
                admins_only=True, body=_text(reason)[:200],
                title=f"{placement.sending.name}撤回了{placement.person_name}的{placement.get_kind_display()}申请")
    return placement


def _start_guard(placement: Placement, by) -> str:
    if placement.start > timezone.localdate():
        return f"开始日期{cn_date(placement.start)}还没到，到时再确认报到。"
    return ""


@transaction.atomic
def placement_start(*, placement: Placement, by) -> Placement:
    """The host's admin confirms the person has reported for the placement (on or after its start date)."""
    require(by, "placements.host_act", placement)
    if message := _start_guard(placement, by):
        raise ValidationError(message)
    transition(placement, to=PlacementStatus.IN_PROGRESS, by=by, name="start")
    tell_museum(placement.sending_id, key=f"placement-started-{placement.pk}", url=placement_url(placement),
                admins_only=True, title=f"{placement.person_name}已到{placement.host.name}报到")
    return placement


@transaction.atomic
def placement_cancel(*, placement: Placement, by, reason: str) -> Placement:
    """Either museum's admin (or the association) ends an agreed or running placement without completion."""
    require(by, "placements.cancel_placement", placement)
    transition(placement, to=PlacementStatus.CANCELLED, by=by, name="cancel", reason=reason)
    url = placement_url(placement)
    for museum_id in (placement.host_id, placement.sending_id):
        tell_museum(museum_id, key=f"placement-cancelled-{placement.pk}", url=url, admins_only=True,
                    body=_text(reason)[:200], title=f"{placement.person_name}的{placement.get_kind_display()}已中止")
    return placement


def certificate_of(placement: Placement) -> Certificate | None:
    return Certificate.objects.filter(source_type=PLACEMENT_SOURCE, source_id=placement.pk,
                                      person_id=placement.person_id).first()


@transaction.atomic
def placement_complete(*, placement: Placement, by, grade: str, assessment: str,
                       on: datetime.date | None = None) -> Placement:
    """The host's admin writes the final assessment. The placement is completed: a certificate (unless 不合格) and
    the rule's 学时 for the person, ONE ledger entry (the host helped the sending museum: one person trained, the
    placement's days), both museums and the person told."""
    require(by, "placements.host_act", placement)
    Placement.workflow.require_source(placement, to=PlacementStatus.COMPLETED)
    errors = {}
    if grade not in Grade.values:
        errors["grade"] = "请选择考核等次。"
    if not _text(assessment):
        errors["assessment"] = "请填写考核评语。"
    today = timezone.localdate()
    on = on or today
    if on > today:
        errors["on"] = "结业日期不能晚于今天。"
    elif on < placement.start:
        errors["on"] = f"结业日期不能早于开始日期{cn_date(placement.start)}。"
    if errors:
        raise ValidationError(errors)
    transition(placement, to=PlacementStatus.COMPLETED, by=by, name="complete",
               note=f"考核：{Grade(grade).label}",
               set={"grade": grade, "assessment": _text(assessment), "completed_on": on})
    title = f"{placement.host.name}{placement.get_kind_display()}"
    end = min(placement.end, on)
    rule = PlacementRule.current()
    if grade != Grade.FAIL:
        certificate_issue(by=by, person=placement.person, kind=CertificateKind.PLACEMENT,
                          source_type=PLACEMENT_SOURCE, source_id=placement.pk, title=title, issued_on=on,
                          start=placement.start, end=end, hours=rule.credit_hours or None)
        if rule.credit_hours:
            hours_record(person=placement.person, source_type=PLACEMENT_SOURCE, source_id=placement.pk,
                         source_label=placement.get_kind_display(), title=title, hours=rule.credit_hours, date=on,
                         url=placement_url(placement))
    ledger_record(by=_ledger_writer(by, placement.host, placement.sending), helper=placement.host,
                  helped=placement.sending, pairing=placement.pairing, area="people",
                  kind=placement.get_kind_display(), date=on, people_trained=1, days=placement.days,
                  source_type=PLACEMENT_SOURCE, source_id=placement.pk, source_label=placement.get_kind_display(),
                  description=(f"{placement.sending.name}{placement.person_name}在{placement.host.name}"
                               f"{placement.department or ''}{placement.get_kind_display()} {placement.days} 天"
                               f"（{cn_date(placement.start)}至{cn_date(end)}），考核{Grade(grade).label}")[:500])
    url = placement_url(placement)
    for museum_id in (placement.sending_id, placement.host_id):
        tell_museum(museum_id, key=f"placement-completed-{placement.pk}", url=url, admins_only=True,
                    title=f"{placement.person_name}的{placement.get_kind_display()}已结业（{Grade(grade).label}），已记入帮扶台账")
    tell_user(placement.person, key=f"placement-completed-person-{placement.pk}", url=url,
              title=f"您的{placement.get_kind_display()}已结业：考核{Grade(grade).label}",
              body="证书已发放，可在个人学时档案中查看。" if grade != Grade.FAIL else "")
    return placement


@transaction.atomic
def placement_file_add(*, placement: Placement, by, file=None, link: str = "", caption: str = "") -> Attachment:
    require(by, "placements.change_placement", placement)
    return attachment_add(owner=placement, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.DOCUMENT)


# --- monthly reports ----------------------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, placement: Placement, by, month: datetime.date, work_done: str, learned: str,
                  next_plan: str = "", file=None, link: str = "") -> MonthlyReport:
    """The placed person reports on one month of a running (or just completed) placement, once per month; the
    mentor is told."""
    require(by, "placements.write_report", placement)
    if placement.status not in (PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETED):
        raise ValidationError("跟班学习开始后才能提交月度报告。")
    errors = {}
    month = month.replace(day=1) if month else None
    if month is None or not (placement.start.replace(day=1) <= month <= placement.end.replace(day=1)):
        errors["month"] = (f"月份须在{placement.start:%Y年%m月}至{placement.end:%Y年%m月}之间。")
    elif month > timezone.localdate().replace(day=1):
        errors["month"] = "不能提交未来月份的报告。"
    elif placement.reports.filter(month=month).exists():
        errors["month"] = f"{month:%Y年%m月}的报告已经提交过。"
    if not _text(work_done):
        errors["work_done"] = "请填写本月工作。"
    if not _text(learned):
        errors["learned"] = "请填写学习收获。"
    if errors:
        raise ValidationError(errors)
    report = MonthlyReport(placement=placement, month=month, work_done=_text(work_done), learned=_text(learned),
                           next_plan=_text(next_plan))
    try:
        report.full_clean(exclude=["placement", "commented_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    attachment = None
    if file or _text(link):
        report.save()
        attachment = attachment_new(owner=report, by=by, file=file, link=link, caption="月度报告附件",
                                    kind=AttachmentKind.DOCUMENT)
    report.save()
    if attachment is not None:
        attachment_store(attachment=attachment, by=by, audited=False)
    audit(actor=by, action="提交月度报告", obj=placement, note=f"{month:%Y年%m月}")
    tell_user(placement.mentor, key=f"placement-report-{report.pk}", url=placement_url(placement),
              title=f"{placement.person_name}提交了{month:%Y年%m月}的月度报告，请点评")
    return report


@transaction.atomic
def report_comment(*, report: MonthlyReport, by, comment: str) -> MonthlyReport:
    """The mentor (or the host's admin) comments a report; the person is told."""
    placement = report.placement
    require(by, "placements.comment_report", placement)
    if not _text(comment):
        raise ValidationError({"comment": "请填写点评意见。"})
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    report.comment, report.commented_by, report.commented_at = _text(comment), by, timezone.now()
    try:
        report.full_clean(exclude=["placement", "commented_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    report.save(update_fields=["comment", "commented_by", "commented_at"])
    audit(actor=by, action="点评月度报告", obj=placement, note=f"{report.month:%Y年%m月}")
    tell_user(placement.person, key=f"placement-report-comment-{report.pk}-{report.commented_at:%Y%m%d%H%M%S}",
              url=placement_url(placement), title=f"指导老师点评了您{report.month:%Y年%m月}的月度报告")
    return report


# --- guidance visits ----------------------------------------------------------------------------------------------


def visit_errors(*, start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    errors = {}
    if start is not None and start < EARLIEST:
        errors["start"] = f"开始日期不能早于{cn_date(EARLIEST)}（请检查年份）。"
    elif start is not None and end is not None:
        if end < start:
            errors["end"] = "结束日期不能早于开始日期。"
        elif (end - start).days + 1 > MAX_VISIT_DAYS:
            errors["end"] = (f"短期工作指导不超过 {MAX_VISIT_DAYS} 天（现为 {(end - start).days + 1} 天）；"
                             "更长的驻馆请申请跟班学习或挂职锻炼。")
    return errors


@transaction.atomic
def visit_propose(*, by, partner, title: str, start: datetime.date, end: datetime.date, agenda: str,
                  visitors: str = "", visitor_users=()) -> Visit:
    """A museum admin proposes a guidance visit: a helped museum asks a helper (partner) to send its managers, or a
    helper offers to visit a partner. The other side's admins are told and agree or decline."""
    require(by, "placements.propose_visit")
    own = by.museum
    errors = {}
    if partner is None:
        errors["partner"] = "请选择对方博物馆。"
    elif partner.pk == own.pk:
        errors["partner"] = "对方博物馆不能是本馆。"
    if not _text(title):
        errors["title"] = "请填写指导主题。"
    if not _text(agenda):
        errors["agenda"] = "请填写日程安排。"
    errors |= visit_errors(start=start, end=end)
    if errors:
        raise ValidationError(errors)
    # Between paired museums the pairing says who helps; otherwise a helper museum offers and a helped museum
    # requests, and a museum that is both (or neither) asks a helper partner and offers to any other.
    if default_pairing(helper=own, helped=partner) is not None:
        offers = True
    elif default_pairing(helper=partner, helped=own) is not None:
        offers = False
    else:
        offers = own.is_helper if own.is_helper != own.is_helped else not partner.is_helper
    helper, helped = (own, partner) if offers else (partner, own)
    users = list(visitor_users or [])
    if any(u.museum_id != helper.pk for u in users):
        raise ValidationError({"visitor_users": f"指导人员账号须为{helper.name}的人员。"})
    visit = Visit(helper=helper, helped=helped, pairing=_pairing(helper, helped, start),
                  proposed_side="helper" if offers else "helped", title=_text(title)[:100], start=start, end=end,
                  agenda=_text(agenda), visitors=_text(visitors)[:300], proposed_by=by)
    try:
        visit.full_clean(exclude=["helper", "helped", "pairing", "proposed_by"], validate_unique=False,
                         validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    User.objects.select_for_update().filter(pk=by.pk).exists()  # the same form sent twice at once: one waits
    again = Visit.objects.filter(helper=helper, helped=helped, title=visit.title, start=start, end=end,
                                 status__in=(VisitStatus.PROPOSED, VisitStatus.AGREED)).first()
    if again is not None:  # sent again (a double click, a retried POST): the visit already proposed
        return again
    visit.save()
    visit.visitor_users.set(users)
    audit(actor=by, action="提供短期指导" if offers else "申请短期指导", obj=visit, note=visit.title)
    what = (f"{helper.name}提出到馆短期指导「{visit.title}」" if offers
            else f"{helped.name}申请短期指导「{visit.title}」")
    tell_museum(partner.pk, key=f"visit-proposed-{visit.pk}", url=visit_url(visit), admins_only=True, title=what,
                body=f"{cn_date(start)}至{cn_date(end)}；请确认或说明原因婉拒。")
    return visit


@transaction.atomic
def visit_agree(*, visit: Visit, by) -> Visit:
    require(by, "placements.respond_visit", visit)
    transition(visit, to=VisitStatus.AGREED, by=by, name="agree")
    other = visit.helper_id if visit.proposed_side == "helped" else visit.helped_id
    tell_museum(other, key=f"visit-agreed-{visit.pk}", url=visit_url(visit), admins_only=True,
                title=f"短期指导「{visit.title}」已商定（{cn_date(visit.start)}）")
    return visit


@transaction.atomic
def visit_decline(*, visit: Visit, by, reason: str) -> Visit:
    require(by, "placements.respond_visit", visit)
    transition(visit, to=VisitStatus.DECLINED, by=by, name="decline", reason=reason)
    other = visit.helper_id if visit.proposed_side == "helper" else visit.helped_id
    tell_museum(other, key=f"visit-declined-{visit.pk}", url=visit_url(visit), admins_only=True,
                body=_text(reason)[:200], title=f"短期指导「{visit.title}」被婉拒")
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by, reason: str) -> Visit:
    require(by, "placements.cancel_visit", visit)
    transition(visit, to=VisitStatus.CANCELLED, by=by, name="cancel", reason=reason)
    for museum_id in (visit.helper_id, visit.helped_id):
        tell_museum(museum_id, key=f"visit-cancelled-{visit.pk}", url=visit_url(visit), admins_only=True,
                    body=_text(reason)[:200], title=f"短期指导「{visit.title}」已取消")
    return visit


@transaction.atomic
def visit_complete(*, visit: Visit, by, report: str, people_trained: int | None = 0, photos=(),
                   on: datetime.date | None = None) -> Visit:
    """The helper side reports the visit done (after its last day): the report, photos (checked and re-encoded as
    images), how many were trained on site; ONE ledger entry (days = the visit's days)."""
    require(by, "placements.report_visit", visit)
    Visit.workflow.require_source(visit, to=VisitStatus.DONE)
    errors = {}
    today = timezone.localdate()
    on = on or today
    if not _text(report):
        errors["report"] = "请填写指导报告。"
    if on > today:
        errors["on"] = "完成日期不能晚于今天。"
    elif visit.start > today:
        errors["report"] = f"指导{cn_date(visit.start)}开始，结束后再提交报告。"
    trained = people_trained or 0
    if not isinstance(trained, int) or not 0 <= trained <= MAX_TRAINED:
        errors["people_trained"] = f"现场培训人数须在 0–{MAX_TRAINED} 之间。"
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"一次最多上传 {MAX_PHOTOS} 张照片。"
    if errors:
        raise ValidationError(errors)
    checked = []
    for photo in photos:
        try:
            checked.append(attachment_new(owner=visit, by=by, file=photo, caption="指导现场照片",
                                          kind=AttachmentKind.PHOTO))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    done_on = max(on, visit.start)
    transition(visit, to=VisitStatus.DONE, by=by, name="complete", note=_text(report)[:200],
               set={"report": _text(report), "people_trained": trained, "done_on": done_on})
    for attachment in checked:
        attachment_store(attachment=attachment, by=by)
    people = f"，现场培训 {trained} 人" if trained else ""
    ledger_record(by=_ledger_writer(by, visit.helper, visit.helped), helper=visit.helper, helped=visit.helped,
                  pairing=visit.pairing, area="people", kind="短期工作指导", date=done_on,
                  days=visit.days, people_trained=trained, source_type=VISIT_SOURCE, source_id=visit.pk,
                  source_label="短期工作指导",
                  description=(f"{visit.helper.name}派员到{visit.helped.name}短期指导「{visit.title}」"
                               f"{visit.days} 天{people}")[:500])
    tell_museum(visit.helped_id, key=f"visit-done-{visit.pk}", url=visit_url(visit), admins_only=True,
                title=f"短期指导「{visit.title}」的报告已提交，已记入帮扶台账")
    return visit


@transaction.atomic
def visit_file_add(*, visit: Visit, by, file=None, link: str = "", caption: str = "") -> Attachment:
    require(by, "placements.change_visit", visit)
    kind = AttachmentKind.PHOTO if file and (getattr(file, "content_type", "") or "").startswith("image/") \
        else AttachmentKind.DOCUMENT
    return attachment_add(owner=visit, by=by, file=file, link=link, caption=caption, kind=kind)
