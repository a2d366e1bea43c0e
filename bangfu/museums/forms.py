"""Museum forms. The rules are in services.validate_museum; forms parse input and show errors."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.core.numbers import plain_number
from bangfu.core.phones import PhoneField
from bangfu.core.text import ascii_width
from bangfu.core.uploads import checked_image
from bangfu.core.widgets import SearchableSelect
from bangfu.places.geo import CHINA_LATITUDE, CHINA_LONGITUDE, LATITUDE_MESSAGE, LONGITUDE_MESSAGE, place_problem
from bangfu.places.models import Division

from .models import Museum, ProgrammeRole

PROFILE_FIELDS = [
    "short_name", "address", "contact_person", "phone", "email", "website", "introduction", "logo",
    "free_admission", "collections", "precious_relics", "exhibitions", "education_activities", "visitors_10k",
    "staff_count",
]
REGISTRY_FIELDS = [
    "name", "province", "grade", "ownership", "sector", "tier", "city", "county", "programme_role", "head",
    "needs_review",
]


class CountySelect(SearchableSelect):
    """County options say which city they belong to (data-city), so the page can narrow them (counties.js);
    searchable by typing like every long list."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-city"] = instance.parent_id
        return option


def _formfield(field, **kwargs):
    """A website typed without a scheme means https:// (Django 6's default, chosen now)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class MuseumForm(FormMixin, forms.ModelForm):
    """The museum's own staff edit the profile; the association also edits the registry fields."""

    text_limits = {"introduction": 5000}

    programme_role = forms.ChoiceField(
        label="帮扶角色", choices=ProgrammeRole.choices, required=False,
        help_text="默认由层级与等级推导（省级或一级 → 帮扶方；县级 → 受援方）；在此修改即为协会指定。",
    )
    reset_programme_role = forms.BooleanField(label="恢复为自动推导的帮扶角色", required=False)

    class Meta:
        model = Museum
        fields = REGISTRY_FIELDS + PROFILE_FIELDS
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6}), "logo": forms.ClearableFileInput(),
                   "head": SearchableSelect}
        field_classes = {"phone": PhoneField}
        formfield_callback = _formfield

    def __init__(self, *args, registry: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.visitors_10k is not None:  # 1, not the stored 1.0000
            self.initial["visitors_10k"] = plain_number(self.instance.visitors_10k)
        if registry:
            self.fields["city"].queryset = Division.objects.cities()
            self.fields["county"].queryset = Division.objects.counties().select_related("parent")
            self.fields["county"].label_from_instance = lambda d: d.name
            self.fields["county"].widget = CountySelect(
                choices=self.fields["county"].choices, attrs={"data-city-select": self["city"].auto_id}
            )
            self.fields["head"].queryset = Museum.objects.filter(head__isnull=True).exclude(pk=self.instance.pk)
            self.fields["programme_role"].initial = self.instance.programme_role
        else:
            for name in [*REGISTRY_FIELDS, "reset_programme_role"]:
                del self.fields[name]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return checked_image(logo)
        return logo

    def changed_data_for_service(self) -> dict:
        """Only the fields the user changed, as the service expects them."""
        data = {name: self.cleaned_data[name] for name in self.changed_data if name in self.fields
                and name not in {"programme_role", "reset_programme_role"}}
        if "programme_role" in self.fields:
            if self.cleaned_data.get("reset_programme_role"):
                data["programme_role_manual"] = False
            elif self.cleaned_data.get("programme_role") and "programme_role" in self.changed_data:
                data["programme_role"] = self.cleaned_data["programme_role"]
        if data.get("logo") is False:  # "clear" ticked
            data["logo"] = ""
        return data


class CoordinateField(forms.FloatField):
    """A latitude or longitude inside China, typed in half- or full-width (３７．８７ as 37.87)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})  # type=number refuses ３

    def __init__(self, *, extent: tuple[float, float], message: str, **kwargs):
        low, high = extent
        super().__init__(validators=[MinValueValidator(low, message), MaxValueValidator(high, message)], **kwargs)

    def to_python(self, value):
        return super().to_python(ascii_width(value) if isinstance(value, str) else value)


class PositionForm(FormMixin, forms.Form):
    """A position in China and, given the museum, inside its city (or province): `places.geo.check_position`."""

    lat = CoordinateField(label="纬度", extent=CHINA_LATITUDE, message=LATITUDE_MESSAGE,
                          error_messages={"required": "请填写纬度。"})
    lng = CoordinateField(label="经度", extent=CHINA_LONGITUDE, message=LONGITUDE_MESSAGE,
                          error_messages={"required": "请填写经度。"})
    use_required_attribute = False

    def __init__(self, *args, museum: Museum | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.museum = museum

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat"), data.get("lng")
        if self.museum is not None and lat is not None and lng is not None:
            problem = place_problem(lat, lng, city=self.museum.city, province=self.museum.province)
            if problem:
                self.add_error("lat", problem)
        return data


class AreasForm(FormMixin, forms.Form):
    """Needs and offers in the seven areas: a tick and a sentence for each."""

    def __init__(self, *args, museum: Museum, **kwargs):
        super().__init__(*args, **kwargs)
        current = {(a.kind, a.area): a for a in museum.areas.all()}
        for area in Area:
            for kind in ("need", "offer"):
                item = current.get((kind, area.value))
                self.fields[f"{kind}_{area.value}"] = forms.BooleanField(required=False, initial=item is not None)
                self.fields[f"{kind}_text_{area.value}"] = forms.CharField(
                    required=False, max_length=500, initial=item.text if item else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            offer = current.get(("offer", area.value))
            self.fields[f"offer_capacity_{area.value}"] = forms.IntegerField(
                required=False, min_value=0, max_value=100, initial=offer.capacity if offer else None
            )

    def rows(self):
        """(area, need checkbox, need text, offer checkbox, offer text, capacity) for the template."""
        for area in Area:
            v = area.value
            yield (area, self[f"need_{v}"], self[f"need_text_{v}"], self[f"offer_{v}"], self[f"offer_text_{v}"],
                   self[f"offer_capacity_{v}"])

    def items(self, kind: str) -> dict:
        data = self.cleaned_data
        return {
            area.value: {
                "text": data.get(f"{kind}_text_{area.value}", ""),
                "capacity": data.get(f"offer_capacity_{area.value}") if kind == "offer" else None,
            }
            # A sentence typed without ticking the box still counts: nothing the user wrote is dropped.
            for area in Area if data.get(f"{kind}_{area.value}") or data.get(f"{kind}_text_{area.value}", "").strip()
        }


class PhotoForm(FormMixin, forms.Form):
    image = forms.ImageField(label="照片", help_text="JPG、PNG 或 WebP，不超过 5 MB")
    caption = forms.CharField(label="说明", max_length=100, required=False)

    def clean_image(self):
        return checked_image(self.cleaned_data["image"])
