"""The demo's exhibitions: touring exhibitions with stops in every state (the completed ones in the ledger), a
request waiting for 山西博物院 (its exhibitions show the objects demo's SX- registry),
and 安泽县博物馆's co-curation project in 形式设计 with guidance — and loading the
demo again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.exhibitions.models import CurationProject, Guidance, StopStatus, TouringExhibition, TourStop
from bangfu.ledger.models import LedgerEntry
from bangfu.objects.models import CollectionObject

pytestmark = pytest.mark.django_db


def test_the_demo_has_touring_exhibitions_stops_and_a_guided_project(capsys):
    call_command("load_demo")
    assert TouringExhibition.objects.filter(status="published").count() == 3
    assert {StopStatus.REQUESTED, StopStatus.ACCEPTED, StopStatus.COMPLETED} <= set(
        TourStop.objects.values_list("status", flat=True))
    completed = TourStop.objects.filter(status=StopStatus.COMPLETED)
    assert LedgerEntry.objects.filter(source_type="exhibitions.stop").count() == completed.count() >= 3
    anze = LedgerEntry.objects.get(source_type="exhibitions.stop", helped__name="安泽县博物馆")
    assert anze.pairing is not None and anze.visitors == 18_600
    assert TourStop.objects.filter(owner__name="山西博物院", status=StopStatus.REQUESTED).exists()
    project = CurationProject.objects.get(museum__name="安泽县博物馆")
    assert (project.stage, project.helper.name) == ("form", "山西博物院")
    assert Guidance.objects.filter(project=project, stage="form").count() == 2
    bronzes = TouringExhibition.objects.get(title__startswith="晋国霸业")
    numbers = set(bronzes.items.values_list("registration_number", flat=True))
    assert {"SX-0001", "SX-0004", "SX-0023"} <= numbers and all(n.startswith("SX-") for n in numbers)
    assert bronzes.items.get(registration_number="SX-0001").name == "晋侯鸟尊"
    murals = TouringExhibition.objects.get(title="山西古代壁画艺术展")
    assert "SX-0032" in set(murals.items.values_list("registration_number", flat=True))
    assert not CollectionObject.objects.filter(registration_number__regex=r"^(JG|BH)-").exists()
    yuncheng = CollectionObject.objects.filter(museum__name="运城博物馆")
    assert yuncheng.filter(registration_number__startswith="HH-").count() == 2
    before = (TouringExhibition.objects.count(), TourStop.objects.count(), Guidance.objects.count())
    call_command("load_demo")
    assert (TouringExhibition.objects.count(), TourStop.objects.count(), Guidance.objects.count()) == before
    assert "巡展新增 0 个" in capsys.readouterr().out
