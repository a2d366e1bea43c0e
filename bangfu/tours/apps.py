from django.apps import AppConfig


class ToursConfig(AppConfig):
    name = "bangfu.tours"
    verbose_name = "专家巡讲"
