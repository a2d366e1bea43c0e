from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "bangfu.agreements"
    verbose_name = "帮扶协议与任务"

    def ready(self):
        from bangfu.core import attachments

        # A task's evidence: seen by whoever sees the pairing, added and removed by its parties (the services
        # narrow that to the side that runs the task).
        attachments.register("agreements.agreementtask", view="pairings.view_pairing", change="agreements.update_task")
