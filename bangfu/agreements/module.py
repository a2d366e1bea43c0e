"""What agreements add to the platform: task reminders, and the tasks and pending confirmations on the home pages."""

from bangfu.core.registry import AttachmentOwner, HistoryType, HomePanel, LedgerSource, Module

from . import home
from .reminders import REMINDERS

MUSEUM = frozenset({"museum_admin", "museum_staff"})

MODULE = Module(
    slug="agreements",
    title="帮扶协议与任务",
    summary="结对双方签订帮扶协议：目标、任务、期限、进度与佐证。",
    icon="bi-file-earmark-text",
    reminders=(REMINDERS,),
    # A completed agreement task: both sides agreed to the task in the agreement, so its entry counts at once.
    ledger_sources=(LedgerSource(key="agreements.task", label="协议任务", url_name="agreements:task"),),
    # A task's evidence: seen by whoever sees the pairing, added and removed by its parties (the services narrow
    # that to the side that runs the task).
    attachment_owners=(
        AttachmentOwner("agreements.agreementtask", view="pairings.view_pairing", change="agreements.update_task"),),
    home_panels=(
        HomePanel("agreements/home/_attention.html", home.counts, frozenset({"association_admin"}), order=10,
                  slot="attention"),
        HomePanel("agreements/home/_counts.html", home.counts, frozenset({"supervisor"}), order=20, slot="counts"),
        HomePanel("agreements/home/_link.html", home.counts, frozenset({"supervisor"}), order=10, slot="links"),
        HomePanel("agreements/home/_awaiting.html", home.awaiting, MUSEUM, order=10, slot="alerts"),
        HomePanel("agreements/home/_my_tasks.html", home.my_tasks, MUSEUM, order=10, slot="main"),
    ),
    history_types=(
        HistoryType("agreements.agreement", "帮扶协议"),
        HistoryType("agreements.agreementtask", "协议任务"),
        HistoryType("agreements.progressreport", "进展报告"),
    ),
)
