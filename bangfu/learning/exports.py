"""The hours overview as an Excel workbook: the rows the page lists (the user's scope, the year, the museum and
`short` filters), written while the page waits up to settings.EXPORT_INLINE_MAX_ROWS rows and by the worker above
(`tasks.export_hours`, through `core.exports`), the same file either way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Value
from django.utils import timezone
from openpyxl import Workbook

from bangfu.core.params import int_param
from bangfu.core.spreadsheets import safe_row, saved, write_header

from . import selectors

HOURS = DecimalField(max_digits=8, decimal_places=1)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Overview:
    year: int
    target: Decimal
    museum_id: int | None
    only_short: bool
    people: object  # the scope's museum people, the museum filter applied
    rows: object  # `people` with year_hours and short_by, filtered by `short`, in order


def overview(user, params) -> Overview:
    """What the overview lists for `user` with the page's parameters (a request or a QueryDict)."""
    this_year = timezone.localdate().year
    year = int_param(params, "year", minimum=2000, maximum=this_year + 1) or this_year
    target = selectors.target_for(year)
    people = selectors.museum_people(user)
    museum_id = int_param(params, "museum")
    if museum_id:
        people = people.filter(museum_id=museum_id)
    rows = (selectors.with_hours(people, year).select_related("museum")
            .annotate(short_by=ExpressionWrapper(Value(target) - F("year_hours"), output_field=HOURS))
            .order_by("museum__name", "full_name", "username"))
    get = params.GET.get if hasattr(params, "GET") else params.get
    only_short = get("short") == "1"
    if only_short:
        rows = rows.filter(year_hours__lt=target)
    return Overview(year=year, target=target, museum_id=museum_id, only_short=only_short, people=people, rows=rows)


def hours_workbook(view: Overview, *, count: Callable | None = None):
    """The workbook and its download name; `count(rows, total)` reports progress when the worker writes it."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{view.year}年学时"
    write_header(sheet, ["单位", "姓名", "用户名", "学时", "年度目标", "距目标"], [30, 14, 16, 10, 10, 10])
    rows = view.rows.iterator(chunk_size=2000)
    if count is not None:
        rows = count(rows, view.rows.count())
    for user in rows:
        sheet.append(safe_row(sheet, [user.museum.name if user.museum_id else "", user.display_name, user.username,
                         float(user.year_hours), float(view.target), float(max(user.short_by, 0))]))
    return saved(book), f"学时统计-{view.year}.xlsx"
