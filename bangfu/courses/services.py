"""The writes of 线上课程: creating and changing a course and its lessons (video, document, link: each checked by
content or scheme), enrolling, marking a lesson done — and completing the course when every lesson is done, which
counts its 学时 into the person's record once (`learning.services.hours_record`)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.audit import audit
from bangfu.core.uploads import checked_evidence, checked_video, save_with_file
from bangfu.learning.services import hours_record
from bangfu.museums.models import Museum
from bangfu.parties import acts_for_association
from bangfu.permissions import require

from .models import Course, Enrolment, Lesson, LessonKind, LessonProgress

SOURCE = "courses.course"
SOURCE_LABEL = "线上课程"
RESUBMIT_MINUTES = 10  # the same course sent again this soon (a double click, a retried POST) is the one created


def _organiser(by, organiser: Museum | None) -> Museum | None:
    """The association names any organiser (None: itself); a museum admin organises for their own museum."""
    if acts_for_association(by):
        return organiser
    return by.museum


def _publish_error(course: Course, published: bool) -> dict[str, str]:
    if published and (course.pk is None or not course.lessons.exists()):
        return {"published": "请先添加至少一个课时，再发布课程。"}
    return {}


@transaction.atomic
def course_create(*, by, title: str, hours, area: str = "people", description: str = "", teacher: str = "",
                  organiser: Museum | None = None, published: bool = False) -> Course:
    require(by, "courses.add_course")
    course = Course(title=title.strip(), hours=hours, area=area, description=description.strip(),
                    teacher=teacher.strip(), organiser=_organiser(by, organiser), published=False,
                    created_by=by if getattr(by, "pk", None) else None)
    errors = _publish_error(course, published)
    if errors:
        raise ValidationError(errors)
    course.full_clean()
    if course.created_by is not None:
        User.objects.select_for_update().filter(pk=by.pk).exists()  # the same form sent twice at once: one waits
        again = Course.objects.filter(
            created_by=by, title=course.title, organiser=course.organiser,
            created_at__gte=timezone.now() - datetime.timedelta(minutes=RESUBMIT_MINUTES)).first()
        if again is not None:
            return again
    course.save()
    audit(actor=by, action="创建课程", obj=course)
    return course


@transaction.atomic
def course_update(*, course: Course, by, title: str, hours, area: str = "people", description: str = "",
                  teacher: str = "", organiser: Museum | None = None, published: bool = False) -> Course:
    require(by, "courses.change_course", course)
    course = Course.objects.select_for_update().get(pk=course.pk)
    errors = _publish_error(course, published)
    if errors:
        raise ValidationError(errors)
    course.title, course.hours, course.area = title.strip(), hours, area
    course.description, course.teacher, course.published = description.strip(), teacher.strip(), published
    if acts_for_association(by):
        course.organiser = organiser
    course.full_clean()
    course.save()
    audit(actor=by, action="修改课程", obj=course)
    return course


def _checked_content(*, kind: str, file, link: str) -> tuple[object, str]:
    """(file, link) of a lesson after the checks of its kind; refusals keyed "file" and "link"."""
    link = (link or "").strip()
    if kind == LessonKind.LINK:
        if file:
            raise ValidationError({"file": "外部链接类课时不需要上传文件。"})
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError({"link": "请填写以 http:// 或 https:// 开头的完整链接。"}) from None
        if len(link) > Lesson._meta.get_field("link").max_length:
            raise ValidationError({"link": "链接太长（最多 500 个字符）。"})
        return None, link
    if link:
        raise ValidationError({"link": "视频和文档请上传文件；外部资源请选择“外部链接”类型。"})
    if not file:
        raise ValidationError({"file": "请选择要上传的文件。"})
    try:
        checked = checked_video(file) if kind == LessonKind.VIDEO else checked_evidence(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    return checked, ""


@transaction.atomic
def lesson_add(*, course: Course, by, title: str, kind: str, file=None, link: str = "", minutes: int | None = None,
               summary: str = "") -> Lesson:
    require(by, "courses.change_course", course)
    if kind not in LessonKind.values:
        raise ValidationError({"kind": "请选择课时类型。"})
    course = Course.objects.select_for_update().get(pk=course.pk)
    checked, link = _checked_content(kind=kind, file=file, link=link)
    again = course.lessons.filter(title=title.strip(), kind=kind, link=link,
                                  original_name=getattr(checked, "original_name", "")[:120]).first()
    if again is not None:  # the same lesson sent twice (a double click while a video uploads): the one added
        return again
    position = (course.lessons.aggregate(m=Max("position"))["m"] or 0) + 1
    lesson = Lesson(course=course, position=position, title=title.strip(), kind=kind, link=link, minutes=minutes,
                    summary=(summary or "").strip())
    if checked is not None:
        lesson.file, lesson.original_name = checked, getattr(checked, "original_name", "")[:120]
    lesson.full_clean(exclude=["file"])
    save_with_file(lesson, "file")
    audit(actor=by, action="添加课时", obj=course, changes={"课时": [None, lesson.title]})
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, by, title: str, minutes: int | None = None, summary: str = "", file=None,
                  link: str = "") -> Lesson:
    """Change a lesson's title, length and notes; a new file (or link, for a link lesson) replaces the old one."""
    require(by, "courses.change_course", lesson.course)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    old = lesson.file.name if lesson.file else ""
    if file or (link and lesson.kind == LessonKind.LINK):
        checked, link = _checked_content(kind=lesson.kind, file=file, link=link)
        if checked is not None:
            lesson.file, lesson.original_name = checked, getattr(checked, "original_name", "")[:120]
        else:
            lesson.link = link
    lesson.title, lesson.minutes, lesson.summary = title.strip(), minutes, (summary or "").strip()
    lesson.full_clean(exclude=["file"])
    save_with_file(lesson, "file")
    if old and lesson.file.name != old:
        storage = lesson.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit(actor=by, action="修改课时", obj=lesson.course, changes={"课时": [None, lesson.title]})
    return lesson


