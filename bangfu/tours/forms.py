"""Forms of the lecture tour pages: they parse the input; the rules are the services' (tours.services), whose
refusals are shown beside the fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from bangfu.accounts.models import User
from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin, IdsField
from bangfu.core.widgets import SearchableSelect
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum

from .models import MAX_ATTENDANCE, Audience

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExpertChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organisation}{' · ' + obj.title if obj.title else ''}）"


class ExpertsField(IdsField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.organisation}{' · ' + obj.title if obj.title else ''}）"


class TourForm(FormMixin, forms.Form):
    title = forms.CharField(label="巡讲名称", max_length=120)
    area = forms.ChoiceField(label="业务领域", choices=Area.choices, initial=Area.PEOPLE)
    theme = forms.CharField(label="巡讲主题", max_length=200, required=False)
    lead_museum = forms.ModelChoiceField(
        label="牵头单位", queryset=Museum.objects.order_by("pinyin"), widget=SearchableSelect,
        help_text="派出巡讲团的帮扶单位（一般为省级或一级博物馆）：每站记入帮扶台账时作为帮扶方。")
    experts = ExpertsField(label="巡讲团成员", queryset=Expert.objects.active().order_by("pinyin_initials", "pk"),
                           widget=forms.CheckboxSelectMultiple)
    leader = ExpertChoice(label="团长", required=False, queryset=Expert.objects.active())
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE)
    description = forms.CharField(label="简介", required=False, max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class StopForm(FormMixin, forms.Form):
    museum = forms.ModelChoiceField(label="站点博物馆", queryset=Museum.objects.order_by("pinyin"),
                                    widget=SearchableSelect)
    date = forms.DateField(label="日期", widget=DATE)
    topic = forms.CharField(label="讲题", max_length=200)
    teachers = ExpertsField(label="主讲专家", queryset=Expert.objects.none(), widget=forms.CheckboxSelectMultiple)
    audience = forms.ChoiceField(label="对象", choices=Audience.choices)
    expected = forms.IntegerField(label="预计人数", min_value=0, max_value=MAX_ATTENDANCE, initial=30)
    hours = forms.DecimalField(label="学时", min_value=Decimal("0.5"), max_value=Decimal("24"), decimal_places=1,
                               initial=Decimal("3"), help_text="到场馆员计入个人学时档案的学时")

    def __init__(self, *args, tour, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = tour.experts.order_by("pinyin_initials", "pk")


class AttendeesField(IdsField):
    def label_from_instance(self, obj):
        return obj.display_name


class RecordForm(FormMixin, forms.Form):
    attendance = forms.IntegerField(label="实到人数", min_value=1, max_value=MAX_ATTENDANCE)
    attendees = AttendeesField(label="到场馆员（平台账号）", required=False, queryset=User.objects.none(),
                               widget=forms.CheckboxSelectMultiple,
                               help_text="勾选的馆员将获得本站学时，计入个人学时档案。")
    notes = forms.CharField(label="纪要", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    done = forms.BooleanField(label="本站已完成（记入帮扶台账）", required=False, initial=True)

    def __init__(self, *args, stop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.of_museum(stop.museum).filter(is_active=True).order_by(
            "pk")


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", required=False, max_length=300)


class AnswerForm(FormMixin, forms.Form):
    note = forms.CharField(label="希望调整到的时间及原因", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))
