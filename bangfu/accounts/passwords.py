"""Password validators with Chinese messages where Django's catalogue has none yet, and the one way the account
forms check a password."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from bangfu.core.validation import join_messages


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


def validate_password(password: str, user=None) -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS), every problem in one message: its clauses joined
    by "；" with one full stop at the end ("密码太短，至少需要 8 个字符；这个密码太常见了。"), not each message's
    own full stop followed by the separator the page puts between messages."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError(join_messages(exc.messages).rstrip("。.") + "。", code="password_invalid") from exc
