"""Attachments (core.Attachment): any registered record owns files and links; one view serves the files after the
owner's access check (with the permission the owner registered); the services check the owner's change permission
and the upload checks; lists read a record's attachments in one query."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.api.services import token_create
from bangfu.core import attachments
from bangfu.core.attachments import attachment_add, attachment_remove
from bangfu.core.models import Attachment, AttachmentKind
from bangfu.ledger.services import ledger_record

from .factories import make_agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 report"


def pdf(name="总结.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def task(world):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训",
                                              "due_date": timezone.localdate() + datetime.timedelta(days=30)}])
    return agreement.tasks.get()


def entry(world, **evidence):
    return ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum,
                         area="people", kind="培训", date=datetime.date(2026, 3, 1), description="培训班",
                         people_trained=20, confirm_not_duplicate=True, **evidence)


def test_owners_declare_the_permissions_that_guard_their_attachments():
    assert attachments.rules_for("agreements.agreementtask").view == "pairings.view_pairing"
    assert attachments.rules_for("ledger.ledgerentry").view == "ledger.view_entry"
    assert attachments.rules_for("museums.museum") is None


def test_a_records_attachments_are_read_in_one_query(world, task):
    for index in range(3):
        attachment_add(owner=task, by=world.helper_staff, link=f"https://news.example.org/{index}")
    attachment_add(owner=task, by=world.helper_staff, file=pdf(), kind=AttachmentKind.REPORT)
    with CaptureQueriesContext(connection) as queries:
        found = list(Attachment.objects.for_object(task))
        names = [a.added_by.display_name for a in found]
    assert len(queries) == 1 and len(found) == 4 and len(names) == 4
    assert [a.kind for a in found] == ["other"] * 3 + ["report"]
    assert found[-1].original_name == "总结.pdf" and found[-1].size == len(PDF)


def test_the_service_checks_the_owners_change_permission_and_the_upload(world, task):
    with pytest.raises(PermissionDenied):
        attachment_add(owner=task, by=world.outsider, link="https://news.example.org/1")
    with pytest.raises(ValidationError) as refused:
        attachment_add(owner=task, by=world.helper_staff, file=SimpleUploadedFile("page.html", b"<html></html>"))
    assert "只接受" in refused.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as refused:
        attachment_add(owner=task, by=world.helper_staff, file=pdf(), link="https://news.example.org/1")
    assert "只选择一种" in refused.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        attachment_add(owner=task, by=world.helper_staff, link="javascript:alert(1)")
    with pytest.raises(ValueError, match="does not own attachments"):
        attachment_add(owner=world.helped_museum, by=world.admin, link="https://news.example.org/1")
    assert not Attachment.objects.exists()


def test_a_file_with_a_long_name_keeps_its_extension_and_is_accepted(world, task):
    """Files saved from WeChat or exported by Windows programs often have names far longer than the 120 characters
    kept: the name is shortened in its stem, so the file is still checked (and served) by its extension."""
    attachment = attachment_add(owner=task, by=world.helper_staff, file=pdf("工作总结" * 60 + ".pdf"))
    assert len(attachment.original_name) == 120 and attachment.original_name.endswith("总结.pdf")


def test_removing_an_attachment_deletes_its_file_after_the_commit(world, task, django_capture_on_commit_callbacks):
    report = attachment_add(owner=task, by=world.helper_staff, file=pdf())
    storage, name = report.file.storage, report.file.name
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=report, by=world.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=report, by=world.helper_staff)
    assert not storage.exists(name) and not Attachment.objects.exists()


def test_the_one_view_serves_a_file_to_those_who_may_see_its_owner(world, task, login, client):
    report = attachment_add(owner=task, by=world.helper_staff, file=pdf())
    url = reverse("attachment", args=[report.pk])
    for user in (world.helper_staff, world.helped_staff, world.admin, world.province_supervisor):
        response = login(user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%80%BB%E7%BB%93.pdf"
        assert response["Cache-Control"] == "private, no-store"
    for user in (world.outsider, world.city_supervisor, world.expert):
        assert login(user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(reverse("media", args=[report.file.name])).status_code == 404  # never from /media/


def test_links_missing_rows_and_unregistered_owners_are_not_served(world, task, login):
    link = attachment_add(owner=task, by=world.helper_staff, link="https://news.example.org/1")
    client = login(world.admin)
    assert client.get(reverse("attachment", args=[link.pk])).status_code == 404
    assert client.get(reverse("attachment", args=[10**9])).status_code == 404
    stray = Attachment.objects.create(owner=world.helped_museum, file="attachments/x.pdf")  # no registration
    assert client.get(reverse("attachment", args=[stray.pk])).status_code == 404


def test_a_file_is_never_served_as_html(world, task, login, settings):
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "page.html").write_bytes(b"<script>alert(1)</script>")
    planted = Attachment.objects.create(owner=task, file="attachments/page.html")
    assert login(world.admin).get(reverse("attachment", args=[planted.pk])).status_code == 404


def test_the_ledger_entry_page_lists_its_evidence(world, login):
    recorded = entry(world, evidence=pdf("签到表.pdf"), evidence_link="https://news.example.org/1")
    body = login(world.helped_staff).get(reverse("ledger:detail", args=[recorded.pk])).content.decode()
    file = recorded.evidence.files().get()
    assert reverse("attachment", args=[file.pk]) in body and "签到表.pdf" in body
    assert 'href="https://news.example.org/1"' in body and "删除" not in body  # nothing is removed afterwards


def test_a_ledger_entry_refuses_a_bad_link_by_its_field(world):
    with pytest.raises(ValidationError) as refused:
        entry(world, evidence_link="ftp://example.org/x")
    assert "evidence_link" in refused.value.message_dict


def test_the_api_lists_evidence_links_without_a_query_per_entry(world, client):
    raw = token_create(user=world.admin, name="测试")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/ledger?state=all", **headers)
        assert response.status_code == 200
        return len(queries), response.json()

    entry(world, evidence_link="https://news.example.org/0")
    few, _ = count()
    for index in range(1, 4):
        entry(world, evidence_link=f"https://news.example.org/{index}", **({"evidence": pdf()} if index == 2 else {}))
    many, listed = count()
    assert many <= few  # the first request also notes when the token was last used
    assert sorted(item["evidence_link"] for item in listed["items"]) == [
        f"https://news.example.org/{index}" for index in range(4)]
