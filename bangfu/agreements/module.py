"""What the agreements add to the platform."""

from bangfu.core.registry import LedgerSource, Module

MODULE = Module(
    slug="agreements",
    title="帮扶协议",
    ledger_sources=(
        # A completed agreement task: both sides agreed to the task in the agreement, so its entry counts at once.
        LedgerSource(key="agreements.task", label="协议任务", url_name="agreements:task"),
    ),
)
