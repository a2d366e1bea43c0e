from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "bangfu.loans"
    verbose_name = "借展"
