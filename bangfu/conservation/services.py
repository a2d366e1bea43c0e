"""Writes of conservation: the lab catalogue and service requests, 会诊 cases and restoration projects.

Every function takes keyword arguments, checks its permission itself (`require`), runs in one transaction, audits
(status moves through `core.workflow.transition`) and notifies after commit. Refusals are ValidationErrors in
Chinese keyed by the form field they concern. A delivered service request and a completed restoration project each
write one ledger entry (sources `conservation.service`, `conservation.project`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import system_user
from bangfu.accounts.notices import tell_museum, tell_user
from bangfu.core.attachments import attachment_add, attachment_new, attachment_store
from bangfu.core.audit import audit
from bangfu.core.dates import cn_date
from bangfu.core.models import Attachment, AttachmentKind
from bangfu.core.workflow import transition
from bangfu.experts.models import Expert
from bangfu.ledger.selectors import default_pairing
from bangfu.ledger.services import ledger_record
from bangfu.objects.models import ObjectGrade
from bangfu.pairings.models import Pairing
from bangfu.parties import acting_side, acts_for_association
from bangfu.permissions import require

from .models import (
    DEFAULT_STAGES,
    Consultation,
    ConsultationStatus,
    Invitation,
    LabService,
    Opinion,
    ProjectStage,
    ProjectStatus,
    RequestStatus,
    RestorationMode,
    RestorationProject,
    ServiceRequest,
    TreatmentRecord,
    hand_lines,
)

SERVICE_SOURCE = "conservation.service"  # declared in module.py (LedgerSource)
PROJECT_SOURCE = "conservation.project"
SERVICE_FIELDS = ["kind", "name", "methods", "description", "destructive_possible", "contact", "is_active"]
MAX_OBJECTS = 200
MAX_STAGES = 30
MAX_INVITES = 20


# --- who hears --------------------------------------------------------------------------------------------------




def _clean(record, exclude=()) -> None:
    try:
        record.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _today(on: datetime.date | None = None) -> datetime.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"date": "日期不能晚于今天。"})
    if on < datetime.date(2015, 1, 1):
        raise ValidationError({"date": "日期不能早于2015年1月1日（请检查年份）。"})
    return on


def _own_museum(by, museum, perm: str, obj=None):
    """The museum a museum user acts for must be their own; the association may act for any museum."""
    require(by, perm, obj)
    if not acts_for_association(by) and museum.pk != by.museum_id:
        raise PermissionDenied("只能为本馆办理。")


def _check_objects(museum, objects, objects_by_hand: str) -> list:
    objects = list(objects or [])
    if any(o.museum_id != museum.pk for o in objects):
        raise ValidationError({"objects": f"只能选择{museum.name}的藏品。"})
    if not objects and not hand_lines(objects_by_hand):
        raise ValidationError({"objects": "请至少选择一件藏品，或在“其他文物”中每行填写一件。"})
    if len(objects) + len(hand_lines(objects_by_hand)) > MAX_OBJECTS:
        raise ValidationError({"objects": f"一次最多 {MAX_OBJECTS} 件文物。"})
    return objects


def object_count(record) -> int:
    """How many objects a request or a project is about: those chosen from the registry plus those named by hand."""
    return record.objects_linked.count() + len(record.hand_list)


def _ledger(*, by, helper, helped, kind: str, date: datetime.date, description: str, objects: int,
            source_type: str, source_id: int, source_label: str):
    pairing = default_pairing(helper=helper, helped=helped)
    if pairing is not None and pairing.start_date > date:
        pairing = None
    writer = by if acting_side(by, {"helper": helper, "helped": helped}) else system_user()
    return ledger_record(by=writer, helper=helper, helped=helped, pairing=pairing, area="conservation", kind=kind,
                         date=date, object_count=objects, description=description[:500], source_type=source_type,
                         source_id=source_id, source_label=source_label)


# --- the lab catalogue -----------------------------------------------------------------------------------------


@transaction.atomic
def service_create(*, museum, by, **values) -> LabService:
    """Publish a service of the museum's lab."""
    _own_museum(by, museum, "conservation.add_service")
    service = LabService(museum=museum, **{k: v for k, v in values.items() if k in SERVICE_FIELDS})
    _clean(service, exclude=["museum"])
    service.save()
    audit(actor=by, action="发布实验室服务", obj=service, note=service.name)
    return service


