"""The environment pages. Names are a contract between the parts of the module (and its tests):
home (a museum's overview), home_panel (its panels on the home page), watch (a helper's overview of its partners'
rooms), site/site_create/site_edit/site_token, room/room_create/room_edit/room_chart, sensor_create/sensor_edit,
readings_add (manual entry), pests, limits, report (monthly .xlsx/.pdf), sensor_import (upload → preview → save),
alerts/alert/alert_acknowledge."""

from django.urls import path

from . import views
from .views import alerts, imports

app_name = "environment"

urlpatterns: list = [
    path("sensors/<int:pk>/import/", imports.sensor_import, name="sensor_import"),
    path("imports/<int:pk>/", imports.import_batch, name="import_batch"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/template.<slug:kind>", imports.import_template, name="import_template"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge, name="alert_acknowledge"),
    path("", views.home, name="home"),
    path("partners/", views.watch, name="watch"),
    path("panel/", views.home_panel, name="home_panel"),
    path("limits/", views.limits, name="limits"),
    path("report/", views.report, name="report"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site, name="site"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/token/", views.site_token, name="site_token"),
    path("sites/<int:pk>/rooms/new/", views.room_create, name="room_create"),
    path("rooms/<int:pk>/", views.room, name="room"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("rooms/<int:pk>/chart/", views.room_chart, name="room_chart"),
    path("rooms/<int:pk>/pests/", views.pests, name="pests"),
    path("rooms/<int:pk>/sensors/new/", views.sensor_create, name="sensor_create"),
    path("sensors/<int:pk>/edit/", views.sensor_edit, name="sensor_edit"),
    path("sensors/<int:pk>/readings/", views.readings_add, name="readings_add"),
]
