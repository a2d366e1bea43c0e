"""Status changes go through one mechanism (bangfu/core/workflow.py): the moves declared beside each model, and
`transition()`, which locks the row, checks the move and its guards, logs who, when, from → to and why in the audit
log, and runs callbacks only after commit. Every record's page shows that log as a timeline."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.agreements.models import Agreement, AgreementTask, TaskStatus
from bangfu.agreements.services import agreement_discard_amendment, agreement_update, task_update
from bangfu.conservation.models import Consultation, RestorationProject, ServiceRequest
from bangfu.consulting.models import Meeting, Question
from bangfu.core.models import AuditEntry
from bangfu.core.workflow import Move, Workflow, transition, workflow_of
from bangfu.exchange.models import Post, Thread
from bangfu.exhibitions.models import CurationProject, TouringExhibition, TourStop
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.services import ledger_confirm, ledger_record
from bangfu.loans.models import Loan
from bangfu.pairings.models import Pairing, PairingStatus
from bangfu.pairings.services import pairing_create
from bangfu.placements.models import Placement, Visit
from bangfu.tours.models import LectureStop, LectureTour
from bangfu.training.models import TrainingClass

from .factories import make_agreement
from .test_pairing_concurrency import race

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def proposed(world) -> Pairing:
    return pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                          start_date=TODAY, end_date=TODAY + datetime.timedelta(days=700))


def end(pairing: Pairing, *, by, reason: str, **kwargs):
    """The raw "end" move (the service, pairing_set_status, also fills in the reason and the end date)."""
    return transition(pairing, to=PairingStatus.ENDED, by=by, reason=reason, set={"ended_reason": reason.strip()},
                      **kwargs)


def pending_entry(world) -> LedgerEntry:
    """A manual entry by the helper museum, waiting for the helped museum."""
    return ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum,
                         area="people", kind="培训", date=TODAY, description="讲解员培训", people_trained=12)


# --- the declarations ------------------------------------------------------------------------------------------


def test_every_declared_move_names_states_its_field_knows():
    declared = [(model, workflow_of(model)) for model in apps.get_models() if workflow_of(model) is not None]
    assert {model for model, _ in declared} == {Pairing, Agreement, AgreementTask, LedgerEntry, Post, Thread,
                                                 TouringExhibition, TourStop, CurationProject, Loan,
                                                 ServiceRequest, Consultation, RestorationProject, Question,
                                                 Meeting, Placement, Visit, TrainingClass, LectureTour,
                                                 LectureStop}
    for model, workflow in declared:
        states = {str(value) for value, _ in model._meta.get_field(workflow.field).choices}
        for move in workflow.moves:
            assert move.source <= states and move.target in states, (model, move.name)
            assert set(move.refusals) <= states, (model, move.name)


def test_a_move_may_not_be_declared_twice_under_one_name():
    with pytest.raises(ValueError, match="twice"):
        Workflow(Move("a", "甲", source=["x"], target="y"), Move("a", "乙", source=["y"], target="x"))


def test_the_moves_a_page_may_offer_follow_the_state_and_the_guards(world):
    pairing = proposed(world)
    assert [m.name for m in Pairing.workflow.available(pairing)] == ["end"]  # no confirmed agreement yet
    end(pairing, by=world.admin, reason="重新结对")
    assert Pairing.workflow.available(pairing) == []
    agreed = make_agreement(world, tasks=[{"title": "培训", "due_date": TODAY}]).pairing
    agreed.refresh_from_db()
    assert [m.name for m in Pairing.workflow.available(agreed)] == ["start", "end"]


# --- refusals -------------------------------------------------------------------------------------------------


def test_an_undeclared_move_is_refused_in_chinese_and_nothing_changes(world):
    pairing = proposed(world)
    with pytest.raises(ValidationError, match="结对当前为“提议中”，不能改为“已完成”。"):
        transition(pairing, to=PairingStatus.COMPLETED, by=world.admin)
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.PROPOSED
    assert not AuditEntry.objects.for_object(pairing).moves().exists()


def test_a_guard_refuses_with_its_message(world):
    pairing = proposed(world)
    with pytest.raises(ValidationError, match="帮扶协议经双方确认后，结对才能签约和启动。"):
        transition(pairing, to=PairingStatus.AGREED, by=world.admin)
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.PROPOSED


def test_a_move_that_needs_a_reason_is_refused_without_one_under_its_field(world):
    pairing = proposed(world)
    with pytest.raises(ValidationError) as refused:
        end(pairing, by=world.admin, reason="   ")
    assert refused.value.message_dict == {"reason": ["提前终止必须说明原因。"]}
    entry = pending_entry(world)
    with pytest.raises(ValidationError) as refused:
        ledger_confirm(entry=entry, by=world.helped_staff, accept=False, objection="")
    assert refused.value.message_dict == {"objection": ["请说明异议。"]}


def test_a_stale_object_is_checked_against_the_row_as_it_is_now(world):
    first = proposed(world)
    second = Pairing.objects.get(pk=first.pk)  # another request's copy, read before the first one moved
    end(first, by=world.admin, reason="受援馆撤并")
    assert second.status == PairingStatus.PROPOSED
    with pytest.raises(ValidationError, match="结对当前为“提前终止”，不能改为“提前终止”。"):
        end(second, by=world.admin, reason="又一次")
    assert AuditEntry.objects.for_object(first).moves().count() == 1


def test_a_move_writes_only_the_status_and_the_fields_it_sets(world):
    """A stale copy never writes its other fields back: an edit made since it was read survives the move."""
    stale = proposed(world)
    Pairing.objects.filter(pk=stale.pk).update(note="另一个请求改的备注", end_date=TODAY + datetime.timedelta(days=400))
    stale.kind = "changed in memory only"
    end(stale, by=world.admin, reason="受援馆撤并")
    row = Pairing.objects.get(pk=stale.pk)
    assert (row.status, row.ended_reason) == (PairingStatus.ENDED, "受援馆撤并")
    assert row.note == "另一个请求改的备注" and row.end_date == TODAY + datetime.timedelta(days=400)
    assert row.kind != "changed in memory only"
    assert row.updated_at > stale.created_at  # auto_now stamps still move with it
    assert stale.ended_reason == "受援馆撤并"  # the caller's object holds what the move set


def test_the_status_is_the_move_s_own_not_a_field_it_sets():
    with pytest.raises(TypeError, match="status"):
        transition(Pairing(pk=1), to=PairingStatus.ENDED, by=None, set={"status": PairingStatus.ACTIVE})


def test_an_edit_of_the_pairing_while_its_agreement_is_confirmed_survives_the_agree_move(world, monkeypatch):
    """agreement_confirm moves a proposed pairing to agreed: the pairing's note and end date, edited after the
    service read the pairing and before the move, are not written back as they were."""
    from bangfu.agreements import services

    agreement = make_agreement(world, tasks=[{"title": "培训", "due_date": TODAY}], confirmed=False)
    agreement.pairing.refresh_from_db()
    services.agreement_submit(agreement=agreement, by=world.admin)
    services.agreement_confirm(agreement=agreement, by=world.helper_admin)
    edited_end = agreement.pairing.end_date - datetime.timedelta(days=30)
    asked = services._confirmation_asked

    def edited_meanwhile(*args, **kwargs):  # called between the service's read of the pairing and the move
        Pairing.objects.filter(pk=agreement.pairing_id).update(note="协会补充的备注", end_date=edited_end)
        return asked(*args, **kwargs)

    monkeypatch.setattr(services, "_confirmation_asked", edited_meanwhile)
    services.agreement_confirm(agreement=agreement, by=world.helped_admin)
    pairing = Pairing.objects.get(pk=agreement.pairing_id)
    assert pairing.status == PairingStatus.AGREED
    assert (pairing.note, pairing.end_date) == ("协会补充的备注", edited_end)


def test_the_status_is_read_under_a_row_lock(world):
    pairing = proposed(world)
    with CaptureQueriesContext(connection) as queries:
        end(pairing, by=world.admin, reason="受援馆撤并")
    status_read = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    assert status_read.startswith('SELECT "pairings_pairing"."status"') and 'FROM "pairings_pairing"' in status_read
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite serialises writers instead
        assert "FOR NO KEY UPDATE" in status_read  # the row locked; its keys never change


# --- the log --------------------------------------------------------------------------------------------------


def test_a_move_is_logged_with_who_when_from_to_and_why(world):
    pairing = proposed(world)
    before = timezone.now()
    end(pairing, by=world.admin, reason=" 受援馆撤并 ", action="结对提前终止")
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ENDED
    log = AuditEntry.objects.for_object(pairing).moves().get()
    assert (log.actor, log.action, log.from_status, log.to_status, log.note) == (
        world.admin, "结对提前终止", "proposed", "ended", "受援馆撤并")
    assert log.at >= before


def test_the_system_moves_without_a_user(world):
    pairing = proposed(world)
    log = end(pairing, by=None, reason="数据迁移")
    assert log.actor is None and log.action == "提前终止"  # the move's label when no action is given


def test_the_services_log_their_moves(world):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=9)}])
    moves = list(AuditEntry.objects.for_objects(agreement, agreement.pairing).moves().order_by("at", "id")
                 .values_list("object_type", "from_status", "to_status"))
    assert moves == [("agreements.agreement", "draft", "awaiting"),
                     ("agreements.agreement", "awaiting", "awaiting"),  # one side confirmed
                     ("agreements.agreement", "awaiting", "confirmed"),
                     ("pairings.pairing", "proposed", "agreed")]
    task = agreement.tasks.get()
    task_update(task=task, by=world.helper_staff, status=TaskStatus.CANCELLED, note="场地改造，暂停")
    log = AuditEntry.objects.for_object(task).moves().get()
    assert (log.from_status, log.to_status, log.note, log.actor) == ("todo", "cancelled", "场地改造，暂停",
                                                                      world.helper_staff)
    task_update(task=task, by=world.helper_staff, progress=0)  # no move: no log of one
    assert AuditEntry.objects.for_object(task).moves().count() == 1


# --- after commit ---------------------------------------------------------------------------------------------


def test_callbacks_run_only_after_the_commit(world, django_capture_on_commit_callbacks):
    pairing, told = proposed(world), []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        end(pairing, by=world.admin, reason="受援馆撤并",
            on_commit=[lambda: told.append(Pairing.objects.get(pk=pairing.pk).status)])
        assert told == []  # still inside the transaction
    assert len(callbacks) == 1 and told == []
    callbacks[0]()
    assert told == ["ended"]


def test_a_refused_move_registers_nothing(world, django_capture_on_commit_callbacks):
    pairing = proposed(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        transition(pairing, to=PairingStatus.COMPLETED, by=world.admin, on_commit=[lambda: None])
    assert callbacks == []


# --- concurrency ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_confirming_one_entry_at_once_confirm_it_once():
    """Both the helped museum's staff and the association confirm the same pending entry at the same moment: the
    row lock makes the second wait and then see it confirmed."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads on SQLite's in-memory test database fail at once instead of waiting "
                    "(see tests/test_pairing_concurrency.py); runs on PostgreSQL")
    from .factories import build_world, ensure_divisions

    ensure_divisions()
    world = build_world()
    try:
        entry = pending_entry(world)
        results = race([lambda by=by: ledger_confirm(entry=entry, by=by, accept=True)
                        for by in (world.helped_staff, world.admin)])
        confirmed = [r for r in results if isinstance(r, LedgerEntry)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(confirmed) == 1 and len(refused) == 1, results
        assert refused[0].messages == ["这条记录已经确认。"]
        assert AuditEntry.objects.for_object(entry).moves().count() == 1
    finally:
        ensure_divisions()  # the transactional test empties the tables the other tests expect


# --- the timeline on each record's page -----------------------------------------------------------------------


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _more_moves_do_not_cost_queries(client, url, add_moves) -> str:
    client.get(url)  # warm the session
    few, _ = _queries(client, url)
    add_moves()
    many, body = _queries(client, url)
    assert many == few
    return body


def test_the_pairing_page_shows_the_pairing_and_agreement_moves(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=9)}])
    url = reverse("agreements:pairing", args=[agreement.pairing.pk])

    def amend_and_discard_twice():  # the page's state ends as it began: only the log is longer
        for text in ("新的背景一", "新的背景二"):
            agreement_update(agreement=agreement, by=world.helper_staff, data={"background": text},
                             amendment_note=f"修订：{text}")
            agreement_discard_amendment(agreement=agreement, by=world.helped_staff)

    body = _more_moves_do_not_cost_queries(login(world.helper_staff), url, amend_and_discard_twice)
    assert 'data-testid="timeline"' in body and 'href="#history"' in body
    assert "提议中" in body and "已签约" in body and "待双方确认" in body
    assert "修订：新的背景二" in body and "放弃协议修订" in body
    assert body.count('data-testid="timeline-step"') == 8