@transaction.atomic
def service_update(*, service: LabService, by, **values) -> LabService:
    require(by, "conservation.change_service", service)
    service = LabService.objects.select_for_update().get(pk=service.pk)
    changes = {}
    for name in SERVICE_FIELDS:
        if name in values and getattr(service, name) != values[name]:
            changes[str(LabService._meta.get_field(name).verbose_name)] = [str(getattr(service, name)),
                                                                          str(values[name])]
            setattr(service, name, values[name])
    _clean(service, exclude=["museum"])
    service.save()
    audit(actor=by, action="修改实验室服务", obj=service, changes=changes or None)
    return service


# --- service requests ------------------------------------------------------------------------------------------


def _request_url(request: ServiceRequest) -> str:
    return reverse("conservation:request", args=[request.pk])


@transaction.atomic
def request_create(*, service: LabService, museum, by, purpose: str, objects=(), objects_by_hand: str = "",
                   method: str = "", sample_description: str = "", sample_count: int = 0,
                   destructive: bool = False) -> ServiceRequest:
    """A museum asks a lab for a service about its objects. Destructive sampling waits for the museum admin's
    approval (`request_approve_sampling`) before the lab may accept it."""
    service = LabService.objects.select_related("museum").get(pk=service.pk)  # as it is now (paused?)
    if acts_for_association(by):
        require(by, "conservation.file_for_museum")  # the association files for a museum without an account
    else:
        require(by, "conservation.request_service", service)
        if museum.pk != by.museum_id:
            raise PermissionDenied("只能为本馆申请。")
    if not service.is_active:
        raise ValidationError("该服务已暂停提供。")
    if museum.pk == service.museum_id:
        raise ValidationError("不能向本馆实验室提交申请。")
    objects = _check_objects(museum, objects, objects_by_hand)
    if destructive and not service.destructive_possible:
        raise ValidationError({"destructive": "该服务不进行有损取样；如确需取样，请先与实验室联系。"})
    if destructive and not sample_count:
        raise ValidationError({"sample_count": "有损取样请填写样品数量。"})
    request = ServiceRequest(
        service=service, lab_id=service.museum_id, museum=museum, purpose=(purpose or "").strip(),
        objects_by_hand=(objects_by_hand or "").strip(), method=(method or "").strip(),
        sample_description=(sample_description or "").strip(), sample_count=sample_count or 0,
        destructive=bool(destructive), requested_by=by,
        status=RequestStatus.AWAITING_APPROVAL if destructive else RequestStatus.REQUESTED)
    _clean(request, exclude=["service", "lab", "museum", "requested_by", "approved_by"])
    request.save()
    request.objects_linked.set(objects)
    audit(actor=by, action="申请实验室服务", obj=request, note=f"{service.name}（{service.museum.name}）")
    if destructive:
        tell_museum(museum.pk, key=f"conservation-request-approval-{request.pk}", url=_request_url(request),
                    admins_only=True, title=f"「{service.name}」申请需要有损取样，请馆管理员审批")
    else:
        tell_museum(service.museum_id, key=f"conservation-request-new-{request.pk}", url=_request_url(request),
                    title=f"{museum.name}申请「{service.name}」")
    return request


@transaction.atomic
def request_approve_sampling(*, request: ServiceRequest, by, note: str = "") -> ServiceRequest:
    """The requesting museum's admin approves destructive sampling; the request then goes to the lab."""
    require(by, "conservation.approve_sampling", request)
    transition(request, to=RequestStatus.REQUESTED, by=by, name="approve", note=(note or "").strip(),
               set={"approved_by": by, "approved_at": timezone.now(), "approval_note": (note or "").strip()[:300]})
    tell_museum(request.lab_id, key=f"conservation-request-new-{request.pk}", url=_request_url(request),
                title=f"{request.museum.name}申请「{request.service.name}」（有损取样已经馆方批准）")
    return request


