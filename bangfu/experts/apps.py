from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "bangfu.experts"
    verbose_name = "专家库"
