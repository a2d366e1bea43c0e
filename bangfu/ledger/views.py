"""The ledger pages: the filtered list with totals and a chart, its Excel export, one entry with its evidence
(its files served by core's attachment view), recording help given outside the platform's modules, the other
side's confirmation, the association's voiding and correcting, the recorder's withdrawal, and the quantity limits."""

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from bangfu.core.areas import Area
from bangfu.core.exports import export_start
from bangfu.core.forms import apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param
from bangfu.core.scopes import museum_scope
from bangfu.core.spreadsheets import XLSX_TYPE
from bangfu.core.validation import join_messages
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user, require
from bangfu.places.models import Division

from . import selectors, services, tasks
from .exports import export_file
from .forms import ConfirmForm, CorrectForm, EntryForm, LimitsForm, ReasonForm
from .models import QUANTITIES, LedgerEntry, LedgerMonthTotal, LedgerMuseumTotal, LedgerSummary, QuantityLimits

PAGE_SIZE = 30
NOBODY_TOLD = "该馆尚无平台账号，无人收到确认通知；请联系协会代为确认。"


def _visible(request):
    return LedgerEntry.objects.visible_to(request.user)


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are (from the ledger's summary) instead of counting them; `count=None`
    counts as usual."""

    def __init__(self, object_list, per_page, *, count: int | None):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return super().count if self._known_count is None else self._known_count


def _parties(visible, side: str, everything: bool):
    """The museums on `side` of what the user sees: for the association the per-museum totals (a row per museum
    and side), for anyone else the DISTINCT museums of the scope's summary rows (few)."""
    if everything:
        return LedgerMuseumTotal.objects.filter(side=side).values("museum_id")
    return visible.order_by().values(f"{side}_id").distinct()


def _filter_options(request, filters: selectors.LedgerFilters) -> dict:
    """The choices of the filter form, from what the user can see (four queries, whatever the rows): the years and
    the museums from the summary (entries that never counted, void or withdrawn, add none)."""
    museums = Museum.objects.only("id", "name", "short_name").order_by("pinyin")
    visible = LedgerSummary.objects.visible_to(request.user)
    everything = museum_scope(request.user, "helper", "helped") is None
    return {
        "years": selectors.years_of(LedgerMonthTotal.objects if everything else visible, chosen=filters.year,
                                    field="month"),
        "areas": Area.choices,
        "helpers": list(museums.filter(pk__in=_parties(visible, "helper", everything)).values_list("id", "name")),
        "helpeds": list(museums.filter(pk__in=_parties(visible, "helped", everything)).values_list("id", "name")),
        "cities": list(Division.objects.cities()),
        "states": selectors.STATES,
    }


@login_required
def entry_list(request):
    """Visible entries, filtered; totals and the chart are those of the filtered rows. htmx swaps the results."""
    visible = _visible(request)
    entries, filters = selectors.filter_entries(visible, request.GET)
    figures = selectors.list_figures(request.user, entries, filters)
    paginator = KnownCountPaginator(entries.with_parties(), PAGE_SIZE, count=figures.listed)
    page = paginator.get_page(int_param(request, "page", minimum=1))
    totals = figures.totals
    context = {
        "page": page, "filters": filters, "totals": totals, "measures": selectors.MEASURES,
        "cards": selectors.cards(totals),
        # listed but never counted: void and withdrawn entries the state filter shows
        "uncounted": page.paginator.count - totals["entries"],
        "chart": figures.chart, "nav": "ledger",
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "ledger/list.html#results", context)
    context |= _filter_options(request, filters) | {
        "params": request.GET,
        "pairing_label": selectors.pairing_label(request.user, filters.pairing),
        "awaiting": LedgerEntry.objects.awaiting_confirmation_by(request.user).count(),
        "can_add": services.may_record(request.user),
        "can_manage_limits": request.user.has_perm("ledger.manage_limits"),
    }
    return render(request, "ledger/list.html", context)


@login_required
def export(request):
    """The filtered rows as .xlsx, with a totals row."""
    require(request.user, "ledger.export")
    entries, filters = selectors.filter_entries(_visible(request), request.GET)
    count = entries.count()
    if count > settings.EXPORT_INLINE_MAX_ROWS:  # written by the worker (bangfu/core/exports.py)
        job = export_start(by=request.user, kind="ledger", title="帮扶台账", params=request.GET, rows=count,
                           task=tasks.export_ledger)
        return redirect("export_job", pk=job.pk)
    stream, name = export_file(entries, user=request.user, filters=filters)
    return FileResponse(stream, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _get_entry(request, pk: int, *, change: str | None = None) -> LedgerEntry:
    queryset = LedgerEntry.objects.with_parties().select_related(
        "helper__city", "confirmed_by", "recorded_by__museum", "ended_by", "corrected_by")
    return get_for_user(request.user, queryset, view="ledger.view_entry", change=change, pk=pk)


def _detail(request, entry: LedgerEntry, *, confirm_form: ConfirmForm | None = None, status: int = 200):
    user = request.user
    return render(request, "ledger/detail.html", {
        "entry": entry,
        "can_confirm": services.may_confirm(user, entry),
        "can_void": services.may_void(user, entry),
        "can_correct": services.may_correct(user, entry),
        "can_withdraw": services.may_withdraw(user, entry),
        "nobody_told": services.nobody_to_confirm(entry),
        "confirm_form": confirm_form or ConfirmForm(),
        "evidence": list(Attachment.objects.for_object(entry)),
        "nav": "ledger",
    }, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _get_entry(request, pk))


@login_required
def create(request):
    """A museum records help given outside the platform's modules; it counts once the other side confirms."""
    user = request.user
    if not services.may_record(user):
        raise PermissionDenied("您没有登记帮扶台账的权限。")
    posted = request.method == "POST"
    form = EntryForm(request.POST if posted else None, request.FILES if posted else None, user=user)
    if posted and form.is_valid():
        try:
            entry = services.ledger_record(by=user, **form.entry_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            if services.nobody_to_confirm(entry):
                messages.warning(request, f"已登记。{NOBODY_TOLD}")
            elif entry.confirmation == "pending":
                messages.success(request, "已登记。对方博物馆确认后，这条记录计入台账统计；已通知对方。")
            else:
                messages.success(request, "已登记并计入台账。")
            return redirect("ledger:detail", pk=entry.pk)
    return render(request, "ledger/form.html", {"form": form, "nav": "ledger"}, status=400 if posted else 200)


@login_required
@require_POST
def confirm(request, pk: int):
    """The other side (or the association) confirms an entry, or objects to it with a reason."""
    entry = _get_entry(request, pk, change="ledger.confirm_entry")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _detail(request, entry, confirm_form=form, status=400)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.ledger_confirm(entry=entry, by=request.user, accept=accept,
                                objection=form.cleaned_data["objection"])
    except ValidationError as exc:
        entry.refresh_from_db()
        if not services.may_confirm(request.user, entry):  # answered meanwhile (a second submit, an old tab):
            messages.error(request, join_messages(exc.messages))  # the page no longer shows the form
            return redirect("ledger:detail", pk=pk)
        apply_errors(form, exc)
        return _detail(request, entry, confirm_form=form, status=400)
    messages.success(request, "已确认，这条记录计入台账统计。" if accept else "已提出异议，登记方会收到通知。")
    return redirect("ledger:detail", pk=pk)


def _ended_or_render(request, entry: LedgerEntry, allowed: bool, refusal: str):
    """On a GET of an action that no longer applies (already void, confirmed…), back to the entry with why."""
    if not allowed and request.method != "POST":
        messages.info(request, refusal)
        return redirect("ledger:detail", pk=entry.pk)
    return None


class Ending(NamedTuple):
    """One way an entry ends: a confirmation page, then a POST to the service."""

    perm: str
    allowed: Callable  # may the user end this entry now (services.may_void…)
    service: Callable
    reason_required: bool
    refusal: str  # why a GET finds nothing to do
    done: str  # what the user is told after


ENDINGS = {
    "void": Ending("ledger.void_entry", services.may_void, services.ledger_void, True, "无需作废",
                   "已作废。这条记录保留在台账中，但不再计入任何统计；双方已收到通知。"),
    "withdraw": Ending("ledger.withdraw_entry", services.may_withdraw, services.ledger_withdraw, False, "不能撤回",
                       "已撤回。这条记录不计入统计；对方已收到通知。"),
}


@login_required
def end_entry(request, pk: int, *, action: str):
    """The association voids an entry with a reason ("void"); the side that recorded an unconfirmed entry
    withdraws it ("withdraw")."""
    ending = ENDINGS[action]
    entry = _get_entry(request, pk, change=ending.perm)
    back = _ended_or_render(request, entry, ending.allowed(request.user, entry),
                            f"这条记录{entry.get_confirmation_display()}，{ending.refusal}。")
    if back:
        return back
    form = ReasonForm(request.POST or None, required=ending.reason_required)
    if request.method == "POST" and form.is_valid():
        try:
            ending.service(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, ending.done)
            return redirect("ledger:detail", pk=pk)
    return render(request, "ledger/end.html", {"entry": entry, "form": form, "action": action, "nav": "ledger"},
                  status=400 if request.method == "POST" else 200)


@login_required
def correct(request, pk: int):
    """The association corrects an entry's date, area, kind, description or quantities, with a reason."""
    entry = _get_entry(request, pk, change="ledger.correct_entry")
    back = _ended_or_render(request, entry, services.may_correct(request.user, entry),
                            f"这条记录{entry.get_confirmation_display()}，不能更正。")
    if back:
        return back
    form = CorrectForm(request.POST or None, instance=entry)  # the form only reads it (no _post_clean)
    if request.method == "POST" and form.is_valid():
        try:
            services.ledger_correct(entry=entry, by=request.user, reason=form.cleaned_data["reason"],
                                    **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已更正，双方馆管理员已收到通知。")
            return redirect("ledger:detail", pk=pk)
    return render(request, "ledger/correct.html", {
        "entry": entry, "form": form, "limits": _limit_rows(QuantityLimits.current()), "nav": "ledger",
    }, status=400 if request.method == "POST" else 200)


def _limit_rows(limits: QuantityLimits) -> list[tuple[str, str, int]]:
    return [(q.label, q.unit, getattr(limits, q.name)) for q in QUANTITIES]


@login_required
def limits(request):
    """The most one entry may record of each quantity; set by the association."""
    require(request.user, "ledger.manage_limits")
    current = QuantityLimits.current()
    form = LimitsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.limits_update(by=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "数量上限已保存，此后登记、更正和完成任务时按新上限检查。")
            return redirect("ledger:limits")
    return render(request, "ledger/limits.html", {
        "form": form, "current": current, "nav": "ledger",
        "defaults": [(q.label, q.unit, q.default_limit) for q in QUANTITIES],
    }, status=400 if request.method == "POST" else 200)