@transaction.atomic
def request_accept(*, request: ServiceRequest, by) -> ServiceRequest:
    require(by, "conservation.lab_act", request)
    transition(request, to=RequestStatus.ACCEPTED, by=by, name="accept")
    tell_museum(request.museum_id, key=f"conservation-request-accepted-{request.pk}", url=_request_url(request),
                title=f"{request.lab.name}已受理「{request.service.name}」申请")
    return request


@transaction.atomic
def request_start(*, request: ServiceRequest, by) -> ServiceRequest:
    require(by, "conservation.lab_act", request)
    transition(request, to=RequestStatus.IN_PROGRESS, by=by, name="start")
    return request


@transaction.atomic
def request_deliver(*, request: ServiceRequest, by, summary: str, file=None, link: str = "",
                    on: datetime.date | None = None) -> ServiceRequest:
    """The lab delivers its report (a file or a link): one ledger entry (the lab helped the requester)."""
    require(by, "conservation.lab_act", request)
    ServiceRequest.workflow.require_source(request, to=RequestStatus.DELIVERED)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": "请填写报告摘要（主要结论）。"})
    on = _today(on)
    report = attachment_new(owner=request, by=by, file=file, link=link, caption="检测分析报告",
                            kind=AttachmentKind.REPORT)
    transition(request, to=RequestStatus.DELIVERED, by=by, name="deliver", note=summary[:200],
               set={"report_summary": summary, "delivered_on": on})
    attachment_store(attachment=report, by=by)
    count = object_count(request)
    samples = f"，样品 {request.sample_count} 个" if request.sample_count else ""
    _ledger(by=by, helper=request.lab, helped=request.museum, kind=request.service.get_kind_display(), date=on,
            objects=count, source_type=SERVICE_SOURCE, source_id=request.pk, source_label="实验室服务",
            description=f"{request.lab.name}实验室为{request.museum.name}提供「{request.service.name}」"
                        f"{f'（{request.method}）' if request.method else ''}：文物 {count} 件{samples}")
    tell_museum(request.museum_id, key=f"conservation-request-delivered-{request.pk}", url=_request_url(request),
                title=f"{request.lab.name}已交付「{request.service.name}」报告")
    return request


@transaction.atomic
def request_close(*, request: ServiceRequest, by, satisfaction: int, comment: str = "") -> ServiceRequest:
    """The requester closes a delivered request with its satisfaction (1–5) and a comment."""
    require(by, "conservation.requester_act", request)
    if satisfaction not in (1, 2, 3, 4, 5):
        raise ValidationError({"satisfaction": "请选择 1–5 的满意度。"})
    transition(request, to=RequestStatus.CLOSED, by=by, name="close", note=f"满意度 {satisfaction}/5",
               set={"satisfaction": satisfaction, "comment": (comment or "").strip()})
    tell_museum(request.lab_id, key=f"conservation-request-closed-{request.pk}", url=_request_url(request),
                title=f"{request.museum.name}已确认「{request.service.name}」完成（满意度 {satisfaction}/5）")
    return request


@transaction.atomic
def request_decline(*, request: ServiceRequest, by, reason: str) -> ServiceRequest:
    require(by, "conservation.lab_act", request)
    transition(request, to=RequestStatus.DECLINED, by=by, name="decline", reason=reason)
    tell_museum(request.museum_id, key=f"conservation-request-declined-{request.pk}", url=_request_url(request),
                body=reason[:200], title=f"{request.lab.name}婉拒了「{request.service.name}」申请")
    return request


@transaction.atomic
def request_withdraw(*, request: ServiceRequest, by, reason: str) -> ServiceRequest:
    require(by, "conservation.requester_act", request)
    was_with_lab = request.status != RequestStatus.AWAITING_APPROVAL
    transition(request, to=RequestStatus.WITHDRAWN, by=by, name="withdraw", reason=reason)
    if was_with_lab:
        tell_museum(request.lab_id, key=f"conservation-request-withdrawn-{request.pk}", url=_request_url(request),
                    body=reason[:200], title=f"{request.museum.name}撤回了「{request.service.name}」申请")
    return request


