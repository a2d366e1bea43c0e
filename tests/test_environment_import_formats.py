"""Each logger export read by the importers (bangfu/environment/importers): the format detected from the content,
the columns, the times in the file's zone, the values in the platform's units, the lines skipped and the bad
lines with their numbers; and every kind of broken file refused with one Chinese message."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from bangfu.environment.importers import ImportFileError, parse

from . import environment_import_samples as samples
from .environment_import_samples import FIRST_UTC

MINUTE = datetime.timedelta(minutes=1)


def utc(reading):
    return reading.time.astimezone(datetime.UTC)


def test_hoboware_is_read_with_its_gmt_offset_and_event_only_lines_skipped():
    result = parse(samples.hoboware(), "库房1.csv")
    assert (result.format, result.encoding) == ("hoboware", "UTF-8（带 BOM）")
    assert [c["parameter"] for c in result.columns] == ["temperature", "rh"]
    assert len(result.readings) == 6 and result.events == 4 and result.bad_lines == []
    assert utc(result.readings[0]) == FIRST_UTC and result.readings[0].temperature == 21.5
    assert result.readings[0].rh == 52.118
    assert utc(result.readings[-1]) == FIRST_UTC + 75 * MINUTE
    assert result.lines[:4] == [3, 4, 5, 8]  # the lines of the readings in the file, events in between
    assert result.gaps == [] and result.median_interval == 15 * MINUTE


def test_hoboware_from_chinese_windows_reads_gbk_and_afternoon_written_as_xiawu():
    result = parse(samples.hoboware(chinese_windows=True), "库房1.csv")
    assert result.format == "hoboware" and result.encoding == "GB18030/GBK"
    assert utc(result.readings[0]) == FIRST_UTC and len(result.readings) == 6


def test_shangwu_and_xiawu_read_twelve_oclock_as_midnight_and_noon():
    result = parse(samples.hoboware_morning(), "a.csv")
    local = [r.time.astimezone(samples.FIRST_UTC.tzinfo).replace(tzinfo=None) + datetime.timedelta(hours=8)
             for r in result.readings]
    assert [t.strftime("%d %H:%M") for t in local] == ["16 00:30", "16 09:00", "16 12:30", "16 23:45"]


def test_hoboware_chinese_edition_headers():
    data = ('"绘图标题: 20512345"\r\n"#","日期 时间, GMT+08:00","温度, °C (LGR S/N: 20512345)",'
            '"RH, % (LGR S/N: 20512345)"\r\n1,03/15/26 02:00:00 下午,21.5,52.0\r\n').encode("gb18030")
    result = parse(data, "a.csv")
    assert result.format == "hoboware" and utc(result.readings[0]) == FIRST_UTC


def test_fahrenheit_is_converted_to_celsius():
    result = parse(samples.hoboware(fahrenheit=True), "f.csv")
    assert result.readings[0].temperature == pytest.approx(21.5, abs=0.001)
    assert result.columns[0]["unit"] == "°F" and "换算" in result.columns[0]["note"]


def test_a_hoboware_gmt_offset_other_than_china_is_honoured():
    data = samples.hoboware().replace(b"GMT+08:00", b"GMT-04:00")
    assert utc(parse(data, "a.csv").readings[0]) == datetime.datetime(2026, 3, 15, 18, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("zone", ["CST", "UTC+08:00"])
def test_hoboconnect_reads_cst_as_china_time_and_ignores_the_dew_point(zone):
    result = parse(samples.hoboconnect(zone=zone), "MX1101.csv")
    assert result.format == "hoboconnect"
    assert [c["parameter"] for c in result.columns] == ["temperature", "rh"]
    assert len(result.readings) == 4 and result.events == 1
    assert utc(result.readings[0]) == FIRST_UTC and result.readings[1].temperature == 21.53


def test_hoboconnect_with_an_unknown_zone_is_refused_rather_than_guessed():
    with pytest.raises(ImportFileError, match="时区"):
        parse(samples.hoboconnect(zone="EDT"), "a.csv")


def test_hoboconnect_xlsx_with_date_cells():
    result = parse(samples.hoboconnect_xlsx(), "MX1101.xlsx")
    assert result.format == "hoboconnect" and len(result.readings) == 4
    assert utc(result.readings[0]) == FIRST_UTC and result.readings[3].temperature == pytest.approx(21.8)


def test_tandd_three_header_rows_with_uv_irradiance_turned_into_microwatts_per_lumen():
    result = parse(samples.tandd(), "TR-74Ui.csv")
    assert result.format == "tandd"
    assert [c["parameter"] for c in result.columns] == ["temperature", "rh", "lux", "uv"]
    first, second, dark = result.readings
    assert utc(first) == FIRST_UTC and (first.temperature, first.rh, first.lux) == (21.5, 52.0, 120.0)
    assert first.uv == pytest.approx(5.0) and second.uv == pytest.approx(6.0)
    assert dark.uv is None and dark.lux == 0  # no UV proportion in the dark


def test_tandd_uv_in_microwatts_per_lumen_is_kept_as_it_is():
    result = parse(samples.tandd(uv_unit="µW/lm").replace(b'"0.00006"', b'"12"'), "a.csv")
    assert result.readings[0].uv == 12


def test_tandd_uv_irradiance_without_illuminance_is_reported_as_not_imported():
    data = (b'"Date/Time","No.1","No.2"\r\n"","Temperature","UV"\r\n"","\xc2\xb0C","mW/cm2"\r\n'
            b'"2026/03/15 14:00:00","21.5","0.00006"\r\n')
    result = parse(data, "a.csv")
    assert [c["parameter"] for c in result.columns] == ["temperature"]
    assert "没有照度列" in result.ignored[0]["reason"] and result.readings[0].uv is None


@pytest.mark.parametrize("chinese", [False, True])
def test_elitech_report_csv_in_english_and_in_chinese_gbk(chinese):
    result = parse(samples.elitech_csv(chinese=chinese), "RC-4HC.csv")
    assert result.format == "elitech"
    assert result.encoding == ("GB18030/GBK" if chinese else "UTF-8")
    assert len(result.readings) == 4 and utc(result.readings[0]) == FIRST_UTC
    assert (result.readings[1].temperature, result.readings[1].rh) == (21.6, 52.2)


def test_elitech_xls_export():
    result = parse(samples.elitech_xls(), "RC-4HC.xls")
    assert result.format == "elitech" and "xls" in result.encoding
    assert len(result.readings) == 4 and utc(result.readings[0]) == FIRST_UTC


@pytest.mark.parametrize("european", [False, True])
def test_hanwell_day_first_dates_and_the_european_decimal_comma(european):
    result = parse(samples.hanwell(european=european), "hanwell.csv")
    assert result.format == "hanwell"
    assert len(result.readings) == 4 and utc(result.readings[0]) == FIRST_UTC
    assert result.readings[2].temperature == pytest.approx(21.7) and result.readings[2].rh == 52.3


def test_a_cloud_export_resaved_by_excel_in_gbk_with_missing_values_and_full_width_digits():
    result = parse(samples.cloud_csv(), "导出.csv")
    assert result.format == "cloud" and result.encoding == "GB18030/GBK"
    assert len(result.readings) == 4 and result.bad_lines == []
    assert utc(result.readings[0]) == FIRST_UTC
    assert result.readings[1].rh is None and result.readings[1].temperature == 21.6  # "--": not measured
    assert result.readings[2].temperature == 21.7  # ２１.７


def test_a_gbk_file_with_a_few_broken_bytes_lists_their_line_as_bad_and_keeps_the_others():
    data = samples.cloud_csv().replace(b"21.8", b"\xff21.8")  # the last line damaged
    result = parse(data, "导出.csv")
    assert result.format == "cloud" and result.encoding.startswith("GB18030/GBK")
    assert [r.temperature for r in result.readings] == [21.5, 21.6, 21.7]
    assert [bad["line"] for bad in result.bad_lines] == [5]


def test_a_cloud_xlsx_with_excel_serial_dates():
    result = parse(samples.cloud_xlsx(), "导出.xlsx")
    assert result.format == "cloud" and len(result.readings) == 4
    assert utc(result.readings[0]) == FIRST_UTC and utc(result.readings[1]) == FIRST_UTC + 15 * MINUTE


def test_the_platform_template_with_plain_and_iso_times():
    result = parse(samples.template_csv(), "模板.csv")
    assert result.format == "template" and len(result.readings) == 3
    first = result.readings[0]
    assert utc(first) == FIRST_UTC and (first.temperature, first.rh, first.lux, first.uv) == (21.5, 52.0, 45, 12)
    assert utc(result.readings[2]) == FIRST_UTC + 30 * MINUTE


def test_a_utf16_file_saved_by_excel_as_unicode_text_is_read():
    text = "时间\t温度\t相对湿度\r\n2026-03-15 14:00\t21.5\t52\r\n"
    result = parse(b"\xff\xfe" + text.encode("utf-16-le"), "unicode.txt")
    assert result.format == "template" and result.encoding == "UTF-16" and utc(result.readings[0]) == FIRST_UTC


def test_bad_lines_are_listed_with_their_line_numbers_and_reasons_while_the_good_ones_are_read():
    rows = ["2026-03-15 14:00,21.5,52.0,,",          # line 2: good
            "2026-03-15 14:15,abc,52.0,,",           # 3: not a number
            "2026-13-45 14:30,21.5,52.0,,",          # 4: no such date
            ",21.5,52.0,,",                          # 5: no time
            "2026-03-15 14:45,,,,",                  # 6: no value at all
            "2026-03-15 15:00,21.5,130,,",           # 7: RH beyond 100 %
            "2026-03-15 14:00,21.6,52.0,,",          # 8: the time of line 2 again
            "",                                      # 9: blank, skipped
            "2099-01-01 00:00,21.5,52.0,,",          # 10: in the future
            "2026-03-15 15:15,21.5,52.0,,"]          # 11: good
    result = parse(samples.template_csv(rows), "有误.csv")
    assert len(result.readings) == 2 and result.lines == [2, 11]
    reasons = {b["line"]: b["reason"] for b in result.bad_lines}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 10] and result.bad_count == 7
    assert reasons[3] == "温度“abc”不是数字"
    assert reasons[4].startswith("无法识别时间“2026-13-45 14:30”")
    assert reasons[5] == "缺少时间" and reasons[6] == "没有任何读数"
    assert reasons[7].startswith("相对湿度 = 130 超出可能范围（0～100）")
    assert reasons[8] == "与第 2 行的时间相同（2026-03-15 14:00:00）"
    assert reasons[10] == "时间晚于现在"


def test_a_newest_first_file_is_sorted_and_reported():
    rows = [f"2026-03-15 {h:02d}:00,{20 + h / 10:.1f},50" for h in range(23, -1, -1)]
    result = parse(samples.template_csv([r + ",," for r in rows]), "倒序.csv")
    assert result.newest_first and any("倒序" in n for n in result.notes)
    assert result.readings[0].time < result.readings[-1].time and result.lines[0] == 25


def test_gaps_are_intervals_longer_than_two_and_a_half_times_the_median():
    times = ["14:00", "14:15", "14:30", "14:45", "16:00", "16:15", "16:30", "16:50"]
    result = parse(samples.template_csv([f"2026-03-15 {t},21,50,," for t in times]), "gap.csv")
    assert [(g["start"].hour, g["start"].minute, g["end"].hour, g["end"].minute) for g in result.gaps] == [
        (14, 45, 16, 0)]  # 75 minutes > 2.5 × 15; 20 minutes is not
    summary = result.summary()
    assert summary["gaps"] == [{"start": "2026-03-15T14:45:00+08:00", "end": "2026-03-15T16:00:00+08:00"}]


def _truncated_xlsx() -> bytes:
    return samples.cloud_xlsx()[:600]


def _encrypted_like_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "a.csv", "文件是空的"),
    (b"\r\n\r\n  \r\n", "a.csv", "文件是空的"),
    (bytes(range(256)) * 40, "a.csv", "不是文本表格"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "photo.csv", "不是文本表格"),
    ("<html><body><table><tr><td>时间</td></tr></table></body></html>".encode(), "export.xls", "网页（HTML）"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "broken.xls", "无法读取该 .xls 文件"),
    (_truncated_xlsx(), "cut.xlsx", "Excel"),
    (_encrypted_like_zip(), "zip.xlsx", "Excel"),
    ("名称,数量\r\n铜鼎,1\r\n".encode(), "objects.csv", "无法识别“objects.csv”的格式"),
    ("时间,温度\r\n".encode(), "empty.csv", None),
])
def test_a_broken_or_unknown_file_is_one_clear_chinese_error(data, name, message):
    if message is None:  # a header and no rows: read, with nothing in it
        assert parse(data, name).readings == []
        return
    with pytest.raises(ImportFileError) as caught:
        parse(data, name)
    assert message in str(caught.value) and str(caught.value).endswith("。")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    from bangfu.environment.importers import tables

    monkeypatch.setattr(tables, "MAX_BYTES", 100)
    with pytest.raises(ImportFileError, match="超过了 0 MB 的上限|MB 的上限"):
        parse(samples.template_csv(["2026-03-15 14:00,21.5,52.0,,"] * 10), "big.csv")


def test_an_xlsx_workbook_whose_data_is_on_the_second_sheet():
    workbook = openpyxl.Workbook()
    workbook.active.append(["说明：本文件由平台导出"])
    sheet = workbook.create_sheet("数据")
    sheet.append(["采集时间", "温度(℃)", "湿度(%RH)"])
    sheet.append(["2026/3/15 14:00", "21.5", "52.3"])
    out = io.BytesIO()
    workbook.save(out)
    result = parse(out.getvalue(), "x.xlsx")
    assert result.format == "cloud" and utc(result.readings[0]) == FIRST_UTC


def _local_times(result):
    from django.utils import timezone

    return [f"{timezone.localtime(r.time):%Y-%m-%d %H:%M}" for r in result.readings]


def test_a_hanwell_file_with_the_date_and_the_time_in_two_columns():
    data = ("Hanwell EMS,,\nSensor,Store 1,\nDate,Time,Temperature (°C),Relative Humidity (%RH)\n"
            "22/11/2026,10:00:00,20.1,50.2\n22/11/2026,10:15:00,20.2,50.3\n").encode()
    result = parse(data, "hanwell.csv")
    assert result.format == "hanwell" and not result.bad_lines
    assert _local_times(result) == ["2026-11-22 10:00", "2026-11-22 10:15"]


def test_a_cloud_export_with_the_date_and_the_time_in_two_columns():
    data = "日期,时间,温度(℃),湿度(%RH)\n2026/11/22,10:00:00,20.1,50.2\n2026/11/22,10:15:00,20.3,50.4\n"
    result = parse(data.encode("gb18030"), "cloud.csv")
    assert result.format == "cloud" and not result.bad_lines
    assert _local_times(result) == ["2026-11-22 10:00", "2026-11-22 10:15"]
    assert [r.rh for r in result.readings] == [50.2, 50.4]


def test_t_and_d_channels_named_only_by_their_unit_are_read_and_unknown_ones_are_said():
    data = ("Date/Time,Unix Time,No.1,No.2,No.3,No.4,No.5\n,,Ch1,Ch2,Ch3,Ch4,Ch5\n,,°C,%,lx,mW/cm2,V\n"
            "2026-11-22 10:00:00,1795312800,20.1,50.2,40,0.001,3.1\n").encode()
    result = parse(data, "td.csv")
    assert result.format == "tandd"
    reading = result.readings[0]
    assert (reading.temperature, reading.rh, reading.lux) == (20.1, 50.2, 40.0)
    assert reading.uv == pytest.approx(0.001 * 10_000_000 / 40)
    assert [i["reason"] for i in result.ignored] == [
        "无法识别这一通道测量的是什么（名称和单位都不是温度、湿度、照度或紫外），未导入"]
