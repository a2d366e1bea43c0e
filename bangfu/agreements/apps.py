from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "bangfu.agreements"
    verbose_name = "帮扶协议与任务"
