"""The test module's declaration: one of everything a module may add."""

import datetime

from bangfu.core.registry import (
    ApiRouter,
    HistoryType,
    HomePanel,
    Module,
    NavEntry,
    Reminder,
    ReminderProvider,
)

MUSEUM_ADMIN = frozenset({"museum_admin"})


def panel_context(user) -> dict:
    return {"kernel_greeting": f"测试模块向{user.display_name}问好"}


def collect(today: datetime.date, days: int):
    from bangfu.accounts.models import User

    for user in User.objects.filter(username="helped_admin"):
        yield Reminder(user=user, key=f"kernel-{today}", title="测试模块的提醒", body="每天一次。", url="/kernel/")


MODULE = Module(
    slug="kernel",
    title="测试模块",
    summary="只在测试中存在的模块。",
    nav=(NavEntry("测试模块", "kernel:page", "kernel", roles=MUSEUM_ADMIN, order=60),),
    home_panels=(HomePanel("kernel_module/_panel.html", panel_context, MUSEUM_ADMIN, order=90, slot="cards"),),
    reminders=(ReminderProvider("测试提醒", collect, summary=lambda reminders, days: f"测试提醒 {len(reminders)} 条"),),
    history_types=(HistoryType("kernel_module.note", "测试记录"),),
    api=(ApiRouter("/kernel", "tests.kernel_module.api:router", signed_in=True),),
    access_pages="tests.kernel_module.access",
)
