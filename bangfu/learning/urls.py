from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("<int:user_id>/", views.person, name="person"),
    path("hours/", views.hours, name="hours"),
    path("targets/", views.targets, name="targets"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
