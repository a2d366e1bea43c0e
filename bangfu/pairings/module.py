"""What pairings add to the platform."""

from bangfu.core.registry import HistoryType, HomePanel, Module, NavEntry

from . import home

MODULE = Module(
    slug="pairings",
    title="结对帮扶",
    summary="大馆与小馆结对、签订帮扶协议、按目标与任务推进到期限。",
    icon="bi-link-45deg",
    nav=(NavEntry("结对帮扶", "pairings:list", "pairings", icon="bi-link-45deg", order=10),),
    home_panels=(HomePanel("pairings/home/_count.html", home.counts, frozenset({"supervisor"}), order=10,
                           slot="counts"),),
    history_types=(
        HistoryType("pairings.pairing", "结对"),
        HistoryType("pairings.programmerules", "结对规则"),
        HistoryType("pairings.pairingexclusion", "不结对设定"),
    ),
)
