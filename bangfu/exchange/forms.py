"""Forms of the exchange's posts. They parse input; the rules live in services.py and come back as
ValidationError (shown beside the fields by `apply_errors`)."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.core.widgets import SearchableSelect
from bangfu.museums.models import Museum
from bangfu.places.models import Division

from .models import Post, PostKind, Subtype

# What the date, the terms and the capacity mean for each kind of post.
KIND_LABELS = {
    PostKind.NEED: {"until": ("希望完成日期", "希望在此日期前得到帮助；过期后自动下架。"),
                    "terms": ("预算", "如 预算 2 万元；差旅由本馆承担")},
    PostKind.OFFER: {"until": ("可提供至", "可提供到此日期；过期后自动下架。"),
                     "terms": ("费用条件", "如 无偿；差旅由受援方承担"),
                     "capacity": ("可服务馆数", "最多可以同时帮助几家博物馆（1–50）")},
}


class MuseumChoiceField(forms.ModelChoiceField):
    widget = SearchableSelect

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.city.name if obj.city_id else '所在地待核实'}）"


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CitiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


def subtype_choices(current: int | None = None) -> list:
    """The active sub-types grouped by area (the group's label is the area's name, which post_form.js compares
    with the chosen area to offer only its sub-types), and the post's `current` one even if switched off since
    (an edit keeps it; the services refuse a switched-off one newly chosen)."""
    by_area: dict[str, list] = {value: [] for value in Area.values}
    for subtype in Subtype.objects.filter(Q(is_active=True) | Q(pk=current)).order_by("area", "order", "id"):
        name = subtype.name if subtype.is_active else f"{subtype.name}（已停用）"
        by_area.setdefault(subtype.area, []).append((subtype.pk, name))
    return [("", "不选")] + [(Area(area).label, items) for area, items in by_area.items() if items]


class PostForm(FormMixin, forms.ModelForm):
    """A need or an offer. `kind` is fixed by the page (labels differ); the association picks the museum."""

    museum = MuseumChoiceField(queryset=Museum.objects.none(), label="发布馆", empty_label="请选择博物馆",
                               error_messages={"required": "请选择发布的博物馆。"})

    class Meta:
        model = Post
        fields = ["museum", "area", "subtype", "title", "description", "city", "regions", "until", "terms",
                  "capacity", "contact_name", "contact_phone", "contact_email", "contact_visibility"]
        field_classes = {"city": CityChoiceField, "regions": CitiesField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "subtype": forms.Select(attrs={"data-no-search": "", "data-area-select": "id_area"}),
        }
        labels = {"city": "所在地（市）", "regions": "服务地区"}
        help_texts = {"title": "一句话说明需要或能提供什么，如 馆藏彩塑病害检测与修复方案",
                      "regions": "不选表示全省",
                      "contact_visibility": "在供需对接中公开显示联系方式的范围；对接方和协会总能看到"}
        error_messages = {"title": {"required": "请填写标题。"}, "description": {"required": "请填写详细说明。"},
                          "area": {"required": "请选择领域。"}}

    def __init__(self, *args, kind: str, museum_picker: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if museum_picker:
            self.fields["museum"].queryset = Museum.objects.select_related("city").order_by("pinyin", "id")
        else:
            del self.fields["museum"]
        if kind != PostKind.OFFER:
            del self.fields["capacity"]
        for name, (label, help_text) in KIND_LABELS[kind].items():
            self.fields[name].label, self.fields[name].help_text = label, help_text
        self.fields["subtype"].choices = subtype_choices(self.instance.subtype_id)
        self.fields["subtype"].help_text = "先选领域，再选子类（可不选）"
        cities = Division.objects.cities().order_by("code")
        self.fields["city"].queryset = cities
        self.fields["city"].empty_label = "请选择所在市"
        self.fields["city"].help_text = "不填时用发布馆的所在市"
        self.fields["regions"].queryset = cities
        self.fields["regions"].widget.attrs["class"] = "form-check-input"

    @property
    def regular_fields(self):
        """The fields rendered by the standard include (the regions get their own inline checkboxes)."""
        return [self[name] for name in self.fields if name != "regions"]

    def service_data(self) -> dict:
        """The cleaned values as the services take them: EDITABLE fields, plus `museum` and `regions`."""
        data = dict(self.cleaned_data)
        data.pop("museum", None)
        data.pop("regions", None)
        return data
