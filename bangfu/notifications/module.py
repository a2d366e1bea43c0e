"""What notifications add to the platform: the latest unread notices on every signed-in home page."""

from bangfu.core.registry import ROLES, HomePanel, Module

from . import home

MODULE = Module(
    slug="notifications",
    title="通知",
    icon="bi-bell",
    home_panels=(HomePanel("notifications/home/_unread.html", home.unread, frozenset(ROLES), order=10, slot="side"),),
)
