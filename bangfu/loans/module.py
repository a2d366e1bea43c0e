"""What loans add: my museum's loans in and out, the shared loan record with its workflow, condition reports,
the rules table, overdue reminders, a ledger source (a closed loan) and the loans API."""

from bangfu.core.registry import (
    ApiRouter,
    AttachmentOwner,
    HistoryType,
    HomePanel,
    LedgerSource,
    Module,
    NavEntry,
)

from . import home
from .reminders import REMINDERS

MUSEUM = frozenset({"museum_admin", "museum_staff"})
SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff"})

# The navigation: my museum's loans for everyone signed in at a museum or above, the rules for the association
NAV = (
    NavEntry("藏品借展", "loans:list", "area-loan", section="areas", icon="bi-box-seam", roles=SIGNED_IN, order=1),
    NavEntry("借展规则", "loans:rules", "loans-rules", section="admin", icon="bi-journal-text",
             roles=frozenset({"association_admin"}), order=62),
)

MODULE = Module(
    slug="loans",
    title="借展",
    summary="出借方与借入方共用一份借展记录：藏品审查、专家评估、场馆评估、备案审批、协议、保险运输、点交与归还。",
    icon="bi-box-seam",
    nav=NAV,
    reminders=(REMINDERS,),
    home_panels=(
        HomePanel("loans/home/_attention.html", home.attention, frozenset({"association_admin"}), order=30,
                  slot="attention"),
        HomePanel("loans/home/_mine.html", home.mine, MUSEUM, order=30, slot="main"),
    ),
    ledger_sources=(LedgerSource(key="loans.loan", label="借展", url_name="loans:detail"),),
    attachment_owners=(
        AttachmentOwner("loans.loan", view="loans.view_loan", change="loans.change_loan", remove="loans.remove_file"),
        AttachmentOwner("loans.loanfiling", view="loans.view_loan", change="loans.change_loan",
                        remove="loans.remove_file"),
        AttachmentOwner("loans.conditioncheck", view="loans.view_loan", change="loans.change_loan",
                        remove="loans.remove_file"),
    ),
    history_types=(HistoryType("loans.loan", "借展"), HistoryType("loans.loanrule", "借展规则")),
    api=(ApiRouter("/loans", "bangfu.loans.api:router", order=62),),
)
