from django.apps import AppConfig


class ExhibitionsConfig(AppConfig):
    name = "bangfu.exhibitions"
    verbose_name = "展览"
