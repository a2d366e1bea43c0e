"""What accounts add to the platform: the association manages every account, a museum admin their museum's."""

from bangfu.core.registry import HistoryType, HomePanel, Module, NavEntry

from . import home

MODULE = Module(
    slug="accounts",
    title="账号与角色",
    icon="bi-people",
    nav=(
        NavEntry("账号管理", "accounts:users", "accounts", section="admin",
                 roles=frozenset({"association_admin"}), order=10),
        NavEntry("本馆账号", "accounts:users", "accounts", section="admin", icon="bi-people",
                 roles=frozenset({"museum_admin"}), order=10),
        NavEntry("个人资料", "accounts:profile", "profile", section="user", order=10),
        NavEntry("修改密码", "password_change", "password", section="user", order=20),
    ),
    history_types=(HistoryType("accounts.user", "账号"),),
    home_panels=(
        HomePanel("accounts/home/_attention.html", home.association, frozenset({"association_admin"}), order=40,
                  slot="attention"),
        HomePanel("", home.museum, frozenset({"museum_admin"})),  # the header's 本馆账号（N）: admins only
    ),
)
