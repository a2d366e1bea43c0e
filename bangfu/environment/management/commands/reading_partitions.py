"""python manage.py reading_partitions [--from 2024-01] [--months-ahead 3] — create the monthly partitions of the
readings table (PostgreSQL; nothing to do on SQLite) and list them with their row estimates.

Ingest creates the months a batch needs and the next three by itself (`partitions.ensure`); this command does it
ahead of a large import of old logger files (so the import does not hold the partition lock) or from cron."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ... import partitions


class Command(BaseCommand):
    help = "创建读数表的按月分区（仅 PostgreSQL），并列出各分区的估计行数。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", default="", help="从这个月起创建，如 2024-01（默认本月）")
        parser.add_argument("--months-ahead", type=int, default=partitions.AHEAD, help="本月之后再建几个月")

    def handle(self, *args, since: str, months_ahead: int, **options):
        if not partitions.is_partitioned():
            self.stdout.write("SQLite：读数表不分区，无需操作。")
            return
        now = datetime.datetime.now(datetime.UTC)
        try:
            start = datetime.datetime.strptime(since, "%Y-%m").replace(tzinfo=datetime.UTC) if since else now
        except ValueError:
            raise CommandError("--from 应写成 2024-01 这样的年月。") from None
        if not 0 <= months_ahead <= 120 or start.year < 2000:
            raise CommandError("--months-ahead 应在 0–120 之间，--from 不早于 2000 年。")
        created = partitions.ensure(start, now + datetime.timedelta(days=31 * months_ahead), ahead=False)
        self.stdout.write(f"新建 {len(created)} 个分区：{'、'.join(created) or '无'}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT c.relname, c.reltuples::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = "
                           "i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY c.relname", [partitions.PARENT])
            for name, rows in cursor.fetchall():
                self.stdout.write(f"{name}\t{max(rows, 0)}")
