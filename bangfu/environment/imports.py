"""Importing a logger's export file into a sensor's readings — the one service behind the import page, the API
(`POST /api/environment/sensors/{id}/imports`) and the command (`manage.py import_readings`).

`import_preview` reads a file (environment/importers) without writing anything. `import_save` reads it and saves
its readings through `readings.readings_save` — the one writer of readings — in one of two modes:
- "all_or_nothing": nothing is saved if the file has any bad line (the page's default, as for the 藏品账 import);
- "good_only": the good lines are saved and the bad ones reported (the API's default, as for the gateway API).
Readings already stored for the sensor at the same time are kept as they were, so importing a file twice saves
nothing the second time. Saving requires `environment.record` on the sensor, and is audited.

The page keeps the uploaded file between preview and save in a `ReadingImport` batch; a file of more than
SYNC_MAX_READINGS readings is saved by a background task (`save_batch_task`) whose progress the page shows."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from bangfu.core.audit import audit
from bangfu.core.background import QUEUE_DOWN, TASK_STALE_AFTER, clear_progress, progress_key, progress_reporter
from bangfu.core.uploads import save_with_file
from bangfu.permissions import require

from . import partitions
from .importers import MAX_BYTES, ImportFileError, ParseResult, check_size, parse
from .models import ReadingImport, ReadingSource, Sensor
from .readings import check, readings_save

logger = logging.getLogger(__name__)

ALL_OR_NOTHING = ReadingImport.Mode.ALL_OR_NOTHING.value
GOOD_ONLY = ReadingImport.Mode.GOOD_ONLY.value
MODES = (ALL_OR_NOTHING, GOOD_ONLY)
SYNC_MAX_READINGS = 20_000  # more than this is saved by a background task (the page shows its progress)
CHUNK = 10_000  # readings per call of the writer (progress is reported between calls)
CHART_POINTS = 400  # readings drawn in the preview's small chart

__all__ = ["MAX_BYTES", "ImportFileError", "ParseResult", "import_preview", "import_save"]


@dataclass
class SaveOutcome:
    parsed: ParseResult
    saved: int = 0
    duplicates: int = 0
    refused: list[dict] = field(default_factory=list)  # [{line, reason}] refused by the writer at save time

    def summary(self) -> dict:
        return {"saved": self.saved, "duplicates": self.duplicates, "refused": self.refused,
                "skipped": self.parsed.bad_count + len(self.refused)}


def import_preview(data: bytes, filename: str) -> ParseResult:
    """What a file holds, nothing written. Raises `ImportFileError` for a file that cannot be read."""
    return parse(data, filename)


def import_save(*, sensor: Sensor, by, data: bytes, filename: str, mode: str,
                progress: Callable[[int], None] | None = None) -> SaveOutcome:
    """Read a file and save its readings for `sensor` by `by` (who must hold `environment.record` on it). Raises
    `ImportFileError` for an unreadable file and `ValidationError` (field "file") when nothing may be saved."""
    require(by, "environment.record", sensor)
    return save_parsed(sensor=sensor, parsed=parse(data, filename), mode=mode, actor=by, filename=filename,
                       progress=progress)


def save_parsed(*, sensor: Sensor, parsed: ParseResult, mode: str, actor, filename: str,
                progress: Callable[[int], None] | None = None) -> SaveOutcome:
    """Save what `parse` read. The caller checked permission (`import_save`, or the operator's command line, where
    `actor` is None)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if mode == ALL_OR_NOTHING and parsed.bad_count:
        raise ValidationError({"file": f"文件中有 {parsed.bad_count} 行有误，按“全部保存或全部不保存”未保存任何读数。"
                                       "请修改后重新上传，或选择只保存正确的行。"})
    if not parsed.readings:
        raise ValidationError({"file": "文件中没有可以保存的读数。"})
    outcome = SaveOutcome(parsed=parsed)
    _ensure_partitions(parsed.readings)
    with transaction.atomic():
        for offset in range(0, len(parsed.readings), CHUNK):
            result = readings_save(sensor=sensor, items=parsed.readings[offset:offset + CHUNK],
                                   source=ReadingSource.FILE, first_index=offset)
            outcome.saved += result.saved
            outcome.duplicates += result.duplicates
            outcome.refused += [{"line": parsed.lines[r.index], "reason": r.reason} for r in result.refused]
            if progress:
                progress(min(offset + CHUNK, len(parsed.readings)))
        if mode == ALL_OR_NOTHING and outcome.refused:  # e.g. a time now in the future: roll everything back
            first = outcome.refused[0]
            raise ValidationError({"file": f"保存时又有 {len(outcome.refused)} 行被拒绝（第 {first['line']} 行："
                                           f"{first['reason']}），未保存任何读数。"})
        skipped = parsed.bad_count + len(outcome.refused)
        what = (f"{_clean_name(filename)[:100]}（{parsed.format_label}）：新增 {outcome.saved} 条，"
                f"已有 {outcome.duplicates} 条，跳过有误的 {skipped} 行")
        audit(actor=actor, action="导入读数文件", obj=sensor, changes={"读数": [None, what]},
              note="" if actor else "命令行导入")
    return outcome


