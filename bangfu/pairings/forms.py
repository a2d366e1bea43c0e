"""Pairing forms. They parse input; the rules live in services.py and come back as ValidationError."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q
from django.utils import timezone

from bangfu.core.dates import term_errors, years_later
from bangfu.core.forms import FormMixin
from bangfu.core.params import parse_int
from bangfu.core.widgets import SearchableSelect
from bangfu.museums.models import Museum

from .models import OPEN_STATUSES, RULE_LIMITS, PairingKind, PairingStatus, ProgrammeRules, rule_validators

DEFAULT_TERM_YEARS = 3




class MuseumChoiceField(forms.ModelChoiceField):
    """A museum select whose options say where the museum is, searchable by typing (pinyin too)."""

    widget = SearchableSelect

    def label_from_instance(self, obj):
        place = obj.city.name if obj.city_id else "所在地待核实"
        return f"{obj.name}（{place}）"


class HelperChoiceField(MuseumChoiceField):
    def __init__(self, *args, capacity: int, **kwargs):
        self.capacity = capacity
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{super().label_from_instance(obj)} · 已结对 {obj.load}/{self.capacity}"


def helper_queryset():
    return (Museum.objects.helpers().select_related("city")
            .annotate(load=Count("pairings_as_helper", filter=Q(pairings_as_helper__status__in=OPEN_STATUSES)))
            .order_by("pinyin", "id"))


def helped_queryset():
    return Museum.objects.helped().select_related("city").order_by("pinyin", "id")


class PairingForm(FormMixin, forms.Form):
    helper = HelperChoiceField(
        queryset=Museum.objects.none(), capacity=3, label="帮扶方（大馆）", empty_label="请选择帮扶方",
        error_messages={"required": "请选择帮扶方。", "invalid_choice": "请选择名录中的帮扶方。"})
    helped = MuseumChoiceField(
        queryset=Museum.objects.none(), label="受援方（小馆）", empty_label="请选择受援方",
        error_messages={"required": "请选择受援方。", "invalid_choice": "请选择名录中的受援方。"})
    kind = forms.ChoiceField(label="结对类型", choices=PairingKind.choices, initial=PairingKind.ONE_TO_ONE,
                             help_text="总分馆结对要求受援馆在名录中登记为该帮扶方的分馆。")
    is_primary = forms.BooleanField(label="主要帮扶方", required=False, initial=True,
                                    help_text="每家受援馆同一时间的主要帮扶方有上限（见结对规则）；"
                                              "协助帮扶的大馆请取消勾选。")
    start_date = forms.DateField(
        label="开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写开始日期。", "invalid": "日期格式应为 2026-01-31。"})
    end_date = forms.DateField(
        label="结束日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写结束日期。", "invalid": "日期格式应为 2026-01-31。"})
    note = forms.CharField(label="备注", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = ProgrammeRules.current()
        self.fields["helper"].queryset = helper_queryset()
        self.fields["helper"].capacity = rules.max_helped_per_helper
        self.fields["helped"].queryset = helped_queryset()
        today = timezone.localdate()
        self.fields["start_date"].initial = today
        self.fields["end_date"].initial = years_later(today, DEFAULT_TERM_YEARS)

    def clean(self):
        """The term's rules (the service checks them again) beside the dates, with the other fields' errors."""
        data = super().clean()
        for field, message in term_errors(start=data.get("start_date"), end=data.get("end_date")).items():
            self.add_error(field, message)
        return data


class RulesForm(FormMixin, forms.ModelForm):
    """The ranges come from the model's validators (RULE_LIMITS); the inputs carry them for the browser too."""

    class Meta:
        model = ProgrammeRules
        fields = ["max_helped_per_helper", "max_primary_helpers_per_helped", "distance_weight", "fit_weight",
                  "max_distance_km"]
        help_texts = {
            "max_helped_per_helper": "1–10 家。提议中、已签约和进行中的结对都占名额；"
                                     "降低上限不影响已有结对，只是不能再新增。",
            "max_primary_helpers_per_helped": "1–3 家。非主要帮扶方（协助帮扶）不受此限。",
            "distance_weight": "0–10。推荐结对时每公里距离的分量；只有它与供需匹配权重的比例影响推荐结果。",
            "fit_weight": "0–1000 公里。受援馆的一项需求与帮扶方的一项可提供领域相符时，相当于缩短多少公里。"
                          "设为 0 则只看距离。",
            "max_distance_km": "1–5000 公里。超过此距离的两馆不推荐结对；不填表示不限。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in RULE_LIMITS.items():
            self.fields[name].validators = rule_validators(name)  # not Django's generic "≥ 0" as well
            self.fields[name].widget.attrs.update({"min": low, "max": high})
        for name in ("distance_weight", "fit_weight"):
            self.fields[name].widget.attrs["step"] = "any"

    def changed(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ExclusionForm(FormMixin, forms.Form):
    museum_a = MuseumChoiceField(queryset=Museum.objects.none(), label="帮扶方", empty_label="请选择帮扶方",
                                 error_messages={"required": "请选择帮扶方。"})
    museum_b = MuseumChoiceField(queryset=Museum.objects.none(), label="受援方", empty_label="请选择受援方",
                                 error_messages={"required": "请选择受援方。"})
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["museum_a"].queryset = Museum.objects.helpers().select_related("city").order_by("pinyin")
        self.fields["museum_b"].queryset = helped_queryset()


class StatusForm(FormMixin, forms.Form):
    status = forms.ChoiceField(choices=PairingStatus.choices, error_messages={"invalid_choice": "未知的状态。"})
    reason = forms.CharField(max_length=300, required=False)


class _AnyValues(forms.MultipleChoiceField):
    def valid_value(self, value):
        return True  # checked in clean_accept; the rules are checked by the service


class AcceptForm(FormMixin, forms.Form):
    """The suggestions the admin ticked, as "helper_id-helped_id" values."""

    accept = _AnyValues(error_messages={"required": "请至少勾选一条推荐。"})

    def clean_accept(self) -> list[tuple[int, int]]:
        pairs = []
        for value in self.cleaned_data["accept"]:
            helper, _, helped = (parse_int(part) for part in value.partition("-"))
            if helper is None or helped is None:
                raise forms.ValidationError("推荐的格式不正确，请刷新页面后重试。")
            pairs.append((helper, helped))
        return list(dict.fromkeys(pairs))
