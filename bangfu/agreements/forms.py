"""Agreement forms. They parse input; the rules live in services.py."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from bangfu.accounts.models import MUSEUM_ROLES, User
from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin, apply_errors
from bangfu.core.uploads import EVIDENCE_ACCEPT_ATTR, checked_evidence
from bangfu.ledger.forms import limit_quantity_fields
from bangfu.ledger.models import (
    DAYS,
    MONEY_YUAN,
    OBJECT_COUNT,
    PEOPLE_TRAINED,
    QUANTITY_FIELDS,
    VISITORS,
    quantity_formfield,
)

from .models import Agreement, AgreementStatus, AgreementTask, ProgressReport, TaskStatus
from .services import (
    TASK_DETAILS,
    agreement_term_errors,
    completion_errors,
    due_date_error,
    report_period_errors,
    report_years,
    responsible_error,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMENDMENT_HELP = "说明这次修订改了什么、为什么；修订稿由双方重新确认后生效。"


def party_people(pairing) -> list[tuple[str, list[tuple[int, str]]]]:
    """The staff of both museums, grouped by museum, for the "responsible person" choice (one query)."""
    people = User.objects.filter(museum_id__in=[pairing.helper_id, pairing.helped_id], role__in=MUSEUM_ROLES,
                                 is_active=True).order_by("museum_id", "full_name", "username")
    groups = {pairing.helper_id: [], pairing.helped_id: []}
    for person in people:
        groups[person.museum_id].append((person.pk, person.display_name))
    return [(f"帮扶方 · {pairing.helper.name}", groups[pairing.helper_id]),
            (f"受援方 · {pairing.helped.name}", groups[pairing.helped_id])]


class ResponsibleField(forms.TypedChoiceField):
    """A person of either museum, chosen from a list built once per page rather than once per row."""

    def __init__(self, **kwargs):
        super().__init__(label="负责人", required=False, coerce=int, empty_value=None, **kwargs)

    def set_people(self, grouped):
        self.choices = [("", "—— 未指定 ——"), *grouped]


def amendment_field(agreement: Agreement | None) -> forms.CharField | None:
    """The amendment note: required when the change would amend a confirmed agreement."""
    if agreement is None or (agreement.version == 1 and agreement.status != AgreementStatus.CONFIRMED):
        return None
    confirmed = agreement.status == AgreementStatus.CONFIRMED
    return forms.CharField(
        label="修订说明", max_length=300, required=False,
        initial="" if confirmed else agreement.amendment_note,
        help_text=AMENDMENT_HELP if confirmed else f"第 {agreement.version} 版修订稿的说明。",
        widget=forms.TextInput(attrs={"placeholder": "如：根据实际情况调整巡展日期，增加一期培训"}),
    )


class AgreementForm(FormMixin, forms.ModelForm):
    text_limits = {"background": 5000, "deliverables": 2000}

    class Meta:
        model = Agreement
        fields = ["title", "term_start", "term_end", "background", "deliverables"]
        widgets = {
            "term_start": DATE, "term_end": DATE,
            "background": forms.Textarea(attrs={"rows": 3}),
            "deliverables": forms.Textarea(attrs={
                "rows": 4, "placeholder": "每行一项，如：\n联合举办展览 1 个\n培训县馆业务人员 20 人次"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = amendment_field(self.instance)
        if field:
            self.fields["amendment_note"] = field

    def clean(self):
        """The service's check of the term (`agreement_term_errors`), beside the dates, with the fields' own."""
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end:
            agreement = self.instance
            for field, message in agreement_term_errors(pairing=agreement.pairing, start=start, end=end,
                                                        start_changed=start != agreement.term_start).items():
                self.add_error(field, message)
        return data

    @property
    def task_term(self):
        """The term the tasks' due dates are checked against: the one typed when it is valid, else the one the
        agreement has (the service does the same, so that every refusal is shown in one round)."""
        if self.errors is not None and not (self.has_error("term_start") or self.has_error("term_end")):
            start, end = self.cleaned_data.get("term_start"), self.cleaned_data.get("term_end")
            if start and end:
                return start, end
        return self.instance.term_start, self.instance.term_end

    def _post_clean(self):
        """Model validation happens in the service (with the goals and tasks in hand), not on the form."""


class GoalsForm(FormMixin, forms.Form):
    """One sentence of goal per area; an empty box means no goal in that area."""

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        current = {g.area: g.text for g in agreement.goals.all()}
        for area in Area:
            self.fields[area.value] = forms.CharField(
                label=area.label, required=False, max_length=1000, initial=current.get(area.value, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def goals(self) -> dict[str, str]:
        return dict(self.cleaned_data)


TASK_FIELDS = ["title", "area", "owner_side", "responsible", "responsible_name", "due_date", "description",
               "ledger_kind", *QUANTITY_FIELDS]
ROW_FIELDS = ["title", "area", "owner_side", "responsible", "due_date", "ledger_kind"]
# The working details only the owner side (or the association) changes on an existing task: TASK_DETAILS.


class TaskForm(FormMixin, forms.ModelForm):
    text_limits = {"description": 2000}
    responsible = ResponsibleField()

    class Meta:
        model = AgreementTask
        fields = TASK_FIELDS
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"ledger_kind": "完成时记入台账的帮扶形式，如 培训、巡展、修复；不填记为“协议任务”"}

    def __init__(self, *args, people, agreement: Agreement | None = None, user=None, term=None, pairing=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        # What clean() checks against as the service does: the agreement's term (or the one being typed on the
        # agreement page) and the pairing's museums.
        self.term = term or ((agreement.term_start, agreement.term_end) if agreement is not None else None)
        self.pairing = pairing or (agreement.pairing if agreement is not None else None)
        limit_quantity_fields(self)
        self.fields["responsible"].set_people(people)
        self.fields["responsible"].initial = self.instance.responsible_id
        if self.instance.status == TaskStatus.DONE:  # recorded in the ledger: only who did it may change
            for name, field in self.fields.items():
                if name in TASK_FIELDS and name not in ("responsible", "responsible_name"):
                    field.disabled = True
        # The other side of an existing task is not offered its working details (the service refuses them anyway).
        self.details_locked = bool(self.instance.pk and user is not None
                                   and not user.has_perm("agreements.manage_task", self.instance))
        if self.details_locked:
            self.lock_details()
        field = amendment_field(agreement)
        if field:
            self.fields["amendment_note"] = field

    def lock_details(self):
        for name in TASK_DETAILS:
            self.fields.pop(name, None)

    def clean(self):
        """The service's checks of a task (`due_date_error`, `responsible_error`; the quantities' limits are the
        fields' bounds), each beside its field, with the fields' own errors."""
        data = super().clean()
        if data.get("DELETE"):
            return data
        due = data.get("due_date")
        if due and self.term and self.instance.status != TaskStatus.CANCELLED:
            message = due_date_error(due, term=self.term)
            if message:
                self.add_error("due_date", message)
        owner_side = data.get("owner_side") or self.instance.owner_side
        if self.pairing is not None and not self.has_error("responsible") and not self.has_error("owner_side"):
            if "responsible" in self.fields and not self.fields["responsible"].disabled:
                person = User.objects.filter(pk=data["responsible"]).first() if data.get("responsible") else None
            else:
                person = self.instance.responsible
            message = responsible_error(person, owner_side, self.pairing)
            if message:
                self.add_error("responsible" if "responsible" in self.fields else "owner_side", message)
        return data

    def _post_clean(self):
        """Validated by the service against the agreement's term and the parties."""

    def task_data(self) -> dict:
        """The fields the form offers, as the service takes them: a field the form does not offer (the working
        details, to the other side) is not sent, so it is not a change."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        if "responsible" in data:
            responsible = data["responsible"]
            data["responsible"] = User.objects.filter(pk=responsible).first() if responsible else None
        return data


class TaskRowForm(TaskForm):
    """One row of the task table on the agreement page; details on the task's own page."""

    def lock_details(self):
        """Shown, not changeable: the row keeps its columns."""
        for name in TASK_DETAILS:
            if name in self.fields:
                self.fields[name].disabled = True

    class Meta(TaskForm.Meta):
        fields = ROW_FIELDS
        widgets = {"due_date": DATE, "title": forms.TextInput(attrs={"placeholder": "任务名称"}),
                   "ledger_kind": forms.TextInput(attrs={"placeholder": "如 培训"})}


class BaseTaskFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, people, user=None, term=None, pairing=None, **kwargs):
        self.people = people
        self.user = user
        self.term, self.pairing = term, pairing
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"people": self.people, "user": self.user, "term": self.term, "pairing": self.pairing}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, people=self.people, renderer=self.renderer)
        self.add_fields(form, None)
        return form

    def task_items(self) -> list[dict]:
        """What the service expects: existing rows with their id, new rows without, deletions marked. The form of
        each item is kept in `item_forms`, to show the service's refusals on its row (`show_refusals`)."""
        items, self.item_forms = [], []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if form.instance.pk and self._should_delete_form(form):
                items.append({"id": form.instance.pk, "delete": True})
            elif form.instance.pk is None and self._should_delete_form(form):
                continue
            else:
                items.append({"id": form.instance.pk, **form.task_data()})
            self.item_forms.append(form)
        return items


def show_refusals(exc: ValidationError, *, form: forms.BaseForm, goals_form: forms.BaseForm | None = None,
                  task_forms: Sequence[forms.BaseForm] = ()) -> None:
    """Show every refusal of `services.agreement_update` beside its field: the agreement's on `form`, "goals" on
    `goals_form`, and "tasks.<i>.<field>" on the form of the i-th task item (`task_forms`, in the items' order)."""
    if not hasattr(exc, "error_dict"):
        apply_errors(form, exc)
        return
    rest: dict[str, list] = {}
    for key, errors in exc.error_dict.items():
        target, field = None, NON_FIELD_ERRORS
        if key.startswith("tasks."):
            _, index, *name = key.split(".", 2)
            target = task_forms[int(index)] if int(index) < len(task_forms) else None
            field = name[0] if name else NON_FIELD_ERRORS
        elif key == "goals":
            target = goals_form
        if target is not None:
            apply_errors(target, ValidationError({field: errors}))
        else:
            rest.setdefault(NON_FIELD_ERRORS if key.startswith("tasks.") or key == "goals" else key, []).extend(errors)
    if rest:
        apply_errors(form, ValidationError(rest))