@transaction.atomic
def request_file_add(*, request: ServiceRequest, by, file=None, link: str = "", caption: str = "") -> Attachment:
    require(by, "conservation.change_request", request)
    return attachment_add(owner=request, by=by, file=file, link=link, caption=caption, kind=AttachmentKind.DOCUMENT)


# --- 会诊 consultations ------------------------------------------------------------------------------------------


def _case_url(consultation: Consultation) -> str:
    return reverse("conservation:consultation", args=[consultation.pk])


def default_helper(museum):
    """The helper of the museum's open pairing, if any."""
    pairing = Pairing.objects.open().filter(helped=museum).select_related("helper").first()
    return pairing.helper if pairing else None


@transaction.atomic
def consultation_open(*, museum, by, title: str, problem: str, condition: str = "", helper=None, objects=(),
                      objects_by_hand: str = "", photos=()) -> Consultation:
    """A museum (or the association for it) opens a 会诊 case about its objects; its helper hears of it."""
    _own_museum(by, museum, "conservation.add_consultation")
    if helper is not None and helper.pk == museum.pk:
        raise ValidationError({"helper": "帮扶馆不能是文物所属馆本身。"})
    objects = _check_objects(museum, objects, objects_by_hand)
    case = Consultation(museum=museum, helper=helper, title=(title or "").strip(), problem=(problem or "").strip(),
                        condition=(condition or "").strip(), objects_by_hand=(objects_by_hand or "").strip(),
                        opened_by=by)
    _clean(case, exclude=["museum", "helper", "opened_by"])
    case.save()
    case.objects_linked.set(objects)
    for photo in photos or ():  # a refused photo rolls the whole case back
        try:
            checked = attachment_new(owner=case, by=by, file=photo, kind=AttachmentKind.PHOTO)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
        if not checked.is_image:
            raise ValidationError({"photos": "请上传照片（JPG、PNG 或 WebP）；报告等文件请在会诊页面作为附件上传。"})
        attachment_store(attachment=checked, by=by, audited=False)
    audit(actor=by, action="发起专家会诊", obj=case, note=case.title)
    if helper is not None:
        tell_museum(helper.pk, key=f"conservation-case-new-{case.pk}", url=_case_url(case),
                    title=f"{museum.name}发起专家会诊「{case.title}」")
    return case


@transaction.atomic
def consultation_invite(*, consultation: Consultation, by, experts) -> list[Invitation]:
    """Invite experts of the pool (active ones, not invited yet): each expert with an account hears of it."""
    require(by, "conservation.invite_experts", consultation)
    # Two invitations at once queue on the case's row: the second reads the first's experts as already invited.
    consultation = Consultation.objects.select_for_update().select_related("museum").get(pk=consultation.pk)
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError({"experts": "会诊已结束，不能再邀请专家。"})
    experts = list(experts or [])
    if not experts:
        raise ValidationError({"experts": "请至少选择一位专家。"})
    if any(not e.is_active for e in experts):
        raise ValidationError({"experts": "只能邀请专家库中在册的专家。"})
    already = set(consultation.invites.values_list("expert_id", flat=True))
    if len(already | {e.pk for e in experts}) > MAX_INVITES:
        raise ValidationError({"experts": f"一次会诊最多邀请 {MAX_INVITES} 位专家。"})
    invites = [Invitation.objects.create(consultation=consultation, expert=e, invited_by=by)
               for e in experts if e.pk not in already]
    if not invites:
        raise ValidationError({"experts": "所选专家都已在邀请之列。"})
    names = "、".join(i.expert.name for i in invites)
    audit(actor=by, action="邀请会诊专家", obj=consultation, note=names)
    for invite in invites:
        tell_user(invite.expert.user, key=f"conservation-case-invite-{consultation.pk}", url=_case_url(consultation),
                  title=f"邀请您参加专家会诊「{consultation.title}」（{consultation.museum.name}）")
    tell_museum(consultation.museum_id, key=f"conservation-case-invited-{consultation.pk}-{invites[0].pk}",
                url=_case_url(consultation), title=f"会诊「{consultation.title}」已邀请专家：{names}")
    return invites


