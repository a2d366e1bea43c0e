"""The platform's modules as the navigation shows them, with whether each is built yet."""

from dataclasses import dataclass

from .areas import AREA_DESCRIPTIONS, Area


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    icon: str
    summary: str
    url_name: str = ""  # the module's own page once it is built; until then a page that says it is not

    @property
    def built(self) -> bool:
        return bool(self.url_name)


PROGRAMME_MODULES = [
    Module("pairings", "结对帮扶", "bi-link-45deg", "大馆与小馆结对、签订帮扶协议、按目标与任务推进到期限。",
           "pairings:list"),
    Module("ledger", "帮扶台账", "bi-journal-check", "每一项完成的帮扶记入一条台账：谁帮了谁、在哪个领域、做了多少。",
           "ledger:list"),
    Module("fund", "专项资金", "bi-cash-coin", "帮扶专项资金的申请、评审、拨付与结项。"),
    Module("evaluation", "考核评估", "bi-clipboard-data", "按台账对各帮扶馆进行年度考核、运行评估与评优评先。"),
    Module("portal", "成果展示", "bi-megaphone", "面向公众展示帮扶成果、巡展、文创产品、新闻与统计。"),
]

AREA_MODULES = [
    Module(f"area-{a.value}", a.label, "bi-grid", AREA_DESCRIPTIONS[a]) for a in Area
]

ALL_MODULES = {m.slug: m for m in PROGRAMME_MODULES + AREA_MODULES}
