"""Forms of the exhibitions pages. The rules are the services' (exhibitions.services); the forms parse and show
their refusals beside the fields."""

from __future__ import annotations

from django import forms

from bangfu.core.forms import AttachmentForm, FormMixin
from bangfu.museums.models import Museum

from .models import STAGE_ORDER, CurationProject, Stage, TouringExhibition, TourStop
from .services import TOURING_FIELDS

DATE = {"type": "date"}


class ItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.registration_number} · {obj.get_grade_display()}）"


class TouringForm(FormMixin, forms.ModelForm):
    """What a venue needs to know, the objects from the museum's own collection; on creation the first window."""

    window_start = forms.DateField(label="可预约档期 起", required=False, widget=forms.DateInput(attrs=DATE))
    window_end = forms.DateField(label="可预约档期 止", required=False, widget=forms.DateInput(attrs=DATE))

    class Meta:
        model = TouringExhibition
        fields = [*TOURING_FIELDS, "items"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "item_list": forms.Textarea(attrs={"rows": 3}),
                   "climate": forms.Textarea(attrs={"rows": 2}), "security": forms.Textarea(attrs={"rows": 2}),
                   "cost_terms": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, museum, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from bangfu.objects.models import CollectionObject

        self.fields["items"] = ItemsField(
            label="展品（本馆藏品）", required=False, widget=forms.CheckboxSelectMultiple,
            queryset=CollectionObject.objects.filter(museum=museum, is_active=True).order_by("registration_number"),
            help_text="只列出本馆在册的藏品；未勾选“可供借展/巡展”的藏品其他馆看不到。")
        if not creating:
            del self.fields["window_start"], self.fields["window_end"]

    def clean(self):
        data = super().clean()
        if "window_start" in self.fields and bool(data.get("window_start")) != bool(data.get("window_end")):
            self.add_error("window_end", "请同时填写档期的起止日期。")
        return data

    def windows(self):
        d = self.cleaned_data
        return [(d["window_start"], d["window_end"])] if d.get("window_start") and d.get("window_end") else []

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in TOURING_FIELDS}


class WindowForm(FormMixin, forms.Form):
    start = forms.DateField(label="起", widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label="止", widget=forms.DateInput(attrs=DATE))


class StopRequestForm(FormMixin, forms.Form):
    start = forms.DateField(label="开展日期", widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label="闭展日期", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="申请说明", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3, "placeholder": "展厅情况、联系人、讲解需求等"}))


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteStopForm(FormMixin, forms.ModelForm):
    class Meta:
        model = TourStop
        fields = ["visitors", "events", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}


class ProjectForm(FormMixin, forms.ModelForm):
    """A project: its title and plan, the other museum (the helper for the museum, the museum for the helper),
    and each stage's planned dates."""

    other = forms.ModelChoiceField(label="指导馆", queryset=Museum.objects.none())

    class Meta:
        model = CurationProject
        fields = ["title", "description", "venue", "planned_opening"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "planned_opening": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, choices=None, other_label="指导馆", **kwargs):
        super().__init__(*args, **kwargs)
        if choices is None:
            del self.fields["other"]
        else:
            self.fields["other"].queryset = choices
            self.fields["other"].label = other_label
        for stage in STAGE_ORDER:
            label = Stage(stage).label
            self.fields[f"{stage}_start"] = forms.DateField(label=f"{label} 计划开始", required=False,
                                                            widget=forms.DateInput(attrs=DATE))
            self.fields[f"{stage}_end"] = forms.DateField(label=f"{label} 计划完成", required=False,
                                                          widget=forms.DateInput(attrs=DATE))

    def plan(self) -> dict:
        d = self.cleaned_data
        return {s: (d.get(f"{s}_start"), d.get(f"{s}_end")) for s in STAGE_ORDER}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "description", "venue", "planned_opening")}

    def stage_fields(self):
        return [(Stage(s).label, self[f"{s}_start"], self[f"{s}_end"]) for s in STAGE_ORDER]


class GuidanceForm(AttachmentForm):
    stage = forms.ChoiceField(label="阶段", choices=Stage.choices)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="指导意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["stage", "date", "note", "file", "link", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "附件（可选）"
        self.fields["link"].label = "或链接（可选）"
        self.fields["caption"].label = "附件说明"


class AdvanceForm(FormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    visitors = forms.IntegerField(label="观众人次（可选）", required=False, min_value=0, max_value=100_000_000)



