from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "bangfu.placements"
    verbose_name = "跟班学习与指导"
