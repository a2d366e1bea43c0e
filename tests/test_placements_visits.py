"""Guidance visits (短期工作指导): a helped museum asks its helper (or a helper offers), the other side's admin agrees
or declines, the helper reports it done with photos (checked as images) and ONE ledger entry is written; visits are
short (≤ 30 days); outsiders get 404."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.core.attachments import may_remove
from bangfu.core.models import Attachment
from bangfu.ledger.models import LedgerEntry
from bangfu.placements.models import VisitStatus
from bangfu.placements.services import visit_agree, visit_complete, visit_decline, visit_file_add, visit_propose

from .access_conservation import png
from .placements_data import proposed_visit

pytestmark = pytest.mark.django_db


def test_a_helped_museum_asks_and_its_helper_agrees(world):
    visit = proposed_visit(world)
    assert (visit.helper, visit.helped, visit.proposed_side) == (world.helper_museum, world.helped_museum, "helped")
    with pytest.raises(PermissionDenied):
        visit_agree(visit=visit, by=world.helped_admin)  # the asking side does not answer itself
    with pytest.raises(PermissionDenied):
        visit_agree(visit=visit, by=world.helper_staff)  # an admin answers
    visit_agree(visit=visit, by=world.helper_admin)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.AGREED


def test_a_helper_offers_and_the_helped_museum_declines_with_a_reason(world):
    visit = proposed_visit(world, by=world.helper_admin, partner=world.helped_museum)
    assert visit.proposed_side == "helper"
    with pytest.raises(ValidationError):
        visit_decline(visit=visit, by=world.helped_admin, reason="")
    visit_decline(visit=visit, by=world.helped_admin, reason="时间冲突")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DECLINED


def test_a_visit_is_short(world):
    with pytest.raises(ValidationError) as refused:
        proposed_visit(world, days=31)
    assert "30 天" in refused.value.message_dict["end"][0]


def test_done_with_a_report_and_photos_writes_one_ledger_entry(world):
    visit = proposed_visit(world, days_ahead=-5, days=3)
    visit_agree(visit=visit, by=world.helper_admin)
    with pytest.raises(PermissionDenied):
        visit_complete(visit=visit, by=world.helped_admin, report="x")
    fake = SimpleUploadedFile("假.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        visit_complete(visit=visit, by=world.helper_staff, report="完成", photos=[fake])
    assert "photos" in refused.value.message_dict
    visit_complete(visit=visit, by=world.helper_staff, report="评估库房，培训保管员", people_trained=6,
                   photos=[png("现场.png")])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    entry = LedgerEntry.objects.get(source_type="placements.visit", source_id=visit.pk)
    assert (entry.days, entry.people_trained, entry.area) == (3, 6, "people")
    assert Attachment.objects.for_object(visit).filter(kind="photo").count() == 1
    with pytest.raises(ValidationError):
        visit_complete(visit=visit, by=world.helper_staff, report="再次")
    assert LedgerEntry.objects.filter(source_type="placements.visit").count() == 1


def test_the_pages_of_a_visit_for_its_sides_and_outsiders(world, login):
    visit = proposed_visit(world)
    assert login(world.outsider).get(reverse("placements:visit", args=[visit.pk])).status_code == 404
    page = login(world.helper_admin).get(reverse("placements:visit", args=[visit.pk]))
    assert page.status_code == 200 and "库房预防性保护指导" in page.content.decode()
    assert page.context["may_agree"]
    response = login(world.helper_admin).post(reverse("placements:visit_agree", args=[visit.pk]))
    assert response.status_code == 302
    listing = login(world.helped_staff).get(reverse("placements:visits"))
    assert "库房预防性保护指导" in listing.content.decode()


def test_the_visit_form_refuses_bad_dates_beside_the_field(world, login):
    client = login(world.helped_admin)
    start = datetime.date(2026, 9, 1)
    response = client.post(reverse("placements:visit_create"), {
        "partner": world.helper_museum.pk, "title": "指导", "start": start,
        "end": start + datetime.timedelta(days=40), "agenda": "日程"})
    assert response.status_code == 400
    assert "30 天" in " ".join(response.context["form"].errors["end"])
    assert visit_propose  # the page goes through the service


def test_a_photo_is_removed_only_by_whoever_added_it(world):
    visit = proposed_visit(world)
    photo = visit_file_add(visit=visit, by=world.helper_staff, file=png("现场.png"))
    photo.owner = visit
    assert may_remove(world.helper_staff, photo)
    assert not may_remove(world.helped_admin, photo)
    assert may_remove(world.admin, photo)
