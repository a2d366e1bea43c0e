from django.apps import AppConfig


class EnvironmentConfig(AppConfig):
    name = "bangfu.environment"
    verbose_name = "环境监测"
