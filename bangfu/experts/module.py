"""What the expert pool adds to the platform."""

from bangfu.core.registry import ApiRouter, HistoryType, HomePanel, Module, NavEntry

from . import home

MODULE = Module(
    slug="experts",
    title="专家库",
    icon="bi-person-badge",
    nav=(NavEntry("专家库", "experts:directory", "experts", section="registry", icon="bi-person-badge", order=20),),
    history_types=(HistoryType("experts.expert", "专家"),),
    api=(ApiRouter("/experts", "bangfu.experts.api:router", order=30),),
    home_panels=(HomePanel("experts/home/_profile.html", home.profile, frozenset({"expert"}), order=10),),
)
