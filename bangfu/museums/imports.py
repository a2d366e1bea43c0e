"""Importing museums from a spreadsheet and exporting the directory to one.

Two formats are understood, told apart by their header row:

- the national museum directory (国家文物局 全国博物馆名录), headers exactly `DIRECTORY_HEADERS`;
- the platform's own format (`PLATFORM_COLUMNS`), which the Excel export writes, with the museum's id in 编号
  so that an exported, edited and re-imported file updates the same museums.

An import runs in two steps: `import_upload` reads the file and stores an `ImportBatch` with a preview (what would
be created, updated, left unchanged or skipped, every bad row with its line number, and the same-name rows that
need a person's confirmation); `import_commit` re-reads the stored file, plans again against the database as it is
now and writes everything in one transaction through `museum_create` / `museum_update`, or nothing at all.
The rules (blank cells, matching, same-name rows…) are listed in the README's Decisions.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from tempfile import SpooledTemporaryFile
from typing import Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bangfu.core.audit import audit
from bangfu.core.background import QUEUE_DOWN, TASK_STALE_AFTER
from bangfu.core.forms import model_messages
from bangfu.core.numbers import plain_number
from bangfu.core.phones import normalise_phone
from bangfu.core.spreadsheet_uploads import SpreadsheetError, sheets
from bangfu.core.spreadsheets import XLSX_TYPE as XLSX_TYPE  # re-exported for the views
from bangfu.core.spreadsheets import safe_row, saved, write_header
from bangfu.core.text import has_control_characters, number_text, strip_control_characters
from bangfu.core.uploads import save_with_file
from bangfu.core.validation import join_messages
from bangfu.permissions import require
from bangfu.places.geo import CHINA_LATITUDE, CHINA_LONGITUDE, PlaceIndex, default_position, place_problem
from bangfu.places.models import Division

from .models import Grade, ImportBatch, ImportFormat, ImportStatus, Museum, Ownership, ProgrammeRole, Tier
from .services import derive_programme_role, derive_tier, museum_create, museum_update

Progress = Callable[[int], None]  # called with the rows done so far (bangfu.core.background.progress_reporter)

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or two
BLANK_RUN_END = 1_000  # this many blank rows in a row end the table (Excel files often carry formatted blanks)
PREVIEW_SAMPLE = 50
MAX_INT = 2_147_483_647
MAX_VISITORS = Decimal("999999.9999")
FALLBACK_PROVINCE = "山西省"

DIRECTORY_HEADERS = [
    "序号", "省份", "博物馆名称", "性质", "质量等级", "是否免费开放", "藏品数（件/套）", "珍贵文物（件/套）",
    "展览（个）", "教育活动（次）", "参观人数（万人次）",
]


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    contact: bool = False
    width: int = 12
    note: str = ""


# The platform's own format: what the export writes and the importer reads back. Only the required columns must
# be present; a column left out of the file leaves that field of existing museums unchanged.
PLATFORM_COLUMNS = [
    Column("编号", "id", required=True, width=8, note="平台内的编号；新增博物馆请留空，修改已有博物馆请保留"),
    Column("博物馆名称", "name", required=True, width=36, note="必填"),
    Column("简称", "short_name", width=16),
    Column("省份", "province", required=True, width=10, note="必填，如 山西省"),
    Column("所在市", "city", required=True, width=10, note="本省的地级市，如 太原市；不详可留空"),
    Column("所在县（区、市）", "county", required=True, width=14, note="如 小店区；不详可留空"),
    Column("地址", "address", width=30),
    Column("纬度", "lat", width=11, note="精确位置；留空则使用所在县（市）的中心点"),
    Column("经度", "lng", width=11, note="精确位置；留空则使用所在县（市）的中心点"),
    Column("质量等级", "grade", required=True, width=9, note="一级、二级、三级或未定级；留空视为未定级"),
    Column("所有制", "ownership", width=8, note="国有或非国有；留空按“性质”判断"),
    Column("性质", "sector", width=24, note="名录中的性质，如 文化文物系统国有博物馆"),
    Column("行政层级", "tier", width=9, note="省级、市级或县级；留空由平台自动判断"),
    Column("帮扶角色", "programme_role", width=14, note="帮扶方、受援方、帮扶方兼受援方或未参与；留空由平台自动判断"),
    Column("是否免费开放", "free_admission", width=8, note="是或否；留空视为是"),
    Column("藏品数（件/套）", "collections", note="非负整数；留空视为 0"),
    Column("珍贵文物（件/套）", "precious_relics", note="非负整数；留空视为 0"),
    Column("展览（个）", "exhibitions", note="非负整数；留空视为 0"),
    Column("教育活动（次）", "education_activities", note="非负整数；留空视为 0"),
    Column("参观人数（万人次）", "visitors_10k", note="非负数，最多 4 位小数；留空或 0 表示未知（未填报）"),
    Column("员工人数", "staff_count", note="非负整数，可留空"),
    Column("名录序号", "directory_row", note="全国博物馆名录中的序号，可留空"),
    Column("联系人", "contact_person", contact=True, width=10),
    Column("联系电话", "phone", contact=True, width=16),
    Column("电子邮箱", "email", contact=True, width=22),
    Column("网站", "website", width=26),
]
PLATFORM_HEADERS = [c.header for c in PLATFORM_COLUMNS]
PLATFORM_REQUIRED = [c.header for c in PLATFORM_COLUMNS if c.required]
FIELD_LABELS = {c.field: c.header for c in PLATFORM_COLUMNS} | {"location_basis": "所在地依据"}

PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区", "新疆生产建设兵团",
)
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def _province_short(name: str) -> str:
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


PROVINCE_NAMES = {p: p for p in PROVINCES} | {_province_short(p): p for p in PROVINCES}
ROLE_VALUES = {r.label: r.value for r in ProgrammeRole} | {r.value: r.value for r in ProgrammeRole}
YES = {"是", "免费", "y", "yes", "true", "1"}
NO = {"否", "收费", "不免费", "n", "no", "false", "0"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, size, encoding, headers…); the message is for the user."""


class PreviewOutdated(ValidationError):
    """The registry changed between preview and confirmation: the preview was renewed and must be checked again."""


# --- reading the file ------------------------------------------------------------------------------------------


def _norm_header(value: Any) -> str:
    """Headers are compared without spaces and with full-width brackets: 藏品数(件/套) = 藏品数（件/套）."""
    text = "" if value is None else strip_control_characters(str(value))
    return "".join(text.split()).replace("(", "（").replace(")", "）")


NORMALISED = {_norm_header(h): h for h in DIRECTORY_HEADERS + PLATFORM_HEADERS}


