"""A refused operation leaves no file behind: uploads are checked first and written only with their row (a
transaction's rollback removes rows, never files) — task completion, task evidence, ledger evidence, museum photos.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bangfu.agreements.services import task_complete
from bangfu.core.models import Attachment
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.services import ledger_record
from bangfu.museums.services import museum_add_photo

from .factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files(root) -> list:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def pdf(name="签到表.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 sign-in sheet")


def png(name="现场.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def task(world):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30)}])
    return agreement.tasks.get()


def test_a_completion_the_ledger_refuses_leaves_no_file(world, task, media):
    """The pairing began 200 days ago: a completion dated before it is refused by the ledger, after the checks
    the evidence passed."""
    before_start = task.agreement.pairing.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        task_complete(task=task, by=world.helper_staff, completed_on=before_start, evidence_file=pdf())
    assert files(media) == [] and not Attachment.objects.exists() and not LedgerEntry.objects.exists()
    assert "不能早于" in refused.value.message_dict["completed_on"][0]  # beside the form's date field


def test_a_completion_over_a_quantity_limit_leaves_no_file(world, task, media, login):
    response = login(world.helper_staff).post(reverse("agreements:task_complete", args=[task.pk]), {
        "completed_on": TODAY.isoformat(), "ledger_kind": "培训", "people_trained": "999999999", "days": "1",
        "object_count": "0", "visitors": "0", "money_yuan": "0", "evidence_file": png()})
    assert response.status_code == 400 and "people_trained" in response.context["complete_form"].errors
    assert files(media) == []


def test_a_completion_that_succeeds_keeps_its_file(world, task, media):
    task_complete(task=task, by=world.helper_staff, evidence_file=pdf())
    assert len(files(media)) == 1 and Attachment.objects.files().get().file.name.startswith("attachments/")


def test_a_ledger_entry_refused_as_a_duplicate_leaves_no_second_file(world, media):
    def entry():
        return ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                             kind="培训", date=datetime.date(2026, 3, 1), description="培训班",
                             source_type="agreements.task", source_id=42, evidence=pdf())

    entry()
    with pytest.raises(ValidationError, match="已经记入台账"):
        entry()
    assert len(files(media)) == 1 and LedgerEntry.objects.count() == 1


def test_a_ledger_entry_refused_by_its_checks_leaves_no_file(world, media):
    with pytest.raises(ValidationError):
        ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=datetime.date(2026, 3, 1), description="培训班", people_trained=10**9,
                      evidence=pdf())
    assert files(media) == []


def test_a_ledger_entry_with_a_bad_link_leaves_no_file(world, media):
    with pytest.raises(ValidationError) as refused:
        ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=datetime.date(2026, 3, 1), description="培训班", people_trained=10,
                      evidence=pdf(), evidence_link="javascript:alert(1)")
    assert "evidence_link" in refused.value.message_dict and files(media) == []


def test_a_museum_photo_refused_leaves_no_file(world, media):
    with pytest.raises(ValidationError):
        museum_add_photo(museum=world.helped_museum, by=world.helped_admin, image=png(), caption="长" * 101)
    assert files(media) == [] and not world.helped_museum.photos.exists()
    museum_add_photo(museum=world.helped_museum, by=world.helped_admin, image=png(), caption="展厅")
    assert len(files(media)) == 1
