from django.apps import AppConfig


class PairingsConfig(AppConfig):
    name = "bangfu.pairings"
    verbose_name = "结对帮扶"
