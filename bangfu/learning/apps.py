from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "bangfu.learning"
    verbose_name = "学时与证书"
