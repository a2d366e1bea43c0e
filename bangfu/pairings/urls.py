from django.urls import path

from . import views

app_name = "pairings"
urlpatterns = [
    path("", views.placeholder, name="list"),
]
