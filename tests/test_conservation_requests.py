"""Lab service requests: a museum asks another museum's lab for a service about its objects; destructive sampling
waits for the requesting museum's admin (never its staff); the lab accepts, works and delivers a report, which
writes one ledger entry; the requester closes it with its satisfaction; either side may decline or withdraw with a
reason. Everything through the services, as the pages call them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.conservation.models import RequestStatus, ServiceRequest
from bangfu.conservation.services import (
    request_accept,
    request_approve_sampling,
    request_close,
    request_create,
    request_decline,
    request_deliver,
    request_start,
    request_withdraw,
    service_update,
)
from bangfu.core.models import AttachmentKind, AuditEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.notifications.models import Notification

from .conservation_data import a_request, helped_object, pdf, xrf

pytestmark = pytest.mark.django_db


def delivered(world, **values):
    request = a_request(world, **values)
    request_accept(request=request, by=world.helper_staff)
    request_start(request=request, by=world.helper_staff)
    return request_deliver(request=request, by=world.helper_staff, summary="铜锡铅三元合金，锡 14%。", file=pdf())


def test_a_non_destructive_request_goes_straight_to_the_lab_and_the_lab_hears_of_it(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = a_request(world)
    assert request.status == RequestStatus.REQUESTED
    assert request.lab == world.helper_museum and request.museum == world.helped_museum
    assert Notification.objects.filter(user=world.helper_admin, url=reverse("conservation:request",
                                                                           args=[request.pk])).exists()


def test_destructive_sampling_waits_for_the_requesting_museums_admin_before_the_lab_may_accept(world):
    request = a_request(world, destructive=True)
    assert request.status == RequestStatus.AWAITING_APPROVAL
    with pytest.raises(ValidationError, match="有损取样尚未经申请馆的馆管理员批准"):
        request_accept(request=request, by=world.helper_admin)
    request_approve_sampling(request=request, by=world.helped_admin, note="同意在底部取样两处")
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED
    assert request.approved_by == world.helped_admin and request.approved_at is not None
    assert request.approval_note == "同意在底部取样两处"
    request_accept(request=request, by=world.helper_admin)
    assert AuditEntry.objects.for_object(request).filter(action="批准有损取样").exists()


def test_museum_staff_cannot_approve_destructive_sampling_nor_can_the_lab(world):
    request = a_request(world, destructive=True)
    for user in (world.helped_staff, world.helper_admin, world.admin):
        with pytest.raises(PermissionDenied):
            request_approve_sampling(request=request, by=user)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_APPROVAL and request.approved_by is None


def test_destructive_sampling_is_refused_for_a_service_that_takes_no_samples(world):
    service = xrf(world, destructive_possible=False, name="X光探伤")
    with pytest.raises(ValidationError) as refused:
        a_request(world, service=service, destructive=True)
    assert "destructive" in refused.value.message_dict


def test_a_request_names_at_least_one_object_and_only_the_requesters_own(world):
    with pytest.raises(ValidationError) as refused:
        a_request(world, objects_by_hand="  \n ")
    assert refused.value.message_dict["objects"] == ["请至少选择一件藏品，或在“其他文物”中每行填写一件。"]
    from bangfu.objects.services import object_create

    theirs = object_create(museum=world.other_museum, by=world.outsider_admin, name="铜镜", registration_number="T-1")
    with pytest.raises(ValidationError, match="只能选择安泽县博物馆的藏品"):
        a_request(world, objects=[theirs])


def test_a_lab_cannot_request_its_own_service_and_a_museum_only_requests_for_itself(world):
    service = xrf(world)
    with pytest.raises(PermissionDenied):
        request_create(service=service, museum=world.helper_museum, by=world.helper_staff, purpose="自检",
                       objects_by_hand="铜镜")
    with pytest.raises(PermissionDenied):
        request_create(service=service, museum=world.other_museum, by=world.helped_staff, purpose="代申请",
                       objects_by_hand="铜镜")


def test_a_paused_service_takes_no_requests(world):
    service = xrf(world)
    service_update(service=service, by=world.helper_staff, is_active=False)
    with pytest.raises(PermissionDenied):
        a_request(world, service=service)


def test_delivery_writes_one_ledger_entry_the_lab_helping_the_requester_with_the_objects_analysed(world):
    obj = helped_object(world)
    request = delivered(world, objects=[obj], objects_by_hand="汉代铜镜", sample_count=3)
    assert request.status == RequestStatus.DELIVERED
    entry = LedgerEntry.objects.get(source_type="conservation.service", source_id=request.pk)
    assert (entry.helper, entry.helped, entry.area) == (world.helper_museum, world.helped_museum, "conservation")
    assert entry.object_count == 2
    assert "样品 3 个" in entry.description and "XRF" in entry.description
    report = request.attachments.get()
    assert report.kind == AttachmentKind.REPORT


def test_a_report_is_required_to_deliver_and_nothing_is_written_without_one(world):
    request = a_request(world)
    request_accept(request=request, by=world.helper_staff)
    request_start(request=request, by=world.helper_staff)
    with pytest.raises(ValidationError) as refused:
        request_deliver(request=request, by=world.helper_staff, summary="结论")
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        request_deliver(request=request, by=world.helper_staff, summary=" ", file=pdf())
    assert refused.value.message_dict == {"summary": ["请填写报告摘要（主要结论）。"]}
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert not LedgerEntry.objects.filter(source_type="conservation.service").exists()


def test_only_the_lab_moves_the_work_and_only_the_requester_closes_it(world):
    request = a_request(world)
    with pytest.raises(PermissionDenied):
        request_accept(request=request, by=world.helped_admin)
    request = delivered(world)
    with pytest.raises(PermissionDenied):
        request_close(request=request, by=world.helper_admin, satisfaction=5)
    request_close(request=request, by=world.helped_staff, satisfaction=4, comment="报告详实")
    request.refresh_from_db()
    assert (request.status, request.satisfaction, request.comment) == (RequestStatus.CLOSED, 4, "报告详实")


def test_a_satisfaction_outside_one_to_five_is_refused_beside_its_field(world):
    request = delivered(world)
    with pytest.raises(ValidationError) as refused:
        request_close(request=request, by=world.helped_staff, satisfaction=9)
    assert "satisfaction" in refused.value.message_dict


def test_declining_and_withdrawing_need_a_reason_and_end_the_request(world):
    request = a_request(world)
    with pytest.raises(ValidationError) as refused:
        request_decline(request=request, by=world.helper_staff, reason="  ")
    assert refused.value.message_dict == {"reason": ["婉拒必须说明原因。"]}
    request_decline(request=request, by=world.helper_staff, reason="设备检修至年底")
    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.DECLINED
    other = a_request(world, destructive=True)
    request_withdraw(request=other, by=world.helped_staff, reason="改为送省考古院")
    assert ServiceRequest.objects.get(pk=other.pk).status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        request_withdraw(request=other, by=world.helped_staff, reason="再撤一次")


def test_the_lab_cannot_deliver_before_it_started(world):
    request = a_request(world)
    request_accept(request=request, by=world.helper_staff)
    with pytest.raises(ValidationError, match="不能改为“报告已交付”"):
        request_deliver(request=request, by=world.helper_staff, summary="结论", file=pdf())


def test_the_association_may_file_a_request_for_a_museum_without_an_account(world):
    request = request_create(service=xrf(world), museum=world.other_museum, by=world.admin, purpose="代为申请",
                             objects_by_hand="石碑拓片")
    assert request.museum == world.other_museum and request.status == RequestStatus.REQUESTED
