"""The working-day calendar's page (the association's): a year's holidays and make-up working days, added,
changed and removed through `core.holidays`, and a checker of working days between two dates."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.permissions import require

from . import holidays, workdays
from .forms import FormMixin, apply_errors
from .models import CalendarDay
from .params import int_param

MAX_SPAN_DAYS = 3660  # the checker counts up to ten years
FILING_DAYS = 10  # 博物馆条例 Art. 31: an exhibition elsewhere is filed 10 working days before opening


class DayForm(FormMixin, forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "name", "is_workday")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def validate_unique(self):
        """The service words it."""


class CheckForm(FormMixin, forms.Form):
    start = forms.DateField(label="从", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="到", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and abs((end - start).days) > MAX_SPAN_DAYS:
            self.add_error("end", "两个日期最多相隔 10 年。")
        return data


def _year(request) -> int:
    return int_param(request, "year", minimum=1900, maximum=2100) or timezone.localdate().year


def _check(request) -> dict:
    """The checker's answer for ?start=&end= (empty without them)."""
    if "start" not in request.GET and "end" not in request.GET:
        return {"check_form": CheckForm()}
    form = CheckForm(request.GET)
    if not form.is_valid():
        return {"check_form": form}
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    earlier, later = min(start, end), max(start, end)
    try:
        deadline = workdays.latest_day_before(later, FILING_DAYS)
    except OverflowError:  # near the first date a calendar holds
        deadline = None
    first_year = min(earlier, deadline or earlier).year
    return {"check_form": form, "check": {
        "start": earlier, "end": later, "days": workdays.working_days_between(earlier, later),
        "calendar_days": (later - earlier).days, "deadline": deadline, "filing_days": FILING_DAYS,
        "missing_years": _years_without_rows(first_year, later.year),
    }}


def _years_without_rows(first: int, last: int) -> list[int]:
    """The years from `first` to `last` with no row in the calendar (their holidays not yet entered: counted as
    plain Monday-to-Friday weeks), in one query."""
    known = set(CalendarDay.objects.filter(date__year__gte=first, date__year__lte=last)
                .annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct())
    return [y for y in range(first, last + 1) if y not in known]


def _page(request, *, year: int, form: DayForm | None = None, status: int = 200):
    rows = list(CalendarDay.objects.filter(date__year=year))
    for row in rows:
        row.weekday = holidays.WEEKDAYS[row.date.weekday()]
    years = set(CalendarDay.objects.annotate(y=ExtractYear("date")).values_list("y", flat=True).distinct())
    today = timezone.localdate().year
    years |= {today - 1, today, today + 1, year}
    return render(request, "core/calendar.html", {
        "rows": rows, "year": year, "years": sorted(years), "form": form or DayForm(initial={"name": ""}),
        "holidays": sum(not r.is_workday for r in rows), "workdays": sum(r.is_workday for r in rows),
        "nav": "calendar", **_check(request),
    }, status=status)


@login_required
def calendar(request):
    """The year's list and the add form (POST adds a row)."""
    require(request.user, "core.manage_calendar")
    year = _year(request)
    if request.method == "POST":
        form = DayForm(request.POST)
        if form.is_valid():
            try:
                day = holidays.calendar_day_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已添加：{day}")
                return redirect(f"{reverse('calendar')}?year={day.date.year}")
        return _page(request, year=year, form=form, status=400)
    return _page(request, year=year)


@login_required
def calendar_edit(request, pk: int):
    require(request.user, "core.manage_calendar")
    day = get_object_or_404(CalendarDay, pk=pk)
    form = DayForm(request.POST or None, instance=CalendarDay.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            day = holidays.calendar_day_update(day=day, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(f"{reverse('calendar')}?year={day.date.year}")
    return render(request, "core/calendar_edit.html", {"form": form, "day": day, "nav": "calendar"},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def calendar_delete(request, pk: int):
    require(request.user, "core.manage_calendar")
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    holidays.calendar_day_delete(day=day, by=request.user)
    messages.success(request, f"已删除：{day}")
    return redirect(f"{reverse('calendar')}?year={year}")



