"""python manage.py create_api_token USERNAME [--name NAME] — a new personal API token for scripts and gateways.

The token is printed alone on standard output (so a script can capture it: `TOKEN=$(python manage.py …)`); what
it is and how to use it goes to standard error. It is created by the same service as the tokens page
(`token_create`: the same limit of live tokens, the same audit entry)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.core.validation import join_messages

from ...services import token_create

DEFAULT_NAME = "命令行创建"


class Command(BaseCommand):
    help = "为用户创建一个接口令牌并输出令牌原文（只显示这一次），供脚本和网关调用数据接口。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default=DEFAULT_NAME, help=f"令牌名称，写明用途（默认“{DEFAULT_NAME}”）")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的账号。")
        if user.is_system or not user.is_active:
            raise CommandError(f"账号“{username}”已停用或不能登录，不能为它创建令牌。")
        try:
            token, raw = token_create(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(join_messages(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"已为 {user.username} 创建令牌“{token.name}”。令牌原文只显示这一次，请妥善保存；"
                          "调用接口时在请求头中加入 Authorization: Bearer <令牌>。")
        self.stdout.write(raw)
