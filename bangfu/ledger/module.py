"""What the help ledger adds to the platform."""

from bangfu.core.registry import ApiRouter, AttachmentOwner, HistoryType, HomePanel, LedgerSource, Module, NavEntry

from . import home

MODULE = Module(
    slug="ledger",
    title="帮扶台账",
    summary="每一项完成的帮扶记入一条台账：谁帮了谁、在哪个领域、做了多少。",
    icon="bi-journal-check",
    nav=(NavEntry("帮扶台账", "ledger:list", "ledger", icon="bi-journal-check", order=20),),
    ledger_sources=(
        # Help given outside the platform's modules, recorded by hand: a museum's entry waits for the other side,
        # the association's counts at once (ledger.sources.counts_at_once).
        LedgerSource(key="manual", label="平台外帮扶（手工登记）", counts_at_once=False),
    ),
    api=(ApiRouter("/ledger", "bangfu.ledger.api:router", order=40),),
    # An entry's evidence: seen by whoever sees the entry, given by the side that records it (what the other side
    # confirms is what was recorded: nothing is added afterwards).
    attachment_owners=(AttachmentOwner("ledger.ledgerentry", view="ledger.view_entry", change="ledger.add_evidence"),),
    home_panels=(
        HomePanel("ledger/home/_attention.html", home.awaiting, frozenset({"association_admin"}), order=20,
                  slot="attention"),
        HomePanel("ledger/home/_awaiting.html", home.awaiting, frozenset({"museum_admin", "museum_staff"}), order=20,
                  slot="alerts"),
        HomePanel("ledger/home/_count.html", home.supervisor, frozenset({"supervisor"}), order=40, slot="counts"),
        HomePanel("ledger/home/_link.html", home.supervisor, frozenset({"supervisor"}), order=20, slot="links"),
    ),
    history_types=(
        HistoryType("ledger.ledgerentry", "台账记录"),
        HistoryType("ledger.quantitylimits", "台账数量上限"),
    ),
)
