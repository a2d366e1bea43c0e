"""The ledger's summary: kept by every service that changes whether or how an entry counts, equal to a full recount
after any mix of writes, and what the list's totals, chart and count read; the registry of ledger sources; the
system account that automated writes name."""

import contextlib
import datetime
import random
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import system_user
from bangfu.ledger import selectors, summary
from bangfu.ledger.models import (
    ENDED,
    Confirmation,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerMuseumTotal,
    LedgerSummary,
)
from bangfu.ledger.services import (
    ledger_confirm,
    ledger_correct,
    ledger_record,
    ledger_void,
    ledger_withdraw,
    may_confirm,
    may_withdraw,
)
from bangfu.pairings.services import pairing_create

from .factories import build_world, ensure_divisions, make_agreement, make_museum

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=100)
TASK = [{"title": "讲解员培训", "people_trained": 12, "due_date": TODAY + datetime.timedelta(days=30)}]
AREAS = ["people", "exhibition", "conservation", "education"]


def _record(world, rng, by, pairing):
    helper, helped = (world.helper_museum, world.helped_museum)
    if by == world.admin and rng.random() < 0.3:
        helped = world.other_museum  # help outside the pairing
    return ledger_record(
        by=by, helper=helper, helped=helped, pairing=pairing if helped == world.helped_museum and rng.random() < 0.7
        else None, area=rng.choice(AREAS), kind=rng.choice(["培训", "讲座"]),
        date=TODAY - datetime.timedelta(days=rng.randint(0, 350)), description="随机写入",
        people_trained=rng.randint(0, 50), days=Decimal(rng.randint(1, 30)) / 2,
        visitors=rng.randint(0, 1000), money_yuan=Decimal(rng.randint(0, 10**6)) / 100, confirm_not_duplicate=True,
    )


def _random_writes(world, rng, count):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=TODAY - datetime.timedelta(days=360),
                             end_date=TODAY + datetime.timedelta(days=700))
    recorders = [world.admin, world.helper_staff, world.helped_staff, system_user()]
    for _ in range(count):
        entries = list(LedgerEntry.objects.select_related("helper", "helped"))
        roll = rng.random()
        if roll < 0.4 or not entries:
            _record(world, rng, rng.choice(recorders), pairing)
            continue
        entry = rng.choice(entries)
        if roll < 0.55:
            other = world.helped_staff if entry.recorded_side == "helper" else world.helper_staff
            if may_confirm(other, entry):
                ledger_confirm(entry=entry, by=other, accept=rng.random() < 0.7, objection="数量不对")
        elif roll < 0.65 and not entry.is_ended:
            ledger_void(entry=entry, by=world.admin, reason="重复")
        elif roll < 0.72:
            recorder = entry.recorded_by
            if recorder is not None and recorder.is_active and may_withdraw(recorder, entry):
                ledger_withdraw(entry=entry, by=recorder, reason="录错")
        elif not entry.is_ended:
            values = rng.choice([
                {"date": TODAY - datetime.timedelta(days=rng.randint(0, 350))},
                {"area": rng.choice(AREAS)},
                {"people_trained": rng.randint(0, 80), "money_yuan": Decimal(rng.randint(0, 10**6)) / 100},
                {"date": TODAY - datetime.timedelta(days=rng.randint(0, 350)), "area": rng.choice(AREAS),
                 "days": Decimal(rng.randint(1, 40)) / 2},
                {"kind": "座谈"},  # changes no figure
            ])
            with contextlib.suppress(ValidationError):  # no change (the same value drawn again)
                ledger_correct(entry=entry, by=world.admin, reason="核对后更正", **values)
    return pairing


@pytest.mark.django_db
def test_the_summary_equals_a_full_recount_after_random_writes(world):
    rng = random.Random(7)
    _random_writes(world, rng, 150)
    states = set(LedgerEntry.objects.values_list("confirmation", flat=True))
    assert {Confirmation.CONFIRMED, Confirmation.PENDING, Confirmation.REJECTED, *ENDED} <= states  # all exercised
    assert LedgerEntry.objects.filter(corrected_at__isnull=False).exists()
    assert summary.differences() == 0
    assert not LedgerSummary.objects.filter(entries=0).exists()  # emptied rows are deleted
    # and the totals the list shows equal the entries' own sums, for every state and some filters
    for params in ({}, {"state": "pending"}, {"state": "rejected"}, {"state": "all"}, {"area": "people"},
                   {"year": str(TODAY.year - 1)}, {"helped": str(world.other_museum.pk)},
                   {"state": "all", "year": str(TODAY.year)}):
        for user in (world.admin, world.helper_staff, world.province_supervisor):
            entries, filters = selectors.filter_entries(LedgerEntry.objects.visible_to(user), params)
            figures = selectors.list_figures(user, entries, filters)
            assert figures.totals == selectors.totals(entries), (params, user)
            assert figures.chart == selectors.chart_data(entries), (params, user)
            assert figures.listed == entries.count(), (params, user)


@pytest.mark.django_db
def test_recount_rebuilds_a_damaged_summary(world):
    _random_writes(world, random.Random(3), 40)
    LedgerSummary.objects.filter(pk=LedgerSummary.objects.order_by("pk").values("pk")[:1]).update(entries=999)
    LedgerMonthTotal.objects.order_by("pk").first().delete()
    assert summary.differences() >= 2
    call_command("recount_ledger_summary")
    assert summary.differences() == 0
    with pytest.raises(SystemExit):
        LedgerSummary.objects.order_by("pk").first().delete()
        call_command("recount_ledger_summary", "--check")


