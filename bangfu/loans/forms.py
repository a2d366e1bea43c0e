"""The loan pages' forms: the request, one form per workflow step, the condition report and the rules table. Each
carries what its service takes; the services' refusals are shown beside the fields (`core.forms.apply_errors`)."""

from __future__ import annotations

from django import forms

from bangfu.core.forms import FormMixin
from bangfu.core.params import parse_int
from bangfu.museums.models import Museum
from bangfu.objects.models import UNLENDABLE_CONDITIONS, CollectionObject, Condition

from .models import MAX_INSURED_YUAN, LoanKind, LoanRule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PHOTOS = 12


class LoanRequestForm(FormMixin, forms.Form):
    """A borrower's request: the lender, objects among the lender's offered ones, the exhibition and the period."""

    lender = forms.ModelChoiceField(label="出借方", queryset=Museum.objects.none())
    objects = forms.ModelMultipleChoiceField(label="借展藏品", queryset=CollectionObject.objects.none(),
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="出借方公开可供借展的藏品")
    kind = forms.ChoiceField(label="方式", choices=LoanKind.choices, initial=LoanKind.LOAN)
    exhibition_title = forms.CharField(label="展览名称", max_length=100, required=False)
    purpose = forms.CharField(label="借展目的", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    venue = forms.CharField(label="展出地点", max_length=200)
    start = forms.DateField(label="借展起始日", widget=DATE)
    end = forms.DateField(label="借展截止日", widget=DATE)
    opening = forms.DateField(label="开展日期", required=False, widget=DATE, help_text="不填则为借展起始日")

    def __init__(self, *args, borrower, lender_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        offered = CollectionObject.objects.offered().exclude(museum=borrower).select_related("museum")
        self.fields["lender"].queryset = Museum.objects.filter(
            pk__in=offered.values("museum")).order_by("name")
        chosen = parse_int(self.data.get("lender"), minimum=1) if self.is_bound else lender_id
        self.fields["objects"].queryset = (offered.filter(museum_id=chosen) if chosen else offered).order_by(
            "museum__name", "registration_number")
        self.fields["objects"].label_from_instance = lambda o: (
            f"{o.name}（{o.registration_number}，{o.get_grade_display()}）{_unlendable(o)}")

    def clean(self):
        data = super().clean()
        start, end, lender = data.get("start"), data.get("end"), data.get("lender")
        if start and end and end < start:
            self.add_error("end", "截止日不能早于起始日。")
        chosen = data.get("objects") or []
        if lender and any(o.museum_id != lender.pk for o in chosen):
            self.add_error("objects", "所选藏品须全部属于所选出借方。")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"lender": data["lender"], "objects": list(data["objects"]), "purpose": data["purpose"],
                "venue": data["venue"], "start": data["start"], "end": data["end"], "opening": data["opening"],
                "kind": data["kind"], "exhibition_title": data["exhibition_title"]}


# --- the steps --------------------------------------------------------------------------------------------


class ReviewItemForm(FormMixin, forms.Form):
    fit = forms.TypedChoiceField(label="审查结论", choices=[("1", "适宜出借"), ("0", "不宜出借")],
                                 coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label="审查意见", max_length=300, required=False, help_text="不宜出借时必须说明原因",
                           widget=forms.TextInput(attrs={"placeholder": "审查意见（不宜出借时必填）",
                                                         "aria-label": "审查意见"}))


class FinishReviewForm(FormMixin, forms.Form):
    """The end of the object review; the lender may send objects other than 一级文物 to the experts too."""

    send_to_experts = forms.MultipleChoiceField(label="另送专家评估的藏品（可选）", required=False,
                                                widget=forms.CheckboxSelectMultiple,
                                                help_text="一级文物按规则自动送专家评估")

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send_to_experts"].choices = [
            (str(i.pk), f"{i.obj.name}（{i.obj.registration_number}）") for i in items]
        if not self.fields["send_to_experts"].choices:
            del self.fields["send_to_experts"]

    def chosen(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("send_to_experts", [])]


class ExpertForm(FormMixin, forms.Form):
    experts = forms.CharField(label="评估专家", max_length=200)
    date = forms.DateField(label="评估日期", widget=DATE)
    opinion = forms.CharField(label="评估意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"verdict_{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.obj.name}（{item.obj.registration_number}）",
                choices=[("1", "适宜展陈运输"), ("0", "不宜展陈运输")], coerce=lambda v: v == "1",
                widget=forms.RadioSelect)
            self.fields[f"note_{item.pk}"] = forms.CharField(label="专家意见", max_length=300, required=False)

    def verdicts(self) -> dict[int, tuple[bool, str]]:
        return {item.pk: (self.cleaned_data[f"verdict_{item.pk}"], self.cleaned_data[f"note_{item.pk}"])
                for item in self.items}