def test_the_task_page_shows_its_moves(world, login):
    task = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": TODAY + datetime.timedelta(days=9)}]
                          ).tasks.get()
    url = reverse("agreements:task", args=[task.pk])

    def toggle():
        for status in (TaskStatus.DOING, TaskStatus.TODO, TaskStatus.CANCELLED, TaskStatus.DOING):
            task_update(task=task, by=world.helper_staff, status=status, note=f"改为{status}")

    body = _more_moves_do_not_cost_queries(login(world.helped_staff), url, toggle)
    assert 'data-testid="timeline"' in body and "已取消" in body and "改为cancelled" in body


def test_the_ledger_entry_page_shows_its_moves(world, login):
    short, long = pending_entry(world), ledger_record(
        by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum, area="people", kind="讲座",
        date=TODAY, description="文物保护讲座", people_trained=30)
    ledger_confirm(entry=short, by=world.helped_admin, accept=True)
    ledger_confirm(entry=long, by=world.helped_staff, accept=False, objection="人数不符")
    ledger_confirm(entry=long, by=world.helped_staff, accept=False, objection="日期也不对")
    ledger_confirm(entry=long, by=world.helped_admin, accept=True)
    client = login(world.helper_staff)
    client.get(reverse("ledger:detail", args=[short.pk]))  # warm the session
    few, _ = _queries(client, reverse("ledger:detail", args=[short.pk]))
    many, body = _queries(client, reverse("ledger:detail", args=[long.pk]))
    assert many == few  # one entry with three moves, one with one: the same queries
    assert 'data-testid="timeline"' in body and body.count('data-testid="timeline-step"') == 4  # recorded, 3 moves
    assert "待对方确认" in body and "对方有异议" in body and "日期也不对" in body and "已确认" in body
    assert world.helped_admin.display_name in body and "安泽县博物馆" in body
