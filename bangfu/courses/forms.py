"""Forms of the course pages: they parse the input; the rules (what a lesson's file must be, a link's scheme,
publishing) are the services' (courses.services), shown beside the fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.core.uploads import EVIDENCE_ACCEPT_ATTR, VIDEO_TYPES
from bangfu.core.widgets import SearchableSelect
from bangfu.museums.models import Museum

from .models import MAX_COURSE_HOURS, LessonKind


class CourseForm(FormMixin, forms.Form):
    title = forms.CharField(label="课程名称", max_length=120)
    area = forms.ChoiceField(label="业务领域", choices=Area.choices, initial=Area.PEOPLE)
    hours = forms.DecimalField(label="学时", min_value=Decimal("0.5"), max_value=MAX_COURSE_HOURS, decimal_places=1,
                               initial=Decimal("2"), help_text="学完全部课时后计入个人学时档案")
    teacher = forms.CharField(label="主讲", max_length=100, required=False)
    organiser = forms.ModelChoiceField(label="开课单位", required=False, queryset=Museum.objects.order_by("pinyin"),
                                       widget=SearchableSelect, help_text="不选：省博物馆协会")
    description = forms.CharField(label="课程简介", required=False, max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    published = forms.BooleanField(label="发布到课程库", required=False)

    def __init__(self, *args, association: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not association:
            del self.fields["organiser"]


class LessonForm(FormMixin, forms.Form):
    title = forms.CharField(label="课时名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=LessonKind.choices)
    file = forms.FileField(label="文件", required=False, widget=forms.ClearableFileInput(
        attrs={"accept": ",".join(sorted(set(VIDEO_TYPES) | set(EVIDENCE_ACCEPT_ATTR.split(","))))}))
    link = forms.CharField(label="链接", required=False, max_length=500,
                           widget=forms.URLInput(attrs={"placeholder": "https://"}))
    minutes = forms.IntegerField(label="时长（分钟）", required=False, min_value=1, max_value=24 * 60)
    summary = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"视频：MP4 或 WebM（{settings.UPLOAD_MAX_VIDEO_MB} MB 以内）；文档：PDF、Word、Excel、PowerPoint"
            f"（{settings.UPLOAD_MAX_EVIDENCE_MB} MB 以内）")
        if editing:
            del self.fields["kind"]
            self.fields["file"].help_text += "。不选则保留原文件。"
