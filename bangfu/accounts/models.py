"""Accounts: one custom user model carrying the user's role, museum and jurisdiction."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from bangfu.core.phones import validate_phone
from bangfu.core.text import no_control_characters
from bangfu.museums.models import Museum
from bangfu.places.models import Division


class Role(models.TextChoices):
    ASSOCIATION_ADMIN = "association_admin", "协会管理员"
    SUPERVISOR = "supervisor", "主管单位"
    MUSEUM_ADMIN = "museum_admin", "馆管理员"
    MUSEUM_STAFF = "museum_staff", "馆员"
    EXPERT = "expert", "专家"


MUSEUM_ROLES = (Role.MUSEUM_ADMIN, Role.MUSEUM_STAFF)


class UserQuerySet(models.QuerySet):
    def of_museum(self, museum):
        return self.filter(museum=museum, role__in=MUSEUM_ROLES)


class PlatformUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes the first association admin of a new installation."""
        extra_fields.setdefault("role", Role.ASSOCIATION_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


USERNAME_RULE = "英文字母、数字和 @ . + - _ 符号（不能有汉字或空格）"


@deconstructible
class UsernameValidator(ASCIIUsernameValidator):
    """Usernames in ASCII letters, digits and @ . + - _: typed at every sign-in, often on a phone, where switching
    to a Chinese input method is a chore, and kept in login-throttling records and logs. Django's default (any
    Unicode letter) accepted "用户名" while its Chinese message spoke of English letters only."""

    message = f"用户名只能使用{USERNAME_RULE}，如 zhangsan 或 wang.li。"


class User(AbstractUser):
    username = models.CharField(
        "用户名", max_length=150, unique=True, validators=[UsernameValidator()],
        help_text=f"登录时使用，只能使用{USERNAME_RULE}，最多 150 个字符。",
        error_messages={"unique": "该用户名已被使用。"},
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.MUSEUM_STAFF)
    museum = models.ForeignKey(
        Museum, verbose_name="所属博物馆", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    jurisdiction = models.ForeignKey(
        Division,
        verbose_name="管辖范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="主管单位：全省或某一市",
    )
    full_name = models.CharField("姓名", max_length=40, blank=True, validators=[no_control_characters])
    phone = models.CharField("电话", max_length=40, blank=True, validators=[no_control_characters, validate_phone])
    title = models.CharField("职务", max_length=40, blank=True, validators=[no_control_characters])
    # The platform itself as the actor of automated writes (commands, demo loading, scheduled tasks): one inactive
    # account that cannot sign in, shown as 「系统」 (`system_user()`).
    is_system = models.BooleanField("系统账号", default=False, editable=False)

    objects = PlatformUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=MUSEUM_ROLES) | Q(museum__isnull=False), name="museum_user_has_museum",
                violation_error_message="馆管理员和馆员必须属于一个博物馆。",
            ),
            models.CheckConstraint(
                condition=~Q(role="supervisor") | Q(jurisdiction__isnull=False), name="supervisor_has_jurisdiction",
                violation_error_message="主管单位必须设置管辖范围（全省或某一市）。",
            ),
            models.UniqueConstraint(fields=["is_system"], condition=Q(is_system=True), name="one_system_user"),
            models.CheckConstraint(  # nobody signs in as the system account (also refused by the backend)
                condition=Q(is_system=False) | (Q(is_active=False) & Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)),
                name="system_user_cannot_sign_in",
                violation_error_message="系统账号必须停用且没有可用的密码。",
            ),
        ]

    def save(self, *args, **kwargs):
        """Saving a new password revokes the account's API tokens, whatever the path (the pages' services, which
        revoke them first with their own reason, `manage.py changepassword`, the shell): a token must not outlive
        the password it was created under. Django keeps the raw password in `_password` from `set_password()` until
        the save, and clears it before saving a mere rehash on sign-in, which is no change."""
        password_changed = self._password is not None
        super().save(*args, **kwargs)
        if password_changed:
            from .services import tokens_revoke_all  # here, not at the top: the services import this module

            tokens_revoke_all(user=self, by=None, reason="密码已更改")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_association_admin(self) -> bool:
        return self.is_active and (self.role == Role.ASSOCIATION_ADMIN or self.is_superuser)

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_museum_admin(self) -> bool:
        return self.role == Role.MUSEUM_ADMIN

    @property
    def is_museum_member(self) -> bool:
        return self.role in MUSEUM_ROLES and self.museum_id is not None

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT


SYSTEM_USERNAME = "system"
SYSTEM_NAME = "系统"


def system_user() -> User:
    """The platform's own account, the actor of automated writes (a command, the demo, a scheduled task) instead of
    an anonymous `by=None`: the audit trail and the ledger name it 「系统」. Inactive with an unusable password, so
    nobody signs in as it; created on first use (a flushed test database has none)."""
    for _attempt in range(3):
        user = User.objects.filter(is_system=True).first()
        if user is not None:
            return user
        username = SYSTEM_USERNAME
        if User.objects.filter(username=username).exists():  # a person took the name first: keep theirs
            username = f"{SYSTEM_USERNAME}-platform"
        user = User(username=username, full_name=SYSTEM_NAME, role=Role.ASSOCIATION_ADMIN, is_active=False,
                    is_system=True)
        user.set_unusable_password()
        try:
            with transaction.atomic():  # a savepoint: another process creating it first must not break ours
                user.save()
        except IntegrityError:  # it did (one_system_user), or took the name meanwhile: look again
            continue
        return user
    return User.objects.get(is_system=True)
