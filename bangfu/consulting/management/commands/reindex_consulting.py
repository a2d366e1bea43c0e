"""python manage.py reindex_consulting — rebuild the search words and term index of every consulting question."""

import time

from django.core.management.base import BaseCommand

from bangfu.consulting.services import reindex_questions


class Command(BaseCommand):
    help = "重建远程咨询问题（含知识库）的检索索引：修改领域词典或同义词表之后运行。"

    def handle(self, *args, **options):
        started = time.monotonic()
        count = reindex_questions()
        self.stdout.write(f"已重建 {count} 个咨询问题的索引，用时 {time.monotonic() - started:.1f} 秒。")
