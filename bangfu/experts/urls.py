from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
