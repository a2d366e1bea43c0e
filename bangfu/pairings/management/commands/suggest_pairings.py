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
                            help="以 JSON 输出（每条推荐含帮扶方与受援方 id、公里数、匹配领域数与需求数，以及总距离、"
                                 "总匹配数和求解用的目标值）")

    def handle(self, *args, **options):
        started = time.perf_counter()
        proposal = propose()
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps(proposal.as_json(), ensure_ascii=False, indent=2))
            return
        rows = [(s.helper_name, s.helped_name, f"{s.km:.1f}", f"{s.fit}/{s.needs}" if s.needs else "未填需求",
                 "、".join(s.area_labels) or "—")
                for s in proposal.suggestions]
        header = ("帮扶方", "受援方", "距离（公里）", "匹配度（满足需求）", "相符的领域")
        widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
        line = lambda cells: "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        w = proposal.weights
        self.stdout.write("")
        farthest = f"{w['max_distance_km']:.0f} 公里" if w.get("max_distance_km") else "不限"
        self.stdout.write(f"共 {len(rows)} 条推荐，平均距离 {proposal.average_km or 0:.1f} 公里，"
                          f"共满足 {proposal.total_fit} 项需求；距离权重 {w.get('distance_weight'):g}/公里，"
                          f"每个相符领域折合 {w.get('fit_weight'):g} 公里，最远距离 {farthest}；"
                          f"用时 {seconds:.2f} 秒。")
        if proposal.unassigned:
            self.stdout.write(f"未能推荐的受援馆 {len(proposal.unassigned)} 家：")
            for u in proposal.unassigned:
                self.stdout.write(f"  {u['helped']}（{u['reason']}）")
        self.stdout.write("此命令只输出建议，不保存任何结对。")
