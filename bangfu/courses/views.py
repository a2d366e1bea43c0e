"""Course pages: the library (by area, by title), a course (lessons, enrolment, progress bar), a lesson (the
player), my courses, the organiser's progress page (a table and a chart), the forms of the organisers."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from bangfu.core.areas import Area
from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param, text_param
from bangfu.core.views import private_file_response
from bangfu.parties import acts_for_association
from bangfu.permissions import get_for_user, require

from . import services
from .forms import CourseForm, LessonForm
from .models import Course, Enrolment, Lesson, LessonKind, LessonProgress

NAV = "area-people"
PAGE_SIZE = 24


@login_required
def library(request):
    user = request.user
    require(user, "courses.view_library")
    area = text_param(request, "area")
    area = area if area in Area.values else ""
    q = text_param(request, "q", max_length=50).strip()
    rows = Course.objects.visible_to(user).search(q)
    if area:
        rows = rows.filter(area=area)
    rows = rows.select_related("organiser").annotate(
        n_lessons=Count("lessons", distinct=True),
        enrolled=Exists(Enrolment.objects.filter(course=OuterRef("pk"), person_id=user.pk)),
        completed=Exists(Enrolment.objects.filter(course=OuterRef("pk"), person_id=user.pk,
                                                  completed_on__isnull=False)),
    ).order_by("-published", "-updated_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "courses/library.html", {
        "nav": NAV, "page": page, "area": area, "q": q, "areas": Area.choices,
        "may_create": user.has_perm("courses.add_course"),
    })


@login_required
def my_courses(request):
    rows = (Enrolment.objects.filter(person=request.user).select_related("course", "course__organiser")
            .annotate(n_done=Count("progress", distinct=True), n_lessons=Count("course__lessons", distinct=True))
            .order_by("completed_on", "-enrolled_at"))
    enrolments = list(rows)
    for e in enrolments:
        e.percent = round(100 * e.n_done / e.n_lessons) if e.n_lessons else 0
    return render(request, "courses/mine.html", {"nav": NAV, "enrolments": enrolments})


def _course(request, pk: int, *, change: str | None = None) -> Course:
    return get_for_user(request.user, Course.objects.select_related("organiser"), view="courses.view_course",
                        change=change, pk=pk)


def _progress_of(user, course: Course) -> tuple[Enrolment | None, set[int]]:
    enrolment = Enrolment.objects.filter(course=course, person_id=user.pk).first() if user.is_authenticated else None
    done = set(enrolment.progress.values_list("lesson_id", flat=True)) if enrolment else set()
    return enrolment, done


@login_required
def course_detail(request, pk: int):
    course = _course(request, pk)
    user = request.user
    lessons = list(course.lessons.order_by("position", "pk"))
    enrolment, done = _progress_of(user, course)
    for lesson in lessons:
        lesson.done = lesson.pk in done
    return render(request, "courses/course.html", {
        "nav": NAV, "course": course, "lessons": lessons, "enrolment": enrolment,
        "percent": round(100 * len(done & {x.pk for x in lessons}) / len(lessons)) if lessons and enrolment else 0,
        "may_enrol": user.has_perm("courses.enrol", course) and enrolment is None,
        "may_change": user.has_perm("courses.change_course", course),
        "may_progress": user.has_perm("courses.view_progress", course),
    })


@login_required
@require_POST
def course_enrol(request, pk: int):
    course = _course(request, pk, change="courses.enrol")
    services.enrol(course=course, by=request.user)
    messages.success(request, "报名成功，可以开始学习了。")
    first = course.lessons.order_by("position", "pk").first()
    return redirect("courses:lesson", pk=course.pk, lesson_pk=first.pk) if first else redirect("courses:course",
                                                                                                pk=course.pk)


def _lesson(course: Course, lesson_pk: int) -> Lesson:
    lesson = course.lessons.filter(pk=lesson_pk).first()
    if lesson is None:
        raise Http404("未找到。")
    lesson.course = course
    return lesson


@login_required
def lesson_detail(request, pk: int, lesson_pk: int):
    course = _course(request, pk)
    lesson = _lesson(course, lesson_pk)
    lessons = list(course.lessons.order_by("position", "pk"))
    enrolment, done = _progress_of(request.user, course)
    index = next(i for i, x in enumerate(lessons) if x.pk == lesson.pk)
    return render(request, "courses/lesson.html", {
        "nav": NAV, "course": course, "lesson": lesson, "lessons": lessons, "enrolment": enrolment,
        "done": lesson.pk in done, "done_ids": done,
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "may_enrol": request.user.has_perm("courses.enrol", course) and enrolment is None,
        "file_url": reverse("courses:lesson_file", args=[course.pk, lesson.pk]) if lesson.file else "",
    })


@login_required
def lesson_file(request, pk: int, lesson_pk: int):
    """A lesson's video or document, for whoever may see the course: a safe content type, never sniffed (videos
    play in the lesson page's <video>; documents download)."""
    course = _course(request, pk)
    lesson = _lesson(course, lesson_pk)
    if not lesson.file:
        raise Http404("文件不存在。")
    suffix = lesson.file.name.rsplit(".", 1)[-1].lower()
    stem = re.sub(r"[^\w\u4e00-\u9fff.\- ]+", "", lesson.title).strip(" .")[:60] or f"lesson-{lesson.pk}"
    return private_file_response(lesson.file, filename=f"{stem}.{suffix}")


