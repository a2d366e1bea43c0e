from django.apps import AppConfig


class MuseumsConfig(AppConfig):
    name = "bangfu.museums"
    verbose_name = "博物馆名录"
