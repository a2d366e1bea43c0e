from django.urls import path

from .views import cases, hub, lab, projects

app_name = "conservation"

urlpatterns = [
    path("", hub.home, name="home"),
    *lab.urlpatterns,
    *cases.urlpatterns,
    *projects.urlpatterns,
]
