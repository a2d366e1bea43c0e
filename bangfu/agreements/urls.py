from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("overview/", views.overview, name="overview"),  # /pairings/overview/, under the pairings section
    path("<int:pk>/", views.pairing, name="pairing"),
    path("<int:pk>/agreement/new/", views.agreement_create, name="create"),
    path("<int:pk>/agreement/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/agreement/submit/", views.agreement_submit, name="submit"),
    path("<int:pk>/agreement/confirm/", views.agreement_confirm, name="confirm"),
    path("<int:pk>/agreement/discard/", views.agreement_discard, name="discard"),
    path("<int:pk>/agreement/print/", views.agreement_print, name="print"),
    path("<int:pk>/agreement.docx", views.agreement_docx, name="docx"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("<int:pk>/reports/", views.report, name="report"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/remove/", views.task_remove, name="task_remove"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
]
