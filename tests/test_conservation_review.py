"""Defects found in review: the evidence of a ledger entry (a delivered request's report, a completed project's
final report) stays; a 会诊 photo is a photo; a closed case takes no more files."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.conservation.models import Consultation
from bangfu.conservation.services import (
    consultation_conclude,
    consultation_file_add,
    consultation_invite,
    consultation_open,
    final_report,
    project_complete,
    project_create,
    project_file_add,
    request_accept,
    request_deliver,
    request_start,
)
from bangfu.core.attachments import attachment_remove, may_remove
from bangfu.core.models import AttachmentKind
from bangfu.experts.services import expert_create

from .conservation_data import a_request, pdf, png, xrf

pytestmark = pytest.mark.django_db


def test_the_report_of_a_delivered_request_cannot_be_removed_by_the_lab_nor_the_association(world):
    request = a_request(world)
    request_accept(request=request, by=world.helper_staff)
    request_start(request=request, by=world.helper_staff)
    request_deliver(request=request, by=world.helper_staff, summary="铜锡铅三元合金。", file=pdf())
    report = request.attachments.get(kind=AttachmentKind.REPORT)
    for who in (world.helper_staff, world.admin):
        assert not may_remove(who, report)
        with pytest.raises(PermissionDenied):
            attachment_remove(attachment=report, by=who)
    assert request.attachments.filter(kind=AttachmentKind.REPORT).count() == 1


def test_the_final_report_of_a_completed_project_stays_but_its_other_files_follow_the_usual_rule(world):
    project = project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helper_staff,
                             title="铜佛造像修复", objects_by_hand="铜佛造像")
    document = project_file_add(project=project, by=world.helper_staff, file=pdf("方案.pdf"))
    project_file_add(project=project, by=world.helper_staff, file=pdf(), kind=AttachmentKind.REPORT)
    project_complete(project=project, by=world.helper_staff, summary="修复完成")
    report = project.attachments.get(kind=AttachmentKind.REPORT)
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=report, by=world.helper_staff)
    assert may_remove(world.helper_staff, document)


def test_a_case_photo_that_is_not_an_image_is_refused_beside_the_photo_field_and_no_case_is_left(world):
    with pytest.raises(ValidationError) as refused:
        consultation_open(museum=world.helped_museum, by=world.helped_admin, title="彩绘陶俑颜料起甲",
                          problem="颜料层起甲", objects_by_hand="彩绘陶俑", helper=world.helper_museum,
                          photos=[pdf()])
    assert "请上传照片" in refused.value.message_dict["photos"][0]
    assert not Consultation.objects.exists()


def test_nobody_adds_files_to_a_concluded_case_not_even_an_invited_expert(world):
    sun = expert_create(by=world.admin, name="孙文博", organisation="山西博物院", areas=["conservation"],
                        user=world.expert)
    case = consultation_open(museum=world.helped_museum, by=world.helped_admin, title="彩绘陶俑颜料起甲",
                             problem="颜料层起甲", objects_by_hand="彩绘陶俑", helper=world.helper_museum,
                             photos=[png()])
    consultation_invite(consultation=case, by=world.admin, experts=[sun])
    consultation_file_add(consultation=case, by=world.expert, file=png("局部.png"))
    consultation_conclude(consultation=case, by=world.helped_admin, conclusion="先加固后清洗。")
    for who in (world.expert, world.helped_admin):
        with pytest.raises(ValidationError) as refused:
            consultation_file_add(consultation=case, by=who, file=png("补充.png"))
        assert refused.value.message_dict["file"] == ["会诊已结束，不能再上传附件。"]
    assert case.attachments.count() == 2


def test_an_object_or_expert_id_beyond_64_bits_is_refused_beside_its_field_not_a_server_error(world, login):
    service = xrf(world)
    case = consultation_open(museum=world.helped_museum, by=world.helped_admin, title="彩绘陶俑颜料起甲",
                             problem="颜料层起甲", objects_by_hand="彩绘陶俑", helper=world.helper_museum)
    page = login(world.helped_staff).post(f"/conservation/services/{service.pk}/request/", {
        "objects": "99999999999999999999999", "purpose": "成分分析", "objects_by_hand": ""})
    assert page.status_code == 400 and "请从列表中选择" in page.content.decode()
    page = login(world.helper_staff).post(f"/conservation/consultations/{case.pk}/invite/",
                                          {"experts": ["１２", "99999999999999999999999"]})
    assert page.status_code == 400 and "请从列表中选择" in page.content.decode()


def test_a_completed_project_takes_no_other_final_report_so_the_one_behind_its_ledger_entry_stays_final(world):
    project = project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helper_staff,
                             title="铜佛造像修复", objects_by_hand="铜佛造像")
    first = project_file_add(project=project, by=world.helper_staff, file=pdf(), kind=AttachmentKind.REPORT)
    project_complete(project=project, by=world.helper_staff, summary="修复完成")
    with pytest.raises(ValidationError) as refused:
        project_file_add(project=project, by=world.helped_admin, file=pdf("另一份.pdf"), kind=AttachmentKind.REPORT)
    assert "不能再更换" in refused.value.message_dict["kind"][0]
    project_file_add(project=project, by=world.helped_admin, file=pdf("验收意见.pdf"))
    assert final_report(project) == first
