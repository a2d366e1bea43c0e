"""Forms of the 远程咨询 pages: they parse the input; the rules are the services' (consulting.services), whose
refusals are shown beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.core.uploads import EVIDENCE_ACCEPT_ATTR

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AskForm(FormMixin, forms.Form):
    area = forms.ChoiceField(label="领域", choices=[("", "请选择")] + list(Area.choices))
    title = forms.CharField(label="问题", max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": "一句话说明问题，如：库房湿度如何控制？"}))
    body = forms.CharField(label="详细说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="文物或场地的情况、已经做过的尝试、希望得到什么帮助。")
    tags = forms.CharField(label="标签", max_length=200, required=False,
                           help_text="用逗号分隔，如：青铜器，锈蚀；专长相符的专家会收到通知。")
    files = MultipleFileField(label="照片或资料", required=False,
                              help_text="照片（JPG、PNG、WebP）或 PDF、Word、Excel，最多 5 个。")


class AnswerForm(FormMixin, forms.Form):
    body = forms.CharField(label="回答", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))


class CommentForm(FormMixin, forms.Form):
    body = forms.CharField(label="评论", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(FormMixin, forms.Form):
    answer = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class _Participants(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**63):
                raise ValidationError("请选择列表中的人员。")
        return super()._check_values(value)

    def label_from_instance(self, obj):
        museum = f"（{obj.museum.name}）" if obj.museum_id else ""
        return f"{obj.display_name}{museum}"


class MeetingForm(FormMixin, forms.Form):
    starts_at = forms.DateTimeField(label="开始时间", input_formats=DATETIME_FORMATS,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(label="时长（分钟）", min_value=15, max_value=480, initial=60)
    link = forms.CharField(label="会议链接", max_length=300,
                           widget=forms.URLInput(attrs={"placeholder": "https://meeting.tencent.com/dm/…"}),
                           help_text="腾讯会议等在线会议的邀请链接，须以 https:// 开头。")
    meeting_code = forms.CharField(label="会议号", max_length=30, required=False)
    participants = _Participants(label="参加人", required=False, queryset=None,
                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        from bangfu.accounts.models import User

        self.fields["participants"].queryset = people if people is not None else User.objects.none()


class RescheduleForm(FormMixin, forms.Form):
    starts_at = MeetingForm.base_fields["starts_at"]
    duration_minutes = forms.IntegerField(label="时长（分钟）", min_value=15, max_value=480)
    link = forms.CharField(label="新的会议链接（不变可不填）", max_length=300, required=False,
                           widget=forms.URLInput(attrs={"placeholder": "https://"}))


class RecordForm(FormMixin, forms.Form):
    minutes = forms.CharField(label="会议纪要", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    conclusions = forms.CharField(label="结论与后续", max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="附件", required=False)
