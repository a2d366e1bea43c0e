"""A progress report is for a year of the pairing — from the year it started to this year — and the page says so
beside the year; it never claims to have saved a report for a year nobody can see."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.models import ProgressReport
from bangfu.agreements.services import report_submit
from bangfu.pairings.services import pairing_create

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
QUARTER = (TODAY.month - 1) // 3 + 1


@pytest.fixture
def pairing(world):
    return pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                          start_date=TODAY - datetime.timedelta(days=200),
                          end_date=TODAY + datetime.timedelta(days=500))


@pytest.mark.parametrize("year", ["0", "1999", str(TODAY.year + 1), "-5"])
def test_a_report_for_a_year_outside_the_pairing_is_refused_beside_the_year(world, pairing, login, year):
    response = login(world.helped_admin).post(reverse("agreements:report", args=[pairing.pk]), {
        "year": year, "quarter": "4", "summary": "县馆两名讲解员参加培训", "problems": "", "next_steps": ""})
    assert response.status_code == 400
    assert "已保存" not in response.content.decode()
    assert response.context["form"].errors["year"]
    assert not ProgressReport.objects.exists()


def test_the_year_choices_run_from_the_pairings_start_to_this_year(world, pairing, login):
    form = login(world.helped_admin).get(reverse("agreements:report", args=[pairing.pk])).context["form"]
    years = [value for value, _ in form.fields["year"].choices]
    assert years == list(range(TODAY.year, pairing.start_date.year - 1, -1))


def test_the_service_refuses_year_zero_instead_of_filing_it_under_this_year(world, pairing):
    with pytest.raises(ValidationError) as caught:
        report_submit(pairing=pairing, by=world.helped_admin, summary="进展", year=0, quarter=4)
    assert "年度应在" in str(caught.value.message_dict["year"])
    assert not ProgressReport.objects.exists()


def test_a_report_saved_through_the_page_names_the_quarter_it_was_filed_under(world, pairing, login):
    client = login(world.helped_admin)
    response = client.post(reverse("agreements:report", args=[pairing.pk]), {
        "year": TODAY.year, "quarter": QUARTER, "summary": "县馆两名讲解员参加培训"}, follow=True)
    assert f"{TODAY.year}年第{QUARTER}季度进展报告已保存" in response.content.decode()
    assert ProgressReport.objects.get().year == TODAY.year
