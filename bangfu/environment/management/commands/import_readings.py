"""python manage.py import_readings SENSOR_ID FILE [--dry-run] [--good-only] [--user USERNAME] — a logger's export
file imported into a sensor's readings by the same service as the import page and the API.

Without `--good-only` nothing is saved when the file has a bad line (all or nothing, like the page's default). The
summary (format, columns, span, gaps, every bad line with its number) is printed in Chinese; the exit status is
non-zero when the file cannot be read or nothing could be saved. The operator at the server's command line acts
for the platform (audited as a command-line import); with `--user` the import is that user's, with their
permissions."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.core.validation import join_messages

from ... import imports
from ...models import Sensor


class Command(BaseCommand):
    help = "把记录仪导出的文件（HOBO、T&D、精创、Hanwell、云平台导出或本平台模板）导入一个传感器的读数。"

    def add_arguments(self, parser):
        parser.add_argument("sensor_id", type=int, help="传感器编号")
        parser.add_argument("file", help="记录仪导出的文件（CSV、.xlsx 或 .xls）")
        parser.add_argument("--dry-run", action="store_true", help="只读取并显示预览，不保存")
        parser.add_argument("--good-only", action="store_true", help="跳过有误的行，只保存正确的行")
        parser.add_argument("--user", help="以该用户的身份和权限导入（默认以平台身份导入）")

    def handle(self, *args, sensor_id: int, file: str, dry_run: bool, good_only: bool, user: str | None, **options):
        sensor = Sensor.objects.select_related("room__site").filter(pk=sensor_id).first()
        if sensor is None:
            raise CommandError(f"没有编号为 {sensor_id} 的传感器。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件“{file}”。")
        if path.stat().st_size > imports.MAX_BYTES:
            raise CommandError(f"文件超过 {imports.MAX_BYTES // 1024 // 1024} MB 的上限，请按时间拆分后分批导入。")
        data = path.read_bytes()
        mode = imports.GOOD_ONLY if good_only else imports.ALL_OR_NOTHING
        try:
            parsed = imports.import_preview(data, path.name)
            self._summary(sensor, parsed)
            if dry_run:
                self.stdout.write("试读：未保存任何读数。")
                return
            if user:
                by = User.objects.filter(username=user, is_active=True).first()
                if by is None:
                    raise CommandError(f"没有用户名为“{user}”的在用账号。")
                outcome = imports.import_save(sensor=sensor, by=by, data=data, filename=path.name, mode=mode)
            else:
                outcome = imports.save_parsed(sensor=sensor, parsed=parsed, mode=mode, actor=None, filename=path.name)
        except imports.ImportFileError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(join_messages(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for refused in outcome.refused:
            self.stdout.write(f"  第 {refused['line']} 行：{refused['reason']}")
        self.stdout.write(f"已保存 {outcome.saved} 条读数；已有 {outcome.duplicates} 条（未重复保存）；"
                          f"跳过有误的 {parsed.bad_count + len(outcome.refused)} 行。")

    def _summary(self, sensor: Sensor, parsed) -> None:
        summary = parsed.summary()
        write = self.stdout.write
        write(f"传感器：{sensor.room.name} / {sensor.name}")
        write(f"格式：{parsed.format_label}（{parsed.encoding}）")
        for column in summary["columns"]:
            note = f"，{column['note']}" if column["note"] else ""
            write(f"  列“{column['header']}” → {column['label']}（{column['unit']}{note}）")
        for column in summary["ignored"]:
            write(f"  未导入的列“{column['header']}”：{column['reason']}")
        write(f"有效读数：{summary['readings']} 条" + (
            f"，{imports.span_text(summary['first'], summary['last'])}" if summary["readings"] else ""))
        for note in summary["notes"]:
            write(note)
        if summary["gaps"]:
            write(f"读数中断 {len(summary['gaps'])} 处：")
            for gap in summary["gaps"]:
                write(f"  {imports.span_text(gap['start'], gap['end'])}")
        if parsed.bad_count:
            more = f"（列出前 {len(parsed.bad_lines)} 行）" if parsed.bad_count > len(parsed.bad_lines) else ""
            write(f"有误的行：{parsed.bad_count} 行{more}")
            for bad in parsed.bad_lines:
                write(f"  第 {bad['line']} 行：{bad['reason']}")
