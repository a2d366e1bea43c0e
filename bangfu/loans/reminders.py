"""Loan reminders: the objects still away after the agreed end (both sides' staff, once a week while it lasts) and
the end coming within the reminder horizon (both sides, once per loan and end date).

The loans module's reminder provider (`REMINDERS`, declared in module.py), sent by the daily
`python manage.py send_reminders` with every module's reminders. The keys name the loan, its end date and (overdue)
the week of lateness: a second run the same week sends nothing again; a changed end date makes a new reminder."""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse

from bangfu.accounts.models import User
from bangfu.accounts.selectors import museums_staff
from bangfu.core.dates import cn_date
from bangfu.core.registry import Reminder, ReminderProvider

from .models import OUT_STATUSES, Loan


def _url(loan: Loan) -> str:
    try:
        return reverse("loans:detail", args=[loan.pk])
    except NoReverseMatch:
        return f"/api/loans/{loan.pk}"


def _staff(loans: list[Loan]) -> dict[int, list[User]]:
    """The active staff of the loans' museums, by museum (one query)."""
    return museums_staff(m for loan in loans for m in (loan.lender_id, loan.borrower_id))


def _describe(loan: Loan) -> str:
    title = f"《{loan.exhibition_title}》" if loan.exhibition_title else loan.venue
    return (f"{loan.lender.display_name} → {loan.borrower.display_name}，{title}，"
            f"借展期限 {cn_date(loan.start)} 至 {cn_date(loan.end)}。")


def planned_reminders(*, days: int, today: datetime.date) -> tuple[list[Reminder], int, int]:
    """(reminders, loans due soon, overdue loans): loans whose objects are away (dispatched, on loan, partly
    returned) ending within `days`, and those past their end."""
    base = Loan.objects.filter(status__in=OUT_STATUSES).select_related("lender", "borrower").order_by("end", "pk")
    overdue = list(base.filter(end__lt=today))
    due = list(base.filter(end__gte=today, end__lte=today + datetime.timedelta(days=days)))
    staff = _staff(overdue + due)
    reminders = []
    for loan in due:
        left = (loan.end - today).days
        when = "今天到期" if left == 0 else f"将于 {left} 天后（{cn_date(loan.end)}）到期"
        for user in staff[loan.lender_id] + staff[loan.borrower_id]:
            reminders.append(Reminder(user=user, key=f"loan-due-{loan.pk}-{loan.end}", url=_url(loan),
                                      title=f"借展{when}，请安排归还", body=_describe(loan)))
    for loan in overdue:
        late = (today - loan.end).days
        week = late // 7
        for user in staff[loan.lender_id] + staff[loan.borrower_id]:
            reminders.append(Reminder(
                user=user, key=f"loan-overdue-{loan.pk}-{loan.end}-w{week}", url=_url(loan),
                title=f"借展已逾期 {late} 天：藏品尚未全部归还",
                body=_describe(loan) + "请尽快归还并登记归还点交记录。"))
    return reminders, len(due), len(overdue)


def collect(today: datetime.date, days: int) -> list[Reminder]:
    return planned_reminders(days=days, today=today)[0]


def summary(reminders: list[Reminder], days: int) -> str:
    due = {r.key for r in reminders if r.key.startswith("loan-due-")}
    overdue = {r.key for r in reminders if r.key.startswith("loan-overdue-")}
    return f"{days} 天内到期的借展 {len(due)} 件，逾期借展 {len(overdue)} 件"


REMINDERS = ReminderProvider(name="借展", collect=collect, summary=summary)
