"""Importing a museum's objects from its 藏品账 (collection ledger) export, and the template to fill in.

The header row is found among the first rows (a title row or two may sit above it) by the usual headers of a
藏品账: 总登记号/藏品总登记号, 名称/藏品名称, 年代, 类别, 质地, 级别/文物级别, 尺寸, 数量/件数, 完残程度/保存状态,
档案/是否建档, 保险估值/估值, 是否可借展. Only 总登记号 and 名称 must be there; other columns are read when present.

An import runs in two steps: `import_start` stores the file in an `ObjectImport` and `import_read` (in the request
for a small file, a task for a large one) reads it into a preview — every bad row with its Excel line number and
message — without writing anything; `import_run` re-reads the file and writes it through `objects_import`, all rows
or none, or only the correct rows, as the uploader chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bangfu.core.audit import audit
from bangfu.core.background import QUEUE_DOWN, TASK_STALE_AFTER
from bangfu.core.spreadsheet_uploads import SpreadsheetError, sheets
from bangfu.core.spreadsheets import XLSX_TYPE as XLSX_TYPE  # re-exported for the views
from bangfu.core.spreadsheets import safe_row, saved, write_header
from bangfu.core.text import number_text
from bangfu.core.uploads import save_with_file

from .models import MAX_INSURANCE_YUAN, Category, Condition, ImportStatus, Material, ObjectGrade, ObjectImport
from .services import ImportRow, import_check, objects_import

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
BLANK_RUN_END = 1_000
SYNC_MAX_BYTES = 256 * 1024  # a file this small is read (and imported) in the request; larger ones by a task
PREVIEW_SAMPLE = 20
PREVIEW_ERRORS = 1_000  # bad rows listed in a preview (the count says how many more)
QUOTE_CHARS = 30


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # the first is what the template writes
    required: bool = False
    width: int = 12
    note: str = ""


COLUMNS = (
    Column("registration_number", ("总登记号", "藏品总登记号", "登记号", "总登记号码"), required=True, width=16,
           note="必填，本馆内不能重复"),
    Column("name", ("名称", "藏品名称", "文物名称"), required=True, width=24, note="必填"),
    Column("era", ("年代", "时代"), width=10),
    Column("category", ("类别", "文物类别", "藏品类别"), width=14,
           note="普查的 35 个类别之一，如 铜器、陶器；留空为 其他"),
    Column("material", ("质地", "材质", "文物质地"), width=10, note="如 铜、陶、瓷、石、纸、复合"),
    Column("grade", ("级别", "文物级别", "藏品级别"), width=10, note="一级、二级、三级、一般 或 未定级；留空为未定级"),
    Column("dimensions", ("尺寸", "规格"), width=20),
    Column("quantity", ("数量", "件数", "实际数量", "数量（件）"), width=8, note="正整数；留空为 1"),
    Column("condition", ("完残程度", "保存状态", "完残状况"), width=12,
           note="完整/完好、基本完整/基本完好、残缺/严重残缺 或 修复中"),
    Column("has_record", ("档案", "是否建档", "藏品档案"), width=8, note="是/否（有/无）；留空为否"),
    Column("insurance_value", ("保险估值", "估值", "保险估值（元）"), width=14, note="元，非负数；可留空"),
    Column("offered", ("是否可借展", "可借展", "可供借展"), width=10, note="是/否；留空为否"),
    Column("fragile", ("运输易损", "是否易损"), width=10, note="是/否；留空为否"),
    Column("description", ("说明", "备注"), width=24),
)
LABELS = {c.field: c.headers[0] for c in COLUMNS}
HEADERS = {header: c for c in COLUMNS for header in c.headers}

GRADES = {g.value: g.value for g in ObjectGrade} | {g.label: g.value for g in ObjectGrade} | {
    "1级": ObjectGrade.FIRST, "2级": ObjectGrade.SECOND, "3级": ObjectGrade.THIRD, "一级品": ObjectGrade.FIRST,
    "二级品": ObjectGrade.SECOND, "三级品": ObjectGrade.THIRD, "一般文物": ObjectGrade.GENERAL,
    "未定级文物": ObjectGrade.UNGRADED, "": ObjectGrade.UNGRADED}
CONDITIONS = {"完整": Condition.GOOD, "完好": Condition.GOOD, "基本完整": Condition.FAIR, "基本完好": Condition.FAIR,
              "残缺": Condition.POOR, "严重残缺": Condition.POOR, "较差": Condition.POOR,
              "修复中": Condition.UNDER_TREATMENT,
              **{c.value: c.value for c in Condition}, **{c.label: c.value for c in Condition}}
MATERIALS = {m.value: m.value for m in Material} | {m.label: m.value for m in Material} | {
    "青铜": Material.COPPER, "铜质": Material.COPPER, "玉": Material.JADE, "玉石": Material.JADE,
    "石质": Material.STONE, "陶质": Material.EARTHENWARE, "瓷质": Material.PORCELAIN, "纸质": Material.PAPER,
    "木质": Material.WOOD, "铁质": Material.IRON, "丝织品": Material.SILK, "骨": Material.BONE}
CATEGORIES = {c.value: c.value for c in Category} | {"": Category.OTHER, "玉石器": Category.JADE,
                                                      "石刻": Category.STONE, "书画": Category.CALLIGRAPHY,
                                                      "造像": Category.SCULPTURE, "雕塑": Category.SCULPTURE}
YES = {"是", "有", "已建档", "已建", "y", "yes", "true", "1", "√", "可"}
NO = {"否", "无", "未建档", "未建", "n", "no", "false", "0", "×", "不可", ""}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


# --- reading ---------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _header(value: Any) -> str:
    return "".join(_text(value).split()).replace("(", "（").replace(")", "）").replace("*", "")


def _quoted(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def check_file(*, file_name: str, size: int) -> None:
    extension = PurePath(file_name or "").suffix.lower()
    if extension == ".xls":
        raise ImportFileError("不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。")
    if extension != ".xlsx":
        raise ImportFileError("只能导入 Excel（.xlsx）文件，请从藏品账导出为 .xlsx 后再上传。")
    limit = settings.UPLOAD_MAX_IMPORT_MB
    if size > limit * 1024 * 1024:
        raise ImportFileError(f"文件大小为 {size / 1024 / 1024:.1f} MB，超过了 {limit} MB 的上限，请拆分后分批导入。")
    if size == 0:
        raise ImportFileError("文件是空的。")


def _columns_of(cells: tuple) -> dict[str, int] | None:
    """{field: column index} when this row is a header row (it has 总登记号 and 名称), else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = HEADERS.get(_header(cell))
        if column is None:
            continue
        if column.field in columns:
            raise ImportFileError(f"表头“{column.headers[0]}”（或其别名）出现了不止一次，请删除多余的列后再上传。")
        columns[column.field] = index
    return columns if all(c.field in columns for c in COLUMNS if c.required) else None


