"""What the learning record adds: the people area's hub (人才培养, nav slug `area-people`), each person's 学时 and
certificates, the yearly target, the public certificate verification page and the hours API."""

from bangfu.core.registry import ApiRouter, HistoryType, Module, NavEntry

SIGNED_IN = frozenset({"association_admin", "supervisor", "museum_admin", "museum_staff", "expert"})
OVERSEERS = frozenset({"association_admin", "supervisor", "museum_admin"})

MODULE = Module(
    slug="learning",
    title="人才培养",
    summary="培训班、跟班学习与挂职、短期指导、专家巡讲、线上课程与远程咨询；个人学时档案与证书。",
    icon="bi-mortarboard",
    nav=(
        NavEntry("人才培养", "learning:home", "area-people", section="areas", icon="bi-mortarboard",
                 roles=SIGNED_IN, order=6),
        NavEntry("我的学时档案", "learning:me", "people-me", section="people", icon="bi-journal-check",
                 roles=SIGNED_IN, order=90),
        NavEntry("学时统计", "learning:hours", "people-hours", section="people", icon="bi-bar-chart",
                 roles=OVERSEERS, order=91),
        NavEntry("学时目标", "learning:targets", "people-targets", section="people", icon="bi-bullseye",
                 roles=frozenset({"association_admin"}), order=92),
        NavEntry("证书验证", "verify_form", "people-verify", section="people", icon="bi-patch-check",
                 roles=SIGNED_IN, order=93),
    ),
    history_types=(HistoryType("learning.certificate", "证书"), HistoryType("learning.hourstarget", "学时目标")),
    api=(ApiRouter("/people", "bangfu.learning.api:router", order=80),),
)
