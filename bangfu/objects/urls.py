from django.urls import path

from . import views

app_name = "objects"
urlpatterns = [
    path("", views.object_list, name="list"),
    path("offered/", views.offered, name="offered"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
