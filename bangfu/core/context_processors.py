from functools import cached_property

from django.conf import settings

from . import registry


class Menu:
    """The navigation as the installed modules declare it (bangfu/core/registry.py), for the user's role; read
    only when a page shows it (an htmx fragment does not, and does not load the user for it)."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def role(self) -> str:
        return registry.role_of(getattr(self.request, "user", None))

    def _section(self, name: str):
        return registry.nav_entries(name, self.role)

    @cached_property
    def main(self):
        return self._section("main")

    @cached_property
    def registry(self):
        return self._section("registry")

    @cached_property
    def areas(self):
        return self._section("areas")

    @cached_property
    def admin(self):
        return self._section("admin")

    @cached_property
    def user(self):
        return self._section("user")


def site(request):
    return {
        # Not "site_name": Django's auth views put the host name under that key.
        "platform_name": "山西省博物馆帮扶信息平台",
        "menu": Menu(request),
        "demo_mode": settings.DEMO_MODE,
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
