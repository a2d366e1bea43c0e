"""What the help ledger adds to the platform."""

from bangfu.core.registry import Module, NavEntry

MODULE = Module(
    slug="ledger",
    title="帮扶台账",
    summary="每一项完成的帮扶记入一条台账：谁帮了谁、在哪个领域、做了多少。",
    icon="bi-journal-check",
    nav=(NavEntry("帮扶台账", "ledger:list", "ledger", icon="bi-journal-check", order=20),),
)
