"""The object registry's forms: an object's fields, a photo, the import's upload and confirmation."""

from django import forms
from django.core.exceptions import ValidationError

from bangfu.core.forms import AttachmentForm, FormMixin

from . import imports
from .models import CollectionObject
from .services import EDITABLE


class ObjectForm(FormMixin, forms.ModelForm):
    """Every field a person edits; the checks (a registration number used twice…) are the service's."""

    class Meta:
        model = CollectionObject
        fields = EDITABLE
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insurance_value"].widget.attrs.setdefault("placeholder", "可不填")
        if self.instance.pk is None:
            del self.fields["is_active"]

    def validate_unique(self):
        """Uniqueness is the service's check (worded on its field)."""


class PhotoForm(AttachmentForm):
    """A photo of the object: on a phone the camera opens at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "照片"
        self.fields["file"].widget.attrs.update({"accept": "image/*", "capture": "environment"})
        self.fields["file"].help_text = "JPG、PNG 或 WebP；手机上可直接拍照。"
        del self.fields["link"]


class UploadForm(FormMixin, forms.Form):
    file = forms.FileField(label="藏品账文件", help_text="Excel（.xlsx）：从藏品账系统导出，或按模板填写。",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            imports.check_file(file_name=upload.name, size=upload.size)
        except imports.ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


MODES = (("all", "全部导入或全部不导入：有任何一行有误时不写入任何数据"),
         ("valid", "只导入正确的行：跳过有误的行，其余行写入"))


class ConfirmForm(FormMixin, forms.Form):
    mode = forms.ChoiceField(label="导入方式", choices=MODES, initial="all",
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
