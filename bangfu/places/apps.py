from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "bangfu.places"
    verbose_name = "行政区划"
