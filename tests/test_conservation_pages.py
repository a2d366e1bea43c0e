"""The conservation pages: lists whose query count does not grow with their rows, forms that show the services'
refusals beside the fields in Chinese, the steps each side is offered on a request, the hub's counts, and who may
see a request (outsiders 404)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.conservation.services import (
    consultation_open,
    project_create,
    request_accept,
    treatment_add,
)

from .conservation_data import a_request, png, xrf

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_rows(world, service, n):
    import datetime

    for i in range(n):
        a_request(world, service=service, objects_by_hand=f"铜镜{i}")
        consultation_open(museum=world.helped_museum, by=world.helped_admin, title=f"会诊{i}", problem="起甲",
                          helper=world.helper_museum, objects_by_hand=f"陶俑{i}")
        project = project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin,
                                 title=f"修复{i}", objects_by_hand=f"铜鼎{i}")
        treatment_add(project=project, by=world.helper_staff, object_label="铜鼎", done_by="王师傅",
                      date=datetime.date.today(), action="清洗", before=png())
        xrf(world, name=f"服务{i}")


@pytest.mark.parametrize("name", ["home", "services", "requests", "consultations", "projects"])
def test_a_list_page_reads_the_same_number_of_queries_for_one_row_and_for_many(world, login, name):
    service = xrf(world)
    add_rows(world, service, 1)
    client = login(world.helped_admin)
    url = reverse(f"conservation:{name}")
    few = queries(client, url)
    add_rows(world, service, 4)
    assert queries(client, url) <= few


def test_a_project_page_reads_the_same_number_of_queries_whatever_its_treatments(world, login):
    import datetime

    project = project_create(museum=world.helped_museum, helper=world.helper_museum, by=world.helped_admin,
                             title="修复", objects_by_hand="铜鼎")
    treatment_add(project=project, by=world.helper_staff, object_label="铜鼎", done_by="王师傅",
                  date=datetime.date.today(), action="清洗", before=png())
    client = login(world.helper_staff)
    url = reverse("conservation:project", args=[project.pk])
    few = queries(client, url)
    for _ in range(4):
        treatment_add(project=project, by=world.helper_staff, object_label="铜鼎", done_by="王师傅",
                      date=datetime.date.today(), action="加固", before=png(), after=png())
    assert queries(client, url) <= few


def test_an_empty_request_form_comes_back_with_chinese_messages_beside_its_fields(world, login):
    service = xrf(world)
    response = login(world.helped_staff).post(reverse("conservation:request_create", args=[service.pk]),
                                              {"purpose": "", "sample_count": "１２x"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["purpose"] and form.errors["sample_count"] == ["请输入整数。"]
    response = login(world.helped_staff).post(reverse("conservation:request_create", args=[service.pk]),
                                              {"purpose": "成分", "destructive": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["objects"] == ["请至少选择一件藏品，或在“其他文物”中每行填写一件。"]


def test_a_request_submitted_on_the_page_reaches_the_lab(world, login):
    service = xrf(world)
    response = login(world.helped_staff).post(reverse("conservation:request_create", args=[service.pk]),
                                              {"purpose": "成分分析", "objects_by_hand": "铜镜", "method": "XRF"})
    assert response.status_code == 302
    page = login(world.helper_staff).get(response["Location"])
    assert page.context["may_accept"] and not page.context["may_close"]
    assert "受理申请" in page.content.decode()


def test_only_the_requesting_museums_admin_is_offered_the_sampling_approval(world, login):
    request = a_request(world, destructive=True)
    url = reverse("conservation:request", args=[request.pk])
    assert login(world.helped_admin).get(url).context["may_approve"]
    staff_page = login(world.helped_staff).get(url)
    assert not staff_page.context["may_approve"] and staff_page.context["awaiting_admin"]
    assert "馆员不能批准" in staff_page.content.decode()
    assert not login(world.helper_admin).get(url).context["may_accept"]
    assert login(world.helped_staff).post(reverse("conservation:request_approve", args=[request.pk])).status_code == 403


def test_an_outsider_sees_no_request_and_the_lab_moves_it_on_its_page(world, login):
    request = a_request(world)
    url = reverse("conservation:request", args=[request.pk])
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.outsider).post(reverse("conservation:request_accept", args=[request.pk])).status_code == 404
    response = login(world.helper_staff).post(reverse("conservation:request_accept", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted"


def test_the_hub_counts_what_the_user_sees(world, login):
    request = a_request(world)
    request_accept(request=request, by=world.helper_staff)
    consultation_open(museum=world.helped_museum, by=world.helped_admin, title="会诊", problem="起甲",
                      objects_by_hand="陶俑")
    page = login(world.helped_staff).get(reverse("conservation:home"))
    assert page.context["counts"]["requests_open"] == 1 and page.context["counts"]["cases_open"] == 1
    assert [r.pk for r in page.context["open_requests"]] == [request.pk]
    assert login(world.outsider).get(reverse("conservation:home")).context["counts"]["requests_open"] == 0


def test_a_project_form_naming_a_museum_it_may_not_lists_none_of_that_museums_objects(world, login):
    from bangfu.objects.services import object_create

    object_create(museum=world.other_museum, by=world.outsider_admin, name="天镇铜镜", registration_number="TZ-1")
    response = login(world.helped_admin).post(reverse("conservation:project_create"), {
        "title": "修复", "museum": world.other_museum.pk, "helper": world.helper_museum.pk, "mode": "helper"})
    assert response.status_code == 400
    assert "museum" in response.context["form"].errors
    assert "天镇铜镜" not in response.content.decode()


def test_a_project_created_on_the_page_opens_with_its_stages(world, login):
    response = login(world.helped_admin).post(reverse("conservation:project_create"), {
        "title": "铜鼎修复", "museum": world.helped_museum.pk, "helper": world.helper_museum.pk, "mode": "helper",
        "objects_by_hand": "铜鼎"})
    assert response.status_code == 302
    page = login(world.helper_staff).get(response["Location"])
    assert [s.name for s in page.context["stages"]][:3] == ["前期调查", "方案", "清洗"]
    assert "尚未记录修复方案的批准机关和批准文号。" in page.context["warnings"]


def test_a_supervisor_of_either_side_reads_a_request_but_takes_no_step(world, login):
    request = a_request(world)
    url = reverse("conservation:request", args=[request.pk])
    page = login(world.province_supervisor).get(url)
    assert page.status_code == 200
    assert not any(page.context[k] for k in ("may_accept", "may_withdraw", "may_file", "may_approve"))
    assert login(world.province_supervisor).post(
        reverse("conservation:request_accept", args=[request.pk])).status_code == 403
    assert login(world.city_supervisor).get(url).status_code == 404