@transaction.atomic
def lesson_remove(*, lesson: Lesson, by) -> None:
    """Remove a lesson (its file after commit); a published course keeps at least one lesson."""
    course = lesson.course
    require(by, "courses.change_course", course)
    if course.published and course.lessons.count() <= 1:
        raise ValidationError("已发布的课程至少保留一个课时；请先撤回发布。")
    name = lesson.file.name if lesson.file else ""
    storage = lesson.file.storage
    audit(actor=by, action="删除课时", obj=course, changes={"课时": [lesson.title, None]})
    lesson.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def enrol(*, course: Course, by) -> Enrolment:
    """Enrol `by` in a published course (a second call returns the enrolment already there)."""
    require(by, "courses.enrol", course)
    try:
        with transaction.atomic():
            enrolment, created = Enrolment.objects.get_or_create(course=course, person=by)
    except IntegrityError:  # two clicks at once: the unique index decides
        return Enrolment.objects.get(course=course, person=by)
    if created:
        audit(actor=by, action="报名课程", obj=course)
    return enrolment


@transaction.atomic
def lesson_done(*, lesson: Lesson, by) -> tuple[Enrolment, bool]:
    """`by` has done a lesson of a course they are enrolled in. When that was the last lesson not done, the course
    is completed today and its 学时 counted once. Returns the enrolment and whether it was completed now."""
    course = Course.objects.get(pk=lesson.course_id)  # read afresh: published, hours
    enrolment = Enrolment.objects.select_for_update().filter(course=course, person=by).first()
    if enrolment is None:
        raise ValidationError("请先报名这门课程。")
    if not course.published:
        raise ValidationError("课程已撤回发布，暂时不能学习。")
    LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if enrolment.completed_on is not None:
        return enrolment, False
    lessons = set(course.lessons.values_list("pk", flat=True))
    done = set(enrolment.progress.values_list("lesson_id", flat=True))
    if not lessons or not lessons <= done:
        return enrolment, False
    enrolment.completed_on = timezone.localdate()
    enrolment.save(update_fields=["completed_on"])
    hours_record(person=by, source_type=SOURCE, source_id=enrolment.pk, source_label=SOURCE_LABEL,
                 title=course.title, hours=course.hours, date=enrolment.completed_on,
                 url=reverse("courses:course", args=[course.pk]))
    audit(actor=by, action="完成课程", obj=course, note=f"{course.hours} 学时")
    return enrolment, True

