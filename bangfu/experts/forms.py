from django import forms

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.core.phones import PhoneField
from bangfu.core.widgets import SearchableSelect
from bangfu.places.models import Division

from .models import Expert
from .services import ASSOCIATION_ONLY_FIELDS


class ExpertForm(FormMixin, forms.ModelForm):
    text_limits = {"bio": 2000}
    areas = forms.MultipleChoiceField(
        label="专业领域", choices=Area.choices, required=True,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "请至少选择一个专业领域。"},
    )
    regions = forms.ModelMultipleChoiceField(
        label="可前往地区", queryset=Division.objects.cities(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}), help_text="不选表示全省均可",
    )

    class Meta:
        model = Expert
        fields = ["name", "organisation", "museum", "title", "tags", "bio", "phone", "email", "is_active"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4}), "museum": SearchableSelect}
        field_classes = {"phone": PhoneField}

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        if not by.is_association_admin:  # an expert editing their own profile (the service checks it too)
            for name in ASSOCIATION_ONLY_FIELDS:
                self.fields.pop(name, None)
        if "museum" in self.fields:
            self.fields["museum"].queryset = self.fields["museum"].queryset.only(
                "id", "name", "pinyin", "pinyin_initials").order_by("pinyin")
        if self.instance.pk:
            self.fields["areas"].initial = list(self.instance.specialties.values_list("area", flat=True))
            self.fields["regions"].initial = list(self.instance.regions.all())
