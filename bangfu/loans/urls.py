from django.urls import path

from . import views

app_name = "loans"
urlpatterns = [
    path("", views.loan_list, name="list"),
    path("new/", views.loan_request, name="request"),
    path("rules/", views.rules, name="rules"),
    path("objects/<int:pk>/", views.object_history, name="object_history"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<slug:action>/", views.step, name="step"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/agreement/print/", views.agreement_print, name="agreement_print"),
    path("<int:pk>/agreement.docx", views.agreement_docx, name="agreement_docx"),
    path("items/<int:pk>/review/", views.review_item, name="review_item"),
    path("items/<int:pk>/check/<slug:direction>/", views.check, name="check"),
]