def read_rows(*, data: bytes, file_name: str) -> list[ImportRow]:
    """The data rows of an uploaded file, each with its Excel line number, the values read and the cells that
    could not be read. Raises `ImportFileError` for a file that cannot be read at all."""
    check_file(file_name=file_name, size=len(data))
    try:
        for rows in sheets(data, file_name=file_name, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS):
            found = _rows_of_sheet(rows)
            if found is not None:
                return found
    except SpreadsheetError as exc:
        raise ImportFileError(f"{exc}未导入任何数据。") from exc
    raise ImportFileError("没有找到表头：表头行应包含“总登记号”（或“藏品总登记号”）和“名称”（或“藏品名称”），"
                          "可下载模板对照。未导入任何数据。")


def _rows_of_sheet(rows: Iterable[tuple[int, tuple]]) -> list[ImportRow] | None:
    columns = None
    found: list[ImportRow] = []
    blank_run = 0
    for line, cells in rows:
        if columns is None:
            if line > HEADER_SEARCH_ROWS:
                return None
            columns = _columns_of(cells)
            continue
        if all(_text(c) == "" for c in cells):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        found.append(read_row(line, cells, columns))
        if len(found) > MAX_ROWS:
            raise ImportFileError(f"文件的数据超过 {MAX_ROWS} 行的上限，请拆分后分批导入。未导入任何数据。")
    if columns is None:
        return None
    if not found:
        raise ImportFileError("表头下面没有数据行，未导入任何数据。")
    return found


def _choice(text: str, table: dict, label: str, hint: str) -> tuple[Any, str | None]:
    key = "".join(text.split())
    if key in table:
        return table[key], None
    return None, f"无法识别“{_quoted(text)}”，{label}应为{hint}"


def _yes_no(text: str) -> tuple[bool | None, str | None]:
    key = text.lower().replace(" ", "")
    if key in YES:
        return True, None
    if key in NO:
        return False, None
    return None, f"无法识别“{_quoted(text)}”，请填写 是 或 否"


def _quantity(text: str) -> tuple[int | None, str | None]:
    if text == "":
        return 1, None
    plain = number_text(re.sub(r"\s*(件/套|件|套)$", "", text))
    if plain is None or not re.fullmatch(r"[0-9]{1,7}", plain):
        return None, f"“{_quoted(text)}”不是正整数"
    return int(plain), None


