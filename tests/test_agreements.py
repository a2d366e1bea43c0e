"""Agreements: drafting, two-side confirmation, amendments, tasks and the ledger, evidence, progress reports, the
.docx and print view, and who may do what."""

import datetime
import io
import zipfile
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn
from PIL import Image

from bangfu.agreements.models import AgreementStatus, AgreementVersion, ProgressReport, TaskStatus
from bangfu.agreements.services import (
    agreement_confirm,
    agreement_create,
    agreement_submit,
    agreement_update,
    evidence_add,
    report_submit,
    task_complete,
    task_update,
    terms_fingerprint,
)
from bangfu.core.models import AuditEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.notifications.models import Notification
from bangfu.pairings.models import PairingStatus
from bangfu.pairings.services import pairing_create

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def photo(name="活动现场.png"):
    return SimpleUploadedFile(name, png(), content_type="image/png")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()



@pytest.fixture
def pairing(world):
    return pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                          start_date=days(-90), end_date=days(700))


def draft(world, pairing, *, tasks=1, due=30):
    """A draft agreement with a goal and `tasks` tasks, made by the helper museum's staff."""
    agreement = agreement_create(pairing=pairing, by=world.helper_staff)
    agreement_update(
        agreement=agreement, by=world.helper_staff,
        data={"deliverables": "联合举办展览 1 个\n培训县馆讲解员 20 人次"},
        goals={"exhibition": "联合策划一个县域历史展览", "people": "培训县馆业务骨干"},
        tasks=[{"title": f"讲解员培训第{i + 1}期", "area": "people", "due_date": days(due + i), "ledger_kind": "培训",
                "people_trained": 20, "days": Decimal("2.0")} for i in range(tasks)],
    )
    agreement.refresh_from_db()
    return agreement


def confirmed(world, pairing, *, helped_admin=None, **kwargs):
    agreement = draft(world, pairing, **kwargs)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement_confirm(agreement=agreement, by=helped_admin or world.helped_admin)
    agreement.refresh_from_db()
    return agreement


# --- drafting and confirming ------------------------------------------------------------------------------


def test_a_new_agreement_takes_its_title_and_term_from_the_pairing(world, pairing):
    agreement = agreement_create(pairing=pairing, by=world.helped_staff)
    assert agreement.title == "山西博物院与安泽县博物馆帮扶协议"
    assert (agreement.term_start, agreement.term_end) == (pairing.start_date, pairing.end_date)
    assert agreement.status == AgreementStatus.DRAFT and agreement.version == 1
    with pytest.raises(ValidationError, match="已有帮扶协议"):
        agreement_create(pairing=pairing, by=world.admin)


def test_an_outsider_cannot_draft_an_agreement(world, pairing):
    with pytest.raises(PermissionDenied):
        agreement_create(pairing=pairing, by=world.outsider_admin)
    with pytest.raises(PermissionDenied):
        agreement_create(pairing=pairing, by=world.province_supervisor)


def test_both_confirmations_freeze_a_version_and_the_pairing_becomes_agreed(world, pairing):
    agreement = draft(world, pairing, tasks=2)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    agreement_confirm(agreement=agreement, by=world.helped_admin)
    agreement.refresh_from_db()
    pairing.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING and pairing.status == PairingStatus.PROPOSED
    assert agreement.helped_confirmed_by == world.helped_admin and agreement.helped_confirmed_at is not None
    assert agreement.helper_confirmed_at is None

    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement.refresh_from_db()
    pairing.refresh_from_db()
    assert agreement.status == AgreementStatus.CONFIRMED
    assert agreement.helper_confirmed_by == world.helper_admin
    assert pairing.status == PairingStatus.AGREED
    version = AgreementVersion.objects.get(agreement=agreement)
    assert version.version == 1
    assert [t["title"] for t in version.content["tasks"]] == ["讲解员培训第1期", "讲解员培训第2期"]
    assert {g["area"] for g in version.content["goals"]} == {"exhibition", "people"}
    assert version.content["deliverables"] == ["联合举办展览 1 个", "培训县馆讲解员 20 人次"]
    assert version.content["confirmations"]["helper"]["by"] == world.helper_admin.display_name
    assert AuditEntry.objects.filter(object_type="agreements.agreement", action="帮扶方确认协议").exists()


