from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bangfu.core"
    verbose_name = "平台基础"

    def ready(self):
        from bangfu import permissions  # noqa: F401 — registers the object permissions
