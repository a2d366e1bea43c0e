"""Online courses: lessons checked by content (an HTML file named .mp4 refused, a real MP4 or WebM header
accepted, javascript: links refused); publishing needs a lesson; enrolment in published courses by museum people;
completing every lesson counts the course's 学时 once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.courses.models import Enrolment
from bangfu.courses.services import course_create, course_update, enrol, lesson_add, lesson_done, lesson_remove
from bangfu.learning.models import HoursEntry

pytestmark = pytest.mark.django_db

# The first box of an MP4 file (ftyp, brand isom) and the start of a WebM file (EBML header, DocType webm).
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00\x00\x00\x08free" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + (
    b"\x00" * 32)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def course(world):
    return course_create(by=world.admin, title="藏品登录与编目实务", hours=Decimal("4"))


def published(course, by, lessons=(("导读", "link", "https://www.ncha.gov.cn/"),)):
    for title, kind, link in lessons:
        lesson_add(course=course, by=by, title=title, kind=kind, link=link)
    return course_update(course=course, by=by, title=course.title, hours=course.hours, published=True)


def test_an_html_file_named_mp4_is_refused(world, course):
    with pytest.raises(ValidationError) as refused:
        lesson_add(course=course, by=world.admin, title="视频", kind="video",
                   file=upload("lecture.mp4", HTML, "video/mp4"))
    assert "file" in refused.value.message_dict
    assert not course.lessons.exists()


def test_a_real_mp4_and_webm_are_accepted_under_random_names(world, course):
    mp4 = lesson_add(course=course, by=world.admin, title="视频", kind="video", file=upload("第一讲.mp4", MP4))
    webm = lesson_add(course=course, by=world.admin, title="视频2", kind="video", file=upload("第二讲.webm", WEBM))
    assert mp4.file.name.endswith(".mp4") and "第一讲" not in mp4.file.name and mp4.original_name == "第一讲.mp4"
    assert webm.file.name.endswith(".webm")
    assert [x.position for x in course.lessons.all()] == [1, 2]


@pytest.mark.parametrize("name,content", [("a.webm", MP4), ("a.avi", MP4), ("a.mp4", b"\x00\x00\x00\x20ftyp")])
def test_other_videos_and_mislabelled_ones_are_refused(world, course, name, content):
    with pytest.raises(ValidationError):
        lesson_add(course=course, by=world.admin, title="视频", kind="video", file=upload(name, content))


def test_a_video_above_the_limit_is_refused(world, course, settings):
    settings.UPLOAD_MAX_VIDEO_MB = 0
    with pytest.raises(ValidationError) as refused:
        lesson_add(course=course, by=world.admin, title="视频", kind="video", file=upload("a.mp4", MP4))
    assert "MB" in refused.value.message_dict["file"][0]


def test_a_document_is_checked_by_content(world, course):
    with pytest.raises(ValidationError):
        lesson_add(course=course, by=world.admin, title="课件", kind="document", file=upload("a.pdf", HTML))
    lesson = lesson_add(course=course, by=world.admin, title="课件", kind="document", file=upload("a.pdf", PDF))
    assert lesson.file.name.endswith(".pdf")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/a",
                                  "  ", "http://"])
def test_a_lesson_link_must_be_http_or_https(world, course, link):
    with pytest.raises(ValidationError) as refused:
        lesson_add(course=course, by=world.admin, title="链接", kind="link", link=link)
    assert "link" in refused.value.message_dict


def test_publishing_needs_a_lesson(world, course):
    with pytest.raises(ValidationError) as refused:
        course_update(course=course, by=world.admin, title=course.title, hours=course.hours, published=True)
    assert "published" in refused.value.message_dict


def test_a_museum_admin_organises_for_their_own_museum_and_staff_do_not(world):
    course = course_create(by=world.helper_admin, title="讲解词写作", hours=2, organiser=world.other_museum)
    assert course.organiser == world.helper_museum
    with pytest.raises(PermissionDenied):
        course_create(by=world.helper_staff, title="讲解词写作", hours=2)
    with pytest.raises(PermissionDenied):
        lesson_add(course=course, by=world.helped_admin, title="x", kind="link", link="https://a.org/")


def test_only_museum_people_enrol_and_only_in_published_courses(world, course):
    with pytest.raises(PermissionDenied):
        enrol(course=course, by=world.helped_staff)  # a draft
    course = published(course, world.admin)
    for user in (world.expert, world.province_supervisor):
        with pytest.raises(PermissionDenied):
            enrol(course=course, by=user)
    first = enrol(course=course, by=world.helped_staff)
    assert enrol(course=course, by=world.helped_staff) == first  # enrolling twice keeps one enrolment


def test_completing_every_lesson_counts_the_hours_once(world, course):
    course = published(course, world.admin, lessons=[("一", "link", "https://a.org/1"),
                                                     ("二", "link", "https://a.org/2")])
    first, second = course.lessons.all()
    with pytest.raises(ValidationError):
        lesson_done(lesson=first, by=world.helped_staff)  # not enrolled
    enrol(course=course, by=world.helped_staff)
    enrolment, completed = lesson_done(lesson=first, by=world.helped_staff)
    assert not completed and enrolment.completed_on is None
    enrolment, completed = lesson_done(lesson=second, by=world.helped_staff)
    assert completed and enrolment.completed_on is not None
    for lesson in (first, second):
        assert lesson_done(lesson=lesson, by=world.helped_staff)[1] is False
    entry = HoursEntry.objects.get(person=world.helped_staff)
    assert (entry.source_type, entry.source_id, entry.hours, entry.date) == (
        "courses.course", enrolment.pk, Decimal("4.0"), enrolment.completed_on)
    assert HoursEntry.objects.count() == 1


def test_a_published_course_keeps_one_lesson(world, course):
    course = published(course, world.admin)
    with pytest.raises(ValidationError):
        lesson_remove(lesson=course.lessons.get(), by=world.admin)
    assert Enrolment.objects.count() == 0