def test_only_a_museum_admin_of_each_side_confirms_and_only_once(world, pairing):
    agreement = draft(world, pairing)
    with pytest.raises(ValidationError, match="草拟中"):
        agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    for person in (world.helper_staff, world.helped_staff, world.admin, world.outsider_admin,
                   world.province_supervisor):
        with pytest.raises(PermissionDenied):
            agreement_confirm(agreement=agreement, by=person)
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    with pytest.raises(ValidationError, match="已确认过"):
        agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING


def test_an_agreement_needs_goals_and_tasks_before_submission(world, pairing):
    agreement = agreement_create(pairing=pairing, by=world.helper_staff)
    with pytest.raises(ValidationError, match="目标"):
        agreement_submit(agreement=agreement, by=world.helper_staff)
    agreement_update(agreement=agreement, by=world.helper_staff, goals={"education": "博物馆进校园"})
    with pytest.raises(ValidationError, match="任务"):
        agreement_submit(agreement=agreement, by=world.helper_staff)


def test_changing_an_agreement_awaiting_confirmation_clears_the_confirmations(world, pairing):
    agreement = draft(world, pairing)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement_update(agreement=agreement, by=world.helped_staff, data={"background": "县馆展陈陈旧，亟需提升"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.helper_confirmed_at is None and agreement.version == 1


# --- amendments ---------------------------------------------------------------------------------------------


def test_a_confirmed_agreement_cannot_be_changed_without_an_amendment_note(world, pairing):
    agreement = confirmed(world, pairing)
    with pytest.raises(ValidationError) as exc:
        agreement_update(agreement=agreement, by=world.helper_staff, data={"title": "改了名字的协议"})
    assert "amendment_note" in exc.value.error_dict
    agreement.refresh_from_db()
    assert agreement.title == "山西博物院与安泽县博物馆帮扶协议" and agreement.is_confirmed


def test_changing_a_confirmed_agreement_opens_an_amendment_both_sides_confirm_again(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    agreement_update(agreement=agreement, by=world.helped_staff, amendment_note="培训推迟两周",
                     tasks=[{"id": task.pk, "due_date": days(44)}])
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.status == AgreementStatus.DRAFT
    assert agreement.amendment_note == "培训推迟两周"
    assert agreement.helper_confirmed_at is None and agreement.helped_confirmed_at is None
    first = AgreementVersion.objects.get(agreement=agreement, version=1)
    assert first.content["tasks"][0]["due_date"] == days(30).isoformat()  # the confirmed text stays as it was
    # further edits of the open amendment do not open another one
    agreement_update(agreement=agreement, by=world.helped_staff, data={"background": "补充背景"})
    agreement.refresh_from_db()
    assert agreement.version == 2

    agreement_submit(agreement=agreement, by=world.helped_staff)
    agreement_confirm(agreement=agreement, by=world.helped_admin)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CONFIRMED
    second = AgreementVersion.objects.get(agreement=agreement, version=2)
    assert second.note == "培训推迟两周" and second.content["tasks"][0]["due_date"] == days(44).isoformat()
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.AGREED


def test_working_details_of_a_task_change_without_an_amendment(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    agreement_update(agreement=agreement, by=world.helper_staff, tasks=[
        {"id": task.pk, "responsible": world.helper_staff, "ledger_kind": "讲解培训", "people_trained": 30}])
    agreement.refresh_from_db()
    task.refresh_from_db()
    assert agreement.is_confirmed and agreement.version == 1
    assert (task.responsible, task.ledger_kind, task.people_trained) == (world.helper_staff, "讲解培训", 30)
    assert AuditEntry.objects.filter(action="修改任务执行信息").exists()


def test_actual_quantities_of_a_completed_task_are_not_shown_as_an_amendment(world, pairing, login):
    agreement = confirmed(world, pairing, tasks=2)
    first, second = agreement.tasks.all()
    task_complete(task=first, by=world.helper_staff, people_trained=23, evidence_file=photo())
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="第二期推迟",
                     tasks=[{"id": second.pk, "due_date": days(60)}])
    body = login(world.helper_staff).get(reverse("agreements:pairing", args=[pairing.pk])).content.decode()
    assert "第 2 版修订中" in body and "修改任务·讲解员培训第2期" in body
    assert "修改任务·讲解员培训第1期" not in body


def test_task_deadlines_stay_within_the_term_and_responsible_people_work_for_the_owner_side(world, pairing):
    agreement = draft(world, pairing)
    with pytest.raises(ValidationError, match="协议期限"):
        agreement_update(agreement=agreement, by=world.helper_staff,
                         tasks=[{"title": "过期任务", "area": "research", "due_date": days(900)}])
    with pytest.raises(ValidationError, match="负责方"):
        agreement_update(agreement=agreement, by=world.helper_staff,
                         tasks=[{"title": "展览", "area": "exhibition", "due_date": days(60), "owner_side": "helper",
                                 "responsible": world.helped_staff}])
    with pytest.raises(ValidationError, match="负责方"):
        agreement_update(agreement=agreement, by=world.helper_staff,
                         tasks=[{"title": "展览", "area": "exhibition", "due_date": days(60), "owner_side": "both",
                                 "responsible": world.outsider}])
    assert agreement.tasks.count() == 1


# --- tasks and the ledger -----------------------------------------------------------------------------------


def test_tasks_move_only_after_both_sides_confirmed(world, pairing):
    agreement = draft(world, pairing)
    task = agreement.tasks.get()
    with pytest.raises(ValidationError, match="确认后"):
        task_update(task=task, by=world.helper_staff, progress=30)
    with pytest.raises(ValidationError, match="确认后"):
        task_complete(task=task, by=world.helper_staff, evidence_file=photo())


def test_a_task_added_by_an_open_amendment_waits_for_its_confirmation(world, pairing):
    agreement = confirmed(world, pairing)
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="增加一期修复培训",
                     tasks=[{"title": "修复培训", "area": "conservation", "due_date": days(90)}])
    new = agreement.tasks.get(title="修复培训")
    with pytest.raises(ValidationError, match="修订"):
        task_update(task=new, by=world.helper_staff, progress=10)
    old = agreement.tasks.get(title="讲解员培训第1期")
    task_update(task=old, by=world.helper_staff, progress=40)  # the confirmed tasks carry on
    old.refresh_from_db()
    assert old.progress == 40 and old.status == TaskStatus.DOING


def test_progress_updates_record_status_progress_and_responsible(world, pairing):
    task = confirmed(world, pairing).tasks.get()
    task_update(task=task, by=world.helper_staff, status=TaskStatus.DOING, progress=55, responsible=world.helper_admin)
    task.refresh_from_db()
    assert (task.status, task.progress, task.responsible) == (TaskStatus.DOING, 55, world.helper_admin)
    with pytest.raises(ValidationError):
        task_update(task=task, by=world.helper_staff, status=TaskStatus.DONE)
    with pytest.raises(ValidationError):
        task_update(task=task, by=world.helper_staff, progress=120)
    with pytest.raises(PermissionDenied):
        task_update(task=task, by=world.city_supervisor, progress=60)
    with pytest.raises(PermissionDenied):  # the side the task helps cannot cancel or re-assign it
        task_update(task=task, by=world.helped_staff, status=TaskStatus.CANCELLED)


def test_completing_a_task_writes_exactly_one_ledger_entry_with_its_quantities(world, pairing):
    task = confirmed(world, pairing).tasks.get()
    task_complete(task=task, by=world.helper_staff, people_trained=24, visitors=300, evidence_file=photo(),
                  completed_on=days(-1), note="两天集中培训")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.progress == 100 and task.completed_by == world.helper_staff
    entry = LedgerEntry.objects.get()
    assert (entry.helper, entry.helped, entry.pairing) == (world.helper_museum, world.helped_museum, pairing)
    assert (entry.source_type, entry.source_id) == ("agreements.task", task.pk)
    assert (entry.area, entry.kind, entry.date) == ("people", "培训", days(-1))
    assert entry.description == "讲解员培训第1期：两天集中培训"  # the completion note reaches the ledger
    assert (entry.people_trained, entry.days, entry.visitors) == (24, Decimal("2.0"), 300)
    assert entry.confirmation == "confirmed"
    assert entry.evidence_link == ""  # no stored URL: the entry links to its task through the source
    assert entry.source_url == f"/pairings/tasks/{task.pk}/" and entry.source_name == "协议任务"

    with pytest.raises(ValidationError, match="已经完成"):
        task_complete(task=task, by=world.helped_staff, evidence_link="https://example.org/news")
    assert LedgerEntry.objects.count() == 1


def test_a_task_without_a_kind_is_recorded_as_an_agreement_task(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    agreement_update(agreement=agreement, by=world.helper_staff, tasks=[{"id": task.pk, "ledger_kind": ""}])
    task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/report")
    assert LedgerEntry.objects.get().kind == "协议任务"


def test_completion_needs_evidence_and_a_date_that_has_come(world, pairing):
    task = confirmed(world, pairing).tasks.get()
    with pytest.raises(ValidationError, match="佐证"):
        task_complete(task=task, by=world.helper_staff)
    with pytest.raises(ValidationError):
        task_complete(task=task, by=world.helper_staff, completed_on=days(3), evidence_file=photo())
    assert LedgerEntry.objects.count() == 0 and task.evidence.count() == 0


def test_a_completed_task_can_be_neither_removed_nor_changed(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    task_complete(task=task, by=world.helper_staff, evidence_file=photo())
    with pytest.raises(ValidationError, match="不能删除"):
        agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="删掉",
                         tasks=[{"id": task.pk, "delete": True}])
    with pytest.raises(ValidationError, match="不能再修改"):
        agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="改名",
                         tasks=[{"id": task.pk, "title": "别的名字"}])
    with pytest.raises(ValidationError):
        task_update(task=task, by=world.helper_staff, status=TaskStatus.TODO)


# --- evidence -----------------------------------------------------------------------------------------------


def test_a_photo_is_checked_and_stored_under_a_random_name(world, pairing):
    task = draft(world, pairing).tasks.get()
    evidence = evidence_add(task=task, by=world.helper_staff, file=photo("现场照片.png"))
    assert evidence.file.name.startswith("attachments/") and evidence.file.name.endswith(".png")
    assert "现场" not in evidence.file.name and evidence.original_name == "现场照片.png" and evidence.is_image
    assert evidence.label == "现场照片.png" and evidence.kind == "evidence" and evidence.size > 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("fake.png", b"<html><script>alert(1)</script></html>", "图片"),
    ("report.pdf", b"<html>not a pdf</html>", "不符"),
    ("report.docx", b"PK\x03\x04 not really a zip", "不符"),
    ("tool.exe", b"MZ\x90\x00", "只接受"),
    ("page.html", b"<html></html>", "只接受"),
])
def test_evidence_files_are_checked_by_extension_and_content(world, pairing, name, content, message):
    task = draft(world, pairing).tasks.get()
    with pytest.raises(ValidationError, match=message):
        evidence_add(task=task, by=world.helper_staff, file=SimpleUploadedFile(name, content))
    assert task.evidence.count() == 0


