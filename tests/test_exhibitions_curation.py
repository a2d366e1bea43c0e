"""Co-curation: a small museum's project guided by its helper through six stages, with planned and actual dates;
both sides record guidance (with files); the museum advances the stages; the opening writes one ledger entry and
撤展 closes the project."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.core.attachments import attachment_remove
from bangfu.core.models import AuditEntry
from bangfu.exhibitions.models import Guidance, ProjectStatus, Stage
from bangfu.exhibitions.services import (
    guidance_add,
    project_advance,
    project_cancel,
    project_close,
    project_create,
    project_open,
    project_plan,
)
from bangfu.ledger.models import LedgerEntry
from bangfu.pairings.services import pairing_create

from .exhibitions_data import day

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def project(world):
    return project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin,
                          title="安泽历史文化陈列", started_on=day(-40),
                          plan={"topic": (day(-40), day(-30)), "content": (day(-30), day(-20))})


def advance_to(project, by, stage):
    while project.stage != stage:
        project = project_advance(project=project, by=by, on=day(-5))
    return project


def test_a_project_starts_at_the_first_stage_with_six_stage_records(project):
    records = {r.stage: r for r in project.stages.all()}
    assert list(records) == list(Stage.values)
    assert project.stage == Stage.TOPIC and project.status == ProjectStatus.ACTIVE
    assert records["topic"].started_on == day(-40) and records["topic"].planned_end == day(-30)
    assert records["content"].started_on is None


def test_the_project_belongs_to_the_open_pairing_of_the_two(world):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=day(-100), end_date=day(900))
    project = project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helper_staff,
                             title="荀子故里")
    assert project.pairing == pairing


def test_an_outsider_cannot_create_a_project_for_other_museums(world):
    with pytest.raises(PermissionDenied):
        project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.outsider, title="x")


def test_advancing_records_actual_dates(world, project):
    project = project_advance(project=project, by=world.helped_staff, on=day(-28))
    records = {r.stage: r for r in project.stages.all()}
    assert project.stage == Stage.CONTENT
    assert records["topic"].finished_on == day(-28) and records["content"].started_on == day(-28)


def test_only_the_museum_moves_its_stages(world, project):
    with pytest.raises(PermissionDenied):
        project_advance(project=project, by=world.helper_admin)
    with pytest.raises(PermissionDenied):
        project_advance(project=project, by=world.outsider)


def test_a_stage_cannot_finish_before_it_started_nor_in_the_future(world, project):
    with pytest.raises(ValidationError, match="不能早于本阶段的开始日期"):
        project_advance(project=project, by=world.helped_admin, on=day(-50))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        project_advance(project=project, by=world.helped_admin, on=day(3))


def test_both_sides_record_guidance_with_files_and_the_other_side_hears(world, project,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = guidance_add(project=project, by=world.helper_staff, stage="topic", date=day(-35),
                            note="建议以荀子故里和古城遗址为两条线索。",
                            file=SimpleUploadedFile("选题意见.pdf", PDF, content_type="application/pdf"))
    assert note.attachments.count() == 1
    assert world.helped_admin.notifications.filter(title__contains="指导").exists()
    guidance_add(project=project, by=world.helped_staff, stage="topic", date=day(-34), note="已按意见修改大纲。")
    assert project.guidance.count() == 2
    with pytest.raises(PermissionDenied):
        guidance_add(project=project, by=world.outsider, stage="topic", date=day(-1), note="x")


def test_guidance_for_a_later_stage_or_a_future_date_is_refused(world, project):
    with pytest.raises(ValidationError) as refused:
        guidance_add(project=project, by=world.helper_staff, stage="build", date=day(-1), note="x")
    assert "stage" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        guidance_add(project=project, by=world.helper_staff, stage="topic", date=day(2), note="x")
    assert "date" in refused.value.message_dict


def test_the_opening_writes_one_ledger_entry_helper_helped_museum(world, project):
    project = advance_to(project, world.helped_admin, Stage.BUILD)
    with pytest.raises(ValidationError):  # not before the build stage is reached
        project_close(project=project, by=world.helped_admin)
    project = project_open(project=project, by=world.helped_admin, opened_on=day(-3), visitors=800)
    assert (project.status, project.stage, project.opened_on) == (ProjectStatus.OPEN, Stage.OPENING, day(-3))
    entry = LedgerEntry.objects.get(source_type="exhibitions.project", source_id=project.pk)
    assert (entry.helper, entry.helped, entry.area, entry.visitors) == (
        world.helper_museum, world.helped_museum, "exhibition", 800)
    with pytest.raises(ValidationError):
        project_open(project=project, by=world.helped_admin, opened_on=day(-2))
    project = project_advance(project=project, by=world.helped_admin, on=day(-1))
    assert (project.status, project.stage, project.closed_on) == (ProjectStatus.DONE, Stage.CLOSING, day(-1))
    assert LedgerEntry.objects.filter(source_type="exhibitions.project").count() == 1
    with pytest.raises(ValidationError):
        project_advance(project=project, by=world.helped_admin)


def test_opening_before_the_build_stage_is_refused(world, project):
    with pytest.raises(ValidationError, match="施工布展"):
        project_open(project=project, by=world.helped_admin, opened_on=day(-1))


def test_a_cancelled_project_needs_a_reason_and_takes_no_more_steps(world, project):
    with pytest.raises(ValidationError, match="取消必须说明原因"):
        project_cancel(project=project, by=world.helped_admin, reason="")
    project_cancel(project=project, by=world.helped_admin, reason="经费未落实")
    with pytest.raises(ValidationError):
        project_advance(project=project, by=world.helped_admin)
    with pytest.raises(ValidationError):
        guidance_add(project=project, by=world.helper_staff, stage="topic", date=day(-1), note="x")


def test_the_visitors_recorded_at_closing_correct_the_openings_ledger_entry(world, project):
    project = advance_to(project, world.helped_admin, Stage.BUILD)
    project = project_open(project=project, by=world.helped_admin, opened_on=day(-3), visitors=1234)
    project = project_close(project=project, by=world.helped_admin, closed_on=day(-1), visitors=5000)
    entry = LedgerEntry.objects.get(source_type="exhibitions.project", source_id=project.pk)
    assert (project.visitors, entry.visitors) == (5000, 5000)
    assert "观众人次" in entry.correction_reason
    assert LedgerEntry.objects.filter(source_type="exhibitions.project").count() == 1


def test_planned_dates_in_the_year_9999_are_refused_beside_the_field(world, project):
    with pytest.raises(ValidationError) as refused:
        project_plan(project=project, by=world.helped_admin,
                     plan={"form": (day(10), datetime.date(9999, 12, 31))})
    assert "请检查年份" in refused.value.message_dict["form_end"][0]
    with pytest.raises(ValidationError) as refused:
        project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin,
                       title="远期项目", planned_opening=datetime.date(9999, 12, 31))
    assert "planned_opening" in refused.value.message_dict


def test_a_helpers_staff_create_projects_only_for_a_museum_they_are_paired_with(world):
    with pytest.raises(ValidationError) as refused:
        project_create(museum=world.other_museum, helper=world.helper_museum, by=world.helper_staff, title="x")
    assert "没有进行中的结对" in refused.value.message_dict["museum"][0]
    pairing_create(by=world.admin, helper=world.helper_museum, helped=world.other_museum,
                   start_date=day(-10), end_date=day(300))
    project = project_create(museum=world.other_museum, helper=world.helper_museum, by=world.helper_staff,
                             title="天镇历史陈列")
    assert project.pairing.helped == world.other_museum


def test_a_museum_names_as_helper_a_programme_helper_or_its_pairing_partner_only(world):
    with pytest.raises(ValidationError) as refused:
        project_create(museum=world.helped_museum, helper=world.other_museum, by=world.helped_admin, title="x")
    assert "不能担任指导馆" in refused.value.message_dict["helper"][0]
    assert project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin,
                          title="安泽陈列").pairing is None
    # the association arranges guidance between any two museums
    assert project_create(museum=world.helped_museum, helper=world.other_museum, by=world.admin, title="协会安排")


def test_a_guidance_file_is_removed_by_its_author_only_and_the_removal_audited(world, project, login):
    note = guidance_add(project=project, by=world.helper_staff, stage="topic", date=day(-1), note="选题意见",
                        file=SimpleUploadedFile("意见.pdf", PDF, content_type="application/pdf"))
    attachment = note.attachments.get()
    url = reverse("attachment_remove", args=[attachment.pk])
    other_side = login(world.helped_admin)
    assert "删除附件" not in other_side.get(reverse("exhibitions:project", args=[project.pk])).content.decode()
    assert other_side.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        attachment.owner = note
        attachment_remove(attachment=attachment, by=world.helper_admin)  # a colleague, not the author
    author = login(world.helper_staff)
    page = author.get(reverse("exhibitions:project", args=[project.pk])).content.decode()
    assert "删除附件" in page and "意见" in page
    assert author.post(url).status_code == 302
    assert not note.attachments.exists() and Guidance.objects.filter(pk=note.pk).exists()
    assert AuditEntry.objects.filter(action="删除文件", object_type="exhibitions.guidance", object_id=note.pk,
                                     actor=world.helper_staff).exists()
    assert login(world.outsider).post(url).status_code == 404


def test_the_plan_saved_unchanged_keeps_its_dates(world, project, login):
    client = login(world.helped_admin)
    url = reverse("exhibitions:project_edit", args=[project.pk])
    page = client.get(url).content.decode()
    inputs = re.findall(r"<input[^>]*>", page)
    dates = {}
    for tag in inputs:
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="date"' in tag and name:
            dates[name.group(1)] = value.group(1) if value else ""
    assert day(-40).isoformat() in dates.values()  # what a browser's date picker shows (not 2026/01/06)
    other = {"title": project.title, "description": project.description, "venue": project.venue, **dates}
    assert client.post(url, other).status_code == 302
    record = project.stages.get(stage="topic")
    assert (record.planned_start, record.planned_end) == (day(-40), day(-30))