def _ensure_partitions(items) -> None:
    """Create the month partitions the file needs (PostgreSQL) before its transaction starts, in a short one of
    their own: created between two chunks, a partition would take an ACCESS EXCLUSIVE lock on the readings table
    while this transaction already holds rows of it — held until the whole file is saved, and a deadlock with
    another import doing the same. Only the times the writer would accept count (a line dated 1900 makes no
    partitions)."""
    now = timezone.now()
    times = [item.time for item in items if not check(item, now=now)]
    if times:
        partitions.ensure(min(times), max(times))


# --- the page's batches ----------------------------------------------------------------------------------------


def batch_create(*, sensor: Sensor, by, file) -> ReadingImport:
    """Read an uploaded file into a batch waiting for confirmation (nothing saved). `ImportFileError` for a file
    that cannot be read: no batch is kept then."""
    require(by, "environment.record", sensor)
    check_size(file.size)
    data = file.read()
    parsed = parse(data, file.name)
    batch = ReadingImport(sensor=sensor, uploaded_by=by, file_name=_clean_name(file.name),
                          preview=parsed.summary() | {"chart": _chart(parsed)})
    batch.file = ContentFile(data, name="readings.dat")
    save_with_file(batch, "file")
    return batch


def _clean_name(name: str) -> str:
    base = PurePath(name or "").name or "文件"
    return "".join(c for c in base if c.isprintable())[:200] or "文件"


