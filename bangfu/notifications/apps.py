from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bangfu.notifications"
    verbose_name = "通知"
