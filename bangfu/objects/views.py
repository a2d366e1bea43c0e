"""The object registry's pages: my museum's objects (filters, counts per grade), one object with its photos, the
form, the objects other museums offer for loan, and the import of a 藏品账 export."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from bangfu.core.background import enqueue, read_progress
from bangfu.core.forms import apply_errors
from bangfu.core.models import Attachment
from bangfu.core.params import int_param
from bangfu.museums.models import Museum
from bangfu.permissions import get_for_user, require

from . import imports, selectors, services, tasks
from .forms import ConfirmForm, ObjectForm, PhotoForm, UploadForm
from .models import Category, CollectionObject, Condition, ImportStatus, Material, ObjectGrade, ObjectImport

logger = logging.getLogger(__name__)
PAGE_SIZE = 30


def _page(request, objects):
    return Paginator(objects, PAGE_SIZE).get_page(int_param(request, "page", minimum=1))


def _choices() -> dict:
    return {"grades": ObjectGrade.choices, "categories": Category.choices, "materials": Material.choices,
            "conditions": Condition.choices}


# --- lists -----------------------------------------------------------------------------------------------------


@login_required
def object_list(request):
    """The objects of the user's museum, filtered; counts per grade of the filtered rows. htmx swaps the results."""
    require(request.user, "objects.list_objects")
    filters = selectors.read_filters(request)
    objects = selectors.filter_objects(CollectionObject.objects.filter(museum_id=request.user.museum_id), filters)
    context = {"page": _page(request, objects.order_by("registration_number", "id")), "filters": filters,
               "counts": selectors.grade_counts(objects), "nav": "objects", "params": request.GET}
    if request.htmx and request.htmx.target == "results":
        return render(request, "objects/list.html#results", context)
    return render(request, "objects/list.html", context | _choices())


@login_required
def offered(request):
    """What other museums offer for loan or touring: the starting point of a loan request."""
    filters = selectors.read_filters(request)
    objects = CollectionObject.objects.offered().visible_to(request.user)
    if request.user.museum_id:
        objects = objects.exclude(museum_id=request.user.museum_id)
    objects = selectors.filter_objects(objects, filters).select_related("museum")
    context = {"page": _page(request, objects.order_by("museum__pinyin", "museum_id", "registration_number", "id")),
               "filters": filters, "nav": "objects", "params": request.GET}
    if request.htmx and request.htmx.target == "results":
        return render(request, "objects/offered.html#results", context)
    lenders = Museum.objects.filter(pk__in=CollectionObject.objects.offered().values("museum_id")).order_by("pinyin")
    return render(request, "objects/offered.html", context | _choices() | {
        "museums": [(m.pk, m.name) for m in lenders.only("id", "name")]})


# --- one object ------------------------------------------------------------------------------------------------


def _object(request, pk: int, *, change: str | None = None) -> CollectionObject:
    return get_for_user(request.user, CollectionObject.objects.select_related("museum", "created_by"),
                        view="objects.view_object", change=change, pk=pk)


def _detail(request, obj: CollectionObject, *, photo_form: PhotoForm | None = None, status: int = 200):
    can_change = request.user.has_perm("objects.change_object", obj)
    attachments = list(Attachment.objects.for_object(obj))
    for attachment in attachments:
        attachment.removable = can_change
    return render(request, "objects/detail.html", {
        "obj": obj, "attachments": attachments, "photos": [a for a in attachments if a.is_image],
        "files": [a for a in attachments if not a.is_image], "photo_form": photo_form or PhotoForm(),
        "can_change": can_change, "show_value": request.user.has_perm("objects.view_value", obj),
        "own": request.user.museum_id == obj.museum_id, "nav": "objects",
    }, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _object(request, pk))


