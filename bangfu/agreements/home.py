"""Agreements on the home pages: tasks overdue and due soon, and agreements waiting for the museum's confirmation."""

import datetime

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from bangfu.pairings.models import OPEN_STATUSES, Pairing

from .models import AgreementTask, Side, deadline_before
from .selectors import awaiting_confirmation_by

TASK_HORIZON_DAYS = 14  # "due soon" on the home pages
HOME_LIST = 6  # rows per list on a home page


def _live_tasks(user):
    """Open tasks the user may see, of pairings still running."""
    return AgreementTask.objects.visible_to(user).agreed().open().filter(
        agreement__pairing__status__in=OPEN_STATUSES)


def task_counts(tasks, today: datetime.date) -> dict:
    """How many of `tasks` are overdue and due within the horizon (one query)."""
    return tasks.aggregate(
        overdue=Count("pk", filter=deadline_before(today)),
        due_soon=Count("pk", filter=~deadline_before(today) & Q(due_date__lte=today + datetime.timedelta(
            days=TASK_HORIZON_DAYS))),
    )


def counts(user) -> dict:
    """Overdue and soon-due tasks in the user's sight (the association's and a supervisor's pages)."""
    return {"task_counts": task_counts(_live_tasks(user), timezone.localdate()), "horizon": TASK_HORIZON_DAYS}


def my_tasks(user) -> dict:
    """The user's overdue and soon-due tasks: those they are responsible for first, then those of their museum's
    side, then the other side's (three queries), and whether the museum has a running pairing at all."""
    today = timezone.localdate()
    tasks = _live_tasks(user)
    museum = user.museum_id
    ours = Q(pk__in=[])  # tasks run by the user's museum's side, by the pairing's declaration of its sides
    for side, field in Pairing.PARTIES.items():
        ours |= Q(**{f"agreement__pairing__{field}_id": museum, "owner_side__in": [side, Side.BOTH]})
    ranked = tasks.with_pairing().select_related("agreement").annotate(rank=Case(
        When(responsible_id=user.pk, then=Value(0)), When(ours, then=Value(1)), default=Value(2),
        output_field=IntegerField(),
    )).order_by("rank", "due_date", "pk")
    overdue = list(ranked.overdue(today=today)[:HOME_LIST])
    due = list(ranked.due_within(TASK_HORIZON_DAYS, today=today)[:HOME_LIST])
    for task in overdue + due:
        task.days_left = (task.due_date - today).days
        task.days_overdue = -task.days_left
    return {
        "overdue_tasks": overdue,
        "due_tasks": due,
        "task_counts": task_counts(tasks, today),
        "horizon": TASK_HORIZON_DAYS,
        "pairing_count": Pairing.objects.open().of_museum(museum).count(),
    }


def awaiting(user) -> dict:
    return {"agreements_awaiting": list(awaiting_confirmation_by(user)[:HOME_LIST])}
