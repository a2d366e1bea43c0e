"""The tour map and the lesson player in a browser: the route map draws on the tour page (no script errors, no CSP
violation), and a video lesson played to its end marks itself done and completes the course (the 'ended' event
is dispatched: the test video is only an MP4 header)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bangfu.courses.services import course_create, course_update, enrol, lesson_add
from bangfu.experts.services import expert_create
from bangfu.learning.models import HoursEntry
from bangfu.tours.services import stop_add, stop_record, tour_create

from ..test_courses_flows import MP4
from .conftest import screenshot


def test_the_route_map_draws_and_a_video_played_to_the_end_completes_the_course(page, world, sign_in):
    today = timezone.localdate()
    expert = expert_create(by=world.admin, name="孙文博", organisation="山西博物院", user=world.expert)
    tour = tour_create(by=world.admin, title="县域巡讲", lead_museum=world.helper_museum,
                       start=today - datetime.timedelta(days=10), end=today + datetime.timedelta(days=30),
                       experts=[expert])
    done = stop_add(tour=tour, by=world.admin, museum=world.helped_museum, date=today - datetime.timedelta(days=2),
                    topic="讲题一", teachers=[expert])
    stop_record(stop=done, by=world.admin, attendance=20)
    stop_add(tour=tour, by=world.admin, museum=world.other_museum, date=today + datetime.timedelta(days=5),
             topic="讲题二", teachers=[expert])
    course = course_create(by=world.admin, title="视频课程", hours=2)
    lesson = lesson_add(course=course, by=world.admin, title="第一讲", kind="video",
                        file=SimpleUploadedFile("a.mp4", MP4))
    course = course_update(course=course, by=world.admin, title=course.title, hours=2, published=True)
    enrol(course=course, by=world.helped_staff)

    sign_in("helped_staff")
    page.goto(f"/tours/{tour.pk}/")
    page.wait_for_selector(".tour-map canvas")
    screenshot(page, "tour-route")

    page.goto(f"/courses/{course.pk}/lessons/{lesson.pk}/")
    page.wait_for_selector("video[data-done-form]")
    with page.expect_navigation():
        page.evaluate("document.querySelector('video').dispatchEvent(new Event('ended'))")
    assert page.locator("[data-testid=completed]").is_visible()
    assert HoursEntry.objects.filter(person=world.helped_staff, source_type="courses.course").count() == 1
