"""What 跟班学习与指导 adds to the platform (倡议书 §七): placements of helped museums' staff at helper museums
(跟班学习/挂职锻炼, 3–6 months by the association's rule) with monthly reports, assessment and certificate, and short
guidance visits (短期工作指导) by helpers' managers; their ledger sources, reminders and API."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, LedgerSource, Module, NavEntry

from .reminders import REMINDERS

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})
REMOVE = "placements.remove_file"
PEOPLE = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff"})

MODULE = Module(
    slug="placements",
    title="跟班学习与指导",
    summary="受援馆业务人员到帮扶馆跟班学习或挂职锻炼（3–6 个月），帮扶馆管理人员到受援馆短期工作指导。",
    icon="bi-person-workspace",
    nav=(
        NavEntry("跟班学习", "placements:home", "placements", section="people", icon="bi-person-workspace",
                 roles=PEOPLE, order=20),
        NavEntry("短期指导", "placements:visits", "placement-visits", section="people", icon="bi-signpost-split",
                 roles=PEOPLE, order=21),
    ),
    reminders=(REMINDERS,),
    ledger_sources=(
        LedgerSource(key="placements.placement", label="跟班学习/挂职锻炼", url_name="placements:detail"),
        LedgerSource(key="placements.visit", label="短期工作指导", url_name="placements:visit"),
    ),
    attachment_owners=(
        AttachmentOwner("placements.placement", view="placements.view_placement",
                        change="placements.change_placement", remove=REMOVE),
        AttachmentOwner("placements.monthlyreport", view="placements.view_placement",
                        change="placements.change_report", remove=REMOVE),
        AttachmentOwner("placements.visit", view="placements.view_visit", change="placements.change_visit",
                        remove=REMOVE),
    ),
    history_types=(
        HistoryType("placements.placement", "跟班学习/挂职锻炼"),
        HistoryType("placements.visit", "短期工作指导"),
        HistoryType("placements.placementrule", "跟班学习期限规则"),
    ),
    api=(ApiRouter("/placements", "bangfu.placements.api:router", order=72),),
)
