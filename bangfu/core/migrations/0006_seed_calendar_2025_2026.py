"""The official holidays and make-up working days of 2025 and 2026 (国务院办公厅关于2025年、2026年部分节假日安排的
通知): the association adds each following year when the notice comes out."""

import datetime

from django.db import migrations

HOLIDAYS = (  # (name, first day, last day)
    ("元旦", "2025-01-01", "2025-01-01"), ("春节", "2025-01-28", "2025-02-04"), ("清明节", "2025-04-04", "2025-04-06"),
    ("劳动节", "2025-05-01", "2025-05-05"), ("端午节", "2025-05-31", "2025-06-02"),
    ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
    ("元旦", "2026-01-01", "2026-01-03"), ("春节", "2026-02-15", "2026-02-23"), ("清明节", "2026-04-04", "2026-04-06"),
    ("劳动节", "2026-05-01", "2026-05-05"), ("端午节", "2026-06-19", "2026-06-21"), ("中秋节", "2026-09-25", "2026-09-27"),
    ("国庆节", "2026-10-01", "2026-10-07"),
)
WORKDAYS = {
    "春节调休": ["2025-01-26", "2025-02-08", "2026-02-14", "2026-02-28"],
    "劳动节调休": ["2025-04-27", "2026-05-09"],
    "国庆节调休": ["2025-09-28", "2025-10-11", "2026-09-20", "2026-10-10"],
    "元旦调休": ["2026-01-04"],
}


def _days(start, end):
    day, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    rows = [CalendarDay(date=day, is_workday=False, name=name)
            for name, start, end in HOLIDAYS for day in _days(start, end)]
    rows += [CalendarDay(date=datetime.date.fromisoformat(d), is_workday=True, name=name)
             for name, dates in WORKDAYS.items() for d in dates]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(date__year__in=(2025, 2026)).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_calendar_days")]
    operations = [migrations.RunPython(seed, unseed)]
