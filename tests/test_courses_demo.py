"""The demo's courses: three published courses with link and document lessons; 安泽's 周婷 (anze_staff) completed
one (its 学时 in her record) and is half way through another — and loading again adds nothing."""

import pytest
from django.core.management import call_command

from bangfu.courses.models import Course, Enrolment
from bangfu.learning.models import HoursEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_courses_and_one_completed_by_anze_staff():
    call_command("load_demo")
    assert Course.objects.filter(published=True).count() == 3
    assert not Course.objects.filter(lessons__kind="video").exists()
    done = Enrolment.objects.get(person__username="anze_staff", completed_on__isnull=False)
    entry = HoursEntry.objects.get(person__username="anze_staff", source_type="courses.course")
    assert (entry.source_id, entry.hours) == (done.pk, done.course.hours)
    assert Enrolment.objects.filter(person__username="anze_staff", completed_on__isnull=True).count() == 1
    call_command("load_demo")
    assert (Course.objects.count(), HoursEntry.objects.filter(source_type="courses.course").count()) == (3, 1)
