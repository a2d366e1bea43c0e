"""What every form of the platform shares: `FormMixin`, and `apply_errors` for a service's refusals.

Every Form and ModelForm of the project is declared as `class XForm(FormMixin, forms.Form)` (or `forms.ModelForm`),
so that in one place:

- every text input refuses control characters (`bangfu.core.text`), passwords aside (never shown or exported);
- every text has a length limit (a model's, the form's `text_limits`, else `TEXT_MAX_LENGTH` for a text area and
  `LINE_MAX_LENGTH` for a line), said in Chinese as "不能超过 N 个字";
- every number has bounds (the model's validators, the form's, else ±`NUMBER_MAX`), so that no database integer
  overflows and no message quotes 9223372036854775807; a decimal's size is said as its largest value, not as a
  count of digits;
- Django's own messages are replaced by natural Chinese ones, wherever the form has not written its own;
- a select's empty choice reads "请选择…", not "---------";
- numbers are read in ASCII or full-width digits only (`core.text.number_text`, as the importer and the API read
  them), dates in full-width digits too; a date that does not exist is named (「没有这一天（2026年2月30日）」) and
  an image too large for Pillow to open is said to be too large, with the limit.

Fields may be added or changed after `__init__` (most forms set querysets and choices there), so the fields are
prepared when they are first used: when the form is validated or a field is rendered."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from PIL import Image

from .dates import no_such_day
from .numbers import grouped
from .text import ascii_width, no_control_characters, number_text
from .uploads import EVIDENCE_ACCEPT_ATTR, IMAGE_TOO_LARGE

TEXT_MAX_LENGTH = 5000  # a text area without a limit of its own
LINE_MAX_LENGTH = 1000  # a one-line text without a limit of its own
NUMBER_MAX = 1_000_000_000  # a number without bounds of its own: fits every database's integer column
KEY_MAX = 2**63 - 1  # the largest primary key any database's integer column holds
EMPTY_CHOICE = "请选择…"
DJANGO_EMPTY_CHOICE = "---------"

_REQUIRED = {
    forms.BooleanField: "请勾选此项。",
    forms.FileField: "请选择要上传的文件。",
    forms.ChoiceField: "请选择此项。",
    forms.ModelChoiceField: "请选择此项。",
    forms.ModelMultipleChoiceField: "请至少选择一项。",
    forms.MultipleChoiceField: "请至少选择一项。",
}
# Messages by field class (the most specific class listed wins) and error code. Validator codes (max_length…) apply
# through Field.run_validators and, for a model's own validators, through ModelForm._update_errors and
# `apply_errors`. A number's bounds carry their messages in their validators (see _prepare_number).
_MESSAGES = {
    forms.IntegerField: {
        "invalid": "请输入整数。",
        "step_size": "请输入整数。",
    },
    forms.DecimalField: {
        "invalid": "请输入数字。",
        "max_decimal_places": "最多保留 %(max)s 位小数。",
    },
    forms.FloatField: {"invalid": "请输入数字。"},
    forms.DateField: {"invalid": "请输入有效的日期，如 2026-01-31。"},
    forms.EmailField: {"invalid": "请输入有效的电子邮箱地址，如 name@example.org。"},
    forms.URLField: {"invalid": "请输入有效的网址，如 https://www.example.org。"},
    forms.CharField: {
        "max_length": "不能超过 %(limit_value)s 个字（现在是 %(show_value)s 个）。",
        "min_length": "至少需要 %(limit_value)s 个字。",
    },
    forms.ModelChoiceField: {"invalid_choice": "请从列表中选择。"},
    forms.ModelMultipleChoiceField: {"invalid_choice": "请从列表中选择。", "invalid_pk_value": "请从列表中选择。"},
    forms.ChoiceField: {"invalid_choice": "请从列表中选择。"},
    forms.FileField: {
        "invalid": "没有收到文件，请重新选择后提交。", "missing": "没有收到文件，请重新选择后提交。",
        "empty": "文件是空的，请检查后重新选择。", "contradiction": "请上传新文件或勾选清除，不要同时进行。",
    },
    forms.ImageField: {"invalid_image": "请上传有效的图片（JPG、PNG 或 WebP）；这个文件不是图片或已损坏。"},
}


class FormMixin:
    """The platform's conventions for a form (see the module's docstring). `text_limits` ({field name: length})
    sets the length of texts whose model has none."""

    text_limits: dict[str, int] = {}

    def full_clean(self):
        self.prepare_fields()
        super().full_clean()

    def __getitem__(self, name):
        if name in self.fields:  # only the field rendered: a page reading every field stays linear
            self._prepare_field(name, self.fields[name])
        return super().__getitem__(name)

    def prepare_fields(self) -> None:
        for name, field in self.fields.items():
            self._prepare_field(name, field)

    def _prepare_field(self, name: str, field: forms.Field) -> None:
        if not getattr(field, "_bangfu_prepared", False):
            _prepare(field, self._model_field(name), self.text_limits.get(name))
            field._bangfu_prepared = True

    def _model_field(self, name: str):
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        if model is None:
            return None
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:  # a form field of its own
            return None


def _prepare(field: forms.Field, model_field, text_limit: int | None) -> None:
    if isinstance(field, forms.CharField):
        _prepare_text(field, text_limit)
    elif isinstance(field, forms.IntegerField):  # DecimalField and FloatField are IntegerFields too
        _prepare_number(field, model_field)
        _read_first(field, _number_input)
    elif isinstance(field, forms.DateField):
        _read_first(field, _date_input)
        _iso_date_widget(field.widget)
    elif isinstance(field, forms.ImageField):
        _read_first(field, _image_input)
    elif isinstance(field, forms.ModelMultipleChoiceField):
        _guard_keys(field)
    _prepare_placeholder(field)
    _chinese_messages(field)


def _read_first(field: forms.Field, reader) -> None:
    """Let `reader(field, value, parse)` read the field's input before (or around) Django's `to_python`."""
    parse = field.to_python
    field.to_python = lambda value: reader(field, value, parse)


def _number_input(field: forms.Field, value, parse):
    """Numbers in ASCII or full-width digits (core.text.number_text), as the importer and the API read them."""
    if isinstance(value, str):
        text = number_text(value)
        if text is None:
            raise ValidationError(field.error_messages["invalid"], code="invalid")
        value = text
    return parse(value)


def _date_input(field: forms.Field, value, parse):
    """A date in full-width digits too; a well-formed date that does not exist (2026-02-30) is named as such
    (Django only says the format is wrong)."""
    try:
        return parse(ascii_width(value) if isinstance(value, str) else value)
    except ValidationError as exc:
        message = no_such_day(value) if exc.code == "invalid" else None
        if message:
            raise ValidationError(message, code="no_such_day") from exc
        raise


def _image_input(field: forms.Field, value, parse):
    """An image too large for Pillow to open (a decompression-bomb guard, from about 90 million pixels) is said to
    be too large, as `core.uploads.checked_image` says of smaller ones over its limit, not "not an image"."""
    try:
        return parse(value)
    except ValidationError as exc:
        bomb = isinstance(exc.__cause__, Image.DecompressionBombError | Image.DecompressionBombWarning)
        if exc.code == "invalid_image" and bomb:
            raise ValidationError(IMAGE_TOO_LARGE, code="image_too_large") from exc
        raise


def _guard_keys(field: forms.ModelMultipleChoiceField) -> None:
    """A key too large for a database integer (10**30) is simply not in the list: refused as "请从列表中选择" before
    the `pk__in` query, which SQLite cannot even bind (OverflowError, a 500). A single choice needs no guard: its
    exact lookup already finds nothing."""
    check = field._check_values

    def checked(value):
        for item in value or ():
            text = str(item).strip()
            if text.isascii() and text.lstrip("-").isdigit() and abs(int(text)) > KEY_MAX:
                raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": text[:20]})
        return check(value)

    field._check_values = checked


def _iso_date_widget(widget: forms.Widget) -> None:
    """A browser's date picker (`type="date"`) shows a value only when it is written as 2026-01-06: whatever format
    the language would give (2026/01/06), its initial value is written so — else the picker opens empty and a form
    saved unchanged loses its dates."""
    if isinstance(widget, forms.DateInput) and widget.input_type == "date":
        widget.format = "%Y-%m-%d"


def _prepare_text(field: forms.CharField, text_limit: int | None) -> None:
    if not isinstance(field.widget, forms.PasswordInput):
        # Ours names NUL among the control characters; Django's own says it again in a garbled translation.
        field.validators = [v for v in field.validators
                            if not isinstance(v, validators.ProhibitNullCharactersValidator)]
        field.validators.append(no_control_characters)
    if text_limit is not None and (field.max_length is None or text_limit < field.max_length):
        _set_max_length(field, text_limit)
    elif field.max_length is None:
        _set_max_length(field, TEXT_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else LINE_MAX_LENGTH)


def _set_max_length(field: forms.CharField, length: int) -> None:
    field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]
    field.max_length = length
    field.validators.append(validators.MaxLengthValidator(length))
    if not field.widget.is_hidden:
        field.widget.attrs["maxlength"] = str(length)


def _prepare_number(field: forms.IntegerField, model_field) -> None:
    """Bounds from the form, the model's validators (its own and the database's integer range) and the fallback,
    the tightest of each, with the message of the validator that set it when it has its own; a decimal's digits
    become its largest value."""
    # The fallback bounds a whole number that has none of its own; a decimal's digits bound it (below).
    decimal = isinstance(field, forms.DecimalField) and field.max_digits is not None
    highs, lows = ([], []) if decimal else ([(NUMBER_MAX, None)], [(-NUMBER_MAX, None)])
    for validator in [*field.validators, *(getattr(model_field, "validators", None) or [])]:
        if callable(getattr(validator, "limit_value", None)):
            continue
        own_message = validator.__dict__.get("message")  # set only when the validator was given one
        if isinstance(validator, validators.MaxValueValidator):
            highs.append((validator.limit_value, own_message))
        elif isinstance(validator, validators.MinValueValidator):
            lows.append((validator.limit_value, own_message))
    if decimal:
        places = field.decimal_places or 0
        largest = Decimal(10) ** (field.max_digits - places) - Decimal(10) ** -places
        highs.append((largest, None))
        lows.append((-largest, None))
        # The digits are now checked as a value; only the places remain for the DecimalValidator.
        field.validators = [v for v in field.validators if not isinstance(v, validators.DecimalValidator)]
        field.validators.append(validators.DecimalValidator(None, places))
    (high, high_message), (low, low_message) = min(highs, key=lambda h: h[0]), max(lows, key=lambda h: h[0])
    if isinstance(field, forms.DecimalField):
        high, low = Decimal(high), Decimal(low)
    elif not isinstance(field, forms.FloatField):
        high, low = int(high), int(low)
    kind = "数" if isinstance(field, forms.DecimalField | forms.FloatField) else "整数"
    field.validators = [v for v in field.validators
                        if not isinstance(v, validators.MaxValueValidator | validators.MinValueValidator)]
    field.max_value, field.min_value = high, low
    field.validators += [
        validators.MaxValueValidator(high, high_message or f"请输入不超过 {grouped(high)} 的{kind}。"),
        validators.MinValueValidator(low, low_message or f"请输入不小于 {grouped(low)} 的{kind}。"),
    ]
    if isinstance(field.widget, forms.NumberInput):
        field.widget.attrs["max"], field.widget.attrs["min"] = str(high), str(low)


def _prepare_placeholder(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_CHOICE:
            field.empty_label = EMPTY_CHOICE
        return
    if isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if choices and choices[0][0] in ("", None) and choices[0][1] == DJANGO_EMPTY_CHOICE:
            field.choices = [(choices[0][0], EMPTY_CHOICE), *choices[1:]]


def _class_defaults(cls) -> dict:
    messages = {}
    for klass in reversed(cls.__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def _chinese_messages(field: forms.Field) -> None:
    """Natural Chinese for Django's messages; messages a form wrote itself are kept."""
    defaults = _class_defaults(type(field))
    wanted = {}
    for klass in reversed(type(field).__mro__):
        wanted.update(_MESSAGES.get(klass, {}))
    wanted["required"] = next((_REQUIRED[k] for k in type(field).__mro__ if k in _REQUIRED), "请填写此项。")
    for code, message in wanted.items():
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = message


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or at the top of the form), every message at
    once; a model validator's message is worded as the form words it (see FormMixin)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            messages = form.fields[target].error_messages if target else {}
            for error in errors:
                form.add_error(target, _worded(error, messages))
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _worded(error: ValidationError, messages: dict) -> ValidationError:
    code = "required" if getattr(error, "code", None) in ("blank", "null") else error.code
    if code in messages:
        return ValidationError(messages[code], code=code, params=error.params)
    return error