def _chart(parsed: ParseResult) -> dict:
    """At most CHART_POINTS readings, evenly spaced, for the preview's chart."""
    readings = parsed.readings
    step = max(1, len(readings) // CHART_POINTS)
    sample = readings[::step]
    return {"times": [timezone.localtime(r.time).strftime("%Y-%m-%d %H:%M") for r in sample],
            "temperature": [r.temperature for r in sample], "rh": [r.rh for r in sample]}


def is_large(batch: ReadingImport) -> bool:
    return batch.preview.get("readings", 0) > SYNC_MAX_READINGS


def batch_confirm(*, batch: ReadingImport, by, mode: str) -> bool:
    """Claim a pending batch for saving in `mode` (once: a second confirmation finds it saving); True if claimed."""
    require(by, "environment.record", batch.sensor)
    if mode not in MODES:
        raise ValidationError({"mode": "请选择保存方式。"})
    bad = batch.preview.get("bad_count", 0)
    if mode == ALL_OR_NOTHING and bad:
        raise ValidationError({"mode": f"文件中有 {bad} 行有误，“全部保存或全部不保存”将不会保存任何读数。"
                                       "请修改文件后重新上传，或选择只保存正确的行。"})
    return bool(ReadingImport.objects.filter(pk=batch.pk, status=ReadingImport.Status.PENDING).update(
        status=ReadingImport.Status.SAVING, mode=mode, started_at=timezone.now(), error=""))


def batch_save(*, batch_id: int, by, progress: Callable[[int], None] | None = None) -> ReadingImport:
    """Save a claimed batch: done with what was saved, or pending again with the reason nothing was."""
    batch = ReadingImport.objects.select_related("sensor__room").get(pk=batch_id)
    if batch.status != ReadingImport.Status.SAVING:
        return batch
    try:
        with closing(batch.file.open("rb")) as stream:
            data = stream.read()
        outcome = import_save(sensor=batch.sensor, by=by, data=data, filename=batch.file_name, mode=batch.mode,
                              progress=progress)
    except (ImportFileError, ValidationError, PermissionDenied, OSError) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else (
            str(exc) if not isinstance(exc, OSError) else "读取已上传的文件失败")
        batch.status, batch.error = ReadingImport.Status.PENDING, f"未保存任何读数：{message or '没有权限'}"[:2000]
        batch.save(update_fields=["status", "error"])
        return batch
    batch.status, batch.finished_at = ReadingImport.Status.DONE, timezone.now()
    batch.summary = outcome.summary()
    batch.save(update_fields=["status", "finished_at", "summary"])
    return batch


def batch_cancel(*, batch: ReadingImport, by) -> None:
    require(by, "environment.record", batch.sensor)
    ReadingImport.objects.filter(pk=batch.pk, status=ReadingImport.Status.PENDING).update(
        status=ReadingImport.Status.CANCELLED, finished_at=timezone.now())


def batch_not_started(*, batch: ReadingImport) -> None:
    """The queue could not be reached: the batch waits again, saying why."""
    ReadingImport.objects.filter(pk=batch.pk).update(status=ReadingImport.Status.PENDING,
                                                      error=f"{QUEUE_DOWN}，未保存任何读数，请稍后重试。")


def give_up_if_stale(*, batch: ReadingImport) -> ReadingImport:
    """A batch saving far longer than any task runs lost its task: it waits again, saying so."""
    if batch.status == ReadingImport.Status.SAVING and batch.started_at and (
            timezone.now() - batch.started_at > TASK_STALE_AFTER):
        ReadingImport.objects.filter(pk=batch.pk, status=batch.status).update(
            status=ReadingImport.Status.PENDING, error="后台任务长时间没有完成，可能已中断，请重试。")
        batch.refresh_from_db()
    return batch


def progress_key_of(batch_id: int) -> str:
    return progress_key("environment-import", batch_id)


@task()
def save_batch_task(batch_id: int, user_id: int) -> str:
    """Save a large confirmed batch (the page enqueues this; a small one is saved in the request)."""
    by = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if by is None:  # the account was deactivated meanwhile: nobody may import for it
        ReadingImport.objects.filter(pk=batch_id, status=ReadingImport.Status.SAVING).update(
            status=ReadingImport.Status.PENDING, error="确认保存的账号已停用，未保存任何读数。")
        return ReadingImport.Status.PENDING
    batch = ReadingImport.objects.get(pk=batch_id)
    key = progress_key_of(batch_id)
    try:
        tick = progress_reporter(key, phase="保存", total=max(batch.preview.get("readings", 0), 1))
        return batch_save(batch_id=batch_id, by=by, progress=tick).status
    finally:
        clear_progress(key)


def span_text(first: str | None, last: str | None) -> str:
    """"2026-03-15 14:00 至 2026-03-20 09:45" from the preview's ISO times."""
    if not first or not last:
        return ""
    a, b = datetime.datetime.fromisoformat(first), datetime.datetime.fromisoformat(last)
    return f"{a:%Y-%m-%d %H:%M} 至 {b:%Y-%m-%d %H:%M}"
