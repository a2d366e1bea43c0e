"""What the review round found in 线上课程: a course or a lesson sent twice (a double click, a click again while a
video uploads) was made twice."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.courses.models import Course, Lesson
from bangfu.courses.services import course_create, lesson_add

from .test_courses_flows import MP4

pytestmark = pytest.mark.django_db


def test_a_course_sent_twice_is_created_once(world, client):
    client.force_login(world.admin)
    data = {"title": "藏品登录与编目实务", "area": "people", "hours": "4"}
    first = client.post(reverse("courses:create"), data)
    second = client.post(reverse("courses:create"), data)
    assert Course.objects.filter(title=data["title"]).count() == 1
    assert first.status_code == 302 and first["Location"] == second["Location"]


def test_a_lesson_sent_twice_is_added_once(world, client):
    course = course_create(by=world.admin, title="讲解服务", hours=Decimal("2"))
    client.force_login(world.admin)
    url = reverse("courses:lesson_create", args=[course.pk])
    for _ in range(2):
        client.post(url, {"title": "导读", "kind": "video",
                          "file": SimpleUploadedFile("导读.mp4", MP4, content_type="video/mp4")})
        client.post(url, {"title": "链接", "kind": "link", "link": "https://www.ncha.gov.cn/"})
    assert list(course.lessons.values_list("title", flat=True)) == ["导读", "链接"]


def test_another_file_under_the_same_title_is_another_lesson(world):
    course = course_create(by=world.admin, title="讲解服务", hours=Decimal("2"))
    for name in ("上.mp4", "下.mp4"):
        lesson_add(course=course, by=world.admin, title="讲解示范", kind="video",
                   file=SimpleUploadedFile(name, MP4, content_type="video/mp4"))
    assert Lesson.objects.filter(course=course).count() == 2