@login_required
@require_POST
def lesson_mark_done(request, pk: int, lesson_pk: int):
    course = _course(request, pk)
    lesson = _lesson(course, lesson_pk)
    try:
        enrolment, completed = services.lesson_done(lesson=lesson, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("courses:course", pk=course.pk)
    if completed:
        messages.success(request, f"恭喜！您已学完《{course.title}》，{course.hours} 学时已计入个人学时档案。")
        return redirect("courses:course", pk=course.pk)
    following = course.lessons.filter(position__gt=lesson.position).order_by("position", "pk").first()
    messages.success(request, f"“{lesson.title}”已学完。")
    if following:
        return redirect("courses:lesson", pk=course.pk, lesson_pk=following.pk)
    return redirect("courses:course", pk=course.pk)


@login_required
def progress(request, pk: int):
    """Every learner's progress for the organisers; a museum admin who does not organise the course sees the
    learners of their own museum."""
    course = _course(request, pk, change="courses.view_progress")
    user = request.user
    rows = Enrolment.objects.filter(course=course)
    organiser = user.has_perm("courses.change_course", course)
    if not organiser:
        rows = rows.filter(person__museum_id=user.museum_id)
    lessons = list(course.lessons.order_by("position", "pk"))
    total = len(lessons)
    enrolments = list(rows.select_related("person", "person__museum").annotate(
        n_done=Count("progress", filter=Q(progress__lesson__course=course), distinct=True))
        .order_by("completed_on", "person__museum__pinyin", "person__pk"))
    for e in enrolments:
        e.percent = round(100 * e.n_done / total) if total else 0
    per_lesson = dict(LessonProgress.objects.filter(enrolment__in=rows).values_list("lesson_id")
                      .annotate(n=Count("pk")).values_list("lesson_id", "n"))
    chart = {
        "lessons": [x.title for x in lessons],
        "done": [per_lesson.get(x.pk, 0) for x in lessons],
        "enrolled": len(enrolments),
        "completed": sum(1 for e in enrolments if e.completed_on),
    }
    return render(request, "courses/progress.html", {
        "nav": NAV, "course": course, "enrolments": enrolments, "total": total, "chart": chart,
        "organiser": organiser,
    })


def _course_values(d: dict, *, association: bool) -> dict:
    values = {k: d[k] for k in ("title", "area", "hours", "teacher", "description", "published")}
    if association:
        values["organiser"] = d.get("organiser")
    return values


@login_required
def course_create(request):
    user = request.user
    require(user, "courses.add_course")
    association = acts_for_association(user)
    form = CourseForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(by=user, **_course_values(form.cleaned_data, association=association))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "课程已创建，请添加课时；添加后即可发布。")
            return redirect("courses:course", pk=course.pk)
    return render(request, "courses/form.html", {"nav": NAV, "form": form, "heading": "新建课程",
                                                 "back": reverse("courses:library")},
                  status=400 if form.errors else 200)


