"""python manage.py scheduler [--once] — the one scheduler of periodic jobs (bangfu/core/periodic.py)."""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from bangfu.core import periodic

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("定时任务调度：到时间时把定时任务（如每天的任务提醒）加入后台任务队列，由任务进程执行。"
            "一直运行（make run 会启动它），或用 --once 由 cron 每几分钟运行一次。多个调度进程同时运行也不会重复。")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="检查一次、加入到期的任务后退出（供 cron 使用）")
        parser.add_argument("--interval", type=float, default=30, help="两次检查之间的秒数（默认 30）")

    def handle(self, *args, once=False, interval=30, **options):
        jobs = periodic.discover()
        if not once:
            now = timezone.now()
            for job in jobs.values():
                when = timezone.localtime(periodic.next_slot(job, now))
                self.stdout.write(f"定时任务 {job.name}：下次 {when:%Y-%m-%d %H:%M}")
        stop = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.append(True))
        while True:
            close_old_connections()
            try:
                for name in periodic.run_due(jobs=jobs):
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 已加入队列：{name}")
            except Exception:
                if once:
                    raise
                # A database busy with a long write (SQLite), or a queue that is down: the slot stays unclaimed
                # and is tried again next round; the scheduler keeps running.
                logger.exception("periodic jobs not enqueued this round")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stop and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))
            if stop:
                return
