from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bangfu.exchange"
    verbose_name = "供需对接"
