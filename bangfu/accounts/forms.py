"""Account forms: the validation lives in the services; forms parse and present."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from bangfu.core.forms import FormMixin
from bangfu.core.mail import email_now
from bangfu.core.phones import PhoneField
from bangfu.core.widgets import SearchableSelect
from bangfu.museums.models import Museum
from bangfu.places.models import Division

from . import services
from .models import MUSEUM_ROLES, Role, User
from .passwords import validate_password


class LoginForm(FormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输错多次后，该账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系本馆管理员或协会秘书处。",
    }


# Which roles use a field of the account form (shown for them only), and for which it is required.
ROLE_FIELDS = {
    "museum": (Role.MUSEUM_ADMIN, Role.MUSEUM_STAFF, Role.EXPERT),
    "jurisdiction": (Role.SUPERVISOR,),
}
ROLE_REQUIRES = {"museum": MUSEUM_ROLES, "jurisdiction": (Role.SUPERVISOR,)}
ROLE_MESSAGES = {
    "museum": "馆管理员和馆员必须属于一个博物馆，请选择所属博物馆。",
    "jurisdiction": "主管单位必须设置管辖范围（全省或某一市）。",
}


class UserForm(FormMixin, forms.ModelForm):
    """Create or edit an account. Which roles and museums are offered depends on who is acting."""

    password = forms.CharField(
        label="初始密码", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="可不填：填写邮箱后，系统会发送设置密码的链接。",
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "phone", "title", "role", "museum", "jurisdiction"]
        widgets = {"museum": SearchableSelect}
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, actor: User, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["museum"].queryset = Museum.objects.only("id", "name", "pinyin", "pinyin_initials").order_by(
            "pinyin")
        self.fields["jurisdiction"].queryset = Division.objects.filter(level__in=["province", "city"])
        if not actor.is_association_admin:
            # A museum admin manages staff of their own museum only.
            self.fields["role"].choices = [(Role.MUSEUM_STAFF, Role.MUSEUM_STAFF.label)]
            del self.fields["museum"]
            del self.fields["jurisdiction"]
        if not creating:
            del self.fields["password"]
            self.fields["username"].disabled = True
        self._show_fields_by_role()

    def _show_fields_by_role(self) -> None:
        """Each role-dependent field says which roles use it (static/js/forms.js shows it when the role select
        changes) and starts hidden when the role chosen now does not use it."""
        role = self.data.get("role") if self.is_bound else (self.initial.get("role") or self.instance.role)
        for name, roles in ROLE_FIELDS.items():
            if name in self.fields:
                self.fields[name].show_for = f"role:{','.join(roles)}"
                self.fields[name].hidden_now = role not in roles

    def clean(self):
        """A role's fields are required for it, and dropped for the other roles (they may still hold a value the
        page hid)."""
        data = super().clean()
        role = data.get("role")
        if role is None:
            return data
        for name, roles in ROLE_FIELDS.items():
            if name not in self.fields:
                continue
            if role not in roles:
                data[name] = None
            elif role in ROLE_REQUIRES.get(name, ()) and data.get(name) is None and not self.has_error(name):
                self.add_error(name, ROLE_MESSAGES[name])
        return data

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password)
        return password


class ProfileForm(FormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "title"]
        field_classes = {"phone": PhoneField}


class SetPasswordByAdminForm(FormMixin, forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.user)
        return password


class _OneMessage:
    """Django's password forms, their password checked as every account form checks it (one message)."""

    def validate_password_for_user(self, user, password_field_name="password2"):  # noqa: S107 (a field name)
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)


class PasswordChangeForm(_OneMessage, FormMixin, auth_forms.PasswordChangeForm):
    """Django's change-password form, saved through the service (which revokes the user's API tokens)."""

    def save(self, commit=True):
        return services.user_change_own_password(user=self.user, password=self.cleaned_data["new_password1"])


class PasswordResetSetForm(_OneMessage, FormMixin, auth_forms.SetPasswordForm):
    """The form behind the e-mailed reset (or account set-up) link, saved through the service like a change."""

    def save(self, commit=True):
        return services.user_change_own_password(user=self.user, password=self.cleaned_data["new_password1"],
                                                 reset=True)


class PasswordResetForm(FormMixin, auth_forms.PasswordResetForm):
    """Django's reset form, the message sent by the worker: the page answers at once whether an account has the
    address or not (and a slow mail server does not hold the request)."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if not user.is_system)  # never the platform's account

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        email_now(to=[to_email], subject=subject, body=body)
