"""Rebuild the ledger's summary from its entries (after a restore, a bulk import, or to check it)."""

from django.core.management.base import BaseCommand

from bangfu.ledger import summary


class Command(BaseCommand):
    help = "从台账记录重新计算台账汇总（按月份、领域、帮扶双方、结对和状态）。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="只比较，不重建：汇总与重新计算不一致时以非零状态退出")

    def handle(self, *args, check=False, **options):
        if check:
            differences = summary.differences()
            if differences:
                self.stderr.write(f"台账汇总与台账记录不一致：{differences} 行不同。请运行 recount_ledger_summary。")
                raise SystemExit(1)
            self.stdout.write("台账汇总与台账记录一致。")
            return
        rows = summary.recount()
        self.stdout.write(f"台账汇总已重新计算：{rows} 行。")
