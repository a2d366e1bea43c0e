from django.contrib.auth import views as auth_views
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("TODO")


login_view = auth_views.LoginView.as_view()
users = user_create_view = user_edit = user_toggle_active = user_password = profile = _todo
