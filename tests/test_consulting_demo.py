"""The demo's 远程咨询: 安泽县博物馆's questions answered by 山西博物院's staff and 孙文博 (zhuanjia), four accepted
(the knowledge base finds 湿度 and 锈蚀), a meeting booked and one held with its record — and loading again adds
nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.consulting.models import Meeting, MeetingStatus, Question

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_knowledge_base_and_meetings(client):
    call_command("load_demo")
    assert Question.objects.filter(museum__name="安泽县博物馆").count() == 5
    assert Question.objects.knowledge().count() == 4
    assert set(Meeting.objects.values_list("status", flat=True)) == {MeetingStatus.SCHEDULED, MeetingStatus.HELD}
    assert Meeting.objects.get(status=MeetingStatus.HELD).minutes
    client.force_login(User.objects.get(username="zhuanjia"), backend="bangfu.accounts.backends.AccountBackend")
    page = client.get(reverse("consulting:knowledge"), {"q": "湿度"}).content.decode()
    assert "库房相对湿度夏季超过 75%" in page and "<mark>湿度</mark>" in page
    assert client.get(reverse("consulting:home")).status_code == 200
    call_command("load_demo")
    assert Question.objects.count() == 5
