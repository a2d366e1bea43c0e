from django.urls import path

from . import import_views, views

app_name = "museums"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("review/", views.review, name="review"),
    path("points.json", views.map_points, name="points"),
    path("export.xlsx", import_views.export, name="export"),
    path("import/", import_views.upload, name="import"),
    path("import/<int:batch_id>/", import_views.preview, name="import_preview"),
    path("import/<int:batch_id>/progress/", import_views.progress, name="import_progress"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/areas/", views.edit_areas, name="edit_areas"),
    path("<int:pk>/position/", views.set_position, name="set_position"),
    path("<int:pk>/photos/", views.photos, name="photos"),
    path("<int:pk>/photos/<int:photo_id>/delete/", views.delete_photo, name="delete_photo"),
    path("<int:pk>/history/", views.history, name="history"),
]