@login_required
def create(request):
    require(request.user, "objects.add_object")
    form = ObjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.object_create(museum=request.user.museum, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记藏品“{obj.name}”。可以在下面上传照片。")
            return redirect("objects:detail", pk=obj.pk)
    return render(request, "objects/form.html", {"form": form, "nav": "objects"},
                  status=400 if request.method == "POST" else 200)


@login_required
def edit(request, pk: int):
    obj = _object(request, pk, change="objects.change_object")
    form = ObjectForm(request.POST or None, instance=_object(request, pk))  # the form changes its instance
    if request.method == "POST" and form.is_valid():
        try:
            services.object_update(obj=obj, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("objects:detail", pk=obj.pk)
    return render(request, "objects/form.html", {"form": form, "obj": obj, "nav": "objects"},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def photo_add(request, pk: int):
    obj = _object(request, pk, change="objects.change_object")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.object_photo_add(obj=obj, by=request.user, file=form.cleaned_data["file"],
                                      caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "照片已上传。")
            return redirect("objects:detail", pk=obj.pk)
    return _detail(request, obj, photo_form=form, status=400)


# --- import ----------------------------------------------------------------------------------------------------


RUNNING = (ImportStatus.READING, ImportStatus.IMPORTING)


def _enqueue(batch: ObjectImport, task, *args) -> None:
    try:
        enqueue(task, *args)
    except Exception:
        logger.exception("could not enqueue %s for object import %s", task.module_path, batch.pk)
        imports.import_not_started(batch=batch)


@login_required
def import_upload(request):
    """Upload a 藏品账 export: checked at once, read into a preview (a large file by a task); nothing is written
    before the preview is confirmed."""
    require(request.user, "objects.import_objects")
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            batch = imports.import_start(museum=request.user.museum, by=request.user, file=form.cleaned_data["file"])
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if imports.is_small(batch):
                imports.import_read(batch_id=batch.pk)
            else:
                _enqueue(batch, tasks.read_import, batch.pk)
            return redirect("objects:import_batch", pk=batch.pk)
    batches = ObjectImport.objects.filter(museum_id=request.user.museum_id).select_related("uploaded_by")[:10]
    return render(request, "objects/import_upload.html", {
        "form": form, "batches": batches, "columns": imports.COLUMNS, "max_rows": imports.MAX_ROWS,
        "max_mb": settings.UPLOAD_MAX_IMPORT_MB, "nav": "objects",
    }, status=400 if posted else 200)


def _batch(request, pk: int) -> ObjectImport:
    batch = get_for_user(request.user, ObjectImport.objects.select_related("museum", "uploaded_by"),
                         view="objects.view_import", pk=pk)
    return imports.give_up_if_stale(batch=batch)


def _progress_context(batch: ObjectImport) -> dict:
    return {"batch": batch, "progress": read_progress(tasks.import_progress_key(batch.pk)), "nav": "objects"}


@login_required
def import_batch(request, pk: int):
    """A batch's page: progress while a task works, the preview and the choice of mode (POST confirms), or the
    result."""
    batch = _batch(request, pk)
    if batch.status in RUNNING:
        if request.method == "POST":
            return redirect("objects:import_batch", pk=batch.pk)
        return render(request, "objects/import_progress.html", _progress_context(batch))
    if batch.status != ImportStatus.PENDING:
        if request.method == "POST":
            return redirect("objects:import_batch", pk=batch.pk)
        return render(request, "objects/import_done.html", {"batch": batch, "nav": "objects"})
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and "cancel" in request.POST:
        imports.import_cancel(batch=batch)
        messages.info(request, "已取消本次导入，未写入任何数据。")
        return redirect("objects:import")
    if request.method == "POST" and form.is_valid():
        if imports.import_confirm(batch=batch, by=request.user, all_or_nothing=form.cleaned_data["mode"] == "all"):
            if batch.preview.get("valid", 0) <= 500:
                imports.import_run(batch_id=batch.pk, by=request.user)
            else:
                _enqueue(batch, tasks.run_import, batch.pk, request.user.pk)
        return redirect("objects:import_batch", pk=batch.pk)
    return render(request, "objects/import_preview.html", {"batch": batch, "p": batch.preview, "form": form,
                                                           "nav": "objects"},
                  status=400 if request.method == "POST" else 200)


@login_required
def import_progress(request, pk: int):
    """The progress bar's fragment, polled by htmx; once finished, htmx reloads the batch's page."""
    batch = _batch(request, pk)
    if batch.status not in RUNNING:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("objects:import_batch", pk=batch.pk)
    return render(request, "objects/import_progress.html#bar", _progress_context(batch))


@login_required
def import_template(request):
    require(request.user, "objects.import_objects")
    return FileResponse(imports.template_workbook(), as_attachment=True, filename="藏品导入模板.xlsx",
                        content_type=imports.XLSX_TYPE)
