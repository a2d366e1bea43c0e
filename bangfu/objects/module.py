"""What the object registry adds: 藏品 pages of a museum (hand entry, Excel import, API), photos as attachments."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, Module, NavEntry

MUSEUM_STAFF = frozenset({"museum_admin", "museum_staff"})

SIGNED_IN = frozenset({"museum_admin", "museum_staff", "association_admin", "supervisor", "expert"})

NAV = (
    NavEntry("本馆藏品", "objects:list", "objects", section="user", icon="bi-gem", roles=MUSEUM_STAFF,
             order=30),
    NavEntry("可借展藏品", "objects:offered", "objects-offered", section="user", icon="bi-box-seam",
             roles=SIGNED_IN, order=31),
)

MODULE = Module(
    slug="objects",
    title="藏品",
    summary="本馆可供借展、巡展的藏品：手工登记、藏品账导入或接口写入。",
    icon="bi-gem",
    nav=NAV,
    attachment_owners=(AttachmentOwner("objects.collectionobject", view="objects.view_object",
                                       change="objects.change_object"),),
    history_types=(HistoryType("objects.collectionobject", "藏品"),),
    api=(ApiRouter("/objects", "bangfu.objects.api:router", order=60),),
)
