"""Ledger forms: a museum (or the association) records help given outside the platform's modules; the other
side confirms or objects. The rules are in services.ledger_record / ledger_confirm; forms parse and show errors."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.core.uploads import EVIDENCE_ACCEPT_ATTR, EVIDENCE_ACCEPTED, checked_evidence
from bangfu.core.widgets import SearchableSelect
from bangfu.museums.models import Museum, ProgrammeRole
from bangfu.pairings.models import Pairing
from bangfu.parties import other_side, party, side_of_museum

from .models import (
    DAYS,
    DESCRIPTION_MAX_LENGTH,
    MONEY_YUAN,
    OBJECT_COUNT,
    PEOPLE_TRAINED,
    QUANTITIES,
    QUANTITY_FIELDS,
    VISITORS,
    LedgerEntry,
    QuantityLimits,
    quantity_formfield,
)
from .selectors import default_pairing
from .services import CORRECTABLE, DUPLICATE_FIELD, manual_entry_errors

KIND_SUGGESTIONS = ["培训", "讲座", "巡展", "联合策展", "借展", "修复", "专家会诊", "业务指导", "跟班学习", "挂职",
                    "文创开发", "社教活动", "课题合作", "资料共享", "设备支持", "资金支持"]
OUR_SIDES = [("helper", "本馆提供了帮扶（本馆为帮扶方）"), ("helped", "本馆接受了帮扶（本馆为受援方）")]
# How many other museums the counterpart list offers besides the museum's partners (one province's worth).
MAX_COUNTERPART_OPTIONS = 600


def limit_quantity_fields(form: forms.BaseForm) -> None:
    """Bound the form's quantity inputs by the association's limits (`QuantityLimits`): min 0 and max the limit, in
    the HTML and on the server, with the limits' own messages — the browser and the services agree (FormMixin
    turns the tightest bounds into the inputs' min and max)."""
    quantities = [(q, form.fields[q.name]) for q in QUANTITIES if q.name in form.fields]
    if not quantities:  # a form without quantities (an agreement's task row) reads no limits: one query a row
        return
    limits = QuantityLimits.current()
    for quantity, field in quantities:
        field.validators += [MaxValueValidator(getattr(limits, quantity.name), limits.limit_message(quantity)),
                             MinValueValidator(0, limits.negative_message(quantity))]


def _museum_label(museum: Museum) -> str:
    return f"{museum.name}（{museum.city.name}）" if museum.city_id else museum.name


def _pairing_label(pairing: Pairing) -> str:
    return f"{pairing.helper.display_name} → {pairing.helped.display_name}（{pairing.get_status_display()}）"


