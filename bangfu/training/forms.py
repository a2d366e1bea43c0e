"""The forms of the training pages; the services decide (their refusals appear beside these fields)."""

from __future__ import annotations

from django import forms

from bangfu.core.forms import FormMixin, IdsField
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum
from bangfu.places.models import Division

from .models import TrainingClass

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


class ClassForm(FormMixin, forms.ModelForm):
    link = forms.URLField(label="线上链接", required=False, max_length=300, assume_scheme="https")

    class Meta:
        model = TrainingClass
        fields = ["title", "area", "description", "host", "start", "end", "online", "place", "link", "places",
                  "places_per_museum", "eligibility", "cities", "deadline", "threshold", "has_assessment",
                  "pass_mark", "window_before"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "start": forms.DateInput(attrs=DATE),
                   "end": forms.DateInput(attrs=DATE), "deadline": forms.DateInput(attrs=DATE),
                   "cities": forms.CheckboxSelectMultiple}
        field_classes = {"cities": IdsField}

    def __init__(self, *args, organiser=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Museum.objects.helpers().order_by("pinyin")
        self.fields["host"].required = organiser is None
        if organiser is not None:
            self.fields["host"].queryset = Museum.objects.filter(pk=organiser.pk)
            self.fields["host"].initial = organiser.pk
        self.fields["cities"].queryset = Division.objects.filter(level="city").order_by("code")
        self.fields["cities"].required = False

    def clean(self):
        # Said here, beside the field, before the model's check constraint would say "约束 … 是无效的".
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


class SessionForm(FormMixin, forms.Form):
    title = forms.CharField(label="课程", max_length=100)
    start = forms.DateTimeField(label="上课时间", widget=forms.DateTimeInput(attrs=DATETIME))
    end = forms.DateTimeField(label="下课时间", widget=forms.DateTimeInput(attrs=DATETIME))
    hours = forms.DecimalField(label="学时", min_value=0.5, max_value=24, decimal_places=1, max_digits=4)
    experts = IdsField(label="授课专家（专家库）", required=False,
                       queryset=Expert.objects.filter(is_active=True).order_by("name"))
    teacher_names = forms.CharField(label="其他授课人", max_length=100, required=False)
    place = forms.CharField(label="地点", max_length=100, required=False)


class NominateForm(FormMixin, forms.Form):
    people = IdsField(label="选择本馆人员", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = staff
        self.fields["people"].label_from_instance = lambda u: u.display_name


class CodeForm(FormMixin, forms.Form):
    code = forms.CharField(label="签到码", max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]{6}", "placeholder": "6 位数字"}))


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(FormMixin, forms.Form):
    date = forms.DateField(label="结业日期", widget=forms.DateInput(attrs=DATE))


RATINGS = [(i, f"{i} 分") for i in range(5, 0, -1)]


class FeedbackForm(FormMixin, forms.Form):
    content = forms.TypedChoiceField(label="课程内容", choices=RATINGS, coerce=int)
    teachers = forms.TypedChoiceField(label="授课老师", choices=RATINGS, coerce=int)
    organisation = forms.TypedChoiceField(label="组织服务", choices=RATINGS, coerce=int)
    comment = forms.CharField(label="意见建议", required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
