"""Lecture tour pages: the list with a map of this year's stops, a tour (team, route map, stops), the forms of the
association, a stop (attendance, photos), and an expert's own schedule (also as an .ics calendar)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.core.attachments import may_remove
from bangfu.core.forms import AttachmentForm, apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param, text_param
from bangfu.core.workflow import status_tabs
from bangfu.experts.models import Expert
from bangfu.ledger.models import LedgerEntry
from bangfu.permissions import get_for_user, require

from . import services
from .forms import AnswerForm, ReasonForm, RecordForm, StopForm, TourForm
from .models import LectureStop, LectureTour, StopStatus, TourStatus

NAV = "area-people"
PAGE_SIZE = 30
TEACHERS = Prefetch("teachers", queryset=Expert.objects.order_by("pinyin_initials", "pk"))


def _point(stop: LectureStop) -> dict | None:
    """A stop on the map: the museum's position, else its county's (or city's) centre."""
    museum = stop.museum
    lng, lat = museum.lng, museum.lat
    if lng is None or lat is None:
        place = museum.county or museum.city
        if place is None:
            return None
        lng, lat = place.lng, place.lat
    return {"id": stop.pk, "tour": stop.tour_id, "name": museum.name, "value": [lng, lat],
            "date": stop.date.isoformat(), "topic": stop.topic, "status": stop.status,
            "url": reverse("tours:stop", args=[stop.pk])}


def _map_data(stops) -> list[dict]:
    return [p for p in (_point(s) for s in stops if s.status != StopStatus.CANCELLED) if p]


@login_required
def tour_list(request):
    user = request.user
    require(user, "tours.view_tour")
    status, rows, tabs = status_tabs(request, LectureTour.objects.all(), TourStatus)
    page = Paginator(rows.select_related("lead_museum", "leader").annotate(
        n_stops=Count("stops", filter=~Q(stops__status=StopStatus.CANCELLED), distinct=True),
        n_done=Count("stops", filter=Q(stops__status=StopStatus.DONE), distinct=True),
        n_experts=Count("experts", distinct=True)).order_by("-start", "-id"),
        PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    year = int_param(request, "year", minimum=2000, maximum=2100) or timezone.localdate().year
    stops = LectureStop.objects.with_places().filter(date__year=year).order_by("date", "pk")
    mine = LectureStop.objects.none()
    if user.museum_id:
        mine = (LectureStop.objects.with_places().filter(museum_id=user.museum_id, status=StopStatus.PLANNED,
                                                      date__gte=timezone.localdate()).order_by("date", "pk"))
    return render(request, "tours/list.html", {
        "nav": NAV, "page": page, "tabs": tabs, "status": status, "year": year,
        "map_data": _map_data(stops), "at_my_museum": list(mine[:10]),
        "may_create": user.has_perm("tours.manage_tours"),
    })


def _tour(request, pk: int, *, change: str | None = None) -> LectureTour:
    return get_for_user(request.user, LectureTour.objects.with_team(), view="tours.view_tour", change=change, pk=pk)


@login_required
def tour_detail(request, pk: int):
    tour = _tour(request, pk)
    user = request.user
    stops = list(tour.stops.with_places().prefetch_related(TEACHERS).order_by("date", "pk"))
    may_manage = user.has_perm("tours.manage_tours", tour)
    moves = LectureTour.workflow.available(tour, user) if may_manage else []
    return render(request, "tours/detail.html", {
        "nav": NAV, "tour": tour, "stops": stops, "map_data": _map_data(stops), "may_manage": may_manage,
        "moves": moves, "reason_form": ReasonForm(),
        "done": sum(1 for s in stops if s.status == StopStatus.DONE),
        "trained": sum(s.attendance or 0 for s in stops if s.status == StopStatus.DONE),
    })


def _tour_form_values(d: dict) -> dict:
    return {k: d[k] for k in ("title", "area", "theme", "lead_museum", "experts", "leader", "start", "end",
                              "description")}


@login_required
def tour_create(request):
    require(request.user, "tours.manage_tours")
    form = TourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tour = services.tour_create(by=request.user, **_tour_form_values(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "巡讲团已组建，请规划巡讲站点。")
            return redirect("tours:tour", pk=tour.pk)
    return render(request, "tours/form.html", {"nav": NAV, "form": form, "heading": "组建专家巡讲团",
                                               "back": reverse("tours:list")}, status=400 if form.errors else 200)


@login_required
def tour_edit(request, pk: int):
    tour = _tour(request, pk, change="tours.manage_tours")
    initial = {k: getattr(tour, k) for k in ("title", "area", "theme", "lead_museum", "leader", "start", "end",
                                             "description")} | {"experts": list(tour.experts.all())}
    form = TourForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tour_update(tour=tour, by=request.user, **_tour_form_values(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "巡讲信息已保存。")
            return redirect("tours:tour", pk=tour.pk)
    return render(request, "tours/form.html", {"nav": NAV, "form": form, "heading": f"修改巡讲：{tour.title}",
                                               "back": reverse("tours:tour", args=[tour.pk])},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def tour_move(request, pk: int):
    tour = _tour(request, pk, change="tours.manage_tours")
    target = text_param(request.POST, "to")
    form = ReasonForm(request.POST)
    if target not in TourStatus.values or not form.is_valid():
        messages.error(request, "请选择要进行的操作。")
        return redirect("tours:tour", pk=tour.pk)
    try:
        services.tour_move(tour=tour, by=request.user, to=target, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"巡讲已改为“{tour.get_status_display()}”。")
    return redirect("tours:tour", pk=tour.pk)


def _stop_values(d: dict) -> dict:
    return {k: d[k] for k in ("museum", "date", "topic", "teachers", "audience", "expected", "hours")}


@login_required
def stop_create(request, pk: int):
    tour = _tour(request, pk, change="tours.manage_tours")
    form = StopForm(request.POST or None, tour=tour, initial={"date": max(tour.start, timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_add(tour=tour, by=request.user, **_stop_values(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "站点已加入路线，站点博物馆的管理员会收到通知。")
            return redirect("tours:tour", pk=tour.pk)
    return render(request, "tours/form.html", {"nav": NAV, "form": form, "heading": f"规划站点：{tour.title}",
                                               "back": reverse("tours:tour", args=[tour.pk])},
                  status=400 if form.errors else 200)


def _stop(request, pk: int, *, change: str | None = None) -> LectureStop:
    return get_for_user(request.user, LectureStop.objects.with_places().prefetch_related(TEACHERS),
                        view="tours.view_stop", change=change, pk=pk)


@login_required
def stop_edit(request, pk: int):
    stop = _stop(request, pk)
    require(request.user, "tours.manage_tours", stop.tour)
    initial = {k: getattr(stop, k) for k in ("museum", "date", "topic", "audience", "expected", "hours")}
    form = StopForm(request.POST or None, tour=stop.tour, initial=initial | {"teachers": list(stop.teachers.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_update(stop=stop, by=request.user, **_stop_values(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "站点已保存。")
            return redirect("tours:stop", pk=stop.pk)
    return render(request, "tours/form.html", {"nav": NAV, "form": form, "heading": f"修改站点：{stop.museum.name}",
                                               "back": reverse("tours:stop", args=[stop.pk])},
                  status=400 if form.errors else 200)


def _render_stop(request, stop: LectureStop, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    files = list(Attachment.objects.for_object(stop).select_related("added_by"))
    for attachment in files:
        attachment.owner = stop
        attachment.removable = may_remove(user, attachment)
    may_record = user.has_perm("tours.record_stop", stop) and stop.status == StopStatus.PLANNED and stop.tour.is_open
    see_attendees = user.has_perm("tours.view_attendees", stop)
    return render(request, "tours/stop.html", {
        "nav": NAV, "stop": stop, "tour": stop.tour, "files": files,
        "stop_file_url": reverse("tours:stop_file_add", args=[stop.pk]),
        "attendees": list(stop.attendees.order_by("pk")) if see_attendees else None,
        "may_record": may_record, "may_manage": user.has_perm("tours.manage_tours", stop.tour)
        and stop.status == StopStatus.PLANNED,
        "may_add_file": user.has_perm("tours.change_stop", stop),
        "record_form": forms.get("record") or RecordForm(stop=stop, initial={"attendance": stop.attendance or None,
                                                                              "notes": stop.notes}),
        "file_form": forms.get("file") or AttachmentForm(),
        "cancel_form": forms.get("cancel") or ReasonForm(),
        "may_answer": user.has_perm("tours.answer_stop", stop) and stop.status == StopStatus.PLANNED
        and stop.tour.is_open,
        "answer_form": forms.get("answer") or AnswerForm(),
        "entry": LedgerEntry.objects.filter(source_type=services.STOP_SOURCE, source_id=stop.pk).first(),
    }, status=status)


@login_required
def stop_detail(request, pk: int):
    return _render_stop(request, _stop(request, pk))


@login_required
@require_POST
def stop_record(request, pk: int):
    stop = _stop(request, pk, change="tours.record_stop")
    form = RecordForm(request.POST, stop=stop)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.stop_record(stop=stop, by=request.user, attendance=d["attendance"], notes=d["notes"],
                                 attendees=d["attendees"], done=d["done"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "本站已完成，已记入帮扶台账。" if d["done"] else "出勤已保存。")
            return redirect("tours:stop", pk=stop.pk)
    return _render_stop(request, stop, forms={"record": form}, status=400)


@login_required
@require_POST
def stop_cancel(request, pk: int):
    stop = _stop(request, pk)
    require(request.user, "tours.manage_tours", stop.tour)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.stop_cancel(stop=stop, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "本站已取消。")
            return redirect("tours:tour", pk=stop.tour_id)
    return _render_stop(request, stop, forms={"cancel": form}, status=400)


@login_required
@require_POST
def stop_answer(request, pk: int):
    """The stop museum's admin confirms the stop (`action=confirm`) or asks to move it (`action=move`, a note)."""
    stop = _stop(request, pk, change="tours.answer_stop")
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            if text_param(request.POST, "action") == "move":
                services.stop_ask_to_move(stop=stop, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, "已向省博物馆协会提出调整申请。")
            else:
                services.stop_confirm(stop=stop, by=request.user)
                messages.success(request, "已确认接待本站巡讲。")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("tours:stop", pk=stop.pk)
    return _render_stop(request, stop, forms={"answer": form}, status=400)


@login_required
@require_POST
def stop_file_add(request, pk: int):
    stop = _stop(request, pk, change="tours.change_stop")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.stop_photo_add(stop=stop, by=request.user, file=d["file"], link=d["link"], caption=d["caption"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已上传。")
            return redirect("tours:stop", pk=stop.pk)
    return _render_stop(request, stop, forms={"file": form}, status=400)


def _my_stops(user):
    """The stops the user teaches at (an expert of the pool with this account), not cancelled."""
    return (LectureStop.objects.with_places().prefetch_related(TEACHERS)
            .filter(teachers__user=user, teachers__user__isnull=False).exclude(status=StopStatus.CANCELLED)
            .exclude(tour__status=TourStatus.CANCELLED).order_by("date", "pk").distinct())


@login_required
def my_schedule(request):
    user = request.user
    expert = Expert.objects.filter(user=user).first() if user.is_authenticated else None
    today = timezone.localdate()
    stops = list(_my_stops(user)) if expert else []
    return render(request, "tours/mine.html", {
        "nav": NAV, "expert": expert, "upcoming": [s for s in stops if s.date >= today and s.status == "planned"],
        "past": [s for s in stops if not (s.date >= today and s.status == "planned")][-20:],
    })


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "")
            .replace("\n", "\\n"))


@login_required
def my_schedule_ics(request):
    """The expert's stops as an iCalendar file (all-day events), for a phone's calendar."""
    stops = _my_stops(request.user) if Expert.objects.filter(user=request.user).exists() else []
    host = request.get_host().split(":")[0]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bangfu//tours//ZH", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:专家巡讲日程"]
    for stop in stops:
        lines += ["BEGIN:VEVENT", f"UID:tour-stop-{stop.pk}@{host}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{stop.date:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{stop.date + datetime.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_ics_text(f'{stop.tour.title}：{stop.topic}')}",
                  f"LOCATION:{_ics_text(stop.museum.name)}",
                  f"URL:{request.build_absolute_uri(reverse('tours:stop', args=[stop.pk]))}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tours.ics"'
    return response


urlpatterns = [
    path("", tour_list, name="list"),
    path("new/", tour_create, name="create"),
    path("mine/", my_schedule, name="mine"),
    path("mine.ics", my_schedule_ics, name="mine_ics"),
    path("<int:pk>/", tour_detail, name="tour"),
    path("<int:pk>/edit/", tour_edit, name="edit"),
    path("<int:pk>/status/", tour_move, name="move"),
    path("<int:pk>/stops/new/", stop_create, name="stop_create"),
    path("stops/<int:pk>/", stop_detail, name="stop"),
    path("stops/<int:pk>/edit/", stop_edit, name="stop_edit"),
    path("stops/<int:pk>/record/", stop_record, name="stop_record"),
    path("stops/<int:pk>/cancel/", stop_cancel, name="stop_cancel"),
    path("stops/<int:pk>/answer/", stop_answer, name="stop_answer"),
    path("stops/<int:pk>/files/", stop_file_add, name="stop_file_add"),
]
