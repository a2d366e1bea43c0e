"""What the ledger adds to the platform."""

from bangfu.core.registry import LedgerSource, Module

MODULE = Module(
    slug="ledger",
    title="帮扶台账",
    ledger_sources=(
        # Help given outside the platform's modules, recorded by hand: a museum's entry waits for the other side,
        # the association's counts at once (ledger.sources.counts_at_once).
        LedgerSource(key="manual", label="平台外帮扶（手工登记）", counts_at_once=False),
    ),
)