@dataclass
class Table:
    """The recognised header and the data rows of an uploaded file, before any interpretation."""

    format: str
    columns: dict[str, int]  # known header -> column index
    rows: list[tuple[int, tuple]]  # (line number in the spreadsheet, cell values)
    ignored_headers: list[str] = field(default_factory=list)

    def has(self, header: str) -> bool:
        return header in self.columns

    def value(self, cells: tuple, header: str) -> Any:
        index = self.columns.get(header)
        return cells[index] if index is not None and index < len(cells) else None


def check_file(*, file_name: str, size: int) -> str:
    """Refuse by name and size before reading anything; returns the extension."""
    extension = PurePath(file_name or "").suffix.lower()
    if extension == ".xls":
        raise ImportFileError("不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传。")
    if extension not in (".xlsx", ".csv"):
        raise ImportFileError("只能导入 Excel（.xlsx）或 CSV（.csv）文件。")
    limit = settings.UPLOAD_MAX_IMPORT_MB
    if size > limit * 1024 * 1024:
        raise ImportFileError(f"文件大小为 {size / 1024 / 1024:.1f} MB，超过了 {limit} MB 的上限，请拆分后分批导入。")
    if size == 0:
        raise ImportFileError("文件是空的。")
    return extension


def read_table(*, data: bytes, file_name: str, header_only: bool = False) -> Table:
    """Read an uploaded file into a `Table`, or raise `ImportFileError` with a message for the user. The file is
    checked and streamed by `bangfu.core.spreadsheet_uploads` (no zip bombs, bounded memory). `header_only`: stop
    at the header (the quick check the upload page makes before the file is read in the background)."""
    check_file(file_name=file_name, size=len(data))
    try:
        best_missing: list[str] | None = None
        for rows in sheets(data, file_name=file_name, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS):
            table, missing = _table_from_rows(rows, header_only=header_only)
            if table is not None:
                return table
            best_missing = _closer(missing, best_missing)
    except SpreadsheetError as exc:
        raise ImportFileError(f"{exc}未导入任何数据。") from exc
    formats = (f"可导入两种格式：① 全国博物馆名录格式，表头为 {'、'.join(DIRECTORY_HEADERS)}；"
               f"② 本平台导出的格式（可在导入页面下载模板）。未导入任何数据。")
    if best_missing is None:
        raise ImportFileError("文件中没有找到表头和数据。")
    if not best_missing:
        raise ImportFileError(f"没有识别出表头（表头应在第一行）。{formats}")
    raise ImportFileError(f"表头不符合要求，缺少：{'、'.join(best_missing)}。{formats}")


def _is_blank(cells: tuple) -> bool:
    return all(_text(c) == "" for c in cells)


def _table_from_rows(rows: Iterable[tuple[int, tuple]], *, header_only: bool = False,
                     ) -> tuple[Table | None, list[str] | None]:
    """Find the header row among the first rows, then collect the data rows below it."""
    table: Table | None = None
    best_missing: list[str] | None = None
    blank_run = 0
    for line, cells in rows:
        if table is None:
            if line > HEADER_SEARCH_ROWS:
                break
            headers = [_norm_header(c) for c in cells]
            if not any(headers):
                continue
            table, missing = _detect(headers)
            if table is None:
                best_missing = _closer(missing, best_missing)
            elif header_only:
                return table, None
            continue
        if _is_blank(cells):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        table.rows.append((line, cells))
        if len(table.rows) > MAX_ROWS:
            raise ImportFileError(f"文件的数据超过 {MAX_ROWS} 行的上限，请拆分后分批导入。未导入任何数据。")
    if table is not None and not table.rows:
        raise ImportFileError("表头下面没有数据行，未导入任何数据。")
    return table, best_missing


def _closer(missing: list[str] | None, best: list[str] | None) -> list[str] | None:
    """Of two header rows that failed, the one to report: the one missing fewest columns of a format
    ([] = a row with no known header at all, None = no row)."""
    if best is None or (missing and (not best or len(missing) < len(best))):
        return missing
    return best


def _detect(headers: list[str]) -> tuple[Table | None, list[str]]:
    """Which format a header row is: the platform's (it has 编号) or the directory's; else what is missing."""
    columns: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        known = NORMALISED.get(header)
        if known is None:
            if header:
                ignored.append(header)
            continue
        if known in columns:
            raise ImportFileError(f"表头“{known}”出现了不止一次，请删除多余的列后再上传。")
        columns[known] = index
    platform_missing = [h for h in PLATFORM_REQUIRED if h not in columns]
    directory_missing = [h for h in DIRECTORY_HEADERS if h not in columns]
    if not platform_missing:
        return Table(ImportFormat.PLATFORM, columns, [], ignored), []
    if not directory_missing:
        extra = [h for h in columns if h not in DIRECTORY_HEADERS]
        return Table(ImportFormat.DIRECTORY, columns, [], ignored + extra), []
    if not columns:
        return None, []  # not a header row of either format
    # Report against the format the header resembles more.
    if "编号" in columns or len(platform_missing) < len(directory_missing):
        return None, platform_missing
    return None, directory_missing


# --- reading one row -------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers and codes typed into Excel come back as floats
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


QUOTE_CHARS = 40  # a cell quoted in a message is cut to this many characters: a 600-character name is not repeated


def _shown(value: Any) -> str:
    """A cell as a message quotes it: its text, cut to QUOTE_CHARS characters with "…"."""
    text = _text(value)
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def name_key(name: str) -> str:
    """What two museum names must share to be "the same name": spaces and bracket widths do not count."""
    return "".join(name.split()).replace("(", "（").replace(")", "）")


class _Places:
    """The province's divisions looked up by the names people write in a spreadsheet."""

    def __init__(self, index: PlaceIndex):
        self.index = index
        self.home = index.province.name if index.province else FALLBACK_PROVINCE
        self.cities: dict[str, Division] = {}
        self.counties: dict[str, list[Division]] = defaultdict(list)
        for city in index.cities:
            self.cities[city.name] = self.cities[city.short_name] = city
        for county in index.counties:
            for key in {county.name, county.short_name}:
                self.counties[key].append(county)