TaskFormSet = forms.modelformset_factory(AgreementTask, form=TaskRowForm, formset=BaseTaskFormSet, extra=2,
                                         can_delete=True)


class ProgressForm(FormMixin, forms.Form):
    status = forms.ChoiceField(label="状态", choices=[(s.value, s.label) for s in TaskStatus if s != TaskStatus.DONE])
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    responsible = ResponsibleField()
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].set_people(people)

    def responsible_user(self):
        pk = self.cleaned_data.get("responsible")
        return User.objects.filter(pk=pk).first() if pk else None


class CompleteForm(FormMixin, forms.Form):
    completed_on = forms.DateField(label="完成日期", widget=DATE)
    ledger_kind = forms.CharField(label="帮扶形式", max_length=40, required=False,
                                  help_text="记入台账，如 培训、巡展、修复")
    people_trained = quantity_formfield(PEOPLE_TRAINED)
    days = quantity_formfield(DAYS)
    object_count = quantity_formfield(OBJECT_COUNT)
    visitors = quantity_formfield(VISITORS)
    money_yuan = quantity_formfield(MONEY_YUAN)
    note = forms.CharField(label="完成情况", required=False, max_length=300)
    evidence_file = forms.FileField(label="佐证照片或文件", required=False,
                                    widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT_ATTR}))
    evidence_link = forms.URLField(label="或佐证链接", required=False, assume_scheme="https")

    def __init__(self, *args, task: AgreementTask, **kwargs):
        initial = {"completed_on": timezone.localdate(), "ledger_kind": task.ledger_kind,
                   **{name: getattr(task, name) for name in QUANTITY_FIELDS}}
        super().__init__(*args, initial=initial, **kwargs)
        self.task = task
        limit_quantity_fields(self)

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        return checked_evidence(upload) if upload else None

    def clean(self):
        """The service's checks of a completion (`completion_errors`: the date, the quantities, evidence at hand),
        each beside its field, with the fields' own errors (the evidence file's content among them)."""
        data = super().clean()
        quantities = {name: data.get(name) for name in QUANTITY_FIELDS if not self.has_error(name)}
        new_evidence = bool(data.get("evidence_file") or data.get("evidence_link")
                            or self.has_error("evidence_file") or self.has_error("evidence_link"))
        for field, message in completion_errors(task=self.task, completed_on=data.get("completed_on"),
                                                quantities=quantities, new_evidence=new_evidence).items():
            if not self.has_error(field):
                self.add_error(field, message)
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ReportForm(FormMixin, forms.ModelForm):
    text_limits = {"summary": 5000, "problems": 2000, "next_steps": 2000}
    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairing = pairing
        self.fields["year"].choices = [(year, f"{year}年") for year in report_years(pairing)]

    def clean(self):
        data = super().clean()
        if data.get("year") is not None and data.get("quarter") is not None:
            for field, message in report_period_errors(pairing=self.pairing, year=data["year"],
                                                       quarter=data["quarter"]).items():
                self.add_error(field, message)
        return data

    class Meta:
        model = ProgressReport
        fields = ["year", "quarter", "summary", "problems", "next_steps"]
        widgets = {
            "quarter": forms.Select(choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)]),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        """Validated by the service (one report per side and quarter, no future quarter)."""
