"""An agreement waiting for a museum's confirmation is on that museum's admins' home page until they confirm it;
the notice asking them leaves their unread list once their museum confirmed; and when a side has no museum admin
to confirm, whoever submits and everyone on the pairing page is told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.services import agreement_confirm, agreement_submit, agreement_update
from bangfu.notifications.models import Notification

from .factories import make_agreement, make_museum

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def submitted(world):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30)}],
                               confirmed=False)
    agreement_submit(agreement=agreement, by=world.helper_staff)
    return agreement


def _todo(client) -> list:
    return client.get(reverse("home")).context["agreements_awaiting"]


def test_both_museum_admins_see_the_agreement_awaiting_them_until_they_confirm(world, submitted, login):
    helper, helped = login(world.helper_admin), None
    assert [a.pk for a in _todo(helper)] == [submitted.pk]
    body = helper.get(reverse("home")).content.decode()
    assert f"《{submitted.title}》第 1 版等待本馆确认" in body
    assert reverse("agreements:pairing", args=[submitted.pairing_id]) in body
    helped = login(world.helped_admin)
    assert [a.pk for a in _todo(helped)] == [submitted.pk]

    agreement_confirm(agreement=submitted, by=world.helper_admin)
    assert _todo(login(world.helper_admin)) == []
    assert [a.pk for a in _todo(login(world.helped_admin))] == [submitted.pk]
    agreement_confirm(agreement=submitted, by=world.helped_admin)
    assert _todo(login(world.helped_admin)) == []


def test_staff_and_outsiders_are_not_asked_to_confirm(world, submitted, login):
    for person in (world.helper_staff, world.helped_staff, world.outsider_admin):
        assert _todo(login(person)) == []


def test_the_please_confirm_notice_is_read_once_the_museum_confirmed(world, submitted):
    asking = Notification.objects.filter(title=f"《{submitted.title}》等待贵馆确认")
    assert set(asking.unread().values_list("user__username", flat=True)) == {"helper_admin", "helped_admin"}
    agreement_confirm(agreement=submitted, by=world.helper_admin)
    assert set(asking.unread().values_list("user__username", flat=True)) == {"helped_admin"}
    # the helped admin was also told the helper confirmed, "等待贵馆确认": answered by their confirmation
    assert Notification.objects.filter(user=world.helped_admin, title__endswith="等待贵馆确认").unread().count() == 2
    agreement_confirm(agreement=submitted, by=world.helped_admin)
    assert not Notification.objects.filter(title__endswith="等待贵馆确认").unread().exists()


def test_editing_a_submitted_agreement_answers_the_notices_that_asked_for_the_old_text(world, submitted):
    agreement_update(agreement=submitted, by=world.helper_staff, data={"background": "补充背景"})
    assert not Notification.objects.filter(title__endswith="等待贵馆确认").unread().exists()


def test_a_side_without_a_museum_admin_is_named_on_submit_and_on_the_pairing_page(world, login):
    lonely = make_museum("乡宁县博物馆", county="141029")
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=30)}],
                               confirmed=False, helped=lonely)
    client = login(world.helper_admin)
    response = client.post(reverse("agreements:submit", args=[agreement.pairing_id]), follow=True)
    body = response.content.decode()
    assert "受援方尚无馆管理员账号，无人能确认；请联系协会为其开通账号。" in body
    page = client.get(reverse("agreements:pairing", args=[agreement.pairing_id])).content.decode()
    assert 'data-testid="nobody-to-confirm"' in page and "受援方尚无馆管理员账号" in page


def test_no_warning_when_both_sides_have_an_admin(world, submitted, login):
    page = login(world.helper_admin).get(reverse("agreements:pairing", args=[submitted.pairing_id]))
    assert 'data-testid="nobody-to-confirm"' not in page.content.decode()