def _money(value: Any, text: str) -> tuple[Decimal | None, str | None]:
    if text == "":
        return None, None
    plain = number_text(re.sub(r"\s*元$", "", text).replace(",", "").replace("，", ""))
    if isinstance(value, int | float) and not isinstance(value, bool):
        plain = repr(value) if isinstance(value, float) else str(value)
    try:
        amount = Decimal(plain) if plain is not None and len(plain) <= 30 else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        return None, f"“{_quoted(text)}”不是金额（元）"
    if amount < 0:
        return None, "保险估值不能为负数"
    if amount > MAX_INSURANCE_YUAN:
        return None, "保险估值不能超过 1,000 亿元"  # models.MAX_INSURANCE_YUAN
    return amount.quantize(Decimal("0.01")) if abs(amount) < Decimal("1e15") else amount, None


def read_row(line: int, cells: tuple, columns: dict[str, int]) -> ImportRow:
    """One data row: the values it holds (by field) and the cells that could not be read."""
    values: dict = {}
    errors: dict = {}

    def cell(field: str) -> tuple[Any, str]:
        index = columns.get(field)
        raw = cells[index] if index is not None and index < len(cells) else None
        return raw, _text(raw)

    for field in ("registration_number", "name", "era", "dimensions", "description"):
        if field in columns:
            values[field] = cell(field)[1]
    readers = {
        "grade": lambda raw, text: _choice(text, GRADES, "级别", "一级、二级、三级、一般或未定级"),
        "category": lambda raw, text: _choice(text, CATEGORIES, "类别", "普查的 35 个类别之一（如 铜器、陶器、瓷器）"),
        "material": lambda raw, text: (None, "请填写质地") if text == "" else _choice(
            text, MATERIALS, "质地", "铜、铁、金、银、陶、瓷、石、宝玉石、纸、木、竹、丝等"),
        "condition": lambda raw, text: (None, "请填写完残程度") if text == "" else _choice(
            text, CONDITIONS, "完残程度", "完整、基本完整、残缺、严重残缺或修复中"),
        "quantity": lambda raw, text: _quantity(text),
        "has_record": lambda raw, text: _yes_no(text),
        "offered": lambda raw, text: _yes_no(text),
        "fragile": lambda raw, text: _yes_no(text),
        "insurance_value": _money,
    }
    for field, reader in readers.items():
        if field in columns:
            value, problem = reader(*cell(field))
            if problem:
                errors[field] = problem
            else:
                values[field] = value
    return ImportRow(line=line, values=values, errors=errors)


# --- the batch -------------------------------------------------------------------------------------------------


def import_start(*, museum, by, file) -> ObjectImport:
    """Store an uploaded file as a batch to read (the caller checked the user may import for `museum`)."""
    check_file(file_name=file.name, size=file.size)
    data = file.read()
    batch = ObjectImport(museum=museum, uploaded_by=by, file_name=PurePath(file.name).name[:200],
                         status=ImportStatus.READING, started_at=timezone.now())
    batch.file = ContentFile(data, name="objects.xlsx")
    save_with_file(batch, "file")
    return batch


def is_small(batch: ObjectImport) -> bool:
    return (batch.file.size or 0) <= SYNC_MAX_BYTES


def _data(batch: ObjectImport) -> bytes:
    with closing(batch.file.open("rb")) as stream:
        return stream.read()


def import_read(*, batch_id: int) -> ObjectImport:
    """Read a stored file into its preview (nothing written): pending, or failed with the reason."""
    batch = ObjectImport.objects.select_related("museum").get(pk=batch_id)
    if batch.status != ImportStatus.READING:
        return batch
    try:
        rows = read_rows(data=_data(batch), file_name=batch.file_name)
    except ImportFileError as exc:
        batch.status, batch.error, batch.finished_at = ImportStatus.FAILED, str(exc), timezone.now()
        batch.save(update_fields=["status", "error", "finished_at"])
        return batch
    good, bad = import_check(museum=batch.museum, rows=rows, labels=LABELS)
    batch.preview = {
        "total": len(rows), "valid": len(good), "bad": len(bad), "errors": bad[:PREVIEW_ERRORS],
        "sample": [{"line": row.line, **{k: str(v) for k, v in row.values.items()}}
                   for row in rows if row.line not in {b["line"] for b in bad}][:PREVIEW_SAMPLE],
    }
    batch.status, batch.error = ImportStatus.PENDING, ""
    batch.save(update_fields=["preview", "status", "error"])
    return batch


def import_confirm(*, batch: ObjectImport, by, all_or_nothing: bool) -> bool:
    """Mark a pending batch to be imported (once: a second confirmation finds it importing); True if it was."""
    claimed = ObjectImport.objects.filter(pk=batch.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.IMPORTING, all_or_nothing=all_or_nothing, started_at=timezone.now(), error="")
    return bool(claimed)


