"""The conservation pages in the access matrix (see tests/test_access_matrix.py): an XRF service of the helper
museum's lab, a request for it by the helped museum (with a file), a 会诊 case of the helped museum with its
helper, an invited expert (the world's expert account) and an opinion, and a restoration project with a treatment
record and its photo. The outsider (staff of an unrelated museum) reads the catalogue and may request a service or
open a case or project of its own (the empty forms come back), gets 403 for another lab's service, and 404 for the
request, the case and the project."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.conservation.services import (
    consultation_file_add,
    consultation_invite,
    consultation_open,
    opinion_add,
    project_create,
    project_file_add,
    request_create,
    request_file_add,
    service_create,
    treatment_add,
)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _url(name, attr):
    return lambda w: reverse(f"conservation:{name}", args=[getattr(w, attr).pk])


def _stage(name):
    return lambda w: reverse(f"conservation:{name}", args=[w.restoration.pk, w.restoration_stage.pk])


def _list(name):
    return lambda w: reverse(f"conservation:{name}")


REQUEST_STEPS = ("request_approve", "request_accept", "request_start", "request_deliver", "request_close",
                 "request_decline", "request_withdraw", "request_file_add")
CASE_STEPS = ("consultation_invite", "opinion_add", "consultation_conclude", "consultation_cancel",
              "consultation_to_project", "consultation_file_add")
PROJECT_STEPS = ("project_plan", "project_approval", "stage_add", "treatment_add", "project_file_add",
                 "project_complete", "project_cancel")

MATRIX = {
    "conservation:home": (_list("home"), 200, 302),
    "conservation:services": (_list("services"), 200, 302),
    "conservation:service_create": (_list("service_create"), 200, 302),
    "conservation:service_edit": (_url("service_edit", "lab_service"), 403, 302),
    "conservation:request_create": (_url("request_create", "lab_service"), 200, 302),
    "conservation:requests": (_list("requests"), 200, 302),
    "conservation:request": (_url("request", "service_request"), 404, 302),
    **{f"conservation:{n}": (_url(n, "service_request"), 404, 302) for n in REQUEST_STEPS},
    "conservation:consultations": (_list("consultations"), 200, 302),
    "conservation:consultation_create": (_list("consultation_create"), 200, 302),
    "conservation:consultation": (_url("consultation", "consultation"), 404, 302),
    **{f"conservation:{n}": (_url(n, "consultation"), 404, 302) for n in CASE_STEPS},
    "conservation:projects": (_list("projects"), 200, 302),
    "conservation:project_create": (_list("project_create"), 200, 302),
    "conservation:project": (_url("project", "restoration"), 404, 302),
    **{f"conservation:{n}": (_url(n, "restoration"), 404, 302) for n in PROJECT_STEPS},
    "conservation:stage_update": (_stage("stage_update"), 404, 302),
    "conservation:stage_remove": (_stage("stage_remove"), 404, 302),
}
POST_ONLY = {f"conservation:{n}" for n in (*REQUEST_STEPS, *CASE_STEPS, *PROJECT_STEPS, "stage_update",
                                           "stage_remove")}


def png(name="照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def scene(world):
    today = timezone.localdate()
    world.lab_service = service_create(
        museum=world.helper_museum, by=world.helper_admin, kind="testing", name="青铜器成分无损检测",
        methods="XRF, 拉曼", description="便携式 XRF 现场检测合金成分。", destructive_possible=True,
        contact="文保中心 0351-0000000")
    world.service_request = request_create(
        service=world.lab_service, museum=world.helped_museum, by=world.helped_staff, method="XRF",
        purpose="判断铜镜合金配比", objects_by_hand="汉代铜镜", sample_count=0)
    request_file_add(request=world.service_request, by=world.helped_staff, file=png("铜镜.png"))
    world.consultation = consultation_open(
        museum=world.helped_museum, by=world.helped_admin, title="彩绘陶俑颜料脱落", problem="颜料层起甲脱落",
        helper=world.helper_museum, objects_by_hand="彩绘陶俑")
    consultation_file_add(consultation=world.consultation, by=world.helped_admin, file=png("陶俑.png"))
    consultation_invite(consultation=world.consultation, by=world.admin, experts=[world.expert_profile])
    opinion_add(consultation=world.consultation, by=world.expert, text="建议先做颜料层加固试验。")
    world.restoration = project_create(
        museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin, title="铜镜修复",
        objects_by_hand="汉代铜镜")
    world.restoration_stage = world.restoration.stages.order_by("position").first()
    treatment_add(project=world.restoration, by=world.helper_staff, date=today, action="去离子水清洗",
                  done_by="张师傅", object_label="汉代铜镜", before=png("前.png"))
    project_file_add(project=world.restoration, by=world.helper_staff, file=png("方案.png"), caption="方案")
