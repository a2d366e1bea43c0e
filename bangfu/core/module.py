"""What the platform itself adds: the change history, and the modules the programme announces that are not built
yet (each shows in the navigation with a page that says so, until an installed module takes its slug)."""

from . import home
from .areas import AREA_DESCRIPTIONS, Area
from .registry import PUBLIC, HomePanel, Module, NavEntry, Planned

ASSOCIATION = frozenset({"association_admin"})

PLANNED = (
    Planned("fund", "专项资金", "帮扶专项资金的申请、评审、拨付与结项。", "bi-cash-coin", order=30),
    Planned("evaluation", "考核评估", "按台账对各帮扶馆进行年度考核、运行评估与评优评先。", "bi-clipboard-data",
            order=40),
    Planned("portal", "成果展示", "面向公众展示帮扶成果、巡展、文创产品、新闻与统计。", "bi-megaphone", order=50),
    *(Planned(f"area-{a.value}", a.label, AREA_DESCRIPTIONS[a], section="areas", order=i)
      for i, a in enumerate(Area)),
)

MODULE = Module(
    slug="core",
    title="平台基础",
    nav=(
        NavEntry("节假日安排", "calendar", "calendar", section="admin", roles=ASSOCIATION, order=85),
        NavEntry("变更记录", "history", "history", section="admin", roles=ASSOCIATION, order=90),
    ),
    planned=PLANNED,
    home_panels=(
        HomePanel("core/home/_recent.html", home.recent, ASSOCIATION, order=20, slot="side"),
        HomePanel("core/home/_modules_status.html", home.modules_status, frozenset({PUBLIC}), order=90, slot="wide"),
    ),
)
