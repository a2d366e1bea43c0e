"""The environment pages' forms: a site, a room (its materials and own limits), a sensor, rows typed from a handheld
meter, a pest record and one row of the material limits table. Each carries what its service takes; the services'
refusals are shown beside the fields (`core.forms.apply_errors`)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.core.forms import FormMixin, apply_errors
from bangfu.museums.models import Museum
from bangfu.objects.models import MaterialClass

from . import readings
from .models import MaterialLimit, PestRecord, Room, Sensor, Site
from .services import MATERIAL_LIMIT_FIELDS, PEST_FIELDS, ROOM_FIELDS, SENSOR_FIELDS, SITE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MANUAL_ROWS = 6  # rows of the manual entry form: a walk round a storeroom with a handheld meter


def show_refusal(form: forms.ModelForm, exc: ValidationError) -> None:
    """A service's refusal beside the fields it names (a name taken is the name field's: `models.NamedOnce`)."""
    apply_errors(form, exc)


class SiteForm(FormMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = SITE_FIELDS


class SiteCreateForm(SiteForm):
    """The association names the museum; a museum's admin adds sites of their own museum only."""

    museum = forms.ModelChoiceField(label="博物馆", queryset=Museum.objects.none())

    class Meta(SiteForm.Meta):
        fields = ("museum", *SITE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["museum"].queryset = Museum.objects.order_by("name")


class RoomForm(FormMixin, forms.ModelForm):
    materials = forms.MultipleChoiceField(label="存放材质", choices=MaterialClass.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text="决定默认的温湿度与光照指标；多种材质取共同范围")

    class Meta:
        model = Room
        fields = ROOM_FIELDS
        help_texts = {"temp_min": "留空则按材质的默认指标", "rh_min": "留空则按材质的默认指标"}

    def clean(self):
        data = super().clean()
        for low, high, what in (("temp_min", "temp_max", "温度"), ("rh_min", "rh_max", "相对湿度")):
            a, b = data.get(low), data.get(high)
            if a is not None and b is not None and a > b:
                self.add_error(high, f"{what}上限不能低于下限。")
        return data


class SensorForm(FormMixin, forms.ModelForm):
    class Meta:
        model = Sensor
        fields = SENSOR_FIELDS


class PestRecordForm(FormMixin, forms.ModelForm):
    class Meta:
        model = PestRecord
        fields = PEST_FIELDS
        widgets = {"date": DATE, "action": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("检查日期不能晚于今天。")
        return day


class MaterialLimitForm(FormMixin, forms.ModelForm):
    class Meta:
        model = MaterialLimit
        fields = MATERIAL_LIMIT_FIELDS
        widgets = {"source": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        for low, high, what in (("temp_min", "temp_max", "温度"), ("rh_min", "rh_max", "相对湿度")):
            a, b = data.get(low), data.get(high)
            if a is not None and b is not None and a > b:
                self.add_error(high, f"{what}上限不能低于下限。")
        return data


class ReadingRowForm(FormMixin, forms.Form):
    """One row typed from a handheld meter: the time read (China time) and what the meter showed; an empty row
    is skipped."""

    time = forms.DateTimeField(label="时间", required=False, widget=DATETIME,
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
                               error_messages={"invalid": "请输入有效的时间，如 2026-11-24 09:30。"})
    temperature = forms.FloatField(label="温度（°C）", required=False, min_value=readings.BOUNDS["temperature"][0],
                                   max_value=readings.BOUNDS["temperature"][1])
    rh = forms.FloatField(label="相对湿度（%）", required=False, min_value=0, max_value=100)
    lux = forms.FloatField(label="照度（lx）", required=False, min_value=0, max_value=readings.BOUNDS["lux"][1])
    uv = forms.FloatField(label="紫外（µW/lm）", required=False, min_value=0, max_value=readings.BOUNDS["uv"][1])

    VALUES = ("temperature", "rh", "lux", "uv")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        has_value = any(data.get(name) is not None for name in self.VALUES)
        when = data.get("time")
        if when is None and has_value:
            self.add_error("time", "请填写读数的时间。")
        elif when is not None and not has_value:
            self.add_error("temperature", "请至少填写一项读数。")
        elif when is not None and when > timezone.now() + readings.FUTURE_SLACK:
            self.add_error("time", "时间不能晚于现在。")
        elif when is not None and when < readings.EARLIEST:
            self.add_error("time", "时间不能早于 2000 年。")
        return data

    def reading(self) -> readings.ReadingIn | None:
        data = self.cleaned_data
        if data.get("time") is None:
            return None
        return readings.ReadingIn(time=data["time"], **{name: data.get(name) for name in self.VALUES})


class BaseReadingRows(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        times = [f.cleaned_data.get("time") for f in self.forms if f.cleaned_data.get("time")]
        if not times:
            raise forms.ValidationError("请至少填写一行读数。")
        if len(set(times)) != len(times):
            raise forms.ValidationError("有两行的时间相同，请合并为一行。")


ReadingRows = forms.formset_factory(ReadingRowForm, formset=BaseReadingRows, extra=MANUAL_ROWS, max_num=50,
                                    validate_max=True, absolute_max=50)


def default_time() -> datetime.datetime:
    """Now, to the minute: the first row's time."""
    return timezone.localtime().replace(second=0, microsecond=0)
