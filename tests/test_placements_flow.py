"""A placement from request to completion: the sending museum's admin requests (staff cannot), the host's admin
agrees with a mentor or declines with a reason (staff of either side cannot; other museums get 404), monthly
reports by the placed person commented by the mentor, reminders for a late report and a report waiting for its
comment, and the final assessment writing the certificate and ONE ledger entry (none for 不合格's certificate)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.learning.models import Certificate, HoursEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.notifications.models import Notification
from bangfu.pairings.services import pairing_create
from bangfu.placements import reminders
from bangfu.placements.models import PlacementRule, PlacementStatus
from bangfu.placements.services import (
    placement_agree,
    placement_complete,
    placement_decline,
    placement_request,
    report_comment,
    report_submit,
    rule_update,
)

from .placements_data import requested, running, term

pytestmark = pytest.mark.django_db


def test_only_the_sending_museums_admin_requests_for_their_own_staff(world):
    start, end = term(4)
    with pytest.raises(PermissionDenied):
        placement_request(by=world.helped_staff, host=world.helper_museum, person=world.helped_staff,
                          kind="study", start=start, end=end, goals="学习")
    with pytest.raises(ValidationError) as refused:
        placement_request(by=world.helped_admin, host=world.helped_museum, person=world.outsider,
                          kind="study", start=start, end=end, goals="学习")
    assert {"host", "person"} <= set(refused.value.message_dict)


def test_the_host_admin_agrees_naming_the_mentor_and_the_pairing_is_linked(world, django_capture_on_commit_callbacks):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=timezone.localdate() - datetime.timedelta(days=200),
                             end_date=timezone.localdate() + datetime.timedelta(days=500))
    with django_capture_on_commit_callbacks(execute=True):
        placement = requested(world)
    assert placement.pairing_id == pairing.pk
    assert Notification.objects.filter(user=world.helper_admin, key=f"placement-requested-{placement.pk}").exists()
    for user in (world.helper_staff, world.helped_admin):
        with pytest.raises(PermissionDenied):
            placement_agree(placement=placement, by=user, mentor=world.helper_staff)
    with pytest.raises(ValidationError):
        placement_agree(placement=placement, by=world.helper_admin, mentor=world.helped_staff)  # not the host's
    with django_capture_on_commit_callbacks(execute=True):
        placement_agree(placement=placement, by=world.helper_admin, mentor=world.helper_staff)
    placement.refresh_from_db()
    assert (placement.status, placement.mentor) == (PlacementStatus.AGREED, world.helper_staff)
    assert Notification.objects.filter(user=world.helper_staff, key=f"placement-mentor-{placement.pk}").exists()


def test_a_placement_without_a_pairing_is_allowed_and_says_so(world):
    assert requested(world).pairing_id is None


def test_declining_needs_a_reason_and_other_museums_get_404(world, login):
    placement = requested(world)
    with pytest.raises(ValidationError):
        placement_decline(placement=placement, by=world.helper_admin, reason=" ")
    assert login(world.outsider_admin).post(reverse("placements:decline", args=[placement.pk]),
                                            {"decline-reason": "不接收"}).status_code == 404
    assert login(world.helper_staff).post(reverse("placements:decline", args=[placement.pk]),
                                          {"decline-reason": "不接收"}).status_code == 403
    response = login(world.helper_admin).post(reverse("placements:decline", args=[placement.pk]),
                                              {"decline-reason": "本年度名额已满"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.DECLINED


def test_monthly_reports_are_written_by_the_person_and_commented_by_the_mentor(world):
    placement = running(world, months_ago=1)
    month = placement.start
    with pytest.raises(PermissionDenied):
        report_submit(placement=placement, by=world.helped_admin, month=month, work_done="x", learned="y")
    report = report_submit(placement=placement, by=world.helped_staff, month=month, work_done="参与布展",
                           learned="展线设计方法", next_plan="学习文物包装")
    with pytest.raises(ValidationError) as twice:
        report_submit(placement=placement, by=world.helped_staff, month=month, work_done="x", learned="y")
    assert "month" in twice.value.message_dict
    with pytest.raises(PermissionDenied):
        report_comment(report=report, by=world.helped_staff, comment="好")
    report_comment(report=report, by=world.helper_staff, comment="进步明显，注意总结")
    report.refresh_from_db()
    assert report.comment == "进步明显，注意总结" and report.commented_by == world.helper_staff


def test_a_late_report_reminds_the_person_and_a_waiting_one_the_mentor(world):
    placement = running(world, months_ago=3)
    today = timezone.localdate()
    due = reminders.collect(today, 7)
    late = [r for r in due if r.key.startswith(f"placements-report-late-{placement.pk}-")]
    assert {r.user for r in late} == {world.helped_staff}
    assert len(late) >= 2  # the months that ended more than 7 days ago
    report_submit(placement=placement, by=world.helped_staff, month=placement.start, work_done="整理库房",
                  learned="账目规范")
    later = today + datetime.timedelta(days=4)
    due = reminders.collect(later, 7)
    assert f"placements-report-late-{placement.pk}-{placement.start:%Y%m}" not in {r.key for r in due}
    assert [r.user for r in due if r.key.startswith("placements-report-comment-")] == [world.helper_staff]


def test_completion_issues_the_certificate_and_writes_one_ledger_entry(world, django_capture_on_commit_callbacks):
    placement = running(world, months_ago=4, months=4)
    with pytest.raises(PermissionDenied):
        placement_complete(placement=placement, by=world.helped_admin, grade="good", assessment="好")
    with pytest.raises(ValidationError):
        placement_complete(placement=placement, by=world.helper_admin, grade="best", assessment="")
    with django_capture_on_commit_callbacks(execute=True):
        placement_complete(placement=placement, by=world.helper_admin, grade="excellent",
                           assessment="圆满完成学习任务")
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.COMPLETED
    certificate = Certificate.objects.get(source_type="placements.placement", source_id=placement.pk)
    assert certificate.person == world.helped_staff and certificate.kind == "placement"
    entry = LedgerEntry.objects.get(source_type="placements.placement", source_id=placement.pk)
    assert (entry.helper, entry.helped, entry.area, entry.people_trained) == (
        world.helper_museum, world.helped_museum, "people", 1)
    assert entry.days == placement.days
    assert not HoursEntry.objects.filter(source_type="placements.placement").exists()  # the rule credits none
    with pytest.raises(ValidationError):
        placement_complete(placement=placement, by=world.helper_admin, grade="good", assessment="再次")
    assert LedgerEntry.objects.filter(source_type="placements.placement").count() == 1
    assert Certificate.objects.filter(source_type="placements.placement").count() == 1
    assert Notification.objects.filter(user=world.helped_staff,
                                       key=f"placement-completed-person-{placement.pk}").exists()


def test_a_failed_placement_gets_no_certificate_but_its_ledger_entry_and_credited_hours_follow_the_rule(world):
    rule_update(by=world.admin, min_months=3, max_months=6, credit_hours=40)
    failed = running(world, months_ago=4, months=4)
    placement_complete(placement=failed, by=world.helper_admin, grade="fail", assessment="未完成任务")
    assert not Certificate.objects.filter(source_id=failed.pk, source_type="placements.placement").exists()
    assert LedgerEntry.objects.filter(source_type="placements.placement", source_id=failed.pk).count() == 1
    assert PlacementRule.current().credit_hours == 40


def test_credited_hours_count_into_the_persons_record(world):
    rule_update(by=world.admin, min_months=3, max_months=6, credit_hours=40)
    placement = running(world, months_ago=4, months=4)
    placement_complete(placement=placement, by=world.helper_admin, grade="pass", assessment="合格")
    assert HoursEntry.objects.get(source_type="placements.placement", source_id=placement.pk).hours == 40
