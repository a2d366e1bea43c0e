"""Forms of the board pages: a subscription, and the association's settings (sub-types, thesaurus, review)."""

from django import forms

from bangfu.core.areas import Area
from bangfu.core.forms import FormMixin
from bangfu.places.models import Division

from .models import PostKind
from .vocabulary import SUBTYPE_NAME_MAX, WORD_MAX


class SubscriptionForm(FormMixin, forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "需求和供给"), *PostKind.choices])
    area = forms.ChoiceField(label="领域", required=False, choices=[("", "全部领域"), *Area.choices])
    region = forms.ModelChoiceField(label="地区", required=False, queryset=Division.objects.cities(),
                                    empty_label="全省", help_text="服务该市的信息（含服务全省的信息）")


class SubtypeAddForm(FormMixin, forms.Form):
    area = forms.ChoiceField(label="领域", choices=Area.choices, widget=forms.HiddenInput)
    name = forms.CharField(label="新子类", max_length=SUBTYPE_NAME_MAX,
                           widget=forms.TextInput(attrs={"placeholder": "如 巡展、检测分析"}))


class SubtypeEditForm(FormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=SUBTYPE_NAME_MAX)
    is_active = forms.BooleanField(label="可选用", required=False,
                                   help_text="停用后，新发布的信息不能再选择它；已有的信息不受影响")


class SynonymForm(FormMixin, forms.Form):
    word = forms.CharField(label="词语", max_length=WORD_MAX, widget=forms.TextInput(attrs={"placeholder": "如 文保"}))
    means = forms.CharField(label="等同于", max_length=200,
                            help_text="一至十个词，用空格或逗号分隔，如 文物保护；温度 湿度",
                            widget=forms.TextInput(attrs={"placeholder": "如 文物保护"}))
    two_way = forms.BooleanField(label="双向", required=False, initial=True,
                                 help_text="双向时，搜索右边的词也能找到左边的词")


class ModerationForm(FormMixin, forms.Form):
    moderation = forms.BooleanField(label="发布前由协会审核", required=False,
                                    help_text="开启后，新发布的供需信息经协会审核通过才公开")