class EntryForm(FormMixin, forms.Form):
    """A manual ledger entry. Museum staff name their side and the other museum (or pick one of their pairings);
    the association names both museums."""

    our_side = forms.ChoiceField(label="本馆在这项帮扶中", choices=OUR_SIDES,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    pairing = forms.ModelChoiceField(label="所属结对", queryset=Pairing.objects.none(), required=False,
                                     empty_label="不选（两馆有进行中的结对时自动归入）",
                                     help_text="选择结对后，对方博物馆即为结对的另一方，可以不填。")
    counterpart = forms.ModelChoiceField(label="对方博物馆", queryset=Museum.objects.none(), required=False,
                                         empty_label="请选择", widget=SearchableSelect)
    helper = forms.ModelChoiceField(label="帮扶方", queryset=Museum.objects.none(), empty_label="请选择",
                                    widget=SearchableSelect)
    helped = forms.ModelChoiceField(label="受援方", queryset=Museum.objects.none(), empty_label="请选择",
                                    widget=SearchableSelect)
    area = forms.ChoiceField(label="帮扶领域", choices=[("", "请选择")] + Area.choices)
    kind = forms.CharField(label="帮扶形式", max_length=40,
                           widget=forms.TextInput(attrs={"list": "kind-suggestions", "autocomplete": "off"}),
                           help_text="如 培训、巡展、修复、讲座、借展")
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text="帮扶完成（或结束）的日期，不能晚于今天。")
    # No upper bounds here: the association's limits (QuantityLimits) apply in the service, with their message.
    people_trained = quantity_formfield(PEOPLE_TRAINED, required=False)
    days = quantity_formfield(DAYS, required=False)
    object_count = quantity_formfield(OBJECT_COUNT, required=False)
    visitors = quantity_formfield(VISITORS, required=False)
    money_yuan = quantity_formfield(MONEY_YUAN, required=False)
    description = forms.CharField(label="内容", max_length=DESCRIPTION_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="做了什么、谁参加、取得了什么结果。")
    evidence = forms.FileField(label="佐证材料", required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT_ATTR}),
                               help_text=f"{EVIDENCE_ACCEPTED}；仅帮扶双方、协会和主管单位可以查看。")
    evidence_link = forms.URLField(label="佐证链接", required=False, assume_scheme="https",
                                   help_text="如新闻报道、公众号文章的网址。佐证材料和链接至少填写一项。")
    confirm_not_duplicate = forms.BooleanField(label="确认不是重复登记", required=False,
                                               help_text="台账中已有一条相同的记录时才需要勾选：这确实是另一次帮扶。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.museum = None
        limit_quantity_fields(self)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.kind_suggestions = KIND_SUGGESTIONS
        if user.is_association_admin:
            for name in ("our_side", "pairing", "counterpart"):
                del self.fields[name]
            self.fields["helper"].queryset = Museum.objects.select_related("city").order_by("pinyin")
            self.fields["helper"].widget.choices = self._options(Museum.objects.helpers())
            self.fields["helped"].queryset = Museum.objects.select_related("city").order_by("pinyin")
            self.fields["helped"].widget.choices = self._options(Museum.objects.helped())
            return
        del self.fields["helper"], self.fields["helped"]
        self.museum = Museum.objects.get(pk=user.museum_id)
        self.fields["our_side"].initial = "helped" if self.museum.programme_role == ProgrammeRole.HELPED else "helper"
        pairings = Pairing.objects.of_museum(self.museum.pk).with_parties().order_by("-start_date", "-id")
        self.fields["pairing"].queryset = pairings
        self.fields["pairing"].label_from_instance = _pairing_label
        self.fields["counterpart"].queryset = Museum.objects.exclude(pk=self.museum.pk)
        self.fields["counterpart"].widget.choices = self._counterpart_options(pairings)

    def _options(self, museums) -> list:
        return [("", "请选择")] + [(m.pk, _museum_label(m)) for m in museums.select_related("city").order_by("pinyin")]

    def _counterpart_options(self, pairings) -> list:
        """The museum's partners first, then the other museums of its province (those of the other programme role
        first); a museum elsewhere is recorded by the association."""
        partners = {}
        for p in pairings:
            other = party(p, other_side(p, side_of_museum(p, self.museum)))
            partners.setdefault(other.pk, other)
        opposite = ProgrammeRole.HELPER if self.museum.programme_role == ProgrammeRole.HELPED else ProgrammeRole.HELPED
        others = (
            Museum.objects.filter(province=self.museum.province).exclude(pk__in=[self.museum.pk, *partners])
            .select_related("city")
            .annotate(first=Case(When(Q(programme_role=opposite) | Q(programme_role=ProgrammeRole.BOTH),
                                      then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by("first", "pinyin")[:MAX_COUNTERPART_OPTIONS]
        )
        choices = [("", "请选择")]
        if partners:
            choices.append(("结对博物馆", [(m.pk, m.name) for m in partners.values()]))
        choices.append((f"{self.museum.province}其他博物馆", [(m.pk, _museum_label(m)) for m in others]))
        return choices

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        return checked_evidence(upload) if upload else None

    def clean(self):
        data = super().clean()
        for name in QUANTITY_FIELDS:
            if data.get(name) is None and not self.has_error(name):
                data[name] = 0
        if not data.get("evidence") and not data.get("evidence_link") and not self.has_error("evidence"):
            self.add_error("evidence", "请上传佐证材料或填写佐证链接（照片、通知、签到表、新闻报道等），对方据此确认。")
        if self.museum is not None:
            self._clean_parties(data)
        self._clean_content(data)
        return data

    @property
    def asks_duplicate(self) -> bool:
        """Whether to show 「确认不是重复登记」: after the likely-duplicate warning, or once ticked."""
        return self.has_error(DUPLICATE_FIELD) or bool(self[DUPLICATE_FIELD].value())

    def _clean_content(self, data: dict) -> None:
        """The service's checks of the content (`manual_entry_errors`), each beside its field, with the fields'
        own errors: the date, the limits, at least one quantity and a likely duplicate come in one round."""
        if not data.get("helper") or not data.get("helped"):
            return
        errored = {name for name in QUANTITY_FIELDS if self.has_error(name)}
        quantities = {name: data.get(name) for name in QUANTITY_FIELDS if name not in errored}
        pairing = data.get("pairing") or default_pairing(helper=data["helper"], helped=data["helped"])
        errors = manual_entry_errors(
            helper=data["helper"], helped=data["helped"], area=data.get("area", ""), date=data.get("date"),
            kind=data.get("kind") or "", pairing=pairing, quantities=quantities,
            confirm_not_duplicate=bool(data.get(DUPLICATE_FIELD)))
        if errored:  # "nothing counted" only says something when every quantity was read
            errors.pop("quantities", None)
        for field, message in errors.items():
            target = "people_trained" if field == "quantities" else field
            if target in self.fields and self.has_error(target):
                continue  # the field says what is wrong with it already
            self.add_error(target if target in self.fields else None, message)

    def _clean_parties(self, data: dict) -> None:
        pairing, counterpart, side = data.get("pairing"), data.get("counterpart"), data.get("our_side")
        if pairing is not None:
            data["helper"], data["helped"] = pairing.helper, pairing.helped
            other = party(pairing, other_side(pairing, side_of_museum(pairing, self.museum)))
            if counterpart is not None and counterpart.pk != other.pk:
                self.add_error("counterpart", "对方博物馆与所选结对不一致；选择了结对时可以不填。")
            return
        if counterpart is None:
            self.add_error("counterpart", "请选择对方博物馆，或选择所属结对。")
            return
        if side == "helped":
            data["helper"], data["helped"] = counterpart, self.museum
        else:
            data["helper"], data["helped"] = self.museum, counterpart

    def entry_kwargs(self) -> dict:
        """The cleaned data as `ledger_record` takes it. Without a chosen pairing, the open pairing of the two
        museums (if there is one) is recorded, so the entry shows on the pairing's page."""
        d = self.cleaned_data
        pairing = d.get("pairing") or default_pairing(helper=d["helper"], helped=d["helped"])
        return {
            "helper": d["helper"], "helped": d["helped"], "pairing": pairing, "area": d["area"], "kind": d["kind"],
            "date": d["date"], "description": d["description"], "people_trained": d["people_trained"],
            "days": d["days"], "object_count": d["object_count"], "visitors": d["visitors"],
            "money_yuan": d["money_yuan"], "evidence": d.get("evidence"), "evidence_link": d.get("evidence_link", ""),
            "confirm_not_duplicate": bool(d.get(DUPLICATE_FIELD)),
        }


class ConfirmForm(FormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "确认"), ("object", "提出异议")])
    objection = forms.CharField(label="异议说明", max_length=300, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if (data.get("decision") == "object" and not self.has_error("objection")
                and not (data.get("objection") or "").strip()):
            self.add_error("objection", "请说明异议（例如：日期、人数或内容与实际不符）。")
        return data


class ReasonForm(FormMixin, forms.Form):
    """Why an entry is voided (required) or withdrawn (optional)."""

    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = "说明（可不填）"


class CorrectForm(FormMixin, forms.ModelForm):
    """The association's correction of an entry: the values as they should be, and why."""

    reason = forms.CharField(label="更正理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如：人数多输了一位，按签到表更正为 30 人次。双方馆管理员会收到通知。")

    class Meta:
        model = LedgerEntry
        fields = CORRECTABLE
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_quantity_fields(self)

    def _post_clean(self):
        """Validated by the service (the same checks as recording)."""

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CORRECTABLE}


class LimitsForm(FormMixin, forms.ModelForm):
    class Meta:
        model = QuantityLimits
        fields = QUANTITY_FIELDS
