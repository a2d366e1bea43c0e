from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bangfu.exchange"
    verbose_name = "供需对接"

    def ready(self):
        from .text import use_synonyms

        use_synonyms()  # the exchange's Synonym table is the thesaurus of the platform's Chinese search
