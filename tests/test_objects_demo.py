"""The demo's objects: 山西博物院 and 安泽县博物馆 with stable registration numbers (the loan demo names them), the
cases the loan rules need, and loading the demo again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.objects.models import CollectionObject

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_objects_the_loans_need_and_loads_once(capsys):
    call_command("load_demo")
    sxbwy = CollectionObject.objects.filter(museum__name="山西博物院")
    assert sxbwy.count() == 40 and CollectionObject.objects.filter(museum__name="安泽县博物馆").count() == 8
    bird = sxbwy.get(registration_number="SX-0001")
    assert (bird.name, bird.grade, bird.material) == ("晋侯鸟尊", "一级", "铜")
    assert bird.offered and bird.has_record
    assert sxbwy.filter(grade="一级", offered=True).count() >= 3
    assert sxbwy.get(registration_number="SX-0026").condition == "under_treatment"
    assert not sxbwy.get(registration_number="SX-0038").has_record
    assert sxbwy.filter(fragile=True, offered=True).exists()
    assert "藏品新增 48 件" in capsys.readouterr().out
    call_command("load_demo")
    assert CollectionObject.objects.exclude(museum__name="运城博物馆").count() == 48  # 运城's come with its exhibition
    assert "藏品新增 0 件" in capsys.readouterr().out