class _Row:
    """Reads the cells of one row, collecting every problem as a Chinese message."""

    def __init__(self, table: Table, cells: tuple):
        self.table, self.cells, self.errors = table, cells, []

    def has(self, header: str) -> bool:
        return self.table.has(header)

    def raw(self, header: str) -> Any:
        return self.table.value(self.cells, header)

    def text(self, header: str) -> str:
        value = _text(self.raw(header))
        if has_control_characters(value):
            self.error(f"{header}含有控制字符（从其他软件复制来的不可见字符），请删除后重新导入")
            return strip_control_characters(value)
        return value

    def error(self, message: str) -> None:
        """Record a problem. Messages quote cells: control characters are stripped from them (they are reported
        on their own, and the stored preview cannot hold a NUL)."""
        message = strip_control_characters(message)
        if message not in self.errors:
            self.errors.append(message)

    def _number(self, header: str) -> Decimal | None:
        value = self.raw(header)
        if isinstance(value, bool):
            self.error(f"{header}应为数字，实际为“{_shown(value)}”")
            return None
        # The forms' rule (core.text.number_text): ASCII or full-width digits (１２，３４５．５ as 12345.5), never
        # "²" or another script's digits; thousands separators allowed, as spreadsheets show numbers.
        text = number_text(_text(value))
        if text == "":
            return None
        try:
            if isinstance(value, int | float | Decimal):
                number = Decimal(str(value))
            else:
                number = Decimal(text.replace(",", "")) if text is not None else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(f"{header}应为数字，实际为“{_shown(value)}”")
            return None
        return number

    def count(self, header: str, *, blank: int | None = 0) -> int | None:
        number = self._number(header)
        if number is None:
            return blank
        if number < 0:
            self.error(f"{header}不能为负数（{_shown(self.raw(header))}）")
        elif number != number.to_integral_value():
            self.error(f"{header}应为整数，实际为“{_shown(self.raw(header))}”")
        elif number > MAX_INT:
            self.error(f"{header}数值过大（{_shown(self.raw(header))}）")
        else:
            return int(number)
        return blank

    def visitors(self, header: str) -> Decimal:
        number = self._number(header)
        if number is None:
            return Decimal("0.0000")
        if number < 0:
            self.error(f"{header}不能为负数（{_shown(self.raw(header))}）")
        elif number > MAX_VISITORS:
            self.error(f"{header}数值过大（{_shown(self.raw(header))}）")
        else:
            return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        return Decimal("0.0000")

    def coordinate(self, header: str, extent: tuple[float, float]) -> float | None:
        number = self._number(header)
        if number is None:
            return None
        low, high = extent
        if not low <= number <= high:
            self.error(f"{header}应在 {low} 到 {high} 之间（中国境内），实际为“{_shown(self.raw(header))}”")
            return None
        return round(float(number), 6)

    def grade(self, header: str) -> str:
        text = self.text(header).replace(" ", "")
        text = text.removeprefix("国家").removesuffix("博物馆")
        if text == "":
            return Grade.NONE
        if text in Grade.values:
            return text
        self.error(f"{header}“{_shown(self.text(header))}”无效，应为一级、二级、三级或未定级")
        return Grade.NONE

    def yes_no(self, header: str) -> bool:
        text = self.text(header).lower()
        if text == "" or text in YES:
            return True
        if text in NO:
            return False
        self.error(f"{header}应为“是”或“否”，实际为“{_shown(self.text(header))}”")
        return True

    def province(self, header: str) -> str:
        text = self.text(header).replace(" ", "")
        if not text:
            self.error(f"{header}为空")
            return ""
        return PROVINCE_NAMES.get(text, text)


@dataclass
class RowData:
    """One valid row, interpreted: the museum fields it states and where it is."""

    line: int
    name: str
    province: str
    fields: dict[str, Any]
    city: Division | None = None
    county: Division | None = None
    basis: str = ""
    museum_id: int | None = None
    directory_row: int | None = None
    position: tuple[float, float] | None = None
    states_place: bool = False  # the platform format says where the museum is (blank = unknown)
    states_position: bool = False


def _parse_directory(row: _Row, line: int, places: _Places) -> RowData:
    name = row.text("博物馆名称")
    sector = row.text("性质")
    data = RowData(line=line, name=name, province=row.province("省份"), fields={})
    data.directory_row = row.count("序号", blank=None)
    data.fields = {
        "name": name, "province": data.province, "sector": sector,
        "ownership": Ownership.PRIVATE if "非国有" in sector else Ownership.STATE,
        "grade": row.grade("质量等级"), "free_admission": row.yes_no("是否免费开放"),
        "collections": row.count("藏品数（件/套）"), "precious_relics": row.count("珍贵文物（件/套）"),
        "exhibitions": row.count("展览（个）"), "education_activities": row.count("教育活动（次）"),
        "visitors_10k": row.visitors("参观人数（万人次）"), "directory_row": data.directory_row,
    }
    if data.province == places.home and name:
        guess = places.index.infer(name)
        data.city, data.county, data.basis = guess.city, guess.county, guess.basis
    return data


PLATFORM_TEXT_FIELDS = ("short_name", "address", "sector", "contact_person", "phone", "email", "website")
PLATFORM_COUNT_FIELDS = ("collections", "precious_relics", "exhibitions", "education_activities")


def _parse_platform(row: _Row, line: int, places: _Places) -> RowData:
    name = row.text("博物馆名称")
    data = RowData(line=line, name=name, province=row.province("省份"), fields={"name": name}, states_place=True)
    data.fields["province"] = data.province
    data.museum_id = row.count("编号", blank=None)
    if data.museum_id == 0:
        row.error("编号应为正整数")
    fields = data.fields
    for column in PLATFORM_COLUMNS:
        if not row.has(column.header):
            continue
        if column.field == "phone":
            fields["phone"] = normalise_phone(row.text(column.header))  # checked with the model's fields
        elif column.field in PLATFORM_TEXT_FIELDS:
            fields[column.field] = row.text(column.header)
        elif column.field in PLATFORM_COUNT_FIELDS:
            fields[column.field] = row.count(column.header)
        elif column.field in ("staff_count", "directory_row"):
            fields[column.field] = row.count(column.header, blank=None)
    if row.has("名录序号"):
        data.directory_row = fields["directory_row"]
    website = fields.get("website", "")
    if website and "://" not in website:
        fields["website"] = f"http://{website}"  # people write www.example.org; the model wants a full address
    fields["grade"] = row.grade("质量等级")
    if row.has("是否免费开放"):
        fields["free_admission"] = row.yes_no("是否免费开放")
    if row.has("参观人数（万人次）"):
        fields["visitors_10k"] = row.visitors("参观人数（万人次）")
    if row.has("所有制") or row.has("性质"):
        fields["ownership"] = _ownership(row, fields.get("sector", ""))
    if row.has("行政层级"):
        fields["tier"] = _choice(row, "行政层级", {t.value: t.value for t in Tier if t.value}, "省级、市级或县级")
    if row.has("帮扶角色"):
        fields["programme_role"] = _choice(row, "帮扶角色", ROLE_VALUES, "帮扶方、受援方、帮扶方兼受援方或未参与")
    _parse_place(row, data, places)
    _parse_position(row, data)
    if data.position and not row.errors:  # the place's boundary, as the services check it (places.geo)
        problem = place_problem(*data.position, city=data.city, province=data.province)
        if problem:
            row.error(f"纬度、经度：{problem.removesuffix('。')}")
    return data


