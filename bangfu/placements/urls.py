from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("rule/", views.rule, name="rule"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/agree/", views.agree, name="agree"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/reports/new/", views.report_add, name="report_add"),
    path("<int:pk>/reports/<int:report_pk>/comment/", views.report_comment, name="report_comment"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/agree/", views.visit_agree, name="visit_agree"),
    path("visits/<int:pk>/decline/", views.visit_decline, name="visit_decline"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/complete/", views.visit_complete, name="visit_complete"),
    path("visits/<int:pk>/files/", views.visit_file_add, name="visit_file_add"),
]