def model_messages(model, exc: ValidationError) -> dict[str, list[str]]:
    """A model's field errors (from `full_clean` or `clean_fields`) worded as the platform's forms word them
    ("不能超过 100 个字（现在是 600 个）", not Django's "确保该变量包含不超过 100 字符"), by field name: for
    writers without a form, such as the importers."""
    if not hasattr(exc, "error_dict"):
        return {NON_FIELD_ERRORS: exc.messages}
    result = {}
    for name, errors in exc.error_dict.items():
        messages = {}
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
        form_field = model_field.formfield() if model_field is not None else None
        if form_field is not None:
            _prepare(form_field, model_field, None)
            messages = form_field.error_messages
        result[name] = [message for error in errors for message in _worded(error, messages).messages]
    return result


class AttachmentForm(FormMixin, forms.Form):
    """A file or a link with a caption, for `core.attachments.attachment_add` (includes/attachments.html#form)."""

    file = forms.FileField(label="照片或文件", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT_ATTR}))
    link = forms.URLField(label="或链接", required=False, assume_scheme="https",
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))
    caption = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"照片（JPG、PNG、WebP，{settings.UPLOAD_MAX_IMAGE_MB} MB 以内）或 PDF、Word、Excel、PowerPoint"
            f"（{settings.UPLOAD_MAX_EVIDENCE_MB} MB 以内）")
    # "A file or a link, not both" is the service's check (`attachment_new`), shown beside the file field.


class IdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of records whose submitted ids are checked to be ids before the database sees them: a
    number beyond 64 bits made SQLite raise OverflowError (a 500) in `pk__in`; now it is 请从列表中选择。"""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**63):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": text[:20]})
        return super()._check_values(value)