def _ownership(row: _Row, sector: str) -> str:
    text = row.text("所有制") if row.has("所有制") else ""
    if text == "":
        return Ownership.PRIVATE if "非国有" in sector else Ownership.STATE
    if text in Ownership.values:
        return text
    row.error(f"所有制“{_shown(text)}”无效，应为国有或非国有")
    return Ownership.STATE


def _choice(row: _Row, header: str, values: dict[str, str], allowed: str) -> str:
    text = row.text(header)
    if text == "":
        return ""
    if text in values:
        return values[text]
    row.error(f"{header}“{_shown(text)}”无效，应为{allowed}，或留空由平台自动判断")
    return ""


def _parse_place(row: _Row, data: RowData, places: _Places) -> None:
    city_name, county_name = row.text("所在市"), row.text("所在县（区、市）")
    if not city_name and not county_name:
        return
    if data.province and data.province != places.home:
        row.error(f"所在市、县只适用于{places.home}的博物馆，其他省份的博物馆请留空")
        return
    city = places.cities.get(city_name) if city_name else None
    if city_name and city is None:
        row.error(f"所在市“{_shown(city_name)}”不是{places.home}的地级市")
        return
    county = None
    if county_name:
        candidates = [c for c in places.counties.get(county_name, []) if city is None or c.parent_id == city.id]
        if not candidates:
            where = city.name if city else places.home
            row.error(f"所在县（区、市）“{_shown(county_name)}”不在{where}的行政区划中")
            return
        if len(candidates) > 1:
            row.error(f"{places.home}有不止一个“{_shown(county_name)}”，请同时填写所在市")
            return
        county = candidates[0]
        city = city or places.index.city_of(county)
    data.city, data.county, data.basis = city, county, "import"


def _parse_position(row: _Row, data: RowData) -> None:
    if not (row.has("纬度") or row.has("经度")):
        return
    data.states_position = True
    lat, lng = row.coordinate("纬度", CHINA_LATITUDE), row.coordinate("经度", CHINA_LONGITUDE)
    if (lat is None) != (lng is None) and not row.errors:
        row.error("纬度和经度需同时填写或同时留空")
    elif lat is not None and lng is not None:
        data.position = (lat, lng)


# Field-level rules of the model (lengths, e-mail and web addresses), checked on every row before planning.
_MODEL_CHECK_EXCLUDE = ["city", "county", "head", "logo", "pinyin", "pinyin_initials", "grade_rank"]


def _model_errors(data: RowData) -> list[str]:
    values = {k: v for k, v in data.fields.items() if k not in ("city", "county") and v is not None}
    values.setdefault("tier", "")
    values.setdefault("programme_role", ProgrammeRole.NONE)
    values["tier"] = values["tier"] or ""
    values["programme_role"] = values["programme_role"] or ProgrammeRole.NONE
    try:
        Museum(**values).clean_fields(exclude=_MODEL_CHECK_EXCLUDE)
    except ValidationError as exc:  # worded as the forms word them, each message a clause of the row's reason
        return [f"{FIELD_LABELS.get(f, f)}：{join_messages(messages).rstrip('。')}"
                for f, messages in model_messages(Museum, exc).items()]
    return []


def parse_row(table: Table, line: int, cells: tuple, places: _Places) -> tuple[RowData | None, str, list[str]]:
    """(the row, the museum name, its problems); the row is None when there are problems."""
    row = _Row(table, cells)
    parse = _parse_platform if table.format == ImportFormat.PLATFORM else _parse_directory
    data = parse(row, line, places)
    if not data.name:
        row.error("博物馆名称为空")
    if not row.errors:
        row.errors.extend(_model_errors(data))
    return (None if row.errors else data), data.name, row.errors


# --- planning --------------------------------------------------------------------------------------------------


@dataclass
class Problem:
    line: int
    name: str  # cut as messages quote cells (a bad row's name may be 600 characters long)
    reason: str

    def __post_init__(self):
        self.name = _shown(self.name)


@dataclass
class PlanRow:
    """What will happen to one row: create, update, unchanged, or flagged (a create that needs confirming)."""

    line: int
    name: str
    action: str
    place: str
    fields: dict[str, Any]
    museum: Museum | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)
    reason: str = ""


@dataclass
class Preview:
    format: str
    total: int
    creates: list[PlanRow] = field(default_factory=list)
    updates: list[PlanRow] = field(default_factory=list)
    unchanged: list[PlanRow] = field(default_factory=list)
    flagged: list[PlanRow] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    bad: list[Problem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    table: Table | None = field(default=None, repr=False)

    @property
    def fingerprint(self) -> str:
        """Changes whenever what a confirmation would write changes."""
        plan = [
            (r.line, r.action, r.museum.pk if r.museum else None, sorted((k, _display(v)) for k, v in r.fields.items()))
            for r in self.creates + self.updates + self.flagged
        ]
        plan.append([p.line for p in self.bad])
        return hashlib.sha256(json.dumps(plan, ensure_ascii=False, default=str).encode()).hexdigest()[:32]

    def as_json(self) -> dict[str, Any]:
        """What the preview page shows, stored on the batch (bad and flagged rows in full, the rest sampled)."""
        skipped_reasons = Counter(p.reason for p in self.skipped)
        return {
            "format": self.format,
            "format_label": ImportFormat(self.format).label,
            "total": self.total,
            "counts": {
                "create": len(self.creates), "update": len(self.updates), "unchanged": len(self.unchanged),
                "flagged": len(self.flagged), "skipped": len(self.skipped), "bad": len(self.bad),
            },
            "bad": [vars(p) for p in self.bad],
            "flagged": [{"line": r.line, "name": r.name, "place": r.place, "reason": r.reason} for r in self.flagged],
            "skipped": [vars(p) for p in self.skipped[:PREVIEW_SAMPLE]],
            "skipped_reasons": skipped_reasons.most_common(),
            "creates": [
                {"line": r.line, "name": r.name, "place": r.place, "grade": r.fields.get("grade", ""),
                 "needs_review": bool(r.fields.get("needs_review"))}
                for r in self.creates[:PREVIEW_SAMPLE]
            ],
            "updates": [{"line": r.line, "name": r.name, "changes": r.changes} for r in self.updates[:PREVIEW_SAMPLE]],
            "ignored_headers": self.ignored_headers,
            "fingerprint": self.fingerprint,
        }


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Division):
        return value.name
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _place_label(city: Division | None, county: Division | None, province: str, home: str) -> str:
    names = [d.name for d in (city, county) if d]
    if names:
        return " · ".join(names)
    return "所在地待核实" if province == home else province


