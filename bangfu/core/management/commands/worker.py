"""python manage.py worker [--burst] — the task worker of the configured backend (settings.TASK_BACKEND)."""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("后台任务进程：TASK_BACKEND=database 时运行 db_worker，TASK_BACKEND=rq 时运行 RQ 的 rqworker。"
            "可以在多台机器上各运行一个或几个。")

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="执行完队列中已有的任务后退出")

    def handle(self, *args, burst=False, **options):
        verbosity = options.get("verbosity", 1)
        if settings.TASK_BACKEND == "database":
            while True:
                try:
                    call_command("db_worker", batch=burst, reload=False, startup_delay=not burst,
                                 verbosity=verbosity)
                    return
                except OperationalError:
                    if burst:
                        raise
                    # SQLite answers "database is locked" when another process writes for longer than its busy
                    # timeout (a long import run from the command line): wait and poll again instead of dying.
                    logger.warning("task queue not readable, trying again", exc_info=True)
                    close_old_connections()
                    time.sleep(2)
        elif settings.TASK_BACKEND == "rq":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=burst, with_scheduler=True,
                         verbosity=verbosity)
        else:
            raise CommandError(f"TASK_BACKEND={settings.TASK_BACKEND} 在调用处直接执行任务，不需要任务进程。")
