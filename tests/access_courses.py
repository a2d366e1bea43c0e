"""The online course pages in the access matrix (see tests/test_access_matrix.py): a published course of the
association with a link lesson and a PDF lesson, the helped museum's staff enrolled with one lesson done, and a
draft of the helper museum. The outsider (staff of an unrelated museum) reads the library and the published course,
may enrol and learn (redirects), gets 403 for the organisers' pages."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.courses.services import course_create, course_update, enrol, lesson_add, lesson_done

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _course(name):
    return lambda w: reverse(f"courses:{name}", args=[w.course.pk])


def _lesson(name, attr="course_lesson"):
    return lambda w: reverse(f"courses:{name}", args=[w.course.pk, getattr(w, attr).pk])


def _list(name):
    return lambda w: reverse(f"courses:{name}")


MATRIX = {
    "courses:library": (_list("library"), 200, 302),
    "courses:mine": (_list("mine"), 200, 302),
    "courses:create": (_list("create"), 403, 302),
    "courses:course": (_course("course"), 200, 302),
    "courses:edit": (_course("edit"), 403, 302),
    "courses:enrol": (_course("enrol"), 302, 302),
    "courses:progress": (_course("progress"), 403, 302),
    "courses:lesson_create": (_course("lesson_create"), 403, 302),
    "courses:lesson": (_lesson("lesson"), 200, 302),
    "courses:lesson_edit": (_lesson("lesson_edit"), 403, 302),
    "courses:lesson_remove": (_lesson("lesson_remove"), 403, 302),
    "courses:lesson_done": (_lesson("lesson_done"), 302, 302),
    "courses:lesson_file": (_lesson("lesson_file", "course_document"), 200, 302),
}
POST_ONLY = {"courses:enrol", "courses:lesson_remove", "courses:lesson_done"}


def scene(world):
    world.course = course_create(by=world.admin, title="藏品登录与编目实务", hours=4, teacher="李静",
                                 description="国有博物馆藏品登录、编目与账目管理。")
    world.course_lesson = lesson_add(course=world.course, by=world.admin, title="藏品编目规范导读", kind="link",
                                      link="https://www.ncha.gov.cn/")
    world.course_document = lesson_add(course=world.course, by=world.admin, title="编目表格填写示例",
                                       kind="document",
                                       file=SimpleUploadedFile("示例.pdf", PDF, content_type="application/pdf"))
    world.course = course_update(course=world.course, by=world.admin, title=world.course.title, hours=4, teacher="李静",
                  description=world.course.description, published=True)
    enrol(course=world.course, by=world.helped_staff)
    lesson_done(lesson=world.course_lesson, by=world.helped_staff)
    world.course_draft = course_create(by=world.helper_admin, title="讲解词写作", hours=2)
