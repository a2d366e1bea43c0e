from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bangfu.notifications"
    verbose_name = "通知"

    def ready(self):
        from . import services  # noqa: F401 — registers the hook that records a notification as e-mailed
