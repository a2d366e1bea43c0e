from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export/", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/void/", views.end_entry, {"action": "void"}, name="void"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/withdraw/", views.end_entry, {"action": "withdraw"}, name="withdraw"),
    path("limits/", views.limits, name="limits"),
]
