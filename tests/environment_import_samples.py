"""Logger export files as the loggers' software writes them (as far as their manuals and published samples show),
and the environment a sensor lives in, built through the services — for the import tests and the access matrix.

Readings are in March 2026, China time; each sample's first reading is 2026-03-15 14:00 (06:00 UTC) with 21.5 °C
unless its docstring says otherwise."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import openpyxl

from bangfu.environment.services import room_create, sensor_create, site_create

FIRST_UTC = datetime.datetime(2026, 3, 15, 6, 0, tzinfo=datetime.UTC)
CRLF = "\r\n"


def environment(world, *, museum=None, admin=None) -> SimpleNamespace:
    """A site, a storeroom and a sensor of the helped museum (or `museum`, with its `admin`)."""
    museum = museum or world.helped_museum
    admin = admin or world.helped_admin
    site = site_create(museum=museum, by=admin, name="主馆")
    room = room_create(site=site, by=admin, name="一号库房", kind="storeroom", materials=["paper_textile"])
    sensor = sensor_create(room=room, by=admin, name="温湿度记录仪 1", serial="20512345", model_name="HOBO MX1101")
    return SimpleNamespace(site=site, room=room, sensor=sensor)


def _lines(lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = CRLF.join(lines) + CRLF
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


# --- HOBOware ------------------------------------------------------------------------------------------------

HOBO_SN = "LGR S/N: 20512345, SEN S/N: 20512345"
HOBO_EVENTS = ('"Coupler Detached (LGR S/N: 20512345)","Coupler Attached (LGR S/N: 20512345)",'
               '"Host Connected (LGR S/N: 20512345)","End Of File (LGR S/N: 20512345)"')


def hoboware(*, chinese_windows: bool = False, fahrenheit: bool = False) -> bytes:
    """HOBOware 3.7 CSV: 12 lines, 6 readings every 15 minutes from 2:00 PM; lines 6-7 (Coupler Detached and
    Attached), 11 (Host Connected) and 12 (End Of File) carry only events. Chinese Windows writes 上午/下午 for
    AM/PM and saves in GBK; °F when the logger was launched in Fahrenheit (21.5 °C = 70.7 °F)."""
    pm = "下午" if chinese_windows else "PM"
    unit = "°F" if fahrenheit else "°C"
    temps = ["70.700", "70.745", "70.790", "70.835", "70.880", "70.925"] if fahrenheit else [
        "21.500", "21.525", "21.550", "21.575", "21.600", "21.625"]
    rh = ["52.118", "52.020", "51.980", "51.942", "51.900", "51.874"]
    lines = ['"Plot Title: 20512345"',
             f'"#","Date Time, GMT+08:00","Temp, {unit} ({HOBO_SN})","RH, % ({HOBO_SN})",{HOBO_EVENTS}',
             f"1,03/15/26 02:00:00 {pm},{temps[0]},{rh[0]},,,,",
             f"2,03/15/26 02:15:00 {pm},{temps[1]},{rh[1]},,,,",
             f"3,03/15/26 02:30:00 {pm},{temps[2]},{rh[2]},,,,",
             f"4,03/15/26 02:31:12 {pm},,,Logged,,,",
             f"5,03/15/26 02:31:20 {pm},,,,Logged,,",
             f"6,03/15/26 02:45:00 {pm},{temps[3]},{rh[3]},,,,",
             f"7,03/15/26 03:00:00 {pm},{temps[4]},{rh[4]},,,,",
             f"8,03/15/26 03:15:00 {pm},{temps[5]},{rh[5]},,,,",
             f"9,03/15/26 03:17:40 {pm},,,,,Logged,",
             f"10,03/15/26 03:17:41 {pm},,,,,,Logged"]
    return _lines(lines, encoding="gb18030" if chinese_windows else "utf-8", bom=not chinese_windows)


def hoboware_morning() -> bytes:
    """HOBOware on Chinese Windows across midnight and noon: 上午 12:30 is 00:30, 下午 12:30 is 12:30."""
    lines = ['"Plot Title: 20512345"', f'"#","Date Time, GMT+08:00","Temp, °C ({HOBO_SN})","RH, % ({HOBO_SN})"',
             "1,03/16/26 12:30:00 上午,20.100,50.000", "2,03/16/26 09:00:00 上午,20.200,50.100",
             "3,03/16/26 12:30:00 下午,20.300,50.200", "4,03/16/26 11:45:00 下午,20.400,50.300"]
    return _lines(lines, encoding="gb18030")


# --- HOBOconnect ---------------------------------------------------------------------------------------------


def hoboconnect(*, zone: str = "CST") -> bytes:
    """HOBOconnect CSV export of an MX1101: 4 readings every 15 minutes, a Dew Point column (derived: not
    imported) and a Host Connected line."""
    lines = [f'"#","Date-Time ({zone})","Ch:1 - Temperature   (°C)","Ch:2 - RH   (%)","Dew Point   (°C)",'
             '"Host Connected","End of File"',
             '"1","03/15/2026 14:00:00","21.50","52.10","11.32","",""',
             '"2","03/15/2026 14:15:00","21.53","52.05","11.33","",""',
             '"3","03/15/2026 14:20:07","","","","Logged",""',
             '"4","03/15/2026 14:30:00","21.56","52.00","11.34","",""',
             '"5","03/15/2026 14:45:00","21.59","51.96","11.35","","Logged"']
    return _lines(lines, bom=True)


def hoboconnect_xlsx() -> bytes:
    """HOBOconnect .xlsx export: real date cells, `Date-Time (UTC+08:00)`, a Details sheet after the data."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["#", "Date-Time (UTC+08:00)", "Ch:1 - Temperature   (°C)", "Ch:2 - RH   (%)"])
    for i in range(4):
        sheet.append([i + 1, datetime.datetime(2026, 3, 15, 14, 15 * i), 21.5 + i / 10, 52.0])
    details = workbook.create_sheet("Details")
    details.append(["Device Info"])
    details.append(["Product", "HOBO MX1101"])
    return _saved(workbook)


