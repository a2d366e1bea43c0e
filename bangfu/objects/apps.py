from django.apps import AppConfig


class ObjectsConfig(AppConfig):
    name = "bangfu.objects"
    verbose_name = "藏品"
