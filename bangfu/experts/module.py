"""What the expert pool adds to the platform."""

from bangfu.core.registry import HistoryType, Module, NavEntry

MODULE = Module(
    slug="experts",
    title="专家库",
    icon="bi-person-badge",
    nav=(NavEntry("专家库", "experts:directory", "experts", section="registry", icon="bi-person-badge", order=20),),
    history_types=(HistoryType("experts.expert", "专家"),),
)
