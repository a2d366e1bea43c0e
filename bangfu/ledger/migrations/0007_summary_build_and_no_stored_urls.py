"""Builds the ledger's summary from the entries already recorded, and removes the absolute links to the platform's
own task pages that completed tasks stored as their entries' evidence link (an entry now links to its source
record through the source's page name, so a new domain breaks nothing). Reversible: going back empties the summary
and writes the links again from SITE_URL."""

import re

from django.conf import settings
from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

QUANTITIES = ["people_trained", "days", "object_count", "visitors", "money_yuan"]
SUMMARISED = ["confirmed", "pending", "rejected"]
TASK_SOURCE = "agreements.task"
TASK_PATH = "/pairings/tasks/{}/"  # the task page's path when the links were written
OWN_LINK = re.compile(r"^https?://[^/]+(/pairings/tasks/(\d+)/)$")


def build_summary(apps, schema_editor):
    entry_model = apps.get_model("ledger", "LedgerEntry")
    summary_model = apps.get_model("ledger", "LedgerSummary")
    month_model = apps.get_model("ledger", "LedgerMonthTotal")
    museum_model = apps.get_model("ledger", "LedgerMuseumTotal")
    rows = (entry_model.objects.filter(confirmation__in=SUMMARISED).order_by().annotate(month=TruncMonth("date"))
            .values("month", "area", "helper_id", "helped_id", "pairing_id", "confirmation")
            .annotate(entries=Count("id"), **{name: Sum(name) for name in QUANTITIES}))
    months, museums = {}, {}
    fine = []
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        figures = {"entries": row["entries"], **{name: row[name] or 0 for name in QUANTITIES}}
        fine.append(summary_model(month=month, area=row["area"], helper_id=row["helper_id"],
                                  helped_id=row["helped_id"], pairing_id=row["pairing_id"],
                                  state=row["confirmation"], **figures))
        total = months.setdefault((month, row["area"], row["confirmation"]), dict.fromkeys(figures, 0))
        for name, value in figures.items():
            total[name] += value
        for museum, side in ((row["helper_id"], "helper"), (row["helped_id"], "helped")):
            total = museums.setdefault((museum, side, row["confirmation"]), dict.fromkeys(figures, 0))
            for name, value in figures.items():
                total[name] += value
    summary_model.objects.bulk_create(fine, batch_size=2000)
    month_model.objects.bulk_create([month_model(month=m, area=a, state=s, **figures)
                                     for (m, a, s), figures in months.items()], batch_size=2000)
    museum_model.objects.bulk_create([museum_model(museum_id=m, side=side, state=s, **figures)
                                      for (m, side, s), figures in museums.items()], batch_size=2000)


def empty_summary(apps, schema_editor):
    apps.get_model("ledger", "LedgerSummary").objects.all().delete()
    apps.get_model("ledger", "LedgerMonthTotal").objects.all().delete()
    apps.get_model("ledger", "LedgerMuseumTotal").objects.all().delete()


def drop_own_links(apps, schema_editor):
    """An agreement task's entry whose evidence link is the platform's own page of that task: the link says nothing
    the source does not, and names a host that may change. Links elsewhere are evidence and stay."""
    entry_model = apps.get_model("ledger", "LedgerEntry")
    dropped = []
    for pk, source_id, link in (entry_model.objects.filter(source_type=TASK_SOURCE).exclude(evidence_link="")
                                .values_list("pk", "source_id", "evidence_link").iterator()):
        found = OWN_LINK.match(link)
        if found and int(found.group(2)) == source_id:
            dropped.append(pk)
    for start in range(0, len(dropped), 500):
        entry_model.objects.filter(pk__in=dropped[start:start + 500]).update(evidence_link="")


def restore_own_links(apps, schema_editor):
    entry_model = apps.get_model("ledger", "LedgerEntry")
    site = settings.SITE_URL.rstrip("/")
    for entry in entry_model.objects.filter(source_type=TASK_SOURCE, evidence_link="", source_id__isnull=False):
        entry.evidence_link = site + TASK_PATH.format(entry.source_id)
        entry.save(update_fields=["evidence_link"])


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0006_summary_and_state_indexes"),
    ]

    operations = [
        migrations.RunPython(build_summary, empty_summary),
        migrations.RunPython(drop_own_links, restore_own_links),
    ]