# --- T&D -----------------------------------------------------------------------------------------------------


def tandd(*, uv_unit: str = "mW/cm2") -> bytes:
    """T&D Graph CSV of a TR-74Ui (temperature, humidity, illuminance, UV): three header rows. UV 0.00006 mW/cm²
    under 120 lx is 600 µW/m² ÷ 120 lm/m² = 5 µW/lm; the third reading is in the dark (UV not kept)."""
    lines = ['"Date/Time","No.1","No.2","No.3","No.4"',
             '"","Temperature","Humidity","Illuminance","UV"',
             f'"","°C","%","lx","{uv_unit}"',
             '"2026/03/15 14:00:00","21.5","52.0","120","0.00006"',
             '"2026/03/15 14:10:00","21.6","52.1","150","0.00009"',
             '"2026/03/15 14:20:00","21.7","52.2","0","0.00000"']
    return _lines(lines)


# --- Elitech -------------------------------------------------------------------------------------------------

ELITECH_PREAMBLE = [("Device Name", "RC-4HC"), ("Serial Number", "EF2403150001"), ("Model", "RC-4HC"),
                    ("Firmware Version", "V3.6"), ("Logging Interval", "00:15:00"),
                    ("Start Time", "2026-03-15 14:00:00"), ("Stop Time", "2026-03-15 15:00:00"),
                    ("Time Zone", "UTC+08:00")]


