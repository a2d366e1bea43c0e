"""What the exchange adds to the platform: the 供需对接 pages, its ledger source (a completed 对接), attachments on
posts and messages, the history of posts and threads, "recommended for you" on the home pages, and its API."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, HomePanel, LedgerSource, Module, NavEntry

from . import home

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})
MUSEUM_OR_EXPERT = frozenset({"museum_admin", "museum_staff", "expert"})

MODULE = Module(
    slug="exchange",
    title="供需对接",
    summary="发布需求与供给，按领域、文本、距离和结对关系排序推荐，跟踪每一次对接直到完成并记入台账。",
    icon="bi-arrow-left-right",
    nav=(
        NavEntry("供需对接", "exchange:search", "exchange", icon="bi-arrow-left-right", order=15),
        NavEntry("我的订阅", "exchange:subscriptions", "exchange-subscriptions", section="user", icon="bi-bell",
                 roles=SIGNED_IN, order=25),
        NavEntry("供需对接设置", "exchange:settings", "exchange-settings", section="admin", icon="bi-sliders",
                 roles=frozenset({"association_admin"}), order=60),
    ),
    # Both sides confirmed the match and its completion in the thread: the entry counts at once.
    ledger_sources=(LedgerSource(key="exchange.thread", label="供需对接", url_name="exchange:thread"),),
    attachment_owners=(
        AttachmentOwner("exchange.post", view="exchange.view_post", change="exchange.change_post"),
        AttachmentOwner("exchange.message", view="exchange.view_message", change="exchange.change_message"),
    ),
    home_panels=(
        HomePanel("exchange/home/_recommended.html", home.recommended, MUSEUM_OR_EXPERT, order=20, slot="main"),
        HomePanel("exchange/home/_attention.html", home.review, frozenset({"association_admin"}), order=20,
                  slot="attention"),
    ),
    history_types=(
        HistoryType("exchange.post", "供需信息"),
        HistoryType("exchange.thread", "供需对接"),
        HistoryType("exchange.synonym", "同义词"),
        HistoryType("exchange.subtype", "供需子类"),
        HistoryType("exchange.exchangerules", "供需对接设置"),
    ),
    api=(ApiRouter("/exchange", "bangfu.exchange.api:router", order=50),),
)
