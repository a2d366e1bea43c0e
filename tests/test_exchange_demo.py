"""The demo's exchange: posts in every area from real Shanxi museums and the demo expert, threads at each stage, one
completed match in the ledger — and loading the demo again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.core.areas import Area
from bangfu.exchange.models import Message, Post, Rating, Thread
from bangfu.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _counts():
    return (Post.objects.count(), Thread.objects.count(), Message.objects.count(), Rating.objects.count(),
            LedgerEntry.objects.count())


def test_the_demo_has_posts_in_every_area_threads_at_each_stage_and_a_match_in_the_ledger(capsys):
    call_command("load_demo")
    assert Post.objects.count() >= 20
    assert set(Post.objects.values_list("area", flat=True)) == set(Area.values)
    assert {"need", "offer"} == set(Post.objects.values_list("kind", flat=True))
    assert Post.objects.filter(expert__user__username="zhuanjia", title="彩塑病害诊断与保护建议").exists()
    assert {"open", "matched", "completed", "closed"} == set(Thread.objects.values_list("status", flat=True))
    completed = Thread.objects.get(status="completed")
    assert completed.ratings.count() == 2
    entry = LedgerEntry.objects.get(source_type="exchange.thread", source_id=completed.pk)
    assert (entry.helper.name, entry.helped.name, entry.area) == ("山西博物院", "安泽县博物馆", "conservation")
    assert entry.pairing is not None and entry.confirmation == "confirmed"
    assert Post.objects.get(title="馆藏明代壁画残块的保护修复指导").status == "completed"
    before = _counts()
    call_command("load_demo")
    assert _counts() == before
    assert "供需信息新增 0 条，对接新增 0 个" in capsys.readouterr().out