def _compatible(row: RowData, museum: Museum) -> bool:
    """No contradiction between the row's place and the museum's, comparing only what both sides know."""
    if row.county and museum.county_id and row.county.id != museum.county_id:
        return False
    return not (row.city and museum.city_id and row.city.id != museum.city_id)


def _same_place(row: RowData, museum: Museum) -> bool:
    return (row.city.id if row.city else None) == museum.city_id and (
        row.county.id if row.county else None) == museum.county_id


def _describe(museum: Museum, home: str) -> str:
    place = _place_label(museum.city, museum.county, museum.province, home)
    if museum.province != home and museum.province not in place:
        place = f"{museum.province} · {place}"
    number = f"，名录序号 {museum.directory_row}" if museum.directory_row else ""
    return f"“{museum.name}”（{place}，编号 {museum.pk}{number}）"


class _Matcher:
    """Finds the existing museum each row stands for, never merging two museums that merely share a name."""

    def __init__(self, museums: list[Museum], home: str):
        self.home = home
        self.by_id = {m.pk: m for m in museums}
        self.by_name: dict[str, list[Museum]] = defaultdict(list)
        for museum in museums:
            self.by_name[name_key(museum.name)].append(museum)

    def match(self, rows: list[RowData]) -> tuple[dict[int, Museum], dict[int, str], list[Problem]]:
        """({line: museum} for matched rows, {line: reason} for flagged rows, bad rows); the rest are new."""
        matched: dict[int, Museum] = {}
        flagged: dict[int, str] = {}
        bad: list[Problem] = []
        claimed: dict[int, int] = {}  # museum id -> line
        # 1. The platform's id decides.
        for row in rows:
            if row.museum_id is None:
                continue
            museum = self.by_id.get(row.museum_id)
            if museum is None:
                bad.append(Problem(row.line, row.name, f"编号 {row.museum_id} 在平台中不存在；新增博物馆请将编号留空"))
            elif museum.pk in claimed:
                bad.append(Problem(row.line, row.name, f"编号 {museum.pk} 与第 {claimed[museum.pk]} 行重复"))
            else:
                matched[row.line] = museum
                claimed[museum.pk] = row.line
        rest = [r for r in rows if r.museum_id is None]
        # 2. Same name, province and directory row number: the same directory entry.
        for row in rest:
            if row.directory_row is None:
                continue
            hits = [m for m in self._same_name(row) if m.directory_row == row.directory_row and m.pk not in claimed]
            if len(hits) == 1:
                matched[row.line] = hits[0]
                claimed[hits[0].pk] = row.line
        rest = [r for r in rest if r.line not in matched]
        # 3. Same name and province, and a place that does not contradict: only when nobody else claims it.
        candidates = {r.line: [m for m in self._same_name(r) if m.pk not in claimed and _compatible(r, m)]
                      for r in rest}
        demand = Counter(m.pk for found in candidates.values() for m in found)
        newcomers = []
        for row in rest:
            found = candidates[row.line]
            exact = [m for m in found if _same_place(row, m)]
            if len(found) > 1 and len(exact) == 1:
                found = exact
            if len(found) == 1 and demand[found[0].pk] == 1:
                matched[row.line] = found[0]
            elif len(found) > 1:
                flagged[row.line] = "同名博物馆，需确认：有多家同名博物馆与此行相符，无法确定是哪一家——" + "、".join(
                    _describe(m, self.home) for m in found[:5])
            elif found:
                others = [r.line for r in rest if r.line != row.line and found[0] in candidates[r.line]]
                flagged[row.line] = (f"同名博物馆，需确认：文件第 {'、'.join(map(str, others))} 行也与已有的"
                                     f"{_describe(found[0], self.home)}相符，无法确定是哪一行")
            else:
                newcomers.append(row)
        # 4. New museums whose name is taken (in the registry or by another row of the file) need confirming.
        in_file = defaultdict(list)
        for row in rows:
            in_file[name_key(row.name)].append(row.line)
        for row in newcomers:
            namesakes = self.by_name.get(name_key(row.name), [])
            lines = [n for n in in_file[name_key(row.name)] if n != row.line]
            if not namesakes and not lines:
                continue
            parts = []
            if namesakes:
                parts.append("平台中已有" + "、".join(_describe(m, self.home) for m in namesakes[:5]))
            if lines:
                more = f"等 {len(lines)} 行" if len(lines) > 10 else "行"
                parts.append(f"文件第 {'、'.join(map(str, lines[:10]))} {more}与此行同名")
            flagged[row.line] = "同名博物馆，需确认：" + "；".join(parts) + "。确认后将作为另一家博物馆新增"
        return matched, flagged, bad

    def _same_name(self, row: RowData) -> list[Museum]:
        return [m for m in self.by_name.get(name_key(row.name), []) if m.province == row.province]


def build_preview(*, table: Table, all_provinces: bool = False, progress: Progress | None = None) -> Preview:
    """Interpret every row and plan it against the registry as it is now (reads only). `progress(rows done)` is
    called as the rows are read."""
    places = _Places(PlaceIndex())
    preview = Preview(format=table.format, total=len(table.rows), ignored_headers=table.ignored_headers,
                      table=table)
    rows: list[RowData] = []
    for done, (line, cells) in enumerate(table.rows, start=1):
        if progress is not None:
            progress(done)
        province = _Row(table, cells).province("省份")
        if province and province != places.home and not all_provinces:
            name = strip_control_characters(_text(table.value(cells, "博物馆名称")))
            preview.skipped.append(Problem(line, name, f"其他省份（{province}），未选择导入其他省份的博物馆"))
            continue
        data, name, errors = parse_row(table, line, cells, places)
        if data is None:
            preview.bad.append(Problem(line, name, "；".join(errors)))
        else:
            rows.append(data)
    museums = list(Museum.objects.select_related("city", "county").order_by("pk"))
    matched, flagged, bad = _Matcher(museums, places.home).match(rows)
    preview.bad = sorted(preview.bad + bad, key=lambda p: p.line)
    bad_lines = {p.line for p in bad}
    for row in rows:
        if row.line in bad_lines:
            continue
        museum = matched.get(row.line)
        if museum is None:
            plan = _plan_create(row, places)
            if row.line in flagged:
                plan.action, plan.reason = "flagged", flagged[row.line]
                preview.flagged.append(plan)
            else:
                preview.creates.append(plan)
            continue
        plan = _plan_update(row, museum, places)
        (preview.updates if plan.fields else preview.unchanged).append(plan)
    return preview


