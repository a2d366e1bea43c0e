"""Print the suggested pairings without saving anything: `python manage.py suggest_pairings [--json]`."""

import json
import time
import unicodedata

from django.core.management.base import BaseCommand

from bangfu.pairings.suggest import propose


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "推荐结对：为尚无主要帮扶方的受援馆求最优分配（只读，不保存）。--json 输出机器可读的结果。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true",
                            help="以 JSON 输出（每条推荐含帮扶方与受援方 id、公里数、匹配领域数，以及总目标值）")

    def handle(self, *args, **options):
        started = time.perf_counter()
        proposal = propose()
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps(proposal.as_json(), ensure_ascii=False, indent=2))
            return
        rows = [(s.helper_name, s.helped_name, f"{s.km:.1f}", "、".join(s.area_labels) or "—", f"{s.cost:.1f}")
                for s in proposal.suggestions]
        header = ("帮扶方", "受援方", "距离（公里）", "相符的领域", "代价")
        widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
        line = lambda cells: "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        w = proposal.weights
        self.stdout.write("")
        self.stdout.write(f"共 {len(rows)} 条推荐，总代价（目标值）{proposal.objective:.1f}；"
                          f"距离权重 {w.get('distance_weight')}，匹配权重 {w.get('fit_weight')}，"
                          f"最远距离 {w.get('max_distance_km') or '不限'}；用时 {seconds:.2f} 秒。")
        if proposal.unassigned:
            self.stdout.write(f"未能推荐的受援馆 {len(proposal.unassigned)} 家：")
            for u in proposal.unassigned:
                self.stdout.write(f"  {u['helped']}（{u['reason']}）")
        self.stdout.write("此命令只输出建议，不保存任何结对。")
