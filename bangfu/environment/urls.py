"""The environment pages. Names are a contract between the parts of the module (and its tests):
home (a museum's overview), watch (a helper's overview of its partners' rooms), site/site_create/site_edit/
site_token, room/room_create/room_edit/room_chart, sensor_create/sensor_edit, readings_add (manual entry), pests,
limits, report (monthly .xlsx/.pdf), sensor_import (upload → preview → save), alerts/alert/alert_acknowledge."""

from django.urls import path

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
]
