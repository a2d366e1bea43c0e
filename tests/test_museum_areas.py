"""The needs-and-offers page (需求与可提供): rendered and saved by the museum's admin and by the association."""

import pytest
from django.urls import reverse

from bangfu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["helped_admin", "admin"])
def test_needs_and_offers_page_renders_and_saves_for_the_museums_admin_and_the_association(login, world, persona):
    client = login(getattr(world, persona))
    url = reverse("museums:edit_areas", args=[world.helped_museum.pk])

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "需求与可提供的帮扶" in body and 'name="need_text_conservation"' in body

    response = client.post(url, {
        "need_conservation": "on", "need_text_conservation": "库房温湿度监测",
        "offer_education": "on", "offer_text_education": "乡土课程进校园", "offer_capacity_education": "2",
    })
    assert response.status_code == 302 and response["Location"] == reverse("museums:detail",
                                                                           args=[world.helped_museum.pk])
    stored = {(a.kind, a.area): a for a in world.helped_museum.areas.all()}
    assert set(stored) == {("need", "conservation"), ("offer", "education")}
    assert stored[("need", "conservation")].text == "库房温湿度监测"
    assert stored[("offer", "education")].capacity == 2

    museum_page = client.get(reverse("museums:detail", args=[world.helped_museum.pk])).content.decode()
    assert "库房温湿度监测" in museum_page and "乡土课程进校园" in museum_page and "每年约 2 项" in museum_page

    # The page opens again with what was saved.
    again = client.get(url).content.decode()
    assert "库房温湿度监测" in again and "乡土课程进校园" in again


def test_needs_page_shows_errors_beside_the_field(login, world):
    url = reverse("museums:edit_areas", args=[world.helped_museum.pk])
    response = login(world.helped_admin).post(url, {"offer_education": "on", "offer_capacity_education": "999"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not world.helped_museum.areas.exists()


def test_the_history_says_which_areas_were_ticked_and_unticked_without_text(login, world):
    client = login(world.helped_admin)
    museum = world.helped_museum
    url = reverse("museums:edit_areas", args=[museum.pk])
    client.post(url, {"need_conservation": "on", "offer_education": "on", "offer_capacity_education": "2"})
    client.post(url, {"need_conservation": "on", "offer_education": "on", "offer_capacity_education": "2"})
    client.post(url, {"need_research": "on", "offer_education": "on", "offer_capacity_education": "3"})
    history = client.get(reverse("museums:history", args=[museum.pk])).content.decode()
    for shown in ("需求·文物保护", "需求·学术研究", "未勾选", "已勾选（未填写说明）", "每年可承接 2 项",
                  "每年可承接 3 项"):
        assert shown in history, shown
    needs = [e for e in AuditEntry.objects.for_object(museum) if e.action == "修改需求"]
    latest = max(needs, key=lambda e: e.pk)
    assert latest.changes == {"需求·学术研究": ["未勾选", "已勾选（未填写说明）"],
                              "需求·文物保护": ["已勾选（未填写说明）", "未勾选"]}
    assert all(e.readable_changes for e in AuditEntry.objects.for_object(museum) if e.action.startswith("修改"))
