"""python manage.py send_reminders [--days N] [--dry-run] — run daily by cron or a systemd timer."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bangfu.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = ("发送各模块的提醒（如协议任务：截止前 N 天（默认 REMINDER_DAYS，7）通知负责人，逾期时通知负责人和双方"
            "馆管理员）；站内通知并发送邮件。重复运行不会重复提醒。")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"截止前多少天提醒（默认 {settings.REMINDER_DAYS}，可用环境变量 REMINDER_DAYS 设置）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不记录")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.REMINDER_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days 不能为负数。")
        run = send_reminders(days=days, dry_run=dry_run)
        verb = "将发送" if dry_run else "已发送"
        for reminder in run.sent:
            self.stdout.write(f"  {verb} → {reminder.user.username}: {reminder.title}")
        prefix = "（试运行，未发送）" if dry_run else ""
        collected = "".join(f"{s}；" for s in run.summaries)
        self.stdout.write(self.style.SUCCESS(
            f"{prefix}{collected}{verb}提醒 {len(run.sent)} 条（邮件 {run.emails} 封），"
            f"之前已提醒过 {run.already_sent} 条。"
        ))
