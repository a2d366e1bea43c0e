"""The ledger list says what it shows: void or withdrawn rows are listed as not counted (no "0 records" beside a
listed row), a chosen year stays chosen when it has no entries, the empty state does not suggest the filter already
chosen, and large figures carry thousands separators."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.core.numbers import grouped, wan
from bangfu.ledger.services import ledger_record, ledger_void, limits_update

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def entries(world):
    values = {"helper": world.helper_museum, "helped": world.helped_museum, "area": "people", "kind": "培训",
              "date": DAY, "description": "培训"}
    kept = ledger_record(by=world.admin, people_trained=30, **values)
    void = ledger_record(by=world.admin, people_trained=40, **(values | {"kind": "讲座"}))
    ledger_void(entry=void, by=world.admin, reason="重复登记")
    return kept, void


def test_a_void_filter_lists_the_rows_as_not_counted_instead_of_zero_totals(world, entries, login):
    response = login(world.admin).get(reverse("ledger:list"), {"state": "void"})
    html = response.content.decode()
    assert list(response.context["page"].object_list) == [entries[1]]
    assert 'data-testid="ended-only"' in html and "共 <strong>1</strong> 条已作废的记录" in html
    assert 'data-testid="totals"' not in html and "可能包含尚未确认的记录" not in html


def test_all_states_says_how_many_listed_rows_are_not_counted(world, entries, login):
    response = login(world.admin).get(reverse("ledger:list"), {"state": "all"})
    assert response.context["totals"]["entries"] == 1
    assert "另有 1 条已作废或已撤回的记录列出但不计入合计" in response.content.decode()


def test_a_year_without_entries_stays_chosen(world, entries, login):
    html = login(world.admin).get(reverse("ledger:list"), {"year": "2025"}).content.decode()
    assert re.search(r'<option value="2025" selected>2025年</option>', html)
    assert 'data-testid="no-results"' in html


def test_the_empty_state_does_not_suggest_the_state_already_chosen(world, entries, login):
    html = login(world.admin).get(reverse("ledger:list"), {"state": "all", "q": "没有这种帮扶"}).content.decode()
    assert "没有符合条件的台账记录" in html and "选择“全部状态”" not in html
    html = login(world.admin).get(reverse("ledger:list"), {"q": "没有这种帮扶"}).content.decode()
    assert "选择“全部状态”" in html


def test_large_figures_carry_thousands_separators(world, login):
    limits_update(by=world.admin, values={"money_yuan": 10_000_000_000})
    entry = ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                          kind="资金支持", date=DAY, description="专项资金", money_yuan=Decimal("1000000000"))
    client = login(world.admin)
    assert "1,000,000,000" in client.get(reverse("ledger:detail", args=[entry.pk])).content.decode()
    html = client.get(reverse("ledger:list")).content.decode()
    assert 'title="1,000,000,000 元"' in html and "10.0亿" in html
    assert grouped(Decimal("1000000000.00")) == "1,000,000,000" and wan(12345) == "1.2万"