def test_documents_are_accepted_up_to_the_evidence_limit(world, pairing, settings):
    task = draft(world, pairing).tasks.get()
    evidence_add(task=task, by=world.helper_staff, file=SimpleUploadedFile("总结.pdf", b"%PDF-1.7\n" + b"0" * 100))
    evidence_add(task=task, by=world.helper_staff, file=SimpleUploadedFile("签到表.docx", docx_bytes()))
    evidence_add(task=task, by=world.helper_staff, link="https://www.shanxi.gov.cn/news/1", caption="新闻报道")
    assert task.evidence.count() == 3
    settings.UPLOAD_MAX_EVIDENCE_MB = 1
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="1 MB"):
        evidence_add(task=task, by=world.helper_staff, file=big)
    with pytest.raises(ValidationError):
        evidence_add(task=task, by=world.helper_staff, link="javascript:alert(1)")


def test_evidence_files_are_served_only_to_those_who_see_the_pairing(world, pairing, login, client):
    task = draft(world, pairing).tasks.get()
    image = evidence_add(task=task, by=world.helper_staff, file=photo())
    pdf = evidence_add(task=task, by=world.helper_staff, file=SimpleUploadedFile("总结.pdf", b"%PDF-1.4\n%%EOF"))
    assert client.get(reverse("media", args=[image.file.name])).status_code == 404  # not a public folder

    login(world.outsider)
    assert client.get(reverse("attachment", args=[image.pk])).status_code == 404
    login(world.province_supervisor)
    response = client.get(reverse("attachment", args=[image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    response = client.get(reverse("attachment", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


# --- progress reports ---------------------------------------------------------------------------------------


def test_each_side_writes_one_report_per_quarter_and_may_rewrite_it(world, pairing):
    first = report_submit(pairing=pairing, by=world.helper_staff, summary="完成首期培训")
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1
    assert (first.side, first.year, first.quarter) == ("helper", year, quarter)
    again = report_submit(pairing=pairing, by=world.helper_admin, summary="完成首期培训，反响良好", problems="经费紧张")
    assert again.pk == first.pk and ProgressReport.objects.count() == 1
    again.refresh_from_db()
    assert again.summary == "完成首期培训，反响良好" and again.author == world.helper_admin
    report_submit(pairing=pairing, by=world.helped_staff, summary="派两人参加培训")
    assert ProgressReport.objects.filter(pairing=pairing).count() == 2


def test_reports_are_for_quarters_that_have_begun_and_only_by_the_parties(world, pairing):
    with pytest.raises(ValidationError, match="尚未开始"):
        report_submit(pairing=pairing, by=world.helper_staff, summary="x", year=TODAY.year + 1, quarter=1)
    with pytest.raises(ValidationError, match="进展"):
        report_submit(pairing=pairing, by=world.helper_staff, summary="  ")
    with pytest.raises(PermissionDenied):
        report_submit(pairing=pairing, by=world.admin, summary="协会代写")


# --- notifications ------------------------------------------------------------------------------------------


def test_submission_and_confirmation_notify_the_museum_admins(world, pairing):
    agreement = draft(world, pairing)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"helper_admin", "helped_admin"}
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    assert Notification.objects.filter(user=world.helped_admin, title__contains="等待贵馆确认").count() == 2
    assert not Notification.objects.filter(user=world.helper_admin, title__contains="已确认《").exists()


# --- the .docx and the print view ---------------------------------------------------------------------------


def _docx_text(content: bytes) -> tuple[str, docx.document.Document]:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts), document


def test_the_docx_lists_the_parties_tasks_and_signature_block(world, pairing, login):
    agreement = confirmed(world, pairing, tasks=3)
    response = login(world.helped_staff).get(reverse("agreements:docx", args=[pairing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    text, document = _docx_text(response.content)
    assert agreement.title in text
    assert "甲方（帮扶方）：山西博物院" in text and "乙方（受援方）：安泽县博物馆" in text
    for title in ("讲解员培训第1期", "讲解员培训第2期", "讲解员培训第3期"):
        assert title in text
    assert "盖章" in text and "日期" in text and "联合策划一个县域历史展览" in text and "联合举办展览 1 个" in text
    assert f"平台确认：{world.helper_admin.display_name}" in text
    task_table = document.tables[0]
    assert [c.text for c in task_table.rows[0].cells] == ["序号", "领域", "任务内容", "负责方", "负责人", "完成期限"]
    assert len(task_table.rows) == 4
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_an_old_version_prints_and_exports_as_it_was_confirmed(world, pairing, login):
    agreement = confirmed(world, pairing)
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="更名",
                     data={"title": "山西博物院帮扶安泽县博物馆协议（修订）"})
    client = login(world.helper_staff)
    text, _ = _docx_text(client.get(reverse("agreements:docx", args=[pairing.pk]) + "?v=1").content)
    assert "山西博物院与安泽县博物馆帮扶协议" in text and "修订）" not in text
    current, _ = _docx_text(client.get(reverse("agreements:docx", args=[pairing.pk])).content)
    assert "山西博物院帮扶安泽县博物馆协议（修订）" in current and "草案" in current
    body = client.get(reverse("agreements:print", args=[pairing.pk]) + "?v=1").content.decode()
    assert "山西博物院与安泽县博物馆帮扶协议" in body and "留档原文" in body
    assert client.get(reverse("agreements:print", args=[pairing.pk]) + "?v=9").status_code == 404


def test_the_print_view_is_a_printable_page_of_the_agreement(world, pairing, login):
    confirmed(world, pairing, tasks=2)
    body = login(world.province_supervisor).get(reverse("agreements:print", args=[pairing.pk])).content.decode()
    assert "@media print" in body and "@page" in body
    assert "讲解员培训第1期" in body and "讲解员培训第2期" in body and "（盖章）" in body


# --- pages and permissions ----------------------------------------------------------------------------------


def test_the_pairing_page_shows_parties_agreement_tasks_and_ledger(world, pairing, login):
    agreement = confirmed(world, pairing, tasks=2)
    task = agreement.tasks.first()
    task_complete(task=task, by=world.helper_staff, evidence_file=photo())
    body = login(world.helped_staff).get(reverse("agreements:pairing", args=[pairing.pk])).content.decode()
    assert "山西博物院" in body and "安泽县博物馆" in body and "已签约" in body
    assert "讲解员培训第1期" in body and "讲解员培训第2期" in body
    assert world.helper_admin.display_name in body  # who confirmed
    assert 'data-testid="ledger"' in body and "培训人数 20 人次" in body
    assert "timeline-data" in body


def test_overdue_tasks_are_flagged_in_red(world, pairing, login):
    agreement = confirmed(world, pairing)
    agreement_update(agreement=agreement, by=world.helper_staff, amendment_note="补录已过期任务",
                     tasks=[{"title": "逾期的修复方案", "area": "conservation", "due_date": days(-5)}])
    overdue = agreement.tasks.get(title="逾期的修复方案")
    client = login(world.helper_staff)
    body = client.get(reverse("agreements:pairing", args=[pairing.pk])).content.decode()
    assert "task-overdue" in body and "1 项已逾期" in body
    body = client.get(reverse("agreements:task", args=[overdue.pk])).content.decode()
    assert "已逾期 5 天" in body


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login_page(world, pairing, login, client):
    draft(world, pairing)
    url = reverse("agreements:pairing", args=[pairing.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert login(world.outsider_admin).get(url).status_code == 404
    assert login(world.city_supervisor).get(url).status_code == 404  # 大同 supervises neither museum


def test_a_supervisor_reads_but_cannot_act(world, pairing, login):
    agreement = draft(world, pairing)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    task = agreement.tasks.get()
    client = login(world.province_supervisor)
    assert client.get(reverse("agreements:pairing", args=[pairing.pk])).status_code == 200
    assert client.get(reverse("agreements:task", args=[task.pk])).status_code == 200
    assert client.get(reverse("agreements:edit", args=[pairing.pk])).status_code == 403
    assert client.get(reverse("agreements:report", args=[pairing.pk])).status_code == 403
    for name, arg in (("confirm", pairing.pk), ("submit", pairing.pk), ("task_complete", task.pk),
                      ("task_progress", task.pk), ("evidence_add", task.pk)):
        assert client.post(reverse(f"agreements:{name}", args=[arg])).status_code == 403, name


def test_museum_staff_cannot_confirm_through_the_page(world, pairing, login):
    agreement = draft(world, pairing)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    response = login(world.helper_staff).post(reverse("agreements:confirm", args=[pairing.pk]))
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.helper_confirmed_at is None


def test_drafting_editing_and_confirming_through_the_pages(world, pairing, login):
    client = login(world.helper_staff)
    response = client.post(reverse("agreements:create", args=[pairing.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("agreements:edit", args=[pairing.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "各领域帮扶目标" in page.content.decode()
    form = {
        "title": "山西博物院—安泽县博物馆结对帮扶协议", "term_start": days(-90), "term_end": days(700),
        "background": "", "deliverables": "巡展 1 次",
        "goal-exhibition": "引进一个成熟展览", "goal-people": "",
        "task-TOTAL_FORMS": "2", "task-INITIAL_FORMS": "0", "task-MIN_NUM_FORMS": "0", "task-MAX_NUM_FORMS": "1000",
        "task-0-title": "“晋国霸业”巡展", "task-0-area": "exhibition", "task-0-owner_side": "helper",
        "task-0-responsible": str(world.helper_staff.pk), "task-0-due_date": days(120), "task-0-ledger_kind": "巡展",
        "task-1-title": "", "task-1-area": "", "task-1-owner_side": "helper", "task-1-due_date": "",
    }
    response = client.post(reverse("agreements:edit", args=[pairing.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = pairing.agreement
    agreement.refresh_from_db()
    assert agreement.title == "山西博物院—安泽县博物馆结对帮扶协议"
    task = agreement.tasks.get()
    assert (task.title, task.responsible, task.ledger_kind) == ("“晋国霸业”巡展", world.helper_staff, "巡展")
    assert client.post(reverse("agreements:submit", args=[pairing.pk])).status_code == 302
    agreement.refresh_from_db()
    read = {"fingerprint": terms_fingerprint(agreement)}  # what the confirm button carries
    login(world.helper_admin).post(reverse("agreements:confirm", args=[pairing.pk]), read)
    login(world.helped_admin).post(reverse("agreements:confirm", args=[pairing.pk]), read)
    agreement.refresh_from_db()
    assert agreement.is_confirmed
    body = login(world.helped_staff).get(reverse("agreements:pairing", args=[pairing.pk])).content.decode()
    assert "已确认" in body and "第 1 版" in body and 'data-testid="versions"' in body


def test_a_bad_task_row_shows_the_error_and_saves_nothing(world, pairing, login):
    agreement = draft(world, pairing)
    task = agreement.tasks.get()
    client = login(world.helper_staff)
    form = {
        "title": agreement.title, "term_start": agreement.term_start, "term_end": agreement.term_end,
        "background": "", "deliverables": "",
        "task-TOTAL_FORMS": "1", "task-INITIAL_FORMS": "1", "task-MIN_NUM_FORMS": "0", "task-MAX_NUM_FORMS": "1000",
        "task-0-id": str(task.pk), "task-0-title": task.title, "task-0-area": task.area, "task-0-owner_side": "helper",
        "task-0-due_date": days(5000), "task-0-ledger_kind": "",
    }
    response = client.post(reverse("agreements:edit", args=[pairing.pk]), form)
    assert response.status_code == 400 and "协议期限" in response.content.decode()
    task.refresh_from_db()
    assert task.due_date == days(30)


def test_the_side_a_task_helps_cannot_mark_it_done(world, pairing, login):
    """The helper's task counts in the helper's evaluation: the helped side cannot record it (nor inflate it)."""
    task = confirmed(world, pairing).tasks.get()
    with pytest.raises(PermissionDenied):
        task_complete(task=task, by=world.helped_staff, money_yuan=5_000_000, evidence_link="https://example.org/x")
    response = login(world.helped_staff).post(reverse("agreements:task_complete", args=[task.pk]), {
        "completed_on": TODAY, "ledger_kind": "培训", "people_trained": "1", "days": "0", "object_count": "0",
        "visitors": "0", "money_yuan": "0", "note": "", "evidence_link": "https://example.org/x",
    })
    assert response.status_code in (400, 403)
    assert not LedgerEntry.objects.exists()


def test_a_confirmed_task_cannot_be_deleted_by_an_amendment(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    with pytest.raises(ValidationError, match="标记为已取消"):
        agreement_update(agreement=agreement, by=world.helped_staff, tasks=[{"id": task.pk, "delete": True}],
                         amendment_note="删掉")
    assert agreement.tasks.filter(pk=task.pk).exists()


def test_a_task_whose_terms_an_open_amendment_changes_waits_for_both_confirmations(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    agreement_update(agreement=agreement, by=world.helped_staff, tasks=[{"id": task.pk, "area": "research"}],
                     amendment_note="改领域")
    with pytest.raises(ValidationError, match="修订"):
        task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/x")
    assert not LedgerEntry.objects.exists()


def test_completing_a_task_with_a_photo_through_the_page(world, pairing, login):
    task = confirmed(world, pairing).tasks.get()
    client = login(world.helper_staff)
    response = client.post(reverse("agreements:task_complete", args=[task.pk]), {
        "completed_on": TODAY, "ledger_kind": "培训", "people_trained": "18", "days": "2", "object_count": "0",
        "visitors": "0", "money_yuan": "0", "note": "", "evidence_file": photo(), "evidence_link": "",
    })
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert entry.people_trained == 18 and entry.source_id == task.pk
    body = client.get(reverse("agreements:task", args=[task.pk])).content.decode()
    assert "已记入帮扶台账" in body and reverse("attachment", args=[task.evidence.get().pk]) in body


def test_completing_a_task_twice_says_why_the_second_is_refused(world, pairing, login):
    task = confirmed(world, pairing).tasks.get()
    client = login(world.helper_staff)
    form = {"completed_on": TODAY, "ledger_kind": "培训", "people_trained": "18", "days": "2", "object_count": "0",
            "visitors": "0", "money_yuan": "0", "note": "", "evidence_link": "https://example.org/report"}
    client.post(reverse("agreements:task_complete", args=[task.pk]), form)
    response = client.post(reverse("agreements:task_complete", args=[task.pk]), form, follow=True)
    assert "已经完成" in response.content.decode() and LedgerEntry.objects.count() == 1


def test_evidence_needs_a_file_or_a_link_and_says_so_beside_the_file(world, pairing, login):
    task = confirmed(world, pairing).tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:evidence_add", args=[task.pk]),
                                              {"link": "", "caption": "签到表"})
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"] == ["请上传一个文件或填写一个链接（只选一种）。"]


def test_a_bad_evidence_upload_is_shown_on_the_task_page(world, pairing, login):
    task = confirmed(world, pairing).tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:evidence_add", args=[task.pk]), {
        "file": SimpleUploadedFile("a.pdf", b"not a pdf"), "link": "", "caption": ""})
    assert response.status_code == 400 and "不符" in response.content.decode()


def test_writing_a_report_through_the_page(world, pairing, login):
    client = login(world.helped_staff)
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1
    response = client.post(reverse("agreements:report", args=[pairing.pk]), {
        "year": year, "quarter": quarter, "summary": "县馆两名讲解员参加培训", "problems": "", "next_steps": ""})
    assert response.status_code == 302
    body = client.get(reverse("agreements:pairing", args=[pairing.pk])).content.decode()
    assert "县馆两名讲解员参加培训" in body and "已提交，可修改" in body


def test_the_pairing_page_query_count_does_not_grow_with_tasks(world, pairing, login):
    few_pairing = pairing
    confirmed(world, few_pairing, tasks=5)
    other = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.other_museum,
                           start_date=days(-90), end_date=days(700))
    confirmed(world, other, tasks=50, helped_admin=world.outsider_admin)
    for task in other.agreement.tasks.all()[:10]:
        task_complete(task=task, by=world.helper_staff, evidence_file=photo())
    for task in few_pairing.agreement.tasks.all()[:1]:
        task_complete(task=task, by=world.helper_staff, evidence_file=photo())
    client = login(world.helper_staff)

    def count(p):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("agreements:pairing", args=[p.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    count(few_pairing)  # warm the session
    assert count(other) == count(few_pairing)


def test_the_agreement_edit_page_query_count_does_not_grow_with_tasks(world, pairing, login):
    draft(world, pairing, tasks=2)
    other = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.other_museum,
                           start_date=days(-90), end_date=days(700))
    draft(world, other, tasks=20)
    client = login(world.helper_staff)

    def count(p):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("agreements:edit", args=[p.pk]))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    count(pairing)  # warm the session
    assert count(other) == count(pairing)


def test_the_association_moves_the_pairing_status_from_its_page(world, pairing, login):
    url = reverse("agreements:pairing", args=[pairing.pk])
    assert reverse("pairings:status", args=[pairing.pk]) in login(world.admin).get(url).content.decode()
    assert reverse("pairings:status", args=[pairing.pk]) not in login(world.helper_admin).get(url).content.decode()


def test_a_confirmation_is_refused_when_the_terms_changed_after_the_admin_read_them(world, pairing, login):
    agreement = confirmed(world, pairing)
    agreement_update(agreement=agreement, by=world.helper_staff, data={"background": "新的背景"},
                     amendment_note="补充背景")
    agreement_submit(agreement=agreement, by=world.helper_staff)
    agreement.refresh_from_db()
    read = terms_fingerprint(agreement)
    agreement_update(agreement=agreement, by=world.helped_staff, data={"background": "又改了"},
                     amendment_note="再改")
    agreement_submit(agreement=agreement, by=world.helped_staff)
    client = login(world.helper_admin)
    client.post(reverse("agreements:confirm", args=[pairing.pk]), {"fingerprint": read})
    agreement.refresh_from_db()
    assert agreement.helper_confirmed_at is None
    client.post(reverse("agreements:confirm", args=[pairing.pk]), {"fingerprint": terms_fingerprint(agreement)})
    agreement.refresh_from_db()
    assert agreement.helper_confirmed_at is not None


def test_an_open_amendment_does_not_move_a_deadline_until_both_confirm(world, pairing):
    agreement = confirmed(world, pairing)
    task = agreement.tasks.get()
    from bangfu.agreements.models import AgreementTask

    AgreementTask.objects.filter(pk=task.pk).update(due_date=days(-3), agreed_due_date=days(-3))  # overdue now
    agreement_update(agreement=agreement, by=world.helped_staff, tasks=[{"id": task.pk, "due_date": days(30)}],
                     amendment_note="延期")
    task.refresh_from_db()
    assert task.is_overdue and AgreementTask.objects.overdue().filter(pk=task.pk).exists()
    agreement_submit(agreement=agreement, by=world.helped_staff)
    agreement_confirm(agreement=agreement, by=world.helper_admin)
    agreement_confirm(agreement=agreement, by=world.helped_admin)
    task.refresh_from_db()
    assert not task.is_overdue and task.deadline == days(30)
