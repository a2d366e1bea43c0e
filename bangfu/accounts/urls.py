from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.users, name="users"),
    path("new/", views.user_create_view, name="user_create"),
    path("<int:pk>/", views.user_edit, name="user_edit"),
    path("<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("<int:pk>/password/", views.user_password, name="user_password"),
    path("me/", views.profile, name="profile"),
]
