"""The environment API's imports endpoint (added to `api.router`): a logger's export file for one sensor, read and
(unless `dry_run`) saved through the same service as the import page and the `import_readings` command."""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from bangfu.core.api.auth import required_auth
from bangfu.core.api.schemas import INVALID, NOT_FOUND, UNAUTHENTICATED, Error
from bangfu.permissions import get_for_user

from . import imports
from .models import Sensor

router = Router()


class ColumnOut(Schema):
    header: str = Field(description="文件中的表头")
    parameter: Literal["temperature", "rh", "lux", "uv"] = Field(description="读入的参数")
    unit: str = Field(description="文件中的单位（温度 °F 换算为 °C，紫外辐照度按照度换算为 µW/lm）")


class GapOut(Schema):
    start: datetime.datetime = Field(description="中断前最后一条读数的时间")
    end: datetime.datetime = Field(description="中断后第一条读数的时间")


class BadLineOut(Schema):
    line: int = Field(description="文件中的行号（从 1 起）")
    reason: str = Field(description="原因")


class ImportOut(Schema):
    format: str = Field(description="识别出的格式：hoboware、hoboconnect、tandd、elitech、hanwell、template、cloud")
    format_label: str = Field(description="格式名称")
    encoding: str = Field(description="文件编码（CSV）或 Excel 类型")
    columns: list[ColumnOut]
    readings: int = Field(description="有效读数条数")
    first: datetime.datetime | None = Field(description="最早读数时间")
    last: datetime.datetime | None = Field(description="最晚读数时间")
    gaps: list[GapOut] = Field(description="读数中断：相邻两条读数的间隔超过中位间隔的 2.5 倍")
    bad_lines: list[BadLineOut] = Field(description="有误的行（最多列出 1000 行）")
    bad_count: int = Field(description="有误的行数")
    newest_first: bool = Field(description="文件是否按时间倒序（最新在前）")
    dry_run: bool
    saved: int | None = Field(None, description="新保存的读数条数（试读时为 null）")
    duplicates: int | None = Field(None, description="已存在、未重复保存的读数条数（试读时为 null）")


@router.post("/sensors/{int:sensor_id}/imports", auth=required_auth,
             response={200: ImportOut, 403: Error, **UNAUTHENTICATED, **NOT_FOUND, **INVALID},
             summary="导入记录仪文件",
             description="以 multipart 上传传感器的记录仪导出文件（file），自动识别 HOBOware、HOBOconnect、T&D、精创 "
                         "ElitechLog、Hanwell、云平台导出和本平台模板（CSV、.xlsx、.xls；UTF-8 或 GBK）。"
                         "dry_run=true 只读取并返回预览，不保存；否则按 mode 保存：good_only（默认）保存正确的行并列出"
                         "有误的行，all_or_nothing 有任何错误行时不保存并返回 422。同一时间已有的读数不重复保存。"
                         "看不到该传感器时 404，能看到但不能录入（如帮扶馆）时 403，文件无法读取时 422。")
def import_file(request, sensor_id: int, file: File[UploadedFile], dry_run: Form[bool] = False,
                mode: Form[Literal["good_only", "all_or_nothing"]] = "good_only"):
    sensor = get_for_user(request.user, Sensor.objects.select_related("room"), view="environment.view",
                          change="environment.record", pk=sensor_id)
    try:
        imports.check_size(file.size or 0)
        data = file.read()
        if dry_run:
            parsed, outcome = imports.import_preview(data, file.name or ""), None
        else:
            outcome = imports.import_save(sensor=sensor, by=request.user, data=data, filename=file.name or "",
                                          mode=mode)
            parsed = outcome.parsed
    except imports.ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    summary = parsed.summary()
    return {**summary, "dry_run": dry_run, "saved": outcome.saved if outcome else None,
            "duplicates": outcome.duplicates if outcome else None}
