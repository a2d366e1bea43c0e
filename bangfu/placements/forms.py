"""Forms of the placement and visit pages. The rules are the services' (placements.services); the forms parse the
input and show the services' refusals beside the fields (the 3–6 month rule beside the end date)."""

from __future__ import annotations

from django import forms

from bangfu.accounts.models import User
from bangfu.core.forms import FormMixin
from bangfu.museums.models import Museum
from bangfu.parties import MUSEUM_ROLES

from .models import MAX_TRAINED, Grade, PlacementKind, PlacementRule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
AREA = {"rows": 3}


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.title}）" if getattr(obj, "title", "") else obj.display_name


def staff_of(museum_id: int | None):
    return User.objects.filter(museum_id=museum_id, role__in=MUSEUM_ROLES, is_active=True).order_by("pk")


class PlacementForm(FormMixin, forms.Form):
    person = UserChoice(label="派出人员", queryset=User.objects.none(), help_text="本馆在职馆员")
    host = forms.ModelChoiceField(label="接收馆", queryset=Museum.objects.none(),
                                  help_text="结对帮扶馆列在前面；协会也可安排到其他博物馆")
    kind = forms.ChoiceField(label="方式", choices=PlacementKind.choices)
    department = forms.CharField(label="接收部门", required=False, max_length=100,
                                 help_text="如：陈列部、保管部、社教部")
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE)
    goals = forms.CharField(label="学习目标与计划", max_length=3000, widget=forms.Textarea(attrs=AREA))
    mentor = UserChoice(label="建议指导老师", required=False, queryset=User.objects.none(),
                        help_text="可不填，由接收馆在同意时确定")

    def __init__(self, *args, museum=None, hosts=None, **kwargs):
        super().__init__(*args, **kwargs)
        rule = PlacementRule.current()
        self.fields["end"].help_text = f"协会规则：期限 {rule.label}（如 3月1日开始，满 {rule.min_months} 个月为" \
                                       f" {rule.min_months} 个月后的前一天）"
        self.fields["person"].queryset = staff_of(museum.pk if museum else None)
        self.fields["host"].queryset = hosts if hosts is not None else Museum.objects.none()
        self.fields["mentor"].queryset = User.objects.filter(role__in=MUSEUM_ROLES, is_active=True).exclude(
            museum_id=museum.pk if museum else None).exclude(museum__isnull=True).select_related("museum") \
            .order_by("museum_id", "pk")
        self.fields["mentor"].label_from_instance = lambda u: f"{u.museum.name} · {u.display_name}"


class AgreeForm(FormMixin, forms.Form):
    mentor = UserChoice(label="指导老师", queryset=User.objects.none())
    department = forms.CharField(label="接收部门", required=False, max_length=100)

    def __init__(self, *args, host_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = staff_of(host_id)


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(FormMixin, forms.Form):
    grade = forms.ChoiceField(label="考核等次", choices=Grade.choices)
    assessment = forms.CharField(label="考核评语", max_length=3000, widget=forms.Textarea(attrs=AREA))


class ReportForm(FormMixin, forms.Form):
    month = forms.DateField(label="月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    work_done = forms.CharField(label="本月工作", max_length=3000, widget=forms.Textarea(attrs=AREA))
    learned = forms.CharField(label="学习收获", max_length=3000, widget=forms.Textarea(attrs=AREA))
    next_plan = forms.CharField(label="下月计划", required=False, max_length=3000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="附件", required=False, help_text="可选：PDF、Word、照片等")


class CommentForm(FormMixin, forms.Form):
    comment = forms.CharField(label="点评意见", max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(FormMixin, forms.ModelForm):
    class Meta:
        model = PlacementRule
        fields = ["min_months", "max_months", "credit_hours"]


class VisitForm(FormMixin, forms.Form):
    partner = forms.ModelChoiceField(label="对方博物馆", queryset=Museum.objects.none(),
                                     help_text="受援馆：申请帮扶馆派员指导；帮扶馆：提出到结对馆指导")
    title = forms.CharField(label="指导主题", max_length=100, help_text="如：库房预防性保护与藏品账目规范")
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE, help_text="短期指导不超过 30 天")
    agenda = forms.CharField(label="日程安排", max_length=3000, widget=forms.Textarea(attrs=AREA))
    visitors = forms.CharField(label="指导人员", required=False, max_length=300,
                               help_text="帮扶馆派出的管理人员和业务骨干，如：张三（陈列部主任）")

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners if partners is not None else Museum.objects.none()


class VisitCompleteForm(FormMixin, forms.Form):
    report = forms.CharField(label="指导报告", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    people_trained = forms.IntegerField(label="现场培训人数", required=False, min_value=0, max_value=MAX_TRAINED)
    photo = forms.ImageField(label="现场照片", required=False, help_text="JPG、PNG 或 WebP；更多照片可在提交后上传")
