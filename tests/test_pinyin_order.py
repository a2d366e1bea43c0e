"""Names sort by pinyin syllable by syllable (八路军 before 白求恩), and the same stored key still finds them."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from bangfu.core.pinyin import pinyin_sort_key
from bangfu.museums.models import Museum
from bangfu.pairings.forms import helped_queryset

from .factories import make_museum

pytestmark = pytest.mark.django_db

NAMES = ["白求恩模范病室纪念馆", "八路军太行纪念馆", "长治市博物馆", "百花博物馆", "保德县博物馆", "巴公镇文物馆"]


def test_sort_keys_compare_syllable_by_syllable_then_by_tone():
    keys = {name: pinyin_sort_key(name) for name in ("八路军", "白求恩", "巴公", "百花", "白云", "保德")}
    # ba before bai before bao, whatever follows; within ba, the next syllable (gong < lu); within bai, the tone.
    assert sorted(keys, key=keys.get) == ["巴公", "八路军", "白求恩", "白云", "百花", "保德"]
    assert pinyin_sort_key("长治") == "chang2zhi4" and pinyin_sort_key("太行") == "tai4hang2"


def test_directory_sorted_by_name_puts_balujun_before_baiqiuen(client, db):
    for name in NAMES:
        make_museum(name, county="140400" if name.startswith("长治") else None)
    page = client.get(reverse("museums:directory"), {"sort": "name"}).context["page"]
    order = [m.name for m in page]
    assert order.index("八路军太行纪念馆") < order.index("白求恩模范病室纪念馆")
    assert order == ["巴公镇文物馆", "八路军太行纪念馆", "白求恩模范病室纪念馆", "百花博物馆", "保德县博物馆",
                     "长治市博物馆"]
    assert list(Museum.objects.filter(name__in=NAMES).values_list("name", flat=True)) == order


def test_choice_lists_follow_the_same_order(db):
    for name in ("白求恩纪念馆", "八路军纪念馆"):
        make_museum(name, county="140522")
    names = [m.name for m in helped_queryset() if m.name in ("白求恩纪念馆", "八路军纪念馆")]
    assert names == ["八路军纪念馆", "白求恩纪念馆"]


@pytest.mark.parametrize("query", ["balujun", "ba lu jun", "bljthjng", "taihang", "八路军"])
def test_the_stored_key_still_finds_a_museum_by_pinyin(client, db, query):
    make_museum("八路军太行纪念馆", short_name="太行纪念馆")
    make_museum("白求恩模范病室纪念馆")
    body = client.get(reverse("museums:directory"), {"q": query}).content.decode()
    assert "八路军太行纪念馆" in body and "白求恩模范病室纪念馆" not in body


def test_a_query_with_digits_does_not_match_the_tone_numbers(client, db):
    make_museum("八路军太行纪念馆")
    body = client.get(reverse("museums:directory"), {"q": "1"}).content.decode()
    assert "八路军太行纪念馆" not in body


def test_the_migration_recomputes_keys_stored_the_old_way(db):
    museum = make_museum("八路军太行纪念馆", short_name="太行纪念馆")
    new_key = museum.pinyin
    Museum.objects.filter(pk=museum.pk).update(pinyin="balujuntaihangjinianguan taihangjinianguan")
    migration = importlib.import_module("bangfu.museums.migrations.0007_pinyin_sorts_by_syllable")
    migration.refresh(apps, None)
    museum.refresh_from_db()
    assert museum.pinyin == new_key and museum.pinyin.startswith("ba1lu4jun1")