class FacilityForm(FormMixin, forms.Form):
    security = forms.CharField(label="安防条件", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    fire = forms.CharField(label="消防条件", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    climate = forms.CharField(label="温湿度与光照条件", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="评估结论", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class FilingForm(FormMixin, forms.Form):
    """One filing or approval; the choices are the ones the loan still needs (`services.required_filings`)."""

    which = forms.ChoiceField(label="备案或审批")
    authority_name = forms.CharField(label="机关名称", max_length=100, required=False, help_text="如 山西省文物局")
    document_number = forms.CharField(label="文号", max_length=60)
    date = forms.DateField(label="日期", widget=DATE)

    def __init__(self, *args, filings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["which"].choices = [("", "请选择…")] + [
            (f"{f['authority']}:{f['kind']}", f["label"]) for f in filings if not f.get("done")]
        if len(self.fields["which"].choices) == 2:  # one left to record: chosen already
            self.initial.setdefault("which", self.fields["which"].choices[1][0])

    def service_kwargs(self) -> dict:
        authority, kind = self.cleaned_data["which"].split(":", 1)
        return {"authority": authority, "kind": kind, "authority_name": self.cleaned_data["authority_name"],
                "document_number": self.cleaned_data["document_number"], "date": self.cleaned_data["date"]}


class SignForm(FormMixin, forms.Form):
    number = forms.CharField(label="协议编号", max_length=60)
    signed_on = forms.DateField(label="签订日期", widget=DATE)


class TransportForm(FormMixin, forms.Form):
    insurer = forms.CharField(label="保险公司", max_length=100)
    policy_number = forms.CharField(label="保单号", max_length=60)
    insured_amount = forms.DecimalField(label="保险金额（元）", required=False, min_value=0,
                                        max_value=MAX_INSURED_YUAN, max_digits=14, decimal_places=2)
    courier = forms.CharField(label="承运单位", max_length=100)
    crates = forms.IntegerField(label="包装箱数", required=False, min_value=0, max_value=10_000)
    note = forms.CharField(label="运输安排", max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DateForm(FormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DATE)


class ReturnForm(FormMixin, forms.Form):
    items = forms.MultipleChoiceField(label="归还的藏品", required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="不选则全部归还")
    date = forms.DateField(label="归还日期", widget=DATE)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.away = {str(i.pk): i for i in items}
        self.fields["items"].choices = [(str(i.pk), f"{i.obj.name}（{i.obj.registration_number}）") for i in items]

    def chosen_items(self):
        chosen = self.cleaned_data["items"]
        return [self.away[pk] for pk in chosen] if chosen else None


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


# --- the condition report ---------------------------------------------------------------------------------


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment",
                                                              "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(f"一次最多上传 {MAX_PHOTOS} 张照片。")
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ConditionForm(FormMixin, forms.Form):
    condition = forms.ChoiceField(label="保存状态", choices=Condition.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="状况描述", max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="伤况、污渍、裂隙、锈蚀等的位置和尺寸")
    new_damage = forms.BooleanField(label="发现新增损伤", required=False)
    examiner = forms.CharField(label="点交人", max_length=60)
    checked_on = forms.DateField(label="点交日期", widget=DATE)
    photos = MultiplePhotoField(label="照片", required=False, help_text=f"可拍照或从相册选择，最多 {MAX_PHOTOS} 张")



# --- the rules table ---------------------------------------------------------------------------------------


class RuleForm(FormMixin, forms.ModelForm):
    class Meta:
        model = LoanRule
        fields = ["title", "source", "enabled", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.value is None:
            del self.fields["value"]
        else:
            self.fields["value"].required = True
            self.fields["value"].min_value = 1


def _unlendable(obj) -> str:
    """What the checklist says of an object the rules will refuse (the service gives the reason and its source)."""
    if obj.condition in UNLENDABLE_CONDITIONS:
        return f" · {obj.get_condition_display()}，不可出借"
    if obj.fragile:
        return " · 运输易损，不可出借"
    if not obj.has_record:
        return " · 未建档，不可出借"
    return ""
