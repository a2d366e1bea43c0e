"""Demo data for training classes: a 文物保护 class the association ran last month at 山西博物院 (three days, six
sessions, 18 学时) for staff of 安泽县博物馆 and three other county museums — completed, with certificates, 学时 in
each completer's record (anze_staff 周婷 among them), one ledger entry per sending museum and feedback — and an open
新媒体运营 class taking nominations. Built through the real services as the demo accounts (the county museums'
admins and staff without demo logins are created without passwords). Idempotent: nothing is added once the
completed class exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.accounts.services import user_create
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum
from bangfu.training import services as s
from bangfu.training.models import TrainingClass

from .accounts import DEMO_PASSWORD

HOST = "山西博物院"
DONE_TITLE = "2026年县级博物馆文物保护专项业务培训班"
SESSIONS = [
    ("馆藏文物病害识别与记录", 9, 12), ("青铜器保护修复实务", 14, 17),
    ("纸质文物与书画保护", 9, 12), ("预防性保护：温湿度与光照控制", 14, 17),
    ("文物保护修复方案编写与报批", 9, 12), ("结业考核与交流", 14, 17),
]
MEDIA_SESSIONS = [
    ("博物馆新媒体传播概论", 9, 12), ("短视频策划与拍摄", 14, 17),
    ("微信公众号选题与写作", 9, 12), ("线上展览与直播讲解", 14, 17),
    ("数据分析与账号运营", 9, 12), ("作品点评与交流", 14, 17),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _county_people(museum: Museum, index: int) -> tuple[User, list[User]]:
    admin = (User.objects.filter(museum=museum, role="museum_admin", is_active=True).first()
             or user_create(by=None, username=f"px_admin_{index}", role="museum_admin", museum=museum,
                            password=DEMO_PASSWORD, full_name=f"{museum.display_name} 管理员"))
    names = ["李静", "王磊"]
    staff = [User.objects.filter(username=f"px_staff_{index}_{i}").first()
             or user_create(by=None, username=f"px_staff_{index}_{i}", role="museum_staff", museum=museum,
                            password=DEMO_PASSWORD, full_name=f"{museum.display_name} {name}", title="保管部馆员")
             for i, name in enumerate(names)]
    return admin, staff


def _timetable(klass, by, start: datetime.date, experts, sessions=SESSIONS) -> None:
    staff_teacher = "山西博物院文保中心" if sessions is SESSIONS else "山西博物院宣传教育部"
    for i, (title, begin, end) in enumerate(sessions):
        day = start + datetime.timedelta(days=i // 2)
        s.session_add(klass=klass, by=by, title=title, start=_at(day, begin), end=_at(day, end), hours=3,
                      experts=experts[:1] if i % 2 == 0 else [],
                      teacher_names="" if i % 2 == 0 else staff_teacher,
                      place="山西博物院学术报告厅")


def load_training() -> int:
    """Add the demo's training classes; returns how many were added (0 when already there)."""
    users = {u.username: u for u in User.objects.filter(username__in=["xiehui", "anze_admin", "anze_staff"])}
    host = Museum.objects.filter(name=HOST).first()
    if host is None or len(users) < 3 or TrainingClass.objects.filter(title=DONE_TITLE).exists():
        return 0
    association, anze = users["xiehui"], users["anze_staff"].museum
    experts = list(Expert.objects.filter(is_active=True).order_by("pk")[:2])
    today = timezone.localdate()

    # Last month's class, completed.
    start = today - datetime.timedelta(days=35)
    done = s.class_create(
        by=association, title=DONE_TITLE, area="conservation", host=host, start=start,
        end=start + datetime.timedelta(days=2), places=12, places_per_museum=2, place="山西博物院（太原市滨河东路）",
        publish=False,  # no deadline: the demo nominates today for a class of last month
        description="面向县级博物馆保管、文保岗位人员：病害识别、青铜器与纸质文物保护、预防性保护、方案编写。"
                    "出勤学时达 80% 者结业，颁发结业证书，计入继续教育学时。")
    _timetable(done, association, start, experts)
    s.class_publish(klass=done, by=association)
    counties = list(Museum.objects.helped().exclude(pk=anze.pk).exclude(pk=host.pk).order_by("pinyin")[:3])
    nominations = s.nominate(klass=done, by=users["anze_admin"], people=[users["anze_staff"]])
    for index, museum in enumerate(counties):
        admin, staff = _county_people(museum, index)
        nominations += s.nominate(klass=done, by=admin, people=staff)
    sessions = list(done.sessions.order_by("start"))
    for position, nomination in enumerate(nominations):
        attended = sessions if position % 4 != 3 else sessions[:3]  # every fourth person missed the last day
        for session in attended:
            s.attendance_mark(session=session, nomination=nomination, by=association, present=True)
    s.class_complete(klass=done, by=association, date=start + datetime.timedelta(days=2))
    done.refresh_from_db()
    comments = ["青铜器修复实操很有收获，希望增加现场教学。", "", "课程安排紧凑，讲义很实用。"]
    for nomination, comment in zip(nominations[:3], comments, strict=True):
        s.feedback_give(klass=done, by=nomination.person, content=5, teachers=5 if comment else 4, organisation=4,
                        comment=comment)

    # An open class taking nominations.
    start = today + datetime.timedelta(days=21)
    open_class = s.class_create(
        by=association, title="博物馆新媒体运营培训班", area="media", host=host, start=start,
        end=start + datetime.timedelta(days=2), places=30, places_per_museum=2, place="山西博物院",
        deadline=today + datetime.timedelta(days=10), publish=False,
        description="短视频策划与拍摄、微信公众号运营、线上展览与直播讲解。")
    # The demo expert teaches the open class: 我的培训 shows them the sessions they teach and their sign-in codes.
    teacher = list(Expert.objects.filter(user__username="zhuanjia", is_active=True)[:1])
    _timetable(open_class, association, start, teacher or experts[1:] or experts, MEDIA_SESSIONS)
    s.class_publish(klass=open_class, by=association)
    if counties:
        admin, staff = _county_people(counties[0], 0)
        s.nominate(klass=open_class, by=admin, people=staff[:1])
    return 2
