"""The monthly environment report of one room (`?room=`) or of a museum's rooms (`?museum=`, one's own museum by
default): a page with the month's figures and the downloads (`format=xlsx` or `pdf`; `month=2026-11`, last month
by default)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from bangfu.core.params import int_param, text_param
from bangfu.core.spreadsheets import XLSX_TYPE
from bangfu.museums.models import Museum
from bangfu.parties import works_at_museum
from bangfu.permissions import get_for_user

from .. import report as monthly
from ..models import Room
from .common import NAV, room_for

MONTHS_OFFERED = 12


def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@login_required
def report(request):
    user = request.user
    month = monthly.parse_month(text_param(request, "month", max_length=7)) or last_month()
    room_id, museum_id = int_param(request, "room", minimum=1), int_param(request, "museum", minimum=1)
    room = museum = None
    if room_id:
        room = room_for(request, room_id)
        rooms = [room]
        title = f"{room.museum.name} {room.name}"
    else:
        if museum_id:
            museum = get_for_user(user, Museum.objects.all(), view="environment.view", pk=museum_id)
        elif works_at_museum(user):
            museum = user.museum
        else:
            raise Http404("请从博物馆或库房页面打开月报。")
        rooms = list(Room.objects.filter(museum=museum, is_active=True).select_related("site", "museum")
                     .order_by("site__name", "name", "pk"))
        title = museum.name
    data = monthly.month_data(rooms, month)
    kind = text_param(request, "format", max_length=5)
    name = f"{title} 环境月报 {month:%Y-%m}"
    if kind == "xlsx":
        return FileResponse(monthly.workbook(data, title=title, month=month), as_attachment=True,
                            filename=f"{name}.xlsx", content_type=XLSX_TYPE)
    if kind == "pdf":
        return FileResponse(monthly.pdf(data, title=title, month=month), as_attachment=True,
                            filename=f"{name}.pdf", content_type="application/pdf")
    months = [timezone.localdate().replace(day=1)]
    while len(months) <= MONTHS_OFFERED:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    months = sorted(set(months) | {month}, reverse=True)
    return render(request, "environment/report.html", {
        "nav": NAV, "data": data, "month": month, "months": months, "room": room, "museum": museum, "title": title,
    })
