from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.class_list, name="classes"),
    path("mine/", views.my_classes, name="mine"),
    path("new/", views.class_create, name="class_create"),
    path("<int:pk>/", views.class_detail, name="class"),
    path("<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("<int:pk>/manage/", views.class_manage, name="manage"),
    path("<int:pk>/move/<str:move>/", views.class_move, name="class_move"),
    path("<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("nominations/<int:pk>/<str:action>/", views.nomination_act, name="nomination_act"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/qr.svg", views.session_qr, name="session_qr"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/remove/", views.session_remove, name="session_remove"),
    path("sessions/<int:pk>/mark/", views.attendance_mark, name="attendance_mark"),
    path("checkin/", views.checkin_entry, name="checkin_entry"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
    path("results/<int:pk>/", views.museum_result, name="result"),
]
