from django.conf import settings
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from bangfu.accounts import views as account_views
from bangfu.api.api import api
from bangfu.api.api import unknown_path as api_unknown_path
from bangfu.core import holiday_views
from bangfu.core import views as core_views
from bangfu.dashboard import views as dashboard_views
from bangfu.learning import views as learning_views
from bangfu.places import views as place_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", account_views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", account_views.password_change_view, name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", account_views.password_reset_view, name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", account_views.password_reset_confirm_view,
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("museums/", include("bangfu.museums.urls")),
    path("experts/", include("bangfu.experts.urls")),
    path("pairings/", include("bangfu.pairings.urls")),
    path("pairings/", include("bangfu.agreements.urls")),
    path("ledger/", include("bangfu.ledger.urls")),
    path("exchange/", include("bangfu.exchange.urls")),
    path("objects/", include("bangfu.objects.urls")),
    path("exhibitions/", include("bangfu.exhibitions.urls")),
    path("loans/", include("bangfu.loans.urls")),
    path("conservation/", include("bangfu.conservation.urls")),
    path("environment/", include("bangfu.environment.urls")),
    path("people/", include("bangfu.learning.urls")),
    # What a certificate's QR code opens (public): whether it is genuine, and its face.
    path("verify/", learning_views.verify_form, name="verify_form"),
    path("verify/<str:code>/", learning_views.verify, name="verify"),
    path("training/", include("bangfu.training.urls")),
    path("placements/", include("bangfu.placements.urls")),
    path("tours/", include("bangfu.tours.urls")),
    path("courses/", include("bangfu.courses.urls")),
    path("consulting/", include("bangfu.consulting.urls")),
    path("notifications/", include("bangfu.notifications.urls")),
    # Django's conventional login address (and what people type) leads to the login page, `?next=` kept.
    path("accounts/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("accounts/", include("bangfu.accounts.urls")),
    path("tokens/", include("bangfu.api.urls")),
    path("history/", core_views.history, name="history"),
    path("calendar/", holiday_views.calendar, name="calendar"),
    path("calendar/<int:pk>/", holiday_views.calendar_edit, name="calendar_edit"),
    path("calendar/<int:pk>/delete/", holiday_views.calendar_delete, name="calendar_delete"),
    path("attachments/<int:pk>/", core_views.attachment, name="attachment"),
    path("attachments/<int:pk>/remove/", core_views.attachment_remove, name="attachment_remove"),
    path("exports/<int:pk>/", core_views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", core_views.export_download, name="export_download"),
    path("modules/<slug:slug>/", core_views.module_placeholder, name="module"),
    path("geo/<str:level>.json", place_views.boundaries, name="boundaries"),
    # Browsers ask for /favicon.ico on pages that name no icon (the printable agreement, files opened directly).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True), name="favicon"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.media, name="media"),
    path("api/", api.urls),
    re_path(r"^api(?:/|$)", api_unknown_path),  # JSON 404 for any method, even with DEBUG on
]

handler404 = "bangfu.core.views.not_found"
handler403 = "bangfu.core.views.forbidden"
handler500 = "bangfu.core.views.server_error"
