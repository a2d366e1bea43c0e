"""The learning record's forms: the yearly target, a certificate's revocation, a verification code typed in."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from bangfu.core.forms import FormMixin

from .models import MAX_HOURS


class TargetForm(FormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    hours = forms.DecimalField(label="年度继续教育目标（学时）", min_value=Decimal("1"), max_value=MAX_HOURS,
                               decimal_places=1, max_digits=6, help_text="专业技术人员默认每年 90 学时。")


class RevokeForm(FormMixin, forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200, help_text="验证页面会显示这一原因。")


class VerifyForm(FormMixin, forms.Form):
    code = forms.CharField(label="验证码", max_length=40, help_text="证书左下角的 12 位验证码，不区分大小写。")
