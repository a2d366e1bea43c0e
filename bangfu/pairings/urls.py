from django.urls import path

from . import views

app_name = "pairings"
urlpatterns = [
    path("", views.pairing_list, name="list"),
    path("lines.json", views.lines, name="lines"),
    path("new/", views.create, name="create"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("rules/", views.rules, name="rules"),
    path("rules/exclusions/", views.exclusion_add, name="exclusion_add"),
    path("rules/exclusions/<int:pk>/remove/", views.exclusion_remove, name="exclusion_remove"),
    path("<int:pk>/status/", views.set_status, name="status"),
]
