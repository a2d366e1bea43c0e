"""Overdue loans: both sides' staff reminded once a week while the objects are away after the end, and a few days
before the end; the association's to-do list lists every overdue loan, a museum's home page its own and those
waiting for its step."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.loans import home
from bangfu.loans.models import LoanStatus
from bangfu.notifications.models import Notification
from bangfu.notifications.reminders import send_reminders

from .loans_helpers import days, make_object, request, to_status

pytestmark = pytest.mark.django_db


def loan_ending(world, end_in: int, status=LoanStatus.ON_LOAN, by=None):
    loan = request(world, [make_object(world.helper_museum)], start=days(end_in - 60), end=days(end_in),
                   today=days(end_in - 90), by=by)
    return to_status(world, loan, status)


def loan_reminders(run):
    return [r for r in run.sent if r.key.startswith("loan-")]


def test_both_sides_staff_are_reminded_of_an_overdue_loan_once_a_week(world):
    loan = loan_ending(world, -3)
    today = timezone.localdate()
    sent = loan_reminders(send_reminders(today=today))
    assert {r.user for r in sent} == {world.helper_admin, world.helper_staff, world.helped_admin, world.helped_staff}
    assert all(r.key == f"loan-overdue-{loan.pk}-{loan.end}-w0" for r in sent)
    assert "借展已逾期 3 天" in sent[0].title
    assert loan_reminders(send_reminders(today=today + datetime.timedelta(days=3))) == []  # the same week
    again = loan_reminders(send_reminders(today=today + datetime.timedelta(days=4)))  # 7 days late: a new week
    assert len(again) == 4 and "逾期 7 天" in again[0].title


def test_a_loan_ending_soon_is_reminded_once_and_loans_not_away_never(world):
    soon = loan_ending(world, 3)
    loan_ending(world, -10, status=LoanStatus.TRANSPORT)  # objects not yet away: nothing to return
    loan_ending(world, -10, status=LoanStatus.CLOSED)
    sent = loan_reminders(send_reminders(today=timezone.localdate(), days=7))
    assert {r.key for r in sent} == {f"loan-due-{soon.pk}-{soon.end}"} and len(sent) == 4
    assert "借展将于 3 天后" in sent[0].title
    assert loan_reminders(send_reminders(today=timezone.localdate(), days=7)) == []
    assert Notification.objects.filter(key__startswith="loan-due-").count() == 4


def test_the_association_sees_every_overdue_loan_on_its_home_page(login, world):
    late = loan_ending(world, -12)
    loan_ending(world, -2, by=world.outsider)
    loan_ending(world, 20)
    context = home.attention(world.admin)
    assert [loan.pk for loan in context["loans_overdue"]][0] == late.pk
    assert context["loans_overdue_count"] == 2 and context["loans_overdue"][0].days_overdue == 12
    body = login(world.admin).get(reverse("home")).content.decode()
    assert 'data-testid="loans-overdue"' in body and "逾期 12 天" in body and "逾期 2 天" in body


def test_a_museum_sees_its_overdue_loans_and_those_waiting_for_its_step(login, world):
    loan_ending(world, -4)
    waiting = request(world, [make_object(world.helper_museum)])
    mine = home.mine(world.helper_staff)
    assert [loan.days_overdue for loan in mine["loans_overdue_mine"]] == [4]
    assert [loan.pk for loan in mine["loans_waiting"]] == [waiting.pk]
    assert home.mine(world.helped_staff)["loans_waiting"] == []  # the lender's step
    assert home.mine(world.outsider) == {"loans_overdue_mine": [], "loans_waiting": []}
    body = login(world.helper_staff).get(reverse("home")).content.decode()
    assert 'data-testid="my-loans"' in body and "借出给 安泽县博物馆" in body and "逾期 4 天" in body
    assert 'data-testid="my-loans"' not in login(world.outsider).get(reverse("home")).content.decode()


def test_the_home_panels_take_the_same_queries_however_many_loans(world, django_assert_max_num_queries):
    loan_ending(world, -4)
    with django_assert_max_num_queries(2) as few:
        home.attention(world.admin)
        home.mine(world.helper_staff)
    for _ in range(5):
        loan_ending(world, -6)
        request(world, [make_object(world.helper_museum)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        home.attention(world.admin)
        home.mine(world.helper_staff)


def test_whose_move_it_is_comes_from_the_services_one_table_of_actions(world):
    from bangfu.loans import selectors
    from bangfu.loans import services as s
    from bangfu.loans.models import LoanStatus

    for statuses, side in ((home.LENDER_WAITING, "lender"), (home.BORROWER_WAITING, "borrower")):
        for status in statuses:
            forward = [a for a, (_, sts) in s.ACTIONS.items() if status in sts and a not in s.ENDING_ACTIONS]
            assert forward and all(s.ACTIONS[a][0] == side for a in forward)
    # transport and the condition reports are either side's: the list and the home page say so
    assert LoanStatus.TRANSPORT in home.EITHER_WAITING
    step = selectors.row_next_step(LoanStatus.TRANSPORT, "borrower")
    assert step["mine"] and step["who"] == "双方" and "点交记录" in step["label"]
    assert selectors.row_next_step(LoanStatus.DISPATCHED, "lender")["mine"] is False
    assert selectors.row_next_step(LoanStatus.CLOSED, "lender") is None
