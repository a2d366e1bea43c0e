"""线上课程 (倡议书 §七, 人才培养): a course library. A course (by the association or a museum) has ordered lessons —
an uploaded video, a document or an external link; any museum user enrols in a published course, marks lessons
done, and when every lesson is done the course is completed and its 学时 go into the person's learning record
(`bangfu.learning.services.hours_record`, once per enrolment).

- `Course`: title, area, description, 学时, organiser (a museum, or the association when none), published flag.
- `Lesson`: one of video / document / link, in order.
- `Enrolment`: one person in one course; `completed_on` once every lesson is done.
- `LessonProgress`: one lesson done by one enrolment.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.text import no_control_characters

TEXT = [no_control_characters]
MAX_COURSE_HOURS = Decimal("200")


class LessonKind(models.TextChoices):
    VIDEO = "video", "视频"
    DOCUMENT = "document", "文档"
    LINK = "link", "外部链接"


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Published courses for every signed-in user; unpublished ones for their organisers too."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if getattr(user, "is_association_admin", False) or getattr(user, "is_system", False):
            return self
        mine = Q(organiser_id=user.museum_id) if user.role == "museum_admin" and user.museum_id else Q(pk__in=[])
        return self.filter(Q(published=True) | mine)

    def search(self, q: str):
        return self.filter(Q(title__icontains=q) | Q(description__icontains=q)) if q else self


class Course(models.Model):
    title = models.CharField("课程名称", max_length=120, validators=TEXT)
    area = models.CharField("业务领域", max_length=20, choices=Area.choices, default=Area.PEOPLE)
    description = models.TextField("课程简介", blank=True, validators=TEXT)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, default=Decimal("2"),
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_COURSE_HOURS)],
                                help_text="学完全部课时后计入个人学时档案")
    organiser = models.ForeignKey("museums.Museum", verbose_name="开课单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", help_text="空：省博物馆协会")
    teacher = models.CharField("主讲", max_length=100, blank=True, validators=TEXT)
    published = models.BooleanField("已发布", default=False, help_text="发布后各馆人员可以在课程库中看到并报名")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "线上课程"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=MAX_COURSE_HOURS),
                                   name="course_hours_in_range"),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser_name(self) -> str:
        return self.organiser.name if self.organiser_id else "山西省博物馆协会"


class Lesson(models.Model):
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField("顺序", default=1)
    title = models.CharField("课时名称", max_length=120, validators=TEXT)
    kind = models.CharField("类型", max_length=10, choices=LessonKind.choices)
    file = models.FileField("文件", upload_to="courses/lessons/", blank=True, max_length=200)
    original_name = models.CharField("原文件名", max_length=120, blank=True)
    link = models.URLField("链接", max_length=500, blank=True)
    minutes = models.PositiveIntegerField("时长（分钟）", null=True, blank=True,
                                          validators=[MaxValueValidator(24 * 60)])
    summary = models.TextField("说明", blank=True, validators=TEXT)

    class Meta:
        verbose_name = verbose_name_plural = "课时"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(link="") & Q(file="")) | (~Q(kind="link") & ~Q(file="") & Q(link="")),
                name="lesson_file_or_link"),
        ]

    def __str__(self):
        return self.title


class Enrolment(models.Model):
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="学员", on_delete=models.CASCADE,
                               related_name="course_enrolments")
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "选课"
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="enrol_once_per_course")]

    def __str__(self):
        return f"{self.person} · {self.course}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, verbose_name="选课", on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, verbose_name="课时", on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField("完成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习进度"
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_done_once")]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lesson_id}"
