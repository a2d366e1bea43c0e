"""The people area's pages: the hub, a person's record, the hours overview, the yearly target, certificates and
their public verification. A fixed number of queries per page, whatever the rows."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bangfu.core.exports import export_start
from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param
from bangfu.core.registry import nav_entries, role_of
from bangfu.museums.models import Museum
from bangfu.parties import works_at_museum
from bangfu.permissions import get_for_user, require

from . import selectors, services, tasks
from .certificates import certificate_pdf as render_pdf
from .certificates import grouped_code, title_of
from .exports import XLSX_TYPE, hours_workbook, overview
from .forms import RevokeForm, TargetForm, VerifyForm
from .models import Certificate, HoursTarget

PAGE_SIZE = 50
HUB_CERTIFICATES = 4
VERIFY_LIMIT = 30  # unknown codes a visitor may try per VERIFY_WINDOW seconds; codes are 60 random bits anyway
VERIFY_WINDOW = 600


def _year(request) -> int:
    this_year = timezone.localdate().year
    return int_param(request, "year", minimum=2000, maximum=this_year + 1) or this_year


def _years(selected: int) -> list[int]:
    this_year = timezone.localdate().year
    return sorted({*range(this_year - 5, this_year + 1), selected}, reverse=True)


def _progress(hours: Decimal, target: Decimal) -> dict:
    percent = int(min(hours / target * 100, 100)) if target else 100
    return {"hours": hours, "target": target, "percent": percent, "short_by": max(target - hours, Decimal("0")),
            "met": hours >= target}


@login_required
def home(request):
    """The hub of 人才培养: the people modules installed (nav entries of section "people"); for museum staff their
    hours of the year against the target and their latest certificates; for those who oversee hours, the year's
    hours by museum and how many fall short."""
    user = request.user
    year = timezone.localdate().year
    target = selectors.target_for(year)
    context = {"sections": nav_entries("people", role_of(user)), "year": year, "target": target}
    if works_at_museum(user):
        context["mine"] = _progress(selectors.hours_of(user, year), target)
        context["certificates"] = list(Certificate.objects.filter(person=user)[:HUB_CERTIFICATES])
    if user.has_perm("learning.view_hours_overview"):  # a museum admin: their museum's count, no chart of one bar
        people = selectors.museum_people(user)
        context["overview"] = {"short": selectors.short_count(people, year, target), "people": people.count()}
        if not user.is_museum_admin:
            context["chart"] = selectors.hours_by_museum(people, year) or None
    return render(request, "learning/home.html", context)


def _record(request, person, *, own: bool):
    year = _year(request)
    target = selectors.target_for(year)
    entries = list(selectors.entries_of(person, year))
    total = sum((e.hours for e in entries), Decimal("0"))
    certificates = Certificate.objects.filter(person=person)
    if not request.user.has_perm("learning.revoke_certificate"):
        certificates = certificates.valid()
    return render(request, "learning/record.html", {
        "person": person, "own": own, "year": year, "years": _years(year), "entries": entries,
        "progress": _progress(total, target), "certificates": list(certificates),
        "by_year": selectors.hours_by_year(person) or None,
        "may_revoke": request.user.has_perm("learning.revoke_certificate"),
    })


@login_required
def me(request):
    """My learning record: the year's entries, the total against the target, my certificates, hours by year."""
    return _record(request, request.user, own=True)


@login_required
def person(request, user_id: int):
    """A person's learning record, for whoever may see it (`learning.view_person`); 404 for anyone else."""
    who = get_for_user(request.user, get_user_model().objects.select_related("museum"),
                       view="learning.view_person", pk=user_id)
    return _record(request, who, own=who.pk == request.user.pk)


@login_required
def hours(request):
    """The hours overview: each museum person in the user's scope with the year's hours against the target (who
    falls short highlighted, `?short=1` to list only them), a chart of hours by museum and an Excel export (written
    by the worker when it is large)."""
    require(request.user, "learning.view_hours_overview")
    view = overview(request.user, request)
    if request.GET.get("format") == "xlsx":
        return _hours_export(request, view)
    scope = selectors.museum_people(request.user)
    # The museum filter's options written in Python: the association's scope holds thousands of museums, and
    # rendering them through the template language was most of the page's time (bench/people.py).
    museums = list(Museum.objects.filter(pk__in=scope.values("museum_id")).order_by("name").values_list("pk", "name"))
    options = format_html_join("", '<option value="{}"{}>{}</option>', (
        (pk, " selected" if pk == view.museum_id else "", name) for pk, name in museums))
    page = Paginator(view.rows, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "learning/hours.html", {
        "year": view.year, "years": _years(view.year), "target": view.target, "page": page,
        "museum_count": len(museums), "museum_options": options, "museum_id": view.museum_id,
        "only_short": view.only_short,
        "short": selectors.short_count(view.people, view.year, view.target), "people": view.people.count(),
        "chart": selectors.hours_by_museum(view.people, view.year) or None,
    })