def _plan_create(row: RowData, places: _Places) -> PlanRow:
    fields = {k: v for k, v in row.fields.items() if v is not None}
    city, county, basis = row.city, row.county, row.basis
    if row.province == places.home and city is None and row.states_place:
        guess = places.index.infer(row.name, fields.get("address", ""))
        # A place guessed from the name yields to the position the row states: the guess may be wrong.
        if not (row.position and guess.city and place_problem(*row.position, city=guess.city)):
            city, county, basis = guess.city, guess.county, guess.basis
    if row.province != places.home:
        city = county = None
        basis = ""
    fields.update(city=city, county=county, location_basis=basis,
                  needs_review=row.province == places.home and basis not in ("name", "import"))
    if fields.get("tier") == "":
        fields.pop("tier")
    role = fields.pop("programme_role", "")
    if role:
        tier = fields.get("tier") or derive_tier(name=row.name, ownership=fields.get("ownership", Ownership.STATE),
                                                 city=city, county=county)
        if role != derive_programme_role(tier=tier, grade=fields.get("grade", Grade.NONE)):
            fields.update(programme_role=role, programme_role_manual=True)
    if row.position and not _near(row.position, default_position(city, county)):
        fields.update(lat=row.position[0], lng=row.position[1], position_precise=True)
    place = _place_label(city, county, row.province, places.home)
    return PlanRow(line=row.line, name=row.name, action="create", place=place, fields=fields)


def _near(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    return a is not None and b is not None and abs(a[0] - b[0]) < 1e-6 and abs(a[1] - b[1]) < 1e-6


# What each format may change on an existing museum. The directory has no place: an existing museum's place (which
# an administrator may have corrected) is never replaced by one guessed from its name.
DIRECTORY_UPDATE_FIELDS = (
    "grade", "ownership", "sector", "free_admission", "collections", "precious_relics", "exhibitions",
    "education_activities", "visitors_10k", "directory_row",
)


def _plan_update(row: RowData, museum: Museum, places: _Places) -> PlanRow:
    data: dict[str, Any] = {}
    if row.states_place:
        keys = [k for k in row.fields if k not in ("id", "tier", "programme_role")]
    else:
        keys = list(DIRECTORY_UPDATE_FIELDS)
    for key in keys:
        value = row.fields.get(key)
        if getattr(museum, key) != value:
            data[key] = value
    for key in ("tier", "programme_role"):  # blank: leave it to the platform
        value = row.fields.get(key)
        if value and value != getattr(museum, key):
            data[key] = value
    if row.states_place:
        if (row.city.id if row.city else None) != museum.city_id:
            data["city"] = row.city
        if (row.county.id if row.county else None) != museum.county_id:
            data["county"] = row.county
    if row.states_position:
        data.update(_position_change(row, museum))
    changes = {FIELD_LABELS.get(k, k): [_display(getattr(museum, k)), _display(v)] for k, v in data.items()
               if k != "position_precise"}
    place = _place_label(data.get("city", museum.city), data.get("county", museum.county), museum.province,
                         places.home)
    return PlanRow(line=row.line, name=row.name, action="update" if data else "unchanged", place=place, fields=data,
                   museum=museum, changes=changes)


def _position_change(row: RowData, museum: Museum) -> dict[str, Any]:
    """Coordinates equal to the county's (or city's) centre mean "follow the place"; others are a precise position."""
    current = (museum.lat, museum.lng) if museum.lat is not None else None
    if row.position is None:
        return {"position_precise": False} if museum.position_precise else {}
    if _near(row.position, current):
        return {}
    city = row.city if row.states_place else museum.city
    county = row.county if row.states_place else museum.county
    if _near(row.position, default_position(city, county)):
        return {"position_precise": False} if museum.position_precise else {}
    return {"lat": row.position[0], "lng": row.position[1], "position_precise": True}


# --- the two steps ----------------------------------------------------------------------------------------------


def _read_upload(file) -> tuple[str, bytes, Table]:
    """An uploaded file's safe name, its bytes and its table, checked (type, size, safety, header, encoding, row
    limit): `ImportFileError` when it cannot be imported at all."""
    file_name = strip_control_characters(PurePath(getattr(file, "name", "") or "import").name)[:200] or "import"
    check_file(file_name=file_name, size=file.size)
    file.seek(0)
    data = file.read()
    return file_name, data, read_table(data=data, file_name=file_name)


def import_upload(*, by, file, all_provinces: bool = False) -> tuple[ImportBatch, Preview]:
    """Read an uploaded file, plan it and keep it as a pending batch; nothing in the registry changes yet.
    Raises `ImportFileError` (and keeps nothing) when the file cannot be imported at all. `by=None`: the system
    (the import command), as for every import service."""
    _require_import(by)
    file_name, data, table = _read_upload(file)
    preview = build_preview(table=table, all_provinces=all_provinces)
    batch = ImportBatch(uploaded_by=by if getattr(by, "pk", None) else None, file_name=file_name,
                        format=table.format, all_provinces=all_provinces, preview=preview.as_json())
    batch.file.save(_stored_name(file_name), ContentFile(data), save=False)
    save_with_file(batch, "file")
    return batch, preview


def import_start(*, by, file, all_provinces: bool = False) -> ImportBatch:
    """The upload page's step: the file is read and checked at once (type, size, safety, header, encoding, row
    limit — a few seconds at most, and the user is told next to the file field, nothing kept), then kept as a
    batch being read; the caller enqueues `museums.tasks.read_import`, which plans it (`import_read`)."""
    _require_import(by)
    file_name, data, table = _read_upload(file)
    batch = ImportBatch(uploaded_by=by if getattr(by, "pk", None) else None, file_name=file_name,
                        format=table.format, all_provinces=all_provinces, status=ImportStatus.READING,
                        preview={"total": len(table.rows)}, started_at=timezone.now())
    batch.file.save(_stored_name(file_name), ContentFile(data), save=False)
    save_with_file(batch, "file")
    return batch


def import_read(*, batch_id: int, progress: Callable[[str, int], Progress] | None = None) -> ImportBatch:
    """The background step after `import_start`: plan every row against the registry and keep the preview (the
    batch becomes pending), or record why the file cannot be imported (failed, the stored file deleted)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportStatus.READING:
        return batch
    try:
        table = _read_batch(batch)
        preview = build_preview(table=table, all_provinces=batch.all_provinces,
                                progress=progress("读取", len(table.rows)) if progress else None)
    except ValidationError as exc:
        _fail(batch, join_messages(exc.messages))
        return batch
    except Exception:
        _fail(batch, "读取文件时出错，未导入任何数据。请重新上传；如果仍然出错，请联系平台管理员。")
        raise
    # Only if the batch is still being read: given up meanwhile (it failed, its file is gone), it stays failed.
    ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READING).update(
        format=table.format, preview=preview.as_json(), status=ImportStatus.PENDING)
    batch.refresh_from_db()
    return batch


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status, batch.error, batch.finished_at = ImportStatus.FAILED, message[:1000], timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])
    if batch.file.name:
        batch.file.storage.delete(batch.file.name)


def import_confirm(*, batch: ImportBatch, by, skip_bad: bool) -> bool:
    """The preview page's confirmation, before the background import: refuses at once what the preview already
    shows (bad rows without `skip_bad`), then marks the batch as importing, its `started_at` naming this attempt
    (the task carries it: `attempt_of`). False when it was not pending (a second click, another administrator):
    nothing is to be enqueued then."""
    _require_import(by)
    bad = batch.preview.get("counts", {}).get("bad", 0)
    if bad and not skip_bad:
        raise ValidationError({"skip_bad": (
            f"文件中有 {bad} 行有误，未导入任何数据。请修改文件后重新上传，或选择“跳过有误的行，导入其余行”。")})
    now = timezone.now()
    started = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.IMPORTING, error="", started_at=now)
    batch.started_at = now if started else batch.started_at
    return bool(started)


def attempt_of(batch: ImportBatch) -> str:
    """The name of a batch's current attempt at reading or importing (when it started), which its task carries: a
    task of an attempt given up (and perhaps started again with other choices) then does nothing."""
    return batch.started_at.isoformat() if batch.started_at else ""


def import_not_started(*, batch: ImportBatch) -> ImportBatch:
    """The task of a batch just marked reading or importing could not be enqueued (the queue is down): a batch
    being read fails (upload it again), one being imported is pending again (confirm again or cancel); the page
    says why instead of showing a progress bar that never moves."""
    return _give_up(batch, reading=f"{QUEUE_DOWN}，未读取文件。请稍后重新上传。",
                    importing=f"{QUEUE_DOWN}，未导入任何数据。请稍后重试，或取消本次导入。")


def import_give_up_if_stale(*, batch: ImportBatch) -> ImportBatch:
    """A batch still reading or importing TASK_STALE_AFTER after its task started lost it (the worker died):
    put back like `import_not_started`, so the page stops polling and the administrator can retry or cancel.
    Nothing was imported: the import writes all its rows in one transaction."""
    started = batch.started_at or batch.uploaded_at
    if batch.status not in (ImportStatus.READING, ImportStatus.IMPORTING) or (
            started and timezone.now() - started < TASK_STALE_AFTER):
        return batch
    return _give_up(batch, reading="后台任务长时间没有读完文件（可能已中断），未导入任何数据。请重新上传。",
                    importing="后台任务长时间没有完成导入（可能已中断），未导入任何数据。请重试，或取消本次导入。")


def _give_up(batch: ImportBatch, *, reading: str, importing: str) -> ImportBatch:
    with transaction.atomic():
        # A row locked by `import_commit` is being imported right now: its task is alive, nothing to give up (and
        # the page's poll does not wait for the import).
        locked = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch.pk).first()
        if locked is None:
            return batch
        batch = locked
        if batch.status == ImportStatus.READING:
            _fail(batch, reading)
        elif batch.status == ImportStatus.IMPORTING:
            batch.status, batch.error = ImportStatus.PENDING, importing
            batch.save(update_fields=["status", "error"])
    return batch


def import_run(*, batch_id: int, by, confirmed: Iterable[int] = (), skip_bad: bool = False,
               fingerprint: str | None = None, progress: Callable[[str, int], Progress] | None = None,
               attempt: str | None = None) -> ImportBatch:
    """The background import after `import_confirm`: `import_commit`, and any refusal (bad rows, a row the
    registry refuses, a registry changed since the preview) recorded on the batch, which is pending again."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportStatus.IMPORTING or (attempt is not None and attempt_of(batch) != attempt):
        return batch  # given up, cancelled or started again: that attempt's own task imports
    this_attempt = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING,
                                              started_at=batch.started_at)
    try:
        import_commit(batch=batch, by=by, confirmed=confirmed, skip_bad=skip_bad, fingerprint=fingerprint,
                      progress=progress, attempt=attempt_of(batch))
    except ValidationError as exc:  # PreviewOutdated included: the renewed preview is saved already
        this_attempt.update(status=ImportStatus.PENDING, error=join_messages(exc.messages)[:1000])
    except Exception:
        this_attempt.update(
            status=ImportStatus.PENDING, error="导入时出错，未导入任何数据。请重试；如果仍然出错，请联系平台管理员。")
        raise
    batch.refresh_from_db()
    return batch


