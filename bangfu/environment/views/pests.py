"""A room's pest records: the list, the trend chart, adding one (the museum's staff), changing or deleting one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from bangfu.core.forms import apply_errors
from bangfu.core.params import int_param
from bangfu.permissions import require

from .. import services
from ..forms import PestRecordForm
from ..models import PestRecord
from ..summaries import pest_trend
from .common import NAV, room_for

PAGE_SIZE = 30


@login_required
def pests(request, pk: int):
    """GET: the records and the trend; POST: add one, or with `record` change it, or with `delete` delete it."""
    room = room_for(request, pk)
    user = request.user
    can_record = user.has_perm("environment.record", room)
    editing = None
    if chosen := int_param(request.POST if request.method == "POST" else request.GET, "record", minimum=1):
        editing = PestRecord.objects.filter(room=room, pk=chosen).first()
    if request.method == "POST":
        require(user, "environment.record", room)
        if (gone := int_param(request.POST, "delete", minimum=1)) is not None:
            record = PestRecord.objects.filter(room=room, pk=gone).first()
            if record:
                services.pest_record_delete(record=record, by=user)
                messages.success(request, "虫害记录已删除。")
            return redirect("environment:pests", pk=room.pk)
    initial = None if editing else {"date": timezone.localdate()}
    form = PestRecordForm(request.POST or None, instance=editing, initial=initial) if can_record else None
    if request.method == "POST" and form.is_valid():
        values = {n: form.cleaned_data[n] for n in services.PEST_FIELDS}
        try:
            if editing:
                services.pest_record_update(record=editing, by=user, **values)
            else:
                services.pest_record_add(room=room, by=user, **values)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "虫害记录已保存。")
            return redirect("environment:pests", pk=room.pk)
    records = PestRecord.objects.filter(room=room).select_related("recorded_by").order_by("-date", "-id")
    page = Paginator(records, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))
    return render(request, "environment/pests.html", {
        "nav": NAV, "room": room, "page": page, "form": form, "editing": editing, "trend": pest_trend(room),
        "can_record": can_record,
    }, status=400 if form is not None and form.errors else 200)
