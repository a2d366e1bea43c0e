"""Demo data for online courses: three published courses with link and document lessons (no videos in the demo:
a course's videos are uploaded by its organiser) — two by the association, one by 山西博物院; 安泽县博物馆's 周婷
(anze_staff) has completed one (its 学时 in her record) and is half way through another. Built through the services.
Idempotent: nothing is added once the first course exists."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.accounts.models import User
from bangfu.courses import services as s
from bangfu.courses.models import Course


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


COURSES = [  # organiser username, title, area, hours, teacher, description, lessons (title, kind, link or file)
    ("xiehui", "藏品登录与编目实务", "people", Decimal("4"), "省博物馆协会藏品委员会",
     "依据《博物馆藏品管理办法》和可移动文物普查标准，讲解藏品登录、编目、定名与账目管理的要点。",
     [("藏品管理相关法规导读", "link", "https://www.ncha.gov.cn/"),
      ("藏品编目表填写示例", "document", "藏品编目表填写示例.pdf"),
      ("全国可移动文物普查成果查询", "link", "https://www.ncha.gov.cn/")]),
    ("sxbwy_admin", "博物馆讲解服务规范与技巧", "education", Decimal("3"), "山西博物院社教部",
     "讲解词写作、不同观众的讲解方法、讲解礼仪与应急处置。",
     [("讲解服务规范", "document", "讲解服务规范.pdf"),
      ("山西博物院线上展厅观摩", "link", "https://www.shanximuseum.com/")]),
    ("xiehui", "预防性保护：库房温湿度控制", "conservation", Decimal("2"), "吕欣然",
     "库房与展柜的温湿度目标、监测设备的布设和读数、常见问题的简易处置。",
     [("温湿度控制要点", "document", "温湿度控制要点.pdf"),
      ("中国博物馆协会资源", "link", "https://www.chinamuseum.org.cn/")]),
]


def load_courses() -> int:
    """Add the demo courses; returns how many were created (0 when already there or accounts are missing)."""
    users = {u.username: u for u in User.objects.filter(username__in=["xiehui", "sxbwy_admin", "anze_staff"])}
    if len(users) < 3 or Course.objects.filter(title=COURSES[0][1]).exists():
        return 0
    created = []
    for organiser, title, area, hours, teacher, description, lessons in COURSES:
        by = users[organiser]
        course = s.course_create(by=by, title=title, area=area, hours=hours, teacher=teacher,
                                 description=description)
        for lesson_title, kind, target in lessons:
            if kind == "link":
                s.lesson_add(course=course, by=by, title=lesson_title, kind=kind, link=target)
            else:
                s.lesson_add(course=course, by=by, title=lesson_title, kind=kind, file=_pdf(target))
        created.append(s.course_update(course=course, by=by, title=title, area=area, hours=hours, teacher=teacher,
                                       description=description, published=True))
    learner = users["anze_staff"]
    finished, halfway = created[0], created[1]
    for course in (finished, halfway):
        s.enrol(course=course, by=learner)
    for lesson in finished.lessons.order_by("position"):
        s.lesson_done(lesson=lesson, by=learner)
    s.lesson_done(lesson=halfway.lessons.order_by("position").first(), by=learner)
    return len(created)
