"""What 专家巡讲 adds to the platform (倡议书 §七): lecture tours of expert teams through county museums, their
route map, each stop's attendance (one ledger entry per stop), the experts' own schedule."""

from bangfu.core.registry import AttachmentOwner, HistoryType, LedgerSource, Module, NavEntry

from .reminders import REMINDERS

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})

MODULE = Module(
    slug="tours",
    title="专家巡讲",
    summary="协会组建专家巡讲团，规划县级博物馆巡讲路线；每站登记出勤并记入帮扶台账；专家查看自己的日程。",
    icon="bi-signpost-split",
    nav=(NavEntry("专家巡讲", "tours:list", "tours", section="people", icon="bi-signpost-split",
                  roles=SIGNED_IN, order=40),),
    ledger_sources=(LedgerSource(key="tours.stop", label="专家巡讲", url_name="tours:stop"),),
    reminders=(REMINDERS,),
    attachment_owners=(AttachmentOwner("tours.lecturestop", view="tours.view_stop", change="tours.change_stop",
                                       remove="tours.remove_photo"),),
    history_types=(HistoryType("tours.lecturetour", "专家巡讲"), HistoryType("tours.lecturestop", "巡讲站点")),
)
