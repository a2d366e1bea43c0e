"""python manage.py import_museums FILE [--all-provinces] [--dry-run] [--skip-bad] [--confirm-duplicates]"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.validation import join_messages
from bangfu.museums.imports import ImportFileError, build_preview, import_commit, import_upload, read_table


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）或 CSV 文件导入博物馆（全国博物馆名录格式或本平台导出格式）。"
        "文件无法读取、表头不符或有误行（未加 --skip-bad）时不导入任何数据，并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--all-provinces", action="store_true", help="同时导入其他省份的博物馆（全国部署时使用）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入任何数据")
        parser.add_argument("--skip-bad", action="store_true", help="跳过有误的行，导入其余行")
        parser.add_argument("--confirm-duplicates", action="store_true",
                            help="把需确认的同名博物馆全部作为另一家博物馆新增（默认跳过这些行）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        if path.stat().st_size > settings.UPLOAD_MAX_IMPORT_MB * 1024 * 1024:
            raise CommandError(f"文件超过了 {settings.UPLOAD_MAX_IMPORT_MB} MB 的上限，请拆分后分批导入。")
        data = path.read_bytes()
        try:
            if options["dry_run"]:
                preview = build_preview(table=read_table(data=data, file_name=path.name),
                                        all_provinces=options["all_provinces"])
            else:
                batch, preview = import_upload(by=None, file=ContentFile(data, name=path.name),
                                               all_provinces=options["all_provinces"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self._report(preview)
        if options["dry_run"]:
            self.stdout.write("试运行：未写入任何数据。")
            return
        confirmed = [r.line for r in preview.flagged] if options["confirm_duplicates"] else []
        try:
            summary = import_commit(batch=batch, by=None, confirmed=confirmed, skip_bad=options["skip_bad"],
                                    table=preview.table)
        except ValidationError as exc:
            hint = "（可加 --skip-bad 跳过有误的行）" if preview.bad and not options["skip_bad"] else ""
            raise CommandError(join_messages(exc.messages) + hint) from exc
        self.stdout.write(self.style.SUCCESS(
            f"导入完成（批次 {batch.pk}）：新增 {summary['created']} 家，更新 {summary['updated']} 家，"
            f"未变化 {summary['unchanged']} 家，跳过 {summary['skipped']} 行，用时 {summary['seconds']} 秒。"
        ))

    def _report(self, preview) -> None:
        self.stdout.write(
            f"格式：{preview.as_json()['format_label']}；数据 {preview.total} 行：将新增 {len(preview.creates)} 家，"
            f"更新 {len(preview.updates)} 家，未变化 {len(preview.unchanged)} 家，跳过 {len(preview.skipped)} 行，"
            f"同名待确认 {len(preview.flagged)} 行，有误 {len(preview.bad)} 行。"
        )
        for problem in preview.bad:
            self.stderr.write(f"第 {problem.line} 行（{problem.name or '无名称'}）：{problem.reason}")
        for row in preview.flagged:
            self.stdout.write(f"第 {row.line} 行（{row.name}）：{row.reason}")
