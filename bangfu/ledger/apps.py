from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "bangfu.ledger"
    verbose_name = "帮扶台账"

    def ready(self):
        from bangfu.core import attachments

        # An entry's evidence: seen by whoever sees the entry, given by the side that records it (what the other
        # side confirms is what was recorded: nothing is added afterwards).
        attachments.register("ledger.ledgerentry", view="ledger.view_entry", change="ledger.add_evidence")
