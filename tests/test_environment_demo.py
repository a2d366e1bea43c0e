"""The demo's environment monitoring: 山西博物院's and 安泽县博物馆's sites, rooms and sensors with about 60 days of
15-minute readings each (daily cycles, the RH spike in the 安泽 storeroom five days ago), a silent logger, pest
records, and its partner's rooms on 山西博物院's watch page — and loading the demo again adds nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.environment.models import PestRecord, Reading, Room, Sensor

pytestmark = pytest.mark.django_db


def test_the_demo_monitors_both_museums_with_two_months_of_readings(capsys, client):
    call_command("load_demo")
    rooms = {r.name: r for r in Room.objects.select_related("museum")}
    assert {"青铜器库房", "书画展厅", "书画展柜 3 号", "文物库房", "基本陈列展厅"} <= set(rooms)
    assert rooms["文物库房"].museum.name == "安泽县博物馆" and rooms["文物库房"].temp_min == 5
    for sensor in Sensor.objects.all():
        count = Reading.objects.filter(sensor=sensor).count()
        assert 59 * 96 <= count <= 61 * 96, sensor.name
    now = timezone.now()
    spike = Reading.objects.filter(sensor__room=rooms["文物库房"], time__gte=now - datetime.timedelta(days=5.3),
                                   time__lt=now - datetime.timedelta(days=4))
    assert max(r.rh for r in spike) > 60  # above the storeroom's 50 %: an alert once alerts are evaluated
    silent = Sensor.objects.get(room=rooms["基本陈列展厅"])
    assert now - silent.last_reading_at > datetime.timedelta(hours=5)
    assert Reading.objects.filter(sensor__room=rooms["书画展厅"], lux__gt=100).exists()
    assert PestRecord.objects.filter(room=rooms["文物库房"], species="烟草甲").count() == 6
    client.force_login(User.objects.get(username="sxbwy_staff"), backend="bangfu.accounts.backends.AccountBackend")
    watched = client.get(reverse("environment:watch")).context["rooms"]
    assert {r.name for r in watched} == {"文物库房", "基本陈列展厅"}
    before = Reading.objects.count()
    call_command("load_demo")
    assert Reading.objects.count() == before
    assert "环境监测库房/展厅新增 0 处" in capsys.readouterr().out
