"""Forms of the 对接 threads: a message (with an optional file or link), the terms a side confirms, completion with
a rating (and the quantities, for the helping side), closing with a reason. The rules are the services'
(exchange.threads); the forms parse and show their refusals."""

from __future__ import annotations

from django import forms

from bangfu.core.forms import AttachmentForm, FormMixin
from bangfu.ledger.forms import limit_quantity_fields
from bangfu.ledger.models import QUANTITIES, quantity_formfield

from .models import Message, Rating, Thread

SCORES = [(5, "5 分 · 非常满意"), (4, "4 分 · 满意"), (3, "3 分 · 一般"), (2, "2 分 · 不太满意"), (1, "1 分 · 不满意")]


class MessageForm(AttachmentForm):
    """A message, optionally with one file or one link (the attachment form's fields, all optional here)."""

    body = forms.CharField(label="消息", max_length=Message._meta.get_field("body").max_length,
                           widget=forms.Textarea(attrs={"rows": 3, "placeholder": "写下您的问题、安排或商量的内容…"}))
    field_order = ["body", "file", "link", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "附件（可选）"
        self.fields["link"].label = "或链接（可选）"
        self.fields["caption"].label = "附件说明"


class ConfirmMatchForm(FormMixin, forms.Form):
    terms = forms.CharField(
        label="商定的对接条件", max_length=Thread._meta.get_field("terms").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明帮扶内容、时间、地点、费用承担等。双方确认的条件必须一致。")


class CompleteForm(FormMixin, forms.Form):
    """Completion and the rating of the other side; the helping side also states the quantities (`helping`)."""

    score = forms.TypedChoiceField(label="评价对方", choices=SCORES, coerce=int, initial=5)
    comment = forms.CharField(label="评价", required=False, max_length=Rating._meta.get_field("comment").max_length,
                              widget=forms.Textarea(attrs={"rows": 2, "placeholder": "对方的专业程度、配合和效果"}))

    def __init__(self, *args, helping: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helping = helping
        if helping:
            for quantity in QUANTITIES:
                self.fields[quantity.name] = quantity_formfield(quantity, required=False, initial=0)
            limit_quantity_fields(self)

    @property
    def quantities(self) -> dict:
        return {q.name: self.cleaned_data.get(q.name) or 0 for q in QUANTITIES} if self.helping else {}


class CloseForm(FormMixin, forms.Form):
    reason = forms.CharField(label="关闭原因", max_length=Thread._meta.get_field("close_reason").max_length,
                             widget=forms.TextInput(attrs={"placeholder": "如 已与其他方对接；时间无法安排"}))
