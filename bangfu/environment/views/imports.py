"""The logger-file import pages: upload a file for a sensor → a preview (format, columns, time span, readings,
gaps, every bad line with its number, a small chart) → choose how to save → the room page. A large file is saved
by a background task whose progress the page shows. The forms live here: they serve these pages only."""

from __future__ import annotations

import csv
import io
import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from bangfu.core.background import enqueue, read_progress
from bangfu.core.forms import FormMixin, apply_errors
from bangfu.core.spreadsheets import XLSX_TYPE, safe_row, saved, write_header
from bangfu.permissions import get_for_user

from .. import imports
from ..importers import FORMATS, MAX_ROWS, template
from ..models import ReadingImport, Sensor

logger = logging.getLogger(__name__)
ACCEPT = ".csv,.txt,.xlsx,.xls"


class UploadForm(FormMixin, forms.Form):
    file = forms.FileField(label="记录仪导出文件",
                           help_text="CSV、Excel（.xlsx）或精创的 .xls；UTF-8 或 GBK 编码均可，格式自动识别。",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            imports.check_size(upload.size)
        except imports.ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


class ConfirmForm(FormMixin, forms.Form):
    mode = forms.ChoiceField(label="保存方式", choices=ReadingImport.Mode.choices,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))


def _sensor(request, pk: int) -> Sensor:
    return get_for_user(request.user, Sensor.objects.select_related("room__site__museum"), view="environment.view",
                        change="environment.record", pk=pk)


def _batch(request, pk: int) -> ReadingImport:
    batch = get_for_user(request.user, ReadingImport.objects.select_related("sensor__room__site", "uploaded_by"),
                         view="environment.view", change="environment.record", pk=pk)
    return imports.give_up_if_stale(batch=batch)


def room_url(room) -> str:
    return reverse("environment:room", args=[room.pk])


@login_required
def sensor_import(request, pk: int):
    """Upload a logger's export file for a sensor: read at once into a preview; nothing is saved yet."""
    sensor = _sensor(request, pk)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            batch = imports.batch_create(sensor=sensor, by=request.user, file=form.cleaned_data["file"])
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("environment:import_batch", pk=batch.pk)
    batches = ReadingImport.objects.filter(sensor=sensor).select_related("uploaded_by")[:10]
    return render(request, "environment/imports/upload.html", {
        "sensor": sensor, "room": sensor.room, "room_url": room_url(sensor.room), "form": form, "batches": batches,
        "formats": FORMATS.values(), "max_mb": imports.MAX_BYTES // 1024 // 1024, "max_rows": MAX_ROWS,
        "template_headers": template.HEADERS, "template_notes": template.NOTES, "nav": "environment",
    }, status=400 if posted else 200)


def _context(batch: ReadingImport, **extra) -> dict:
    p = batch.preview
    return {"batch": batch, "sensor": batch.sensor, "room": batch.sensor.room, "p": p,
            "room_url": room_url(batch.sensor.room), "span": imports.span_text(p.get("first"), p.get("last")),
            "gaps": [imports.span_text(g["start"], g["end"]) for g in p.get("gaps", [])], "nav": "environment",
            **extra}


@login_required
def import_batch(request, pk: int):
    """An upload's page: the preview and the choice of mode (POST saves or cancels), the progress of a large
    file's save, or the result."""
    batch = _batch(request, pk)
    if batch.status == ReadingImport.Status.SAVING:
        if request.method == "POST":
            return redirect("environment:import_batch", pk=batch.pk)
        return render(request, "environment/imports/progress.html",
                      _context(batch, progress=read_progress(imports.progress_key_of(batch.pk))))
    if batch.status != ReadingImport.Status.PENDING:
        if request.method == "POST":
            return redirect("environment:import_batch", pk=batch.pk)
        return render(request, "environment/imports/done.html", _context(batch))
    initial = imports.GOOD_ONLY if batch.preview.get("bad_count") else imports.ALL_OR_NOTHING
    form = ConfirmForm(request.POST or None, initial={"mode": initial})
    if request.method == "POST" and "cancel" in request.POST:
        imports.batch_cancel(batch=batch, by=request.user)
        messages.info(request, "已取消本次导入，未保存任何读数。")
        return redirect("environment:sensor_import", pk=batch.sensor_id)
    if request.method == "POST" and form.is_valid():
        try:
            claimed = imports.batch_confirm(batch=batch, by=request.user, mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _save(request, batch) if claimed else redirect("environment:import_batch", pk=batch.pk)
    return render(request, "environment/imports/preview.html", _context(batch, form=form),
                  status=400 if request.method == "POST" else 200)


def _save(request, batch: ReadingImport):
    if imports.is_large(batch):
        try:
            enqueue(imports.save_batch_task, batch.pk, request.user.pk)
        except Exception:
            logger.exception("could not enqueue the save of reading import %s", batch.pk)
            imports.batch_not_started(batch=batch)
        return redirect("environment:import_batch", pk=batch.pk)
    batch = imports.batch_save(batch_id=batch.pk, by=request.user)
    if batch.status != ReadingImport.Status.DONE:
        return redirect("environment:import_batch", pk=batch.pk)
    s = batch.summary
    messages.success(request, f"已从“{batch.file_name}”保存 {s['saved']} 条读数"
                              + (f"，{s['duplicates']} 条已有未重复保存" if s["duplicates"] else "")
                              + (f"，跳过有误的 {s['skipped']} 行" if s["skipped"] else "") + "。")
    return redirect(room_url(batch.sensor.room))


@login_required
def import_progress(request, pk: int):
    """The progress bar's fragment, polled by htmx; once finished, htmx reloads the batch's page."""
    batch = _batch(request, pk)
    if batch.status != ReadingImport.Status.SAVING:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("environment:import_batch", pk=batch.pk)
    return render(request, "environment/imports/progress.html#bar",
                  _context(batch, progress=read_progress(imports.progress_key_of(batch.pk))))


@login_required
def import_template(request, kind: str):
    """The platform's own template, as CSV (UTF-8 with BOM, so that Excel shows the Chinese headers) or .xlsx."""
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(template.HEADERS)
        writer.writerow(template.EXAMPLE)
        return FileResponse(io.BytesIO(("\ufeff" + out.getvalue()).encode()), as_attachment=True,
                            filename="读数导入模板.csv", content_type="text/csv; charset=utf-8")
    if kind != "xlsx":
        raise Http404("未找到。")
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "读数"
    write_header(sheet, list(template.HEADERS), [20, 10, 10, 10, 10])
    sheet.append(safe_row(sheet, list(template.EXAMPLE)))
    notes = workbook.create_sheet("填写说明")
    notes.append([template.NOTES])
    return FileResponse(saved(workbook), as_attachment=True, filename="读数导入模板.xlsx", content_type=XLSX_TYPE)