def expert_of(user, consultation: Consultation) -> Expert | None:
    """The invited expert profile of a user on a case, None when the user is not invited."""
    return Expert.objects.filter(user=user, consultation_invites__consultation=consultation).first() if getattr(
        user, "pk", None) else None


@transaction.atomic
def opinion_add(*, consultation: Consultation, by, text: str, expert: Expert | None = None) -> Opinion:
    """An invited expert writes an opinion (the association may record one for an invited expert without an
    account)."""
    require(by, "conservation.write_opinion", consultation)
    mine = expert_of(by, consultation)
    if mine is not None:
        expert = mine
    elif not acts_for_association(by) or expert is None:
        raise ValidationError({"expert": "请选择发表意见的专家。"})
    elif not consultation.invites.filter(expert=expert).exists():
        raise ValidationError({"expert": "只能记录已邀请专家的意见。"})
    opinion = Opinion(consultation=consultation, expert=expert, text=(text or "").strip(), written_by=by)
    _clean(opinion, exclude=["consultation", "expert", "written_by"])
    opinion.save()
    audit(actor=by, action="发表会诊意见", obj=consultation, note=f"{expert.name}：{opinion.text[:80]}")
    for museum_id in (consultation.museum_id, consultation.helper_id):
        tell_museum(museum_id, key=f"conservation-opinion-{opinion.pk}", url=_case_url(consultation),
                    title=f"{expert.name}对会诊「{consultation.title}」发表了意见")
    return opinion


@transaction.atomic
def consultation_conclude(*, consultation: Consultation, by, conclusion: str, recommended_plan: str = "",
                          on: datetime.date | None = None) -> Consultation:
    require(by, "conservation.change_consultation", consultation)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": "请填写会诊结论。"})
    on = _today(on)
    transition(consultation, to=ConsultationStatus.CONCLUDED, by=by, name="conclude", note=conclusion[:200],
               set={"conclusion": conclusion, "recommended_plan": (recommended_plan or "").strip(),
                    "concluded_on": on})
    for invite in consultation.invites.select_related("expert__user"):
        tell_user(invite.expert.user, key=f"conservation-case-concluded-{consultation.pk}",
                  url=_case_url(consultation), title=f"会诊「{consultation.title}」已形成结论")
    for museum_id in (consultation.museum_id, consultation.helper_id):
        tell_museum(museum_id, key=f"conservation-case-concluded-{consultation.pk}", url=_case_url(consultation),
                    title=f"会诊「{consultation.title}」已形成结论")
    return consultation


@transaction.atomic
def consultation_cancel(*, consultation: Consultation, by, reason: str) -> Consultation:
    require(by, "conservation.change_consultation", consultation)
    transition(consultation, to=ConsultationStatus.CANCELLED, by=by, name="cancel", reason=reason)
    return consultation


