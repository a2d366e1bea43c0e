"""Platform-wide pages: change history, modules not built yet, uploaded files, exports written by the worker,
error pages."""

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bangfu.permissions import require

from . import attachments, registry
from .attachments import download_name, rules_for
from .background import read_progress
from .exports import EXPIRED_MESSAGE, export_progress_key, exports_give_up_stale
from .models import Attachment, AuditEntry, ExportJob, ExportStatus
from .params import int_param, text_param
from .validation import join_messages

# Only these types are ever served from uploads, and never as HTML or script.
SERVED_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
    ".pdf": "application/pdf", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
    ".mp4": "video/mp4", ".webm": "video/webm",  # course videos, played in a <video> of the platform's pages
}
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "video/mp4", "video/webm"}
# Folders whose files are public (museum logos and photos); others need their own view with an access check.
PUBLIC_MEDIA_PREFIXES = ("museums/logos/", "museums/photos/")


def media(request, path: str):
    """Serve a public upload with a safe content type; everything else is 404."""
    clean = PurePosixPath(path)
    if ".." in clean.parts or not str(clean).startswith(PUBLIC_MEDIA_PREFIXES):
        raise Http404("文件不存在。")
    content_type = SERVED_TYPES.get(clean.suffix.lower())
    if content_type is None or not default_storage.exists(str(clean)):
        raise Http404("文件不存在。")
    response = FileResponse(default_storage.open(str(clean)), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    if content_type not in INLINE_TYPES:
        response["Content-Disposition"] = f'attachment; filename="{clean.name}"'
    return response


def private_file_response(file, *, filename: str | None = None) -> FileResponse:
    """A private upload (evidence) for a view that has already checked access: a safe content type, never
    sniffed, images shown inline and everything else downloaded, not cached by shared caches."""
    name = PurePosixPath(file.name)
    content_type = SERVED_TYPES.get(name.suffix.lower())
    if content_type is None or not file.storage.exists(file.name):
        raise Http404("文件不存在。")
    inline = content_type in INLINE_TYPES
    response = FileResponse(file.storage.open(file.name), content_type=content_type, as_attachment=not inline,
                            filename=filename or name.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment(request, pk: int):
    """The one view that serves attachment files: the attachment, then its owner's access check with the
    permission the owner registered (`Module.attachment_owners`); outsiders get 404, like for the record."""
    found = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if found is None or not found.file:
        raise Http404("文件不存在。")
    rules = rules_for(f"{found.content_type.app_label}.{found.content_type.model}")
    owner = found.owner if rules is not None else None
    if owner is None or not request.user.has_perm(rules.view, owner):
        raise Http404("文件不存在。")
    return private_file_response(found.file, filename=download_name(found))


@login_required
@require_POST
def attachment_remove(request, pk: int):
    """The one page that removes an attachment of any record: outsiders of the record get 404, who may see it but
    not remove the file 403 (the owner's declared permissions); back to `next` (the page the button was on)."""
    found = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    rules = rules_for(f"{found.content_type.app_label}.{found.content_type.model}") if found else None
    owner = found.owner if rules is not None else None
    if owner is None or not request.user.has_perm(rules.view, owner):
        raise Http404("文件不存在。")
    try:
        attachments.attachment_remove(attachment=found, by=request.user)
    except ValidationError as exc:
        messages.error(request, join_messages(exc.messages))
    else:
        messages.success(request, f"{found.get_kind_display()}已删除。")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = owner.get_absolute_url() if hasattr(owner, "get_absolute_url") else "/"
    return redirect(back)


@login_required
def history(request):
    """The association's view of every change to museums and accounts."""
    require(request.user, "core.view_history")
    entries = AuditEntry.objects.with_actor()
    kind = text_param(request, "type")
    types = registry.history_types()  # the object types the installed modules declare
    if kind in types:
        entries = entries.filter(object_type=kind)
    q = text_param(request, "q")
    if q:
        entries = entries.filter(object_repr__icontains=q)
    page = Paginator(entries, 30).get_page(int_param(request, "page", minimum=1))
    template = "core/history.html#results" if request.htmx else "core/history.html"
    return render(request, template, {"page": page, "q": q, "kind": kind, "types": types, "nav": "admin"})


def module_placeholder(request, slug: str):
    """The page of a module the programme announces and that is not built (installed) yet."""
    module = registry.planned().get(slug)
    if module is None:
        raise Http404("没有这个模块。")
    nav = "areas" if module.section == "areas" else slug
    return render(request, "core/module_placeholder.html", {"module": module, "nav": nav})


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _json_error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(request, exception=None):
    if _wants_json(request):
        return _json_error("未找到。", 404)
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    if _wants_json(request):
        return _json_error("没有权限。", 403)
    return render(request, "403.html", status=403)


def server_error(request):
    if _wants_json(request):
        return _json_error("服务器内部错误，请稍后重试。", 500)
    return render(request, "500.html", status=500)


def _own_export(request, pk: int) -> ExportJob:
    """An export is its requester's alone (the rows were chosen with their rights): anyone else gets 404."""
    return get_object_or_404(ExportJob.objects.select_related("requested_by"), pk=pk, requested_by=request.user)


@login_required
def export_job(request, pk: int):
    """An export being written by the worker: its progress (htmx polls the status fragment), then the download."""
    job = _own_export(request, pk)
    if job.status == ExportStatus.RUNNING and exports_give_up_stale(ExportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()  # its task was lost: the page stops waiting
    context = {"job": job, "inline_max": settings.EXPORT_INLINE_MAX_ROWS, "expired_message": EXPIRED_MESSAGE,
               "progress": read_progress(export_progress_key(job.pk)) if job.status == ExportStatus.RUNNING else None}
    if request.htmx:
        return render(request, "core/export_job.html#status", context)
    return render(request, "core/export_job.html", context)


@login_required
def export_download(request, pk: int):
    """The file of a finished export, to its requester only."""
    job = _own_export(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404("文件不存在。")
    return private_file_response(job.file, filename=job.file_name)
