"""Account forms: the validation lives in the services; forms parse and present."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from bangfu.core.forms import FormMixin
from bangfu.core.phones import PhoneField
from bangfu.museums.models import Museum
from bangfu.places.models import Division

from .models import Role, User


class LoginForm(FormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输错多次后，该账号将被暂时锁定。",
        "inactive": "该账号已停用，请联系本馆管理员或协会秘书处。",
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
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, actor: User, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["museum"].queryset = Museum.objects.only("id", "name").order_by("pinyin")
        self.fields["jurisdiction"].queryset = Division.objects.filter(level__in=["province", "city"])
        if not actor.is_association_admin:
            # A museum admin manages staff of their own museum only.
            self.fields["role"].choices = [(Role.MUSEUM_STAFF, Role.MUSEUM_STAFF.label)]
            del self.fields["museum"]
            del self.fields["jurisdiction"]
        if not creating:
            del self.fields["password"]
            self.fields["username"].disabled = True

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password)
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
        password_validation.validate_password(password, self.user)
        return password
