"""The kernel's pages of work done by the worker, in the access matrix (test_access_matrix.py adds them): an
import's progress (the association only) and an export written by a task (its requester only)."""

import io

import openpyxl
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import ExportJob, ExportStatus
from bangfu.museums.models import ImportBatch, ImportFormat, ImportStatus

MATRIX = {
    "museums:import_progress": (lambda w: reverse("museums:import_progress", args=[w.import_batch.pk]), 404, 302),
    "export_job": (lambda w: reverse("export_job", args=[w.export_job.pk]), 404, 302),
    "export_download": (lambda w: reverse("export_download", args=[w.export_job.pk]), 404, 302),
}


def scene(world):
    world.import_batch = ImportBatch.objects.create(
        uploaded_by=world.admin, file_name="名录.csv", format=ImportFormat.DIRECTORY, status=ImportStatus.READING,
        preview={"total": 3}, file=ContentFile(b"x", name="scene.csv"))
    job = ExportJob(kind="ledger", title="帮扶台账", params={"year": ["2026"]}, requested_by=world.admin, rows=3,
                    status=ExportStatus.DONE, file_name="帮扶台账.xlsx", finished_at=timezone.now())
    workbook = openpyxl.Workbook()
    workbook.active.append(["编号", "日期"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job.file.save("scene.xlsx", ContentFile(buffer.getvalue()), save=True)
    world.export_job = job
