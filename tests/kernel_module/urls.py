from django.urls import path

from . import views

app_name = "kernel"
urlpatterns = [path("", views.page, name="page")]
