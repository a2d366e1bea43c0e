"""Import of museums (the association's upload → preview → confirm, the reading and the import done by tasks) and
the Excel export of the directory."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRefresh

from bangfu.core.background import enqueue, read_progress
from bangfu.core.exports import export_start
from bangfu.core.forms import FormMixin, apply_errors
from bangfu.core.params import text_param
from bangfu.permissions import get_for_user, require

from . import imports, tasks
from .models import ImportBatch, ImportStatus, Museum
from .selectors import filter_museums

logger = logging.getLogger(__name__)


class UploadForm(FormMixin, forms.Form):
    file = forms.FileField(
        label="选择文件",
        help_text="Excel（.xlsx）或 CSV 文件：全国博物馆名录格式，或本平台导出的格式。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    all_provinces = forms.BooleanField(
        label="导入其他省份的博物馆", required=False,
        help_text="不勾选时只导入山西省的博物馆，其他省份的行计为“跳过”。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            imports.check_file(file_name=upload.name, size=upload.size)
        except imports.ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


class ConfirmForm(FormMixin, forms.Form):
    confirm = forms.TypedMultipleChoiceField(coerce=int, required=False, label="作为另一家博物馆新增")
    skip_bad = forms.BooleanField(required=False, label="跳过有误的行，导入其余行")
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].choices = [(row["line"], row["line"]) for row in batch.preview.get("flagged", [])]
        self.fields["fingerprint"].initial = batch.preview.get("fingerprint", "")


@login_required
def upload(request):
    """Upload a file: it is checked at once (errors next to the file field, nothing kept); a task reads it into a
    preview while the batch's page shows the progress. Nothing is imported before the preview is confirmed."""
    require(request.user, "museums.import_museums")
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_start(by=request.user, file=form.cleaned_data["file"],
                                         all_provinces=form.cleaned_data["all_provinces"])
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            _enqueue(batch, tasks.read_import, batch.pk)  # committed: the view runs outside a transaction
            return redirect("museums:import_preview", batch_id=batch.pk)
    batches = ImportBatch.objects.select_related("uploaded_by")[:10]
    return render(request, "museums/import_upload.html", {
        "form": form, "batches": batches, "max_mb": settings.UPLOAD_MAX_IMPORT_MB, "max_rows": imports.MAX_ROWS,
        "directory_headers": imports.DIRECTORY_HEADERS, "nav": "admin",
    }, status=400 if request.method == "POST" else 200)


RUNNING = (ImportStatus.READING, ImportStatus.IMPORTING)


def _enqueue(batch: ImportBatch, task, *args) -> None:
    """Enqueue the batch's task; a queue that cannot be reached puts the batch back (its page says why)."""
    try:
        enqueue(task, *args)
    except Exception:
        logger.exception("could not enqueue %s for import batch %s", task.module_path, batch.pk)
        imports.import_not_started(batch=batch)


def _get_batch(request, batch_id: int) -> ImportBatch:
    """The batch, given up if it has been running for longer than any task runs (its task was lost)."""
    batch = get_for_user(request.user, ImportBatch.objects.select_related("uploaded_by", "finished_by"),
                         view="museums.import_museums", pk=batch_id)
    if batch.status in RUNNING:
        given_up = imports.import_give_up_if_stale(batch=batch)
        batch.status, batch.error = given_up.status, given_up.error
    return batch


@login_required
def preview(request, batch_id: int):
    """A batch's page: the progress while a task reads or imports it, the preview of a pending batch and its
    confirmation (POST, which enqueues the import), or the result of a finished one."""
    batch = _get_batch(request, batch_id)
    if batch.status in RUNNING:
        if request.method == "POST":
            messages.info(request, f"这批数据{batch.get_status_display()}，请稍候。")
            return redirect("museums:import_preview", batch_id=batch.pk)
        return render(request, "museums/import_progress.html", _progress_context(batch))
    if batch.status != ImportStatus.PENDING:
        if request.method == "POST":
            messages.info(request, f"这批数据{batch.get_status_display()}。")
            return redirect("museums:import_preview", batch_id=batch.pk)
        return render(request, "museums/import_done.html", {"batch": batch, "nav": "admin"})
    form = ConfirmForm(request.POST if request.method == "POST" else None, batch=batch)
    if request.method == "POST" and "cancel" in request.POST:
        imports.import_cancel(batch=batch, by=request.user)
        messages.info(request, "已取消本次导入，未写入任何数据。")
        return redirect("museums:import")
    if request.method == "POST" and form.is_valid():
        try:
            started = imports.import_confirm(batch=batch, by=request.user, skip_bad=form.cleaned_data["skip_bad"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if started:
                _enqueue(batch, tasks.run_import, batch.pk, request.user.pk, form.cleaned_data["confirm"],
                         form.cleaned_data["skip_bad"], form.cleaned_data["fingerprint"], imports.attempt_of(batch))
            return redirect("museums:import_preview", batch_id=batch.pk)
    confirmed = {str(v) for v in (form["confirm"].value() or [])}
    return render(request, "museums/import_preview.html", {
        "batch": batch, "p": batch.preview, "form": form, "confirmed": confirmed, "nav": "admin",
    }, status=400 if request.method == "POST" else 200)


def _progress_context(batch: ImportBatch) -> dict:
    return {"batch": batch, "progress": read_progress(tasks.import_progress_key(batch.pk)), "nav": "admin"}


@login_required
def progress(request, batch_id: int):
    """The progress bar's fragment, polled by htmx while a task reads or imports the batch; once it has finished,
    htmx reloads the batch's page (which then shows the preview or the result)."""
    batch = _get_batch(request, batch_id)
    if batch.status not in RUNNING:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("museums:import_preview", batch_id=batch.pk)
    return render(request, "museums/import_progress.html#bar", _progress_context(batch))


@login_required
def export(request):
    """The directory (with its filters) as an .xlsx in the platform's format; `?template=1`: an empty template."""
    require(request.user, "museums.export_museums")
    if text_param(request, "template") == "1":
        stream, name = imports.template_workbook(), "博物馆导入模板.xlsx"
    else:
        museums = filter_museums(Museum.objects.all(), request.GET)
        count = museums.count()
        if count > settings.EXPORT_INLINE_MAX_ROWS:  # written by the worker (bangfu/core/exports.py)
            job = export_start(by=request.user, kind="museums", title="博物馆名录", params=request.GET, rows=count,
                               task=tasks.export_museums)
            return redirect("export_job", pk=job.pk)
        stream, name = imports.export_file(museums, user=request.user)
    return FileResponse(stream, as_attachment=True, filename=name, content_type=imports.XLSX_TYPE)
