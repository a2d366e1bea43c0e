"""What the museum registry adds to the platform."""

from bangfu.core.registry import HistoryType, Module, NavEntry

ASSOCIATION = frozenset({"association_admin"})

MODULE = Module(
    slug="museums",
    title="博物馆名录",
    icon="bi-building",
    nav=(
        NavEntry("博物馆名录", "museums:directory", "museums", section="registry", icon="bi-building", order=10),
        NavEntry("导入博物馆", "museums:import", "museums-import", section="admin", roles=ASSOCIATION, order=20),
        NavEntry("所在地待核实", "museums:review", "museums-review", section="admin", roles=ASSOCIATION, order=30),
    ),
    history_types=(HistoryType("museums.museum", "博物馆"),),
)
