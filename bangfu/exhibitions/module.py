"""What exhibitions add (the 展览 area of the programme): the touring marketplace and tour calendars, venue
bookings, co-curation projects guided stage by stage, their ledger sources (a finished tour stop, an opening)."""

from bangfu.core.registry import (
    PUBLIC,
    ApiRouter,
    AttachmentOwner,
    HistoryType,
    HomePanel,
    LedgerSource,
    Module,
    NavEntry,
)

from . import home

MUSEUM = frozenset({"museum_admin", "museum_staff"})

NAV = (
    NavEntry("展览策划", "exhibitions:touring_list", "area-exhibition", section="areas", icon="bi-easel",
                  order=0),
)

MODULE = Module(
    slug="exhibitions",
    title="展览",
    summary="巡展市场与巡展档期、接展预约、联合策展全过程指导，以及文物借展。",
    icon="bi-easel",
    nav=NAV,
    ledger_sources=(
        LedgerSource(key="exhibitions.stop", label="巡展", url_name="exhibitions:stop"),
        LedgerSource(key="exhibitions.project", label="联合策展", url_name="exhibitions:project"),
    ),
    attachment_owners=(
        AttachmentOwner("exhibitions.touringexhibition", view="exhibitions.view_touring",
                        change="exhibitions.change_touring"),
        AttachmentOwner("exhibitions.tourstop", view="exhibitions.view_stop", change="exhibitions.act_stop",
                        remove="exhibitions.remove_stop_file"),
        AttachmentOwner("exhibitions.guidance", view="exhibitions.view_guidance",
                        change="exhibitions.change_guidance", remove="exhibitions.remove_guidance_file"),
    ),
    home_panels=(
        HomePanel("exhibitions/home/_pending.html", home.pending_requests, MUSEUM, order=30, slot="alerts"),
        HomePanel("exhibitions/home/_on_tour.html", home.on_tour, frozenset({PUBLIC}), order=40, slot="wide"),
    ),
    history_types=(
        HistoryType("exhibitions.touringexhibition", "巡展"),
        HistoryType("exhibitions.tourstop", "巡展站点"),
        HistoryType("exhibitions.curationproject", "策展项目"),
    ),
    api=(ApiRouter("/exhibitions", "bangfu.exhibitions.api:router", order=61),),
)
