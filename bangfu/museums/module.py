"""What the museum registry adds to the platform."""

from bangfu.core.registry import PUBLIC, ApiRouter, HistoryType, HomePanel, Module, NavEntry

from . import home

ASSOCIATION = frozenset({"association_admin"})
MUSEUM = frozenset({"museum_admin", "museum_staff"})
CHARTS = "museums/home/_charts_js.html"

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
    api=(ApiRouter("/museums", "bangfu.museums.api:router", order=20),),
    home_panels=(
        HomePanel("museums/home/_attention_review.html", home.association, ASSOCIATION, order=30, slot="attention"),
        HomePanel("museums/home/_attention_needs.html", home.association, ASSOCIATION, order=50, slot="attention"),
        HomePanel("museums/home/_attention_offers.html", home.association, ASSOCIATION, order=60, slot="attention"),
        HomePanel("museums/home/_overview.html", home.association, ASSOCIATION, order=10, slot="wide",
                  scripts=CHARTS),
        HomePanel("museums/home/_attention_supervisor.html", home.supervisor, frozenset({"supervisor"}), order=30,
                  slot="attention"),
        HomePanel("museums/home/_overview.html", home.supervisor, frozenset({"supervisor"}), order=10, slot="wide",
                  scripts=CHARTS),
        HomePanel("museums/home/_overview.html", home.public, frozenset({PUBLIC}), order=10, slot="wide",
                  scripts=CHARTS),
        HomePanel("museums/home/_checklist.html", home.own_museum, MUSEUM, order=10, slot="cards"),
        HomePanel("museums/home/_role.html", home.own_museum, MUSEUM, order=20, slot="cards"),
    ),
)
