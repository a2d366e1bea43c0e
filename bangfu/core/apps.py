from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bangfu.core"
    verbose_name = "平台基础"

    def ready(self):
        from django.core.signals import setting_changed
        from django.utils.module_loading import autodiscover_modules

        from . import registry

        autodiscover_modules("rules")  # each app's <app>/rules.py registers its object permissions
        registry.reset()  # the modules' declarations are read again from the apps now installed
        setting_changed.connect(registry.on_setting_changed, dispatch_uid="bangfu-registry")
