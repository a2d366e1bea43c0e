from django.apps import AppConfig


class ConsultingConfig(AppConfig):
    name = "bangfu.consulting"
    verbose_name = "远程咨询"
