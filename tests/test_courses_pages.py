"""Course pages: the library filters by area and title; a draft is the organisers' only; the lesson player serves a
video as video/mp4 (never sniffed, never HTML) to a <video> the page's CSP allows; progress visible only to the
organisers (everyone) and museum admins (their own staff); learning through the pages counts the hours once; the
lists' queries do not grow with rows."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.courses.services import course_create, course_update, enrol, lesson_add, lesson_done
from bangfu.learning.models import HoursEntry

from .factories import make_user
from .test_courses_flows import MP4, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    course = course_create(by=world.admin, title="藏品登录与编目实务", hours=Decimal("4"), area="people")
    lesson_add(course=course, by=world.admin, title="第一讲", kind="video", file=upload("第一讲.mp4", MP4))
    lesson_add(course=course, by=world.admin, title="延伸阅读", kind="link", link="https://www.ncha.gov.cn/")
    return course_update(course=course, by=world.admin, title=course.title, hours=course.hours, area="people",
                         published=True)


def test_the_library_filters_by_area_and_title(world, course, login):
    course_create(by=world.helper_admin, title="草稿课程", hours=1)  # a draft: only its organisers see it
    other = course_create(by=world.admin, title="文物摄影基础", hours=2, area="conservation")
    lesson_add(course=other, by=world.admin, title="x", kind="link", link="https://a.org/")
    course_update(course=other, by=world.admin, title=other.title, hours=2, area="conservation", published=True)
    client = login(world.helped_staff)
    page = client.get(reverse("courses:library")).content.decode()
    assert "藏品登录与编目实务" in page and "文物摄影基础" in page and "草稿课程" not in page
    page = client.get(reverse("courses:library"), {"area": "conservation"}).content.decode()
    assert "文物摄影基础" in page and "藏品登录与编目实务" not in page
    page = client.get(reverse("courses:library"), {"q": "编目"}).content.decode()
    assert "藏品登录与编目实务" in page and "文物摄影基础" not in page
    assert "草稿课程" in login(world.helper_admin).get(reverse("courses:library")).content.decode()


def test_a_draft_is_not_found_by_others(world, login):
    draft = course_create(by=world.helper_admin, title="草稿", hours=1)
    assert login(world.helped_staff).get(reverse("courses:course", args=[draft.pk])).status_code == 404
    assert login(world.helper_admin).get(reverse("courses:course", args=[draft.pk])).status_code == 200


def test_the_video_plays_in_the_page_with_a_safe_content_type(world, course, login):
    client = login(world.helped_staff)
    enrol(course=course, by=world.helped_staff)
    lesson = course.lessons.get(kind="video")
    page = client.get(reverse("courses:lesson", args=[course.pk, lesson.pk]))
    html = page.content.decode()
    src = re.search(r'<video[^>]*src="([^"]+)"', html).group(1)
    assert "courses/lesson.js" in html and 'data-done-form="lesson-done"' in html
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "media-src" not in policy  # same-origin media allowed
    video = client.get(src)
    assert video.status_code == 200 and video["Content-Type"] == "video/mp4"
    assert video["X-Content-Type-Options"] == "nosniff" and "sandbox" in video["Content-Security-Policy"]
    assert b"".join(video.streaming_content).startswith(MP4[:12])
    assert login(world.outsider).get(src).status_code == 200  # a published course's lessons: signed-in users
    world_client_anonymous = client.__class__()
    assert world_client_anonymous.get(src).status_code == 302


def test_learning_through_the_pages_counts_the_hours_once(world, course, login):
    client = login(world.helped_staff)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302
    for lesson in course.lessons.all():
        url = reverse("courses:lesson_done", args=[course.pk, lesson.pk])
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302
    assert HoursEntry.objects.filter(person=world.helped_staff, source_type="courses.course").count() == 1
    page = client.get(reverse("courses:course", args=[course.pk])).content.decode()
    assert 'data-testid="completed"' in page
    assert "藏品登录与编目实务" in client.get(reverse("courses:mine")).content.decode()


def test_progress_is_seen_by_the_organiser_and_by_museum_admins_for_their_own_staff(world, course, login):
    enrol(course=course, by=world.helped_staff)
    lesson_done(lesson=course.lessons.first(), by=world.helped_staff)
    outsider = make_user("museum_staff", museum=world.other_museum, full_name="天镇馆员赵六")
    enrol(course=course, by=outsider)
    url = reverse("courses:progress", args=[course.pk])
    everyone = login(world.admin).get(url).content.decode()
    assert world.helped_staff.display_name in everyone and "天镇馆员赵六" in everyone
    assert 'id="course-progress-data"' in everyone
    mine = login(world.helped_admin).get(url).content.decode()
    assert world.helped_staff.display_name in mine and "天镇馆员赵六" not in mine
    for user in (world.helped_staff, world.expert, world.province_supervisor):
        assert login(user).get(url).status_code == 403


def test_a_lesson_with_a_javascript_link_is_refused_beside_the_field(world, course, login):
    response = login(world.admin).post(reverse("courses:lesson_create", args=[course.pk]), {
        "title": "坏链接", "kind": "link", "link": "javascript:alert(1)"})
    assert response.status_code == 400 and "http://" in response.content.decode()


def test_an_html_file_uploaded_as_a_video_is_refused_beside_the_field(world, course, login):
    response = login(world.admin).post(reverse("courses:lesson_create", args=[course.pk]), {
        "title": "视频", "kind": "video", "file": upload("a.mp4", b"<html><script>x</script></html>")})
    assert response.status_code == 400 and "不是 MP4 视频" in response.content.decode()


@pytest.mark.parametrize("hours", ["99999999999999999999", "0", "abc", "<b>"])
def test_bad_hours_are_answered_beside_the_field(world, login, hours):
    response = login(world.admin).post(reverse("courses:create"), {"title": "课", "area": "people", "hours": hours})
    assert response.status_code == 400


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="bangfu.accounts.backends.AccountBackend")
    return client


def test_the_lists_queries_do_not_grow_with_rows(world, course):
    client, admin = _client(world.helped_staff), _client(world.admin)
    enrol(course=course, by=world.helped_staff)
    urls = [reverse("courses:library"), reverse("courses:mine")]
    before = [_count(client, url) for url in urls]
    progress = reverse("courses:progress", args=[course.pk])
    before_progress = _count(admin, progress)
    for n in range(4):
        extra = course_create(by=world.admin, title=f"课程{n}", hours=1)
        lesson_add(course=extra, by=world.admin, title="x", kind="link", link="https://a.org/")
        extra = course_update(course=extra, by=world.admin, title=extra.title, hours=1, published=True)
        enrol(course=extra, by=world.helped_staff)
        enrol(course=course, by=make_user("museum_staff", museum=world.helped_museum))
    assert [_count(client, url) for url in urls] == before
    assert _count(admin, progress) == before_progress