def _hours_export(request, view):
    count = view.rows.count()
    if count > settings.EXPORT_INLINE_MAX_ROWS:  # written by the worker (bangfu/core/exports.py)
        job = export_start(by=request.user, kind="learning.hours", title=f"{view.year} 年学时统计",
                           params=request.GET, rows=count, task=tasks.export_hours)
        return redirect("export_job", pk=job.pk)
    stream, name = hours_workbook(view)
    return FileResponse(stream, as_attachment=True, filename=name, content_type=XLSX_TYPE)


@login_required
def targets(request):
    """The association sets the continuing-education target of a year (90 学时 unless set); the years set so far."""
    require(request.user, "learning.set_target")
    this_year = timezone.localdate().year
    form = TargetForm(request.POST or None, initial={"year": this_year, "hours": selectors.target_for(this_year)})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_set(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{target.year} 年度继续教育目标已设为 {target.hours} 学时。")
            return redirect("learning:targets")
    return render(request, "learning/targets.html", {
        "form": form, "history": list(HoursTarget.objects.select_related("updated_by")),
        "default": selectors.DEFAULT_TARGET_HOURS, "this_year": this_year,
    }, status=400 if form.errors else 200)


@login_required
def certificate_pdf(request, pk: int):
    """A certificate's PDF for the holder, the holder's museum admin and the association (a revoked one only for
    the association)."""
    certificate = get_for_user(request.user, Certificate.objects.select_related("person"),
                               view="learning.view_certificate", pk=pk)
    data = render_pdf(certificate, base_url=settings.SITE_URL)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=\"certificate-{certificate.serial}.pdf\""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    certificate = get_for_user(request.user, Certificate.objects.select_related("person"),
                               view="learning.view_certificate", change="learning.revoke_certificate", pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(by=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        messages.error(request, "未撤销：" + "；".join(e for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, f"证书 {certificate.serial} 已撤销，验证页面将显示撤销原因。")
    return redirect("learning:person", certificate.person_id)


# --- public verification ----------------------------------------------------------------------------------


def _misses_key(request) -> str:
    from axes.helpers import get_client_ip_address

    return f"learning-verify-misses:{get_client_ip_address(request)}"


def _throttled(request) -> bool:
    """This address asked for more than VERIFY_LIMIT codes that do not exist in VERIFY_WINDOW seconds (someone
    guessing; a code has 60 random bits, so guessing is hopeless anyway). Genuine codes do not count."""
    return (cache.get(_misses_key(request)) or 0) >= VERIFY_LIMIT


def _count_miss(request) -> None:
    key = _misses_key(request)
    if not cache.add(key, 1, VERIFY_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, VERIFY_WINDOW)


@never_cache
def verify_form(request):
    """Anyone types a certificate's code; a code that can be one leads to its verification page."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        code = selectors.normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("verify", code)
        form.add_error("code", "验证码应为 12 位字母和数字（不含 0、1、I、O），请核对证书上的验证码。")
    return render(request, "learning/verify.html", {"form": form, "searched": False},
                  status=400 if form.errors else 200)


@never_cache
def verify(request, code: str):
    """What a certificate's QR code opens: whether the certificate is genuine (真实有效), revoked (with the reason)
    or unknown, and its face — nothing else about the person."""
    if _throttled(request):
        return render(request, "learning/verify.html", {"form": VerifyForm(), "searched": True, "throttled": True},
                      status=429)
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        _count_miss(request)
        return render(request, "learning/verify.html", {"form": VerifyForm(), "searched": True,
                                                        "certificate": None}, status=404)
    return render(request, "learning/verify.html", {
        "form": VerifyForm(), "searched": True, "certificate": certificate, "title": title_of(certificate),
        "code": grouped_code(certificate.code),
    })
