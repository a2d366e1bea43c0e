from django.apps import AppConfig


class ConservationConfig(AppConfig):
    name = "bangfu.conservation"
    verbose_name = "文物保护"