@pytest.mark.django_db
def test_a_correction_moves_the_figures_between_months_and_areas(world):
    entry = ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                          kind="培训", date=DAY, description="培训班", people_trained=30)
    assert LedgerMonthTotal.objects.get(month=DAY.replace(day=1), area="people", state="confirmed").people_trained \
        == 30
    ledger_correct(entry=entry, by=world.admin, reason="日期和领域写错", date=DAY - datetime.timedelta(days=62),
                   area="education", people_trained=25)
    assert not LedgerMonthTotal.objects.filter(month=DAY.replace(day=1)).exists()
    moved = LedgerSummary.objects.get()
    assert (moved.month, moved.area, moved.entries, moved.people_trained) == (
        (DAY - datetime.timedelta(days=62)).replace(day=1), "education", 1, 25)
    helped = LedgerMuseumTotal.objects.get(museum=world.helped_museum, side="helped")
    assert (helped.state, helped.entries, helped.people_trained) == ("confirmed", 1, 25)
    ledger_void(entry=entry, by=world.admin, reason="重复登记")
    assert not LedgerSummary.objects.exists() and not LedgerMonthTotal.objects.exists()
    assert not LedgerMuseumTotal.objects.exists()


@pytest.mark.django_db
def test_a_completed_task_enters_the_summary_and_the_pairing_totals(world, login):
    from bangfu.agreements.services import task_complete

    agreement = make_agreement(world, tasks=TASK)
    task = agreement.tasks.get()
    task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/news/1")
    row = LedgerSummary.objects.get()
    assert (row.pairing_id, row.state, row.people_trained) == (agreement.pairing_id, "confirmed", 12)
    page = login(world.helper_staff).get(reverse("agreements:pairing", args=[agreement.pairing_id]))
    assert page.context["ledger_totals"]["people_trained"] == 12


@pytest.mark.django_db
def test_the_unfiltered_list_reads_the_summary_not_every_entry(world, login):
    for i in range(5):
        ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=DAY - datetime.timedelta(days=40 * i), description=f"第{i}期", days=1)
    client = login(world.admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("ledger:list"))
    assert any("SUM(" in q["sql"] and "ledger_ledgermonthtotal" in q["sql"] for q in queries.captured_queries)
    aggregates = [q["sql"] for q in queries.captured_queries
                  if "ledger_ledgerentry" in q["sql"] and ("SUM(" in q["sql"] or "COUNT(" in q["sql"])
                  and "'pending'" not in q["sql"]]  # the entries awaiting the user: an index count of a few
    assert aggregates == []  # no sum or count over the entries: the totals, chart and count come from the summary
    assert page.context["page"].paginator.count == 5
    assert page.context["totals"]["entries"] == 5 and page.context["totals"]["days"] == 5
    # a free-text search reads the entries, and agrees
    page = client.get(reverse("ledger:list"), {"q": "第1期"})
    assert page.context["totals"]["entries"] == 1


@pytest.mark.django_db
def test_an_unknown_source_type_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        ledger_record(by=system_user(), helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=DAY, description="某模块", source_type="nosuch.record", source_id=1, days=1)
    assert "未知的台账来源" in str(refused.value)
    assert not LedgerEntry.objects.exists() and not LedgerSummary.objects.exists()


@pytest.mark.django_db
def test_automated_writes_name_the_system_account_shown_as_system(world, login):
    with pytest.raises(PermissionDenied):
        ledger_record(by=None, helper=world.helper_museum, helped=world.helped_museum, area="people", kind="培训",
                      date=DAY, description="命令写入", days=1)
    system = system_user()
    assert system_user() == system and not system.is_active and not system.has_usable_password()
    entry = ledger_record(by=system, helper=world.helper_museum, helped=world.helped_museum, area="people",
                          kind="培训", date=DAY, description="命令写入", days=1)
    assert (entry.recorded_by, entry.recorded_side, entry.confirmation) == (system, "association", "confirmed")
    page = login(world.admin).get(reverse("ledger:detail", args=[entry.pk])).content.decode()
    assert "系统" in page
    users = login(world.admin).get(reverse("accounts:users")).content.decode()
    assert system.username not in users  # not an account anyone manages


@pytest.mark.django_db
def test_the_entry_page_links_to_its_source_record(world, login):
    agreement = make_agreement(world, tasks=TASK)
    task = agreement.tasks.get()
    from bangfu.agreements.services import task_complete

    task_complete(task=task, by=world.helper_staff, evidence_link="https://example.org/news/1")
    entry = LedgerEntry.objects.get()
    page = login(world.admin).get(reverse("ledger:detail", args=[entry.pk])).content.decode()
    assert f'href="{reverse("agreements:task", args=[task.pk])}"' in page
    assert "http://" not in entry.evidence_link and "https://" not in entry.evidence_link


# --- under concurrency ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _reload_divisions_afterwards(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_to_the_same_rows_keep_the_summary_exact(_reload_divisions_afterwards):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database fails busy writers at once instead of waiting "
                    "(see test_pairing_concurrency); PostgreSQL runs it")
    ensure_divisions()
    world = build_world()
    extra = make_museum("沁源县博物馆", county="140431")
    threads, barrier, errors = [], threading.Barrier(6), []

    def write(i):
        try:
            barrier.wait(timeout=10)
            ledger_record(by=world.admin, helper=world.helper_museum, helped=extra if i % 2 else world.helped_museum,
                          area="people", kind="培训", date=DAY, description=f"并发{i}", days=1, people_trained=i,
                          confirm_not_duplicate=True)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    for i in range(6):
        threads.append(threading.Thread(target=write, args=(i,)))
        threads[-1].start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert summary.differences() == 0
    total = LedgerMonthTotal.objects.get()
    assert (total.entries, total.people_trained) == (6, sum(range(6)))