def _require_import(by) -> None:
    if by is not None:  # None: the system (the import command)
        require(by, "museums.import_museums")


def _stored_name(file_name: str) -> str:
    """The stored copy gets a neutral name: the original is kept in the batch, never used as a path."""
    return f"{timezone.now():%Y%m%d%H%M%S}{PurePath(file_name).suffix.lower()}"


def import_commit(*, batch: ImportBatch, by, confirmed: Iterable[int] = (), skip_bad: bool = False,
                  fingerprint: str | None = None, table: Table | None = None,
                  progress: Callable[[str, int], Progress] | None = None,
                  attempt: str | None = None) -> dict[str, Any]:
    """Import a pending batch (or, from its task, the importing batch of `attempt`): all rows in one transaction,
    or nothing.

    `confirmed` are the line numbers of same-name rows a person confirmed as separate new museums (the others are
    skipped). With bad rows nothing is imported unless `skip_bad`. When `fingerprint` (the preview the person saw)
    no longer matches, the preview is renewed and `PreviewOutdated` raised instead."""
    _require_import(by)
    started = time.monotonic()
    if table is None:
        table = _read_batch(batch)
    confirmed = set(confirmed)
    outdated = None
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in (ImportStatus.PENDING, ImportStatus.IMPORTING):
            raise ValidationError(f"这批数据{batch.get_status_display()}，不能再次导入。")
        if attempt is not None and (batch.status != ImportStatus.IMPORTING or attempt_of(batch) != attempt):
            raise ValidationError("这次导入已被放弃或重新开始，未导入任何数据。")
        preview = build_preview(table=table, all_provinces=batch.all_provinces,
                                progress=progress("核对", len(table.rows)) if progress else None)
        if fingerprint and preview.fingerprint != fingerprint:
            outdated = preview
        else:
            if preview.bad and not skip_bad:
                raise ValidationError({"skip_bad": (
                    f"文件中有 {len(preview.bad)} 行有误，未导入任何数据。请修改文件后重新上传，"
                    f"或选择“跳过有误的行，导入其余行”。")})
            summary = _apply(preview, by=by, note=f"导入：{batch.file_name}", confirmed=confirmed,
                             progress=progress)
            summary["skipped"] += len(preview.bad)
            summary["seconds"] = round(time.monotonic() - started, 1)
            batch.status, batch.summary, batch.error = ImportStatus.IMPORTED, summary, ""
            batch.finished_at, batch.finished_by = timezone.now(), by if getattr(by, "pk", None) else None
            batch.save(update_fields=["status", "summary", "error", "finished_at", "finished_by"])
            audit(actor=by, action="导入博物馆", obj=batch, note=f"导入：{batch.file_name}", changes={
                "新增": [None, summary["created"]], "更新": [None, summary["updated"]],
                "未变化": [None, summary["unchanged"]], "跳过": [None, summary["skipped"]],
            })
    if outdated is not None:
        batch.preview = outdated.as_json()
        batch.save(update_fields=["preview"])
        raise PreviewOutdated("预览之后博物馆名录发生了变化，已按最新数据重新生成预览，请核对后再次确认。")
    return summary