def import_run(*, batch_id: int, by, progress=None) -> ObjectImport:
    """Import a confirmed batch against the registry as it is now, through `objects_import`. The batch ends
    imported (with what was written and the bad rows), or pending again with the reason (all-or-nothing and a
    row became bad meanwhile)."""
    batch = ObjectImport.objects.select_related("museum").get(pk=batch_id)
    if batch.status != ImportStatus.IMPORTING:
        return batch
    try:
        rows = read_rows(data=_data(batch), file_name=batch.file_name)
        with transaction.atomic():
            result = objects_import(museum=batch.museum, by=by, rows=rows, all_or_nothing=batch.all_or_nothing,
                                    labels=LABELS, progress=progress)
    except ImportFileError as exc:
        batch.status, batch.error = ImportStatus.FAILED, str(exc)
        batch.save(update_fields=["status", "error"])
        return batch
    except ValidationError as exc:  # e.g. a number registered by someone else at the same moment
        return _back_to_pending(batch, "；".join(exc.messages) or "数据有误")
    except PermissionDenied as exc:  # the importer's role or museum changed meanwhile
        return _back_to_pending(batch, str(exc) or "没有导入本馆藏品的权限")
    if not result.written and result.errors:
        batch.status = ImportStatus.PENDING
        batch.error = f"有 {len(result.errors)} 行有误，按“全部导入或全部不导入”未写入任何数据。"
        batch.preview = {**batch.preview, "bad": len(result.errors), "errors": result.errors[:PREVIEW_ERRORS],
                         "valid": len(rows) - len(result.errors)}
        batch.save(update_fields=["status", "error", "preview"])
        return batch
    batch.status, batch.finished_at = ImportStatus.DONE, timezone.now()
    batch.summary = {"created": result.created, "skipped": len(result.errors),
                     "errors": result.errors[:PREVIEW_ERRORS]}
    batch.save(update_fields=["status", "finished_at", "summary"])
    audit(actor=by, action="导入藏品账", obj=batch.museum,
          changes={"藏品": [None, f"{batch.file_name}：新增 {result.created} 件，跳过有误的 {len(result.errors)} 行"]})
    return batch


def _back_to_pending(batch: ObjectImport, reason: str) -> ObjectImport:
    """Nothing was written (the import's transaction rolled back): the batch waits again, its page saying why."""
    batch.status = ImportStatus.PENDING
    batch.error = f"未能导入，未写入任何数据：{reason}。可以修改后重新上传，或稍后重试。"[:2000]
    batch.save(update_fields=["status", "error"])
    return batch


def import_cancel(*, batch: ObjectImport) -> None:
    ObjectImport.objects.filter(pk=batch.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now())


def import_not_started(*, batch: ObjectImport) -> None:
    """The queue could not be reached: reading fails, an import goes back to pending."""
    back = ImportStatus.FAILED if batch.status == ImportStatus.READING else ImportStatus.PENDING
    ObjectImport.objects.filter(pk=batch.pk).update(status=back, error=f"{QUEUE_DOWN}，请稍后重试。")


def give_up_if_stale(*, batch: ObjectImport) -> ObjectImport:
    """A batch running far longer than any task runs lost its task: it is put back with the reason."""
    if batch.status in (ImportStatus.READING, ImportStatus.IMPORTING) and batch.started_at and (
            timezone.now() - batch.started_at > TASK_STALE_AFTER):
        back = ImportStatus.FAILED if batch.status == ImportStatus.READING else ImportStatus.PENDING
        ObjectImport.objects.filter(pk=batch.pk, status=batch.status).update(
            status=back, error="后台任务长时间没有完成，可能已中断，请重试。")
        batch.refresh_from_db()
    return batch


# --- the template ----------------------------------------------------------------------------------------------


def template_workbook():
    """An empty 藏品账 with the headers this importer reads, an example row and a sheet of notes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "藏品"
    write_header(sheet, [c.headers[0] for c in COLUMNS], [c.width for c in COLUMNS])
    sheet.append(safe_row(sheet, ["2001.0001", "晋侯鸟尊", "西周", "铜器", "铜", "一级", "通高 39 厘米，长 30.5 厘米",
                                  1, "完整", "是", "", "否", "是", "示例行，导入前请删除"]))
    notes = workbook.create_sheet("填写说明")
    write_header(notes, ["列", "其他可用的表头", "说明"], [16, 30, 60])
    for c in COLUMNS:
        notes.append(safe_row(notes, [c.headers[0], "、".join(c.headers[1:]), c.note]))
    notes.append(safe_row(notes, ["", "", f"表头可以在前 {HEADER_SEARCH_ROWS} 行内；每次最多 {MAX_ROWS} 行，"
                                          f"文件不超过 {settings.UPLOAD_MAX_IMPORT_MB} MB。"]))
    return saved(workbook)
