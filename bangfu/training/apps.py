from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "bangfu.training"
    verbose_name = "培训班"