def _read_batch(batch: ImportBatch) -> Table:
    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ValidationError("找不到上传的文件，请重新上传。") from exc
    try:
        return read_table(data=data, file_name=batch.file_name)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from exc


def _apply(preview: Preview, *, by, note: str, confirmed: set[int],
           progress: Callable[[str, int], Progress] | None = None) -> dict[str, Any]:
    """Write the plan through the registry's services; any refusal aborts the whole import."""
    to_create = preview.creates + [r for r in preview.flagged if r.line in confirmed]
    tick = progress("写入", len(to_create) + len(preview.updates)) if progress else (lambda done: None)
    done = 0
    for row in sorted(to_create, key=lambda r: r.line):
        try:
            museum_create(by=by, note=note, **row.fields)
        except ValidationError as exc:
            raise _row_failure(row, exc) from exc
        done += 1
        tick(done)
    for row in preview.updates:
        try:
            museum_update(museum=row.museum, by=by, data=row.fields, note=note)
        except ValidationError as exc:
            raise _row_failure(row, exc) from exc
        done += 1
        tick(done)
    unconfirmed = len(preview.flagged) - (len(to_create) - len(preview.creates))
    return {
        "created": len(to_create), "updated": len(preview.updates), "unchanged": len(preview.unchanged),
        "skipped": len(preview.skipped) + unconfirmed, "confirmed": len(to_create) - len(preview.creates),
        "bad": len(preview.bad), "total": preview.total,
    }


def _row_failure(row: PlanRow, exc: ValidationError) -> ValidationError:
    reason = join_messages(exc.messages).rstrip("。")
    return ValidationError(f"第 {row.line} 行（{row.name}）无法保存：{reason}。未导入任何数据。")


@transaction.atomic
def import_cancel(*, batch: ImportBatch, by) -> None:
    """Drop a pending batch; its stored file is deleted once the cancellation is saved."""
    _require_import(by)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.PENDING:
        raise ValidationError(f"这批数据{batch.get_status_display()}，不能取消。")
    batch.status, batch.finished_at = ImportStatus.CANCELLED, timezone.now()
    batch.finished_by = by if getattr(by, "pk", None) else None
    batch.save(update_fields=["status", "finished_at", "finished_by"])
    name, storage = batch.file.name, batch.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    audit(actor=by, action="取消导入", obj=batch, note=f"导入：{batch.file_name}")


# --- export ----------------------------------------------------------------------------------------------------


def export_columns(*, include_contacts: bool) -> list[Column]:
    return [c for c in PLATFORM_COLUMNS if include_contacts or not c.contact]


def _cell_value(museum: Museum, column: Column) -> Any:
    if column.field == "id":
        return museum.pk
    if column.field in ("city", "county"):
        division = getattr(museum, column.field)
        return division.name if division else None
    if column.field == "programme_role":
        return museum.get_programme_role_display()
    if column.field == "free_admission":
        return "是" if museum.free_admission else "否"
    if column.field == "visitors_10k":
        return museum.visitors_10k or None  # unknown is an empty cell, as on the pages (and read back as such)
    value = getattr(museum, column.field)
    return None if value == "" else value


def export_workbook(museums: Iterable[Museum], *, include_contacts: bool) -> SpooledTemporaryFile:
    """The museums in the platform's format, as an .xlsx file object (rewound) ready to be sent."""
    columns = export_columns(include_contacts=include_contacts)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("博物馆名录")
    _prepare_sheet(sheet, columns)
    for museum in museums:
        sheet.append(safe_row(sheet, [_cell_value(museum, c) for c in columns]))
    _notes_sheet(workbook, columns)
    return saved(workbook)


def export_file(museums, *, user, count=None) -> tuple[SpooledTemporaryFile, str]:
    """The museums (a queryset) as the platform's .xlsx and its download name; contact columns only for those who
    may export them. `count(rows, total)` wraps the rows to report progress (an export written by a task)."""
    include_contacts = user.has_perm("museums.export_museum_contacts")
    # closing(): a failure mid-export must not leave a PostgreSQL server-side cursor for the garbage collector
    # to close later, in the middle of another query on the same connection.
    with closing(museums.iterator(chunk_size=1000)) as rows:
        stream = export_workbook(count(rows, museums.count()) if count else rows, include_contacts=include_contacts)
    return stream, f"博物馆名录-{timezone.localdate():%Y%m%d}.xlsx"


def template_workbook() -> SpooledTemporaryFile:
    """An empty file in the platform's format with a sheet explaining each column."""
    return export_workbook([], include_contacts=True)


def _prepare_sheet(sheet, columns: list[Column]) -> None:
    write_header(sheet, [c.header for c in columns], [c.width for c in columns])
    sheet.freeze_panes = "C2"  # the number and the name stay in view too


def _notes_sheet(workbook, columns: list[Column]) -> None:
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 80
    notes.append(safe_row(notes, ["列名", "说明"]))
    for column in columns:
        notes.append(safe_row(notes, [column.header, column.note]))
    notes.append([])
    notes.append(safe_row(notes, ["提示", "第一张工作表为数据；表头请勿修改。"
                                          "编号为空的行将新增博物馆，有编号的行将修改对应的博物馆。"]))
    notes.append(safe_row(notes, ["", f"每次最多导入 {MAX_ROWS} 行，文件不超过 {settings.UPLOAD_MAX_IMPORT_MB} MB。"]))
