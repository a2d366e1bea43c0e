"""Restoration projects: the museum owning the objects and the helper (restoring, or guiding the museum's own
restorers); the plan and its approval (一级文物 without national approval is warned of, not blocked); stages with
planned and actual dates (an editable list); treatment records with before/after photos; the final report; and
completion, which writes ONE ledger entry of the objects restored."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.conservation.models import DEFAULT_STAGES, ProjectStatus
from bangfu.conservation.services import (
    approval_warnings,
    project_approval,
    project_cancel,
    project_complete,
    project_create,
    project_file_add,
    stage_add,
    stage_remove,
    stage_update,
    treatment_add,
)
from bangfu.ledger.models import LedgerEntry

from .conservation_data import helped_object, pdf, png

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def a_project(world, **values):
    fields = {"title": "西周铜鼎修复", "plan": "清洗、除锈、加固、补配", "objects_by_hand": "残铜片"} | values
    return project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin, **fields)


def test_a_project_starts_with_the_usual_stages_in_order(world):
    project = a_project(world)
    assert list(project.stages.order_by("position").values_list("name", flat=True)) == list(DEFAULT_STAGES)
    assert project.status == ProjectStatus.ACTIVE


def test_either_museum_may_open_a_project_but_not_an_outsider_and_never_with_itself_as_helper(world):
    project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helper_staff, title="指导修复",
                   objects_by_hand="铜镜", mode="guided")
    with pytest.raises(PermissionDenied):
        project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.outsider, title="冒名",
                       objects_by_hand="铜镜")
    with pytest.raises(ValidationError) as refused:
        project_create(museum=world.helped_museum, helper=world.helped_museum, by=world.helped_admin, title="自己",
                       objects_by_hand="铜镜")
    assert "helper" in refused.value.message_dict


def test_a_first_grade_object_without_national_approval_is_warned_of_not_blocked(world):
    ding = helped_object(world, grade="一级", name="晋侯鼎")
    project = a_project(world, objects=[ding])
    warnings = project_approval(project=project, by=world.helped_admin, authority="山西省文物局",
                                number="晋文物函〔2026〕12号", date=TODAY)
    assert any("一级文物（晋侯鼎）" in w and "国家文物局" in w for w in warnings)
    project.refresh_from_db()
    assert project.approval_number == "晋文物函〔2026〕12号"
    assert project_approval(project=project, by=world.helped_admin, authority="国家文物局",
                            number="文物博函〔2026〕3号", date=TODAY, national=True) == []
    assert approval_warnings(project) == []


def test_an_approval_names_its_authority_number_and_a_date_not_in_the_future(world):
    project = a_project(world)
    with pytest.raises(ValidationError) as refused:
        project_approval(project=project, by=world.helped_admin, authority="", number="",
                         date=TODAY + datetime.timedelta(days=3))
    assert set(refused.value.message_dict) == {"authority", "number", "date"}


def test_stages_are_an_editable_list_with_planned_and_actual_dates_checked(world):
    project = a_project(world)
    stage = project.stages.get(name="清洗")
    stage_update(stage=stage, by=world.helper_staff, planned_start=TODAY, planned_end=TODAY + datetime.timedelta(10),
                 started_on=TODAY)
    stage.refresh_from_db()
    assert stage.started_on == TODAY
    with pytest.raises(ValidationError) as refused:
        stage_update(stage=stage, by=world.helper_staff, planned_end=TODAY - datetime.timedelta(5))
    assert refused.value.message_dict == {"planned_end": ["计划完成不能早于计划开始。"]}
    with pytest.raises(ValidationError) as refused:
        stage_update(stage=stage, by=world.helper_staff, finished_on=TODAY + datetime.timedelta(5))
    assert "finished_on" in refused.value.message_dict
    added = stage_add(project=project, by=world.helped_admin, name="包装入库")
    assert project.stages.order_by("position").last() == added
    stage_remove(stage=project.stages.get(name="做旧"), by=world.helped_admin)
    assert "做旧" not in set(project.stages.values_list("name", flat=True))
    with pytest.raises(PermissionDenied):
        stage_add(project=project, by=world.outsider, name="偷加")


def test_a_treatment_record_keeps_its_before_and_after_photos_and_only_the_projects_objects(world):
    ding = helped_object(world)
    project = a_project(world, objects=[ding])
    record = treatment_add(project=project, by=world.helper_staff, obj=ding, date=TODAY, action="去离子水清洗",
                           materials="去离子水", done_by="王师傅", before=png("前.png"), after=png("后.png"))
    assert sorted(record.attachments.values_list("caption", flat=True)) == ["修复前", "修复后"]
    with pytest.raises(ValidationError) as refused:
        treatment_add(project=project, by=world.helper_staff, date=TODAY, action="清洗", done_by="王师傅")
    assert "obj" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        treatment_add(project=project, by=world.helper_staff, object_label="残片", date=TODAY, action="清洗",
                      done_by="王师傅", before=pdf())
    assert "before" in refused.value.message_dict
    assert project.treatments.count() == 1


def test_completion_needs_the_final_report_and_writes_one_ledger_entry_of_the_objects_restored(world):
    ding = helped_object(world)
    project = a_project(world, objects=[ding], objects_by_hand="残铜片\n铜镜")
    with pytest.raises(ValidationError, match="请先上传修复报告"):
        project_complete(project=project, by=world.helped_admin)
    project_file_add(project=project, by=world.helper_staff, file=pdf(), kind="report", caption="修复报告")
    project_complete(project=project, by=world.helped_admin, summary="三件均完成修复")
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.completed_on == TODAY
    entry = LedgerEntry.objects.get(source_type="conservation.project", source_id=project.pk)
    assert (entry.helper, entry.helped, entry.area, entry.object_count) == (
        world.helper_museum, world.helped_museum, "conservation", 3)
    with pytest.raises(ValidationError):
        project_complete(project=project, by=world.helped_admin)
    assert LedgerEntry.objects.filter(source_type="conservation.project").count() == 1


def test_a_cancelled_project_takes_no_more_treatments_and_writes_nothing(world):
    project = a_project(world)
    project_cancel(project=project, by=world.helper_admin, reason="文物移交省院")
    with pytest.raises(ValidationError, match="项目已结束"):
        treatment_add(project=project, by=world.helper_staff, object_label="残片", date=TODAY, action="清洗",
                      done_by="王师傅")
    assert not LedgerEntry.objects.filter(source_type="conservation.project").exists()