def elitech_csv(*, chinese: bool = False) -> bytes:
    """ElitechLog report CSV: the device's details, a blank line, then the readings (Chinese version in GBK)."""
    if chinese:
        preamble = ["设备名称,RC-4HC", "序列号,EF2403150001", "型号,RC-4HC", "记录间隔,00:15:00",
                    "开始时间,2026-03-15 14:00:00", ""]
        header = "序号,时间,温度(℃),湿度(%RH)"
    else:
        preamble = [f"{k},{v}" for k, v in ELITECH_PREAMBLE] + [""]
        header = "No.,Time,Temperature(°C),Humidity(%RH)"
    rows = [f"{i + 1},2026-03-15 14:{15 * i:02d}:00,{21.5 + i / 10:.1f},{52.3 - i / 10:.1f}" for i in range(4)]
    return _lines(preamble + [header, *rows], encoding="gb18030" if chinese else "utf-8")


def elitech_xls() -> bytes:
    """ElitechLog's .xls export (Excel 97-2003): the device's details then `No.`/`Time`/… rows, times as text."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Data")
    for r, (key, value) in enumerate(ELITECH_PREAMBLE):
        sheet.write(r, 0, key)
        sheet.write(r, 1, value)
    top = len(ELITECH_PREAMBLE) + 1
    for c, header in enumerate(("No.", "Time", "Temperature(°C)", "Humidity(%RH)")):
        sheet.write(top, c, header)
    for i in range(4):
        sheet.write(top + 1 + i, 0, i + 1)
        sheet.write(top + 1 + i, 1, f"2026-03-15 14:{15 * i:02d}:00")
        sheet.write(top + 1 + i, 2, 21.5 + i / 10)
        sheet.write(top + 1 + i, 3, 52.3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Hanwell -------------------------------------------------------------------------------------------------


def hanwell(*, european: bool = False) -> bytes:
    """Hanwell RadioLog export: a preamble, then day-first dates. The European variant is semicolon-separated
    with decimal commas."""
    sep = ";" if european else ","
    dot = (lambda v: v.replace(".", ",")) if european else (lambda v: v)
    lines = ["Hanwell RadioLog 8 - Data Export", f"Site:{sep}Museum Store", f"Sensor:{sep}Store 1 (ID 1234)",
             f"Period:{sep}15/03/2026 14:00 - 15/03/2026 15:00", "",
             f"Date/Time{sep}Store 1 Temperature (°C){sep}Store 1 Humidity (%RH)"]
    for i in range(4):
        lines.append(f"15/03/2026 14:{15 * i:02d}:00{sep}{dot(f'{21.5 + i / 10:.1f}')}{sep}{dot('52.3')}")
    return _lines(lines)


# --- a cloud platform's export, and our template -------------------------------------------------------------


def cloud_csv() -> bytes:
    """A cloud platform's export re-saved by Excel on Chinese Windows: GBK, `2026/3/15 14:00`, device name column,
    a `--` for a humidity not measured, full-width digits typed by hand in one cell, trailing empty columns."""
    lines = ["设备名称,采集时间,温度(℃),湿度(%RH),,",
             "一号库房,2026/3/15 14:00,21.5,52.3,,",
             "一号库房,2026/3/15 14:15,21.6,--,,",
             "一号库房,2026/3/15 14:30,２１.７,52.1,,",
             "一号库房,2026/3/15 14:45,21.8,52.0,,"]
    return _lines(lines, encoding="gbk")


def cloud_xlsx() -> bytes:
    """`时间,温度,湿度` in .xlsx with the times as Excel date serial numbers (a re-saved export often has them so)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["时间", "温度", "湿度"])
    serial = 46096 + 14 / 24  # 2026-03-15 14:00
    for i in range(4):
        sheet.append([serial + i / 96, 21.5 + i / 10, 52.0])
    return _saved(workbook)


def template_csv(rows: list[str] | None = None) -> bytes:
    """The platform's template filled in (UTF-8 without BOM)."""
    rows = rows if rows is not None else ["2026-03-15 14:00,21.5,52.0,45,12", "2026-03-15 14:15,21.6,52.1,46,12",
                                          "2026-03-15T14:30:00+08:00,21.7,52.2,47,13"]
    return _lines(["时间,温度,相对湿度,照度,紫外", *rows])


def _saved(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