@transaction.atomic
def consultation_file_add(*, consultation: Consultation, by, file=None, link: str = "", caption: str = ""):
    require(by, "conservation.add_consultation_file", consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError({"file": "会诊已结束，不能再上传附件。"})
    return attachment_add(owner=consultation, by=by, file=file, link=link, caption=caption,
                          kind=AttachmentKind.PHOTO if file else AttachmentKind.DOCUMENT)


@transaction.atomic
def consultation_to_project(*, consultation: Consultation, by, helper=None,
                            mode: str = RestorationMode.BY_HELPER) -> RestorationProject:
    """转为修复项目: one step from a concluded case to a restoration project with its objects, its recommended plan
    and its museums."""
    require(by, "conservation.change_consultation", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != ConsultationStatus.CONCLUDED:
        raise ValidationError("会诊形成结论后才能转为修复项目。")
    if RestorationProject.objects.filter(consultation=consultation).exists():
        raise ValidationError("这次会诊已经转为修复项目。")
    helper = helper or consultation.helper
    if helper is None:
        raise ValidationError({"helper": "请选择承担修复（或指导修复）的帮扶馆。"})
    project = project_create(
        museum=consultation.museum, helper=helper, by=by, title=f"{consultation.title}修复", mode=mode,
        plan=consultation.recommended_plan or consultation.conclusion, objects=consultation.objects_linked.all(),
        objects_by_hand=consultation.objects_by_hand, consultation=consultation)
    audit(actor=by, action="转为修复项目", obj=consultation, note=project.title)
    return project


# --- restoration projects ------------------------------------------------------------------------------------


def _project_url(project: RestorationProject) -> str:
    return reverse("conservation:project", args=[project.pk])


@transaction.atomic
def project_create(*, museum, helper, by, title: str, mode: str = RestorationMode.BY_HELPER, plan: str = "",
                   objects=(), objects_by_hand: str = "", consultation: Consultation | None = None,
                   stages=DEFAULT_STAGES, started_on: datetime.date | None = None) -> RestorationProject:
    """A restoration project of the museum's objects with the helper (restoring, or guiding the museum's own
    restorers); by either museum or the association. The stages start from the usual list (editable)."""
    require(by, "conservation.add_project")
    if not acts_for_association(by) and by.museum_id not in (museum.pk, helper.pk):
        raise PermissionDenied("只能为本馆参与的修复项目建档。")
    if helper.pk == museum.pk:
        raise ValidationError({"helper": "修复/指导馆不能是文物所属馆本身。"})
    if mode not in RestorationMode.values:
        raise ValidationError({"mode": "请选择修复方式。"})
    objects = _check_objects(museum, objects, objects_by_hand)
    project = RestorationProject(museum=museum, helper=helper, mode=mode, title=(title or "").strip()[:100],
                                 plan=(plan or "").strip(), objects_by_hand=(objects_by_hand or "").strip(),
                                 consultation=consultation, started_on=started_on or timezone.localdate(),
                                 created_by=by)
    _clean(project, exclude=["museum", "helper", "consultation", "created_by"])
    project.save()
    project.objects_linked.set(objects)
    ProjectStage.objects.bulk_create([ProjectStage(project=project, name=name, position=i)
                                      for i, name in enumerate(stages)])
    audit(actor=by, action="创建修复项目", obj=project, note=project.title)
    side = acting_side(by, project)
    for museum_id in ([museum.pk, helper.pk] if side not in ("helper", "helped") else
                      [helper.pk if side == "helped" else museum.pk]):
        tell_museum(museum_id, key=f"conservation-project-new-{project.pk}", url=_project_url(project),
                    title=f"修复项目「{project.title}」已建档")
    return project


def approval_warnings(project: RestorationProject, objects=None) -> list[str]:
    """What the plan's approval lacks (shown, never blocking): 一级文物 restoration plans are approved by the
    national administration (国家文物局). `objects`: the project's objects when already read."""
    warnings = []
    objects = project.objects_linked.all() if objects is None else objects
    first = [o for o in objects if o.grade == ObjectGrade.FIRST]
    if first and not project.national_approval:
        names = "、".join(o.name for o in first[:5])
        warnings.append(f"项目含一级文物（{names}），其修复方案须报国家文物局批准；尚未记录国家文物局的批准。")
    if not project.approval_number and project.status == ProjectStatus.ACTIVE:
        warnings.append("尚未记录修复方案的批准机关和批准文号。")
    return warnings


@transaction.atomic
def project_plan(*, project: RestorationProject, by, plan: str, file=None, link: str = "") -> RestorationProject:
    """The plan's text (and, optionally, the plan document)."""
    require(by, "conservation.change_project", project)
    if project.status != ProjectStatus.ACTIVE:
        raise ValidationError({"plan": "项目已结束，不能再修改方案。"})
    document = attachment_new(owner=project, by=by, file=file, link=link, caption="修复方案",
                              kind=AttachmentKind.DOCUMENT) if (file or link) else None
    before = project.plan
    project.plan = (plan or "").strip()
    _clean(project, exclude=["museum", "helper", "consultation", "created_by"])
    project.save(update_fields=["plan", "updated_at"])
    if document is not None:
        attachment_store(attachment=document, by=by)
    audit(actor=by, action="修改修复方案", obj=project, changes={"修复方案": [before[:100], project.plan[:100]]})
    return project


@transaction.atomic
def project_approval(*, project: RestorationProject, by, authority: str, number: str,
                     date: datetime.date | None, national: bool = False) -> list[str]:
    """Record the plan's approval (authority, number, date, whether national). Returns the warnings left
    (`approval_warnings`): a first-grade object without national approval is warned of, not refused."""
    require(by, "conservation.change_project", project)
    errors = {}
    if not (authority or "").strip():
        errors["authority"] = "请填写批准机关，如 山西省文物局。"
    if not (number or "").strip():
        errors["number"] = "请填写批准文号。"
    if date is None:
        errors["date"] = "请填写批准日期。"
    elif date > timezone.localdate():
        errors["date"] = "批准日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    project.approval_authority, project.approval_number = authority.strip(), number.strip()
    project.approval_date, project.national_approval = date, bool(national)
    _clean(project, exclude=["museum", "helper", "consultation", "created_by"])
    project.save(update_fields=["approval_authority", "approval_number", "approval_date", "national_approval",
                                "updated_at"])
    audit(actor=by, action="记录方案批准", obj=project,
          note=f"{project.approval_authority} {project.approval_number}（{cn_date(date)}）")
    return approval_warnings(project)


def _stage_errors(values: dict) -> dict[str, str]:
    errors = {}
    if not (values.get("name") or "").strip():
        errors["name"] = "请填写阶段名称。"
    ps, pe, s, f = (values.get(k) for k in ("planned_start", "planned_end", "started_on", "finished_on"))
    if ps and pe and pe < ps:
        errors["planned_end"] = "计划完成不能早于计划开始。"
    if s and f and f < s:
        errors["finished_on"] = "实际完成不能早于实际开始。"
    if f and not s:
        errors["started_on"] = "请先填写实际开始日期。"
    today = timezone.localdate()
    for key in ("started_on", "finished_on"):
        if values.get(key) and values[key] > today:
            errors[key] = "实际日期不能晚于今天。"
    return errors


STAGE_FIELDS = ("name", "planned_start", "planned_end", "started_on", "finished_on")


@transaction.atomic
def stage_add(*, project: RestorationProject, by, name: str, **dates) -> ProjectStage:
    require(by, "conservation.change_project", project)
    if project.stages.count() >= MAX_STAGES:
        raise ValidationError({"name": f"最多 {MAX_STAGES} 个阶段。"})
    values = {"name": name, **dates}
    if errors := _stage_errors(values):
        raise ValidationError(errors)
    last = project.stages.order_by("-position").values_list("position", flat=True).first()
    stage = ProjectStage(project=project, position=(last or 0) + 1, **{k: values.get(k) for k in STAGE_FIELDS})
    stage.name = stage.name.strip()
    _clean(stage, exclude=["project"])
    stage.save()
    audit(actor=by, action="添加修复阶段", obj=project, note=stage.name)
    return stage


@transaction.atomic
def stage_update(*, stage: ProjectStage, by, **values) -> ProjectStage:
    require(by, "conservation.change_project", stage.project)
    merged = {k: values.get(k, getattr(stage, k)) for k in STAGE_FIELDS}
    if errors := _stage_errors(merged):
        raise ValidationError(errors)
    for key, value in merged.items():
        setattr(stage, key, value.strip() if isinstance(value, str) else value)
    _clean(stage, exclude=["project"])
    stage.save()
    audit(actor=by, action="修改修复阶段", obj=stage.project, note=stage.name)
    return stage


@transaction.atomic
def stage_remove(*, stage: ProjectStage, by) -> None:
    require(by, "conservation.change_project", stage.project)
    audit(actor=by, action="删除修复阶段", obj=stage.project, note=stage.name)
    stage.delete()


@transaction.atomic
def treatment_add(*, project: RestorationProject, by, date: datetime.date, action: str, done_by: str,
                  materials: str = "", obj=None, object_label: str = "", before=None, after=None) -> TreatmentRecord:
    """One treatment of one object on one day, with its before/after photos."""
    require(by, "conservation.change_project", project)
    if project.status != ProjectStatus.ACTIVE:
        raise ValidationError("项目已结束，不能再添加修复记录。")
    errors = {}
    if obj is None and not (object_label or "").strip():
        errors["obj"] = "请选择藏品，或手工填写文物名称。"
    elif obj is not None and obj.museum_id != project.museum_id:
        errors["obj"] = "只能选择本项目文物所属馆的藏品。"
    if date and date > timezone.localdate():
        errors["date"] = "日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    record = TreatmentRecord(project=project, obj=obj, object_label=(object_label or "").strip(), date=date,
                             action=(action or "").strip(), materials=(materials or "").strip(),
                             done_by=(done_by or "").strip(), recorded_by=by)
    _clean(record, exclude=["project", "obj", "recorded_by"])
    record.save()
    photos = []
    for file, caption in ((before, "修复前"), (after, "修复后")):
        if file:
            key = "before" if caption == "修复前" else "after"
            try:
                photo = attachment_new(owner=record, by=by, file=file, caption=caption, kind=AttachmentKind.PHOTO)
            except ValidationError as exc:
                raise ValidationError({key: exc.messages}) from None
            if not photo.is_image:
                raise ValidationError({key: "请上传照片（JPG、PNG 或 WebP）。"})
            photos.append(photo)
    for photo in photos:
        attachment_store(attachment=photo, by=by, audited=False)
    audit(actor=by, action="记录修复操作", obj=project, note=f"{record.object_name}：{record.action[:80]}")
    return record


@transaction.atomic
def project_file_add(*, project: RestorationProject, by, file=None, link: str = "", caption: str = "",
                     kind: str = AttachmentKind.DOCUMENT) -> Attachment:
    """A file of the project: the plan document, the approval, the final report (kind REPORT)…"""
    require(by, "conservation.change_project", project)
    if kind not in (AttachmentKind.DOCUMENT, AttachmentKind.REPORT, AttachmentKind.PHOTO):
        kind = AttachmentKind.DOCUMENT
    if kind == AttachmentKind.REPORT and project.status != ProjectStatus.ACTIVE:
        raise ValidationError({"kind": "项目已结束，修复报告不能再更换；其他资料请选“文件”类别上传。"})
    return attachment_add(owner=project, by=by, file=file, link=link, caption=caption, kind=kind)


def final_report(project: RestorationProject) -> Attachment | None:
    return project.attachments.filter(kind=AttachmentKind.REPORT).order_by("-pk").first()


@transaction.atomic
def project_complete(*, project: RestorationProject, by, summary: str = "",
                     on: datetime.date | None = None) -> RestorationProject:
    """The restoration is finished and its final report is in: one ledger entry (the helper helped the museum;
    objects restored)."""
    require(by, "conservation.change_project", project)
    RestorationProject.workflow.require_source(project, to=ProjectStatus.COMPLETED)
    if final_report(project) is None:
        raise ValidationError({"summary": "请先上传修复报告（附件类别选“报告”），再完成项目。"})
    on = _today(on)
    if project.started_on and on < project.started_on:
        raise ValidationError({"date": f"完成日期不能早于开始日期{cn_date(project.started_on)}。"})
    transition(project, to=ProjectStatus.COMPLETED, by=by, name="complete",
               set={"completed_on": on, "summary": (summary or "").strip()})
    count = object_count(project)
    how = "修复" if project.mode == RestorationMode.BY_HELPER else "指导修复"
    _ledger(by=by, helper=project.helper, helped=project.museum, kind="文物修复", date=on, objects=count,
            source_type=PROJECT_SOURCE, source_id=project.pk, source_label="修复项目",
            description=f"{project.helper.name}为{project.museum.name}{how}文物 {count} 件（{project.title}）")
    side = acting_side(by, project)
    tell_museum(project.museum_id if side == "helper" else project.helper_id,
                key=f"conservation-project-completed-{project.pk}", url=_project_url(project),
                title=f"修复项目「{project.title}」已完成，已记入帮扶台账")
    return project


@transaction.atomic
def project_cancel(*, project: RestorationProject, by, reason: str) -> RestorationProject:
    require(by, "conservation.change_project", project)
    transition(project, to=ProjectStatus.CANCELLED, by=by, name="cancel", reason=reason)
    return project
