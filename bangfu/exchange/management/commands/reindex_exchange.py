"""python manage.py reindex_exchange — rebuild the exchange's search text and term index of every post."""

import time

from django.core.management.base import BaseCommand

from bangfu.exchange.index import reindex_all


class Command(BaseCommand):
    help = ("重建供需信息的检索索引（分词文本和词项索引）：修改领域词典之后运行；"
            "同义词表修改后平台会在后台自动重建。")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="每批处理的供需信息条数（默认 500）")

    def handle(self, *args, batch=500, **options):
        started = time.monotonic()
        count = reindex_all(batch=max(1, batch))
        self.stdout.write(f"已重建 {count} 条供需信息的索引，用时 {time.monotonic() - started:.1f} 秒。")
