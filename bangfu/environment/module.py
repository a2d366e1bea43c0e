"""What environment monitoring adds: sites → rooms → sensors, readings from gateways, logger files and handheld
meters, target ranges per material class, alert episodes, pest records, metrics, the room page, a museum's and a
helper's overviews, the monthly report and the environment API."""

from bangfu.core.registry import ApiRouter, ClimateSource, HistoryType, HomePanel, Module, NavEntry


def _climate(museum, material_classes, days):
    """The loans' facility review reads how well the borrower kept each material's climate (imported when asked:
    the module file is read before the apps are ready)."""
    from .climate import compliance

    return compliance(museum, material_classes, days)


MUSEUM = frozenset({"museum_admin", "museum_staff"})
SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff"})

NAV = (
    NavEntry("环境监测", "environment:home", "environment", section="areas", icon="bi-thermometer-half",
             roles=SIGNED_IN, order=3),
)

MODULE = Module(
    slug="environment",
    title="环境监测",
    summary="库房、展厅、展柜的温湿度、光照与虫害监测：网关接入、记录仪文件导入、超限报警、保存指标与月报。",
    icon="bi-thermometer-half",
    climate=(ClimateSource(compliance=_climate),),
    nav=NAV,
    # The panels load after the home page (htmx), outside its query budget (tests/test_dashboard.py).
    home_panels=(HomePanel("environment/home/_lazy.html", None, MUSEUM, order=40, slot="main"),),
    history_types=(HistoryType("environment.materiallimit", "材质环境指标"),),
    api=(ApiRouter("/environment", "bangfu.environment.api:router", order=70),),
)
