"""The condition report (点交记录) of one object leaving the lender or coming back, with photos taken on a phone;
the incoming form shows the outgoing report beside it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bangfu.core.attachments import attachment_add
from bangfu.core.forms import apply_errors
from bangfu.core.models import Attachment

from .. import services
from ..forms import ConditionForm
from ..models import ConditionCheck, Direction
from .loan import as_refusal, get_item


def _report(item, direction):
    check = ConditionCheck.objects.filter(item=item, direction=direction).first()
    if check is not None:
        check.photos = list(Attachment.objects.for_object(check))
    return check


@transaction.atomic
def _save(item, by, direction: str, form: ConditionForm) -> ConditionCheck:
    """The report and its photos together: a photo refused leaves no report without it."""
    data = dict(form.cleaned_data)
    photos = data.pop("photos")
    check = services.loan_condition_check(item=item, by=by, direction=direction, **data)
    for number, photo in enumerate(photos, start=1):
        attachment_add(owner=check, by=by, file=photo, caption=f"{item.obj.name} {number}")
    return check


@login_required
def check(request, pk: int, direction: str):
    if direction not in Direction.values:
        raise Http404("未找到。")
    item = get_item(request, pk)
    loan = item.loan
    existing = _report(item, direction)
    # The service decides (the same rule for the API): a first report by either side, a correction only by the
    # side that recorded it. The page offers the form only when the service would take it.
    may_record = request.user.has_perm("loans.party_act", loan) and (
        existing is None or services.may_correct_check(existing, request.user))
    if request.method == "POST" and not may_record:
        raise PermissionDenied("您没有权限进行此操作。" if existing is None
                               else "这份点交记录已由另一方登记，只能由登记的一方更正。")
    initial = ({"examiner": request.user.display_name, "checked_on": timezone.localdate()} if existing is None else
               {"condition": existing.condition, "notes": existing.notes, "new_damage": existing.new_damage,
                "examiner": existing.examiner, "checked_on": existing.checked_on})
    form = ConditionForm(request.POST or None, request.FILES or None, initial=initial) if may_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = _save(item, request.user, direction, form)
        except (ValidationError, PermissionDenied) as exc:
            apply_errors(form, _photo_field(as_refusal(exc)))
        else:
            if saved.differs:
                messages.warning(request, f"“{item.obj.name}”归还时的状况与出馆时不一致，已通知出借方。")
            done = "已更正" if existing is not None else "已保存"
            messages.success(request, f"“{item.obj.name}”的{saved.get_direction_display()}记录{done}。")
            return redirect(reverse("loans:detail", args=[loan.pk]) + "#items")
    return render(request, "loans/check.html", {
        "item": item, "loan": loan, "direction": direction, "direction_label": Direction(direction).label,
        "form": form, "existing": existing,
        "outgoing": _report(item, Direction.OUTGOING) if direction == Direction.INCOMING else None,
        "nav": "loans",
    }, status=400 if request.method == "POST" else 200)


def _photo_field(exc: ValidationError) -> ValidationError:
    """An attachment's refusal ("file") belongs beside the photos."""
    if hasattr(exc, "error_dict") and "file" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors["photos"] = errors.pop("file")
        return ValidationError(errors)
    return exc
