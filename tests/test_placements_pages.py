"""The placement pages with data: the list (sent and hosted, status tabs, the timeline chart's data) in a number
of queries that does not grow with its rows, the detail page with reports, comments and the moves each side may
make, the request form for the sending admin, the person's own page and the report form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.accounts.services import user_create
from bangfu.placements.services import placement_complete, placement_request, placement_withdraw, report_submit

from .placements_data import requested, running, term

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_shows_sent_and_hosted_placements_in_constant_queries(world, login):
    running(world)
    client = login(world.helper_admin)
    url = reverse("placements:home")
    first = _queries(client, url)
    for i in range(4):
        person = user_create(by=None, username=f"az_staff_{i}", role="museum_staff", password="x-Pass-1234",
                             museum=world.helped_museum, full_name=f"馆员{i}")
        start, end = term(3)
        placement_request(by=world.helped_admin, host=world.helper_museum, person=person, kind="study",
                          start=start, end=end, goals="学习")
    assert _queries(client, url) <= first
    page = client.get(url + "?side=hosted&status=requested")
    assert len(page.context["page"].object_list) == 4
    assert len(page.context["gantt"]) == 5
    assert "placements-gantt-data" in page.content.decode()


def test_the_detail_page_shows_reports_comments_and_the_hosts_moves(world, login):
    placement = running(world, months_ago=1)
    report_submit(placement=placement, by=world.helped_staff, month=placement.start, work_done="参与布展",
                  learned="展线设计")
    page = login(world.helper_staff).get(reverse("placements:detail", args=[placement.pk]))
    html = page.content.decode()
    assert "参与布展" in html and "保存点评" in html  # the mentor comments
    response = login(world.helper_staff).post(
        reverse("placements:report_comment", args=[placement.pk, placement.reports.get().pk]), {"comment": "很好"})
    assert response.status_code == 302
    host = login(world.helper_admin).get(reverse("placements:detail", args=[placement.pk]))
    assert host.context["may_complete"] and not host.context["may_withdraw"]
    assert "很好" in host.content.decode()


def test_the_completed_page_shows_the_assessment_and_certificate(world, login):
    placement = running(world, months_ago=4, months=4)
    placement_complete(placement=placement, by=world.helper_admin, grade="good", assessment="完成任务")
    page = login(world.helped_staff).get(reverse("placements:detail", args=[placement.pk]))
    html = page.content.decode()
    assert "良好" in html and page.context["certificate"].serial in html


def test_the_request_form_and_the_persons_pages(world, login):
    form = login(world.helped_admin).get(reverse("placements:create"))
    assert form.status_code == 200 and world.helper_museum.name in form.content.decode()
    placement = requested(world)
    mine = login(world.helped_staff).get(reverse("placements:mine"))
    assert world.helper_museum.name in mine.content.decode()
    assert login(world.helped_staff).get(reverse("placements:report_add", args=[placement.pk])).status_code == 403
    placement_withdraw(placement=placement, by=world.helped_admin, reason="改期")
    running_one = running(world, months_ago=1, months=3)
    report = login(world.helped_staff).get(reverse("placements:report_add", args=[running_one.pk]))
    assert report.status_code == 200
    response = login(world.helped_staff).post(reverse("placements:report_add", args=[running_one.pk]), {
        "month": running_one.start.strftime("%Y-%m"), "work_done": "<b>整理</b>", "learned": "规范"})
    assert response.status_code == 302
    assert running_one.reports.get().work_done == "<b>整理</b>"
