from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "bangfu.courses"
    verbose_name = "线上课程"
