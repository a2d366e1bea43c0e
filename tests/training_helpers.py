"""Building training classes for the tests, through the services."""

import datetime

from django.utils import timezone

from bangfu.training.services import class_create, session_add

from .factories import make_user


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def make_class(world, *, start=None, days=2, places=3, per_museum=0, sessions=2, hours=4, publish=True, **extra):
    """A class organised by the association, hosted by the world's helper museum, with `sessions` lessons of
    `hours` each, one per day from `start` (today by default)."""
    start = start or timezone.localdate()
    klass = class_create(by=world.admin, title="县级博物馆文物保护业务培训班", area="conservation", start=start,
                         end=start + datetime.timedelta(days=days - 1), places=places, places_per_museum=per_museum,
                         host=world.helper_museum, place="山西博物院学术报告厅", publish=False, **extra)
    for i in range(sessions):
        day = start + datetime.timedelta(days=min(i, days - 1))
        session_add(klass=klass, by=world.admin, title=f"第{i + 1}讲", start=at(day, 9 + 5 * (i // days)),
                    end=at(day, 12 + 5 * (i // days)), hours=hours)
    if publish:
        from bangfu.training.services import class_publish

        class_publish(klass=klass, by=world.admin)
    return klass


def staff(museum, n, prefix):
    return [make_user("museum_staff", museum=museum, username=f"{prefix}{i}") for i in range(n)]
