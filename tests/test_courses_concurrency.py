"""A course is completed once even when its last lessons are marked done at the same moment (two tabs, a video's
automatic mark and a click), and a double click on 报名 enrols once: the enrolment row is locked before the lessons
are counted. Threads with their own connections commit for real (see tests/test_pairing_concurrency.py); run on
PostgreSQL with DATABASE_URL for the row locks, on SQLite the IMMEDIATE transactions serialise."""

import pytest
from django.db import connection

from bangfu.courses.models import Enrolment, LessonProgress
from bangfu.courses.services import course_create, course_update, enrol, lesson_add, lesson_done
from bangfu.learning.models import HoursEntry

from .factories import ensure_divisions, make_museum, make_user
from .test_pairing_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _reload_divisions_afterwards(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


def test_the_last_lessons_marked_at_once_complete_the_course_once():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database fails concurrent writers at once (shared cache): run on "
                    "PostgreSQL (DATABASE_URL) or a file database")
    admin = make_user("association_admin")
    learner = make_user("museum_staff", museum=make_museum("安泽县博物馆", county="141026"))
    course = course_create(by=admin, title="课程", hours=3)
    lessons = [lesson_add(course=course, by=admin, title=f"第{n}讲", kind="link", link=f"https://a.org/{n}")
               for n in range(4)]
    course = course_update(course=course, by=admin, title="课程", hours=3, published=True)
    results = race([lambda: enrol(course=course, by=learner) for _ in range(3)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert Enrolment.objects.count() == 1
    results = race([lambda lesson=lesson: lesson_done(lesson=lesson, by=learner) for lesson in lessons * 2])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(1 for _, completed in results if completed) == 1
    assert LessonProgress.objects.count() == 4
    assert HoursEntry.objects.filter(person=learner, source_type="courses.course").count() == 1
