from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "bangfu.dashboard"
    verbose_name = "工作台"