@login_required
def course_edit(request, pk: int):
    course = _course(request, pk, change="courses.change_course")
    user = request.user
    association = acts_for_association(user)
    initial = {k: getattr(course, k) for k in ("title", "area", "hours", "teacher", "organiser", "description",
                                               "published")}
    form = CourseForm(request.POST or None, association=association, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, by=user, **_course_values(form.cleaned_data,
                                                                             association=association))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "课程已保存。")
            return redirect("courses:course", pk=course.pk)
    return render(request, "courses/form.html", {"nav": NAV, "form": form, "heading": f"修改课程：{course.title}",
                                                 "back": reverse("courses:course", args=[course.pk])},
                  status=400 if form.errors else 200)


@login_required
def lesson_create(request, pk: int):
    course = _course(request, pk, change="courses.change_course")
    form = LessonForm(request.POST or None, request.FILES or None, initial={"kind": LessonKind.LINK})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.lesson_add(course=course, by=request.user, title=d["title"], kind=d["kind"], file=d["file"],
                                link=d["link"], minutes=d["minutes"], summary=d["summary"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "课时已添加。")
            return redirect("courses:course", pk=course.pk)
    return render(request, "courses/form.html", {"nav": NAV, "form": form, "heading": f"添加课时：{course.title}",
                                                 "back": reverse("courses:course", args=[course.pk]),
                                                 "multipart": True}, status=400 if form.errors else 200)


@login_required
def lesson_edit(request, pk: int, lesson_pk: int):
    course = _course(request, pk, change="courses.change_course")
    lesson = _lesson(course, lesson_pk)
    initial = {"title": lesson.title, "link": lesson.link, "minutes": lesson.minutes, "summary": lesson.summary}
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if lesson.kind != LessonKind.LINK:
        del form.fields["link"]
    else:
        del form.fields["file"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.lesson_update(lesson=lesson, by=request.user, title=d["title"], minutes=d["minutes"],
                                   summary=d["summary"], file=d.get("file"), link=d.get("link", ""))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "课时已保存。")
            return redirect("courses:course", pk=course.pk)
    return render(request, "courses/form.html", {"nav": NAV, "form": form, "heading": f"修改课时：{lesson.title}",
                                                 "back": reverse("courses:course", args=[course.pk]),
                                                 "multipart": True}, status=400 if form.errors else 200)


@login_required
@require_POST
def lesson_remove(request, pk: int, lesson_pk: int):
    course = _course(request, pk, change="courses.change_course")
    lesson = _lesson(course, lesson_pk)
    try:
        services.lesson_remove(lesson=lesson, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除课时“{lesson.title}”。")
    return redirect("courses:course", pk=course.pk)


urlpatterns = [
    path("", library, name="library"),
    path("mine/", my_courses, name="mine"),
    path("new/", course_create, name="create"),
    path("<int:pk>/", course_detail, name="course"),
    path("<int:pk>/edit/", course_edit, name="edit"),
    path("<int:pk>/enrol/", course_enrol, name="enrol"),
    path("<int:pk>/progress/", progress, name="progress"),
    path("<int:pk>/lessons/new/", lesson_create, name="lesson_create"),
    path("<int:pk>/lessons/<int:lesson_pk>/", lesson_detail, name="lesson"),
    path("<int:pk>/lessons/<int:lesson_pk>/edit/", lesson_edit, name="lesson_edit"),
    path("<int:pk>/lessons/<int:lesson_pk>/remove/", lesson_remove, name="lesson_remove"),
    path("<int:pk>/lessons/<int:lesson_pk>/done/", lesson_mark_done, name="lesson_done"),
    path("<int:pk>/lessons/<int:lesson_pk>/file/", lesson_file, name="lesson_file"),
]
