"""Forms of the conservation pages. The rules are the services' (conservation.services); the forms parse the input
and show the services' refusals beside the fields."""

from __future__ import annotations

from django import forms

from bangfu.core.forms import AttachmentForm, FormMixin, IdsField
from bangfu.core.models import AttachmentKind
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject

from .models import MAX_SAMPLES, LabService, RestorationMode

DATE = {"type": "date"}
HAND = forms.Textarea(attrs={"rows": 2, "placeholder": "如：铜镜残片（未编号）"})


class ObjectsField(IdsField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.registration_number} · {obj.get_grade_display()}）"


def objects_field(museum) -> ObjectsField:
    queryset = (CollectionObject.objects.filter(museum=museum, is_active=True).order_by("registration_number")
                if museum is not None else CollectionObject.objects.none())
    return ObjectsField(label="藏品", required=False, queryset=queryset, widget=forms.CheckboxSelectMultiple,
                        help_text="本馆在册的藏品；未登记的文物可在下方手工填写。")


class ServiceForm(FormMixin, forms.ModelForm):
    class Meta:
        model = LabService
        fields = ["kind", "name", "methods", "description", "destructive_possible", "contact", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class RequestForm(FormMixin, forms.Form):
    objects = IdsField(queryset=CollectionObject.objects.none(), required=False)
    objects_by_hand = forms.CharField(label="其他文物（每行一件）", required=False, max_length=2000, widget=HAND)
    method = forms.CharField(label="检测方法", required=False, max_length=100)
    purpose = forms.CharField(label="需求说明", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="想弄清什么：材质成分、锈蚀产物、内部结构、病害成因…")
    sample_description = forms.CharField(label="样品说明", required=False, max_length=300)
    sample_count = forms.IntegerField(label="样品数量", required=False, min_value=0, max_value=MAX_SAMPLES)
    destructive = forms.BooleanField(label="需要有损取样（须经申请馆的馆管理员批准后实验室才能受理）", required=False)
    field_order = ["objects", "objects_by_hand", "method", "purpose", "sample_description", "sample_count",
                   "destructive"]

    def __init__(self, *args, museum=None, service: LabService | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objects"] = objects_field(museum)
        if service is not None and service.method_list:
            self.fields["method"].widget = forms.Select(choices=[("", "请选择…")]
                                                        + [(m, m) for m in service.method_list])
            self.fields["method"].widget.is_required = False
        if service is not None and not service.destructive_possible:
            del self.fields["destructive"]

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["sample_count"] = d.get("sample_count") or 0
        d["destructive"] = bool(d.get("destructive"))
        return d


class ReasonForm(FormMixin, forms.Form):
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(FormMixin, forms.Form):
    note = forms.CharField(label="批准意见", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：同意在底部隐蔽处取样 2 处"}))


class DeliverForm(AttachmentForm):
    summary = forms.CharField(label="报告摘要（主要结论）", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label="交付日期", widget=forms.DateInput(attrs=DATE))
    field_order = ["summary", "date", "file", "link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "检测报告"
        del self.fields["caption"]


class CloseForm(FormMixin, forms.Form):
    satisfaction = forms.TypedChoiceField(label="满意度", coerce=int, choices=[
        (5, "5 非常满意"), (4, "4 满意"), (3, "3 一般"), (2, "2 不满意"), (1, "1 很不满意")])
    comment = forms.CharField(label="评价", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationForm(FormMixin, forms.Form):
    title = forms.CharField(label="会诊题目", max_length=100)
    museum = forms.ModelChoiceField(label="文物所属馆", queryset=Museum.objects.none(),
                                    help_text="协会代为发起时选择；选好后藏品列表随之更新")
    helper = forms.ModelChoiceField(label="帮扶馆", required=False, queryset=Museum.objects.none(),
                                    help_text="协助组织会诊的帮扶馆（默认为结对的帮扶馆）")
    objects = IdsField(queryset=CollectionObject.objects.none(), required=False)
    objects_by_hand = forms.CharField(label="其他文物（每行一件）", required=False, max_length=2000, widget=HAND)
    condition = forms.CharField(label="保存现状", required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    problem = forms.CharField(label="问题描述", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label="照片（可选）", required=False)
    field_order = ["title", "museum", "helper", "objects", "objects_by_hand", "condition", "problem", "photo"]

    def __init__(self, *args, museum=None, helpers=None, museums=None, **kwargs):
        super().__init__(*args, **kwargs)
        if museums is None:
            del self.fields["museum"]
        else:
            self.fields["museum"].queryset = museums
        self.fields["objects"] = objects_field(museum)
        self.fields["helper"].queryset = helpers if helpers is not None else Museum.objects.none()


def _expert_label(expert: Expert) -> str:
    return f"{expert.name}（{expert.organisation}{'，' + expert.title if expert.title else ''}）"


class InviteForm(FormMixin, forms.Form):
    experts = IdsField(label="专家", queryset=Expert.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = Expert.objects.active().order_by("pinyin_initials", "pk")
        self.fields["experts"].label_from_instance = _expert_label


class OpinionForm(FormMixin, forms.Form):
    expert = forms.ModelChoiceField(label="专家", queryset=Expert.objects.none(), required=False)
    text = forms.CharField(label="会诊意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, invited=None, **kwargs):
        super().__init__(*args, **kwargs)
        if invited is None:
            del self.fields["expert"]
        else:
            self.fields["expert"].queryset = invited


class ConcludeForm(FormMixin, forms.Form):
    conclusion = forms.CharField(label="会诊结论", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    recommended_plan = forms.CharField(label="建议方案", required=False, max_length=5000,
                                       widget=forms.Textarea(attrs={"rows": 3}))


class ToProjectForm(FormMixin, forms.Form):
    helper = forms.ModelChoiceField(label="修复/指导馆", queryset=Museum.objects.none(), required=False)
    mode = forms.ChoiceField(label="修复方式", choices=RestorationMode.choices)

    def __init__(self, *args, helpers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers if helpers is not None else Museum.objects.none()


class ProjectForm(FormMixin, forms.Form):
    title = forms.CharField(label="项目名称", max_length=100)
    museum = forms.ModelChoiceField(label="文物所属馆", queryset=Museum.objects.none())
    helper = forms.ModelChoiceField(label="修复/指导馆", queryset=Museum.objects.none())
    mode = forms.ChoiceField(label="修复方式", choices=RestorationMode.choices)
    objects = IdsField(queryset=CollectionObject.objects.none(), required=False)
    objects_by_hand = forms.CharField(label="其他文物（每行一件）", required=False, max_length=2000, widget=HAND)
    plan = forms.CharField(label="修复方案", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    field_order = ["title", "museum", "helper", "mode", "objects", "objects_by_hand", "plan"]

    def __init__(self, *args, museums=None, helpers=None, objects_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["museum"].queryset = museums if museums is not None else Museum.objects.none()
        self.fields["helper"].queryset = helpers if helpers is not None else Museum.objects.none()
        self.fields["objects"] = objects_field(objects_of)
        self.fields["objects"].help_text = "文物所属馆在册的藏品（所属馆为本馆时列出）；其他文物请手工填写。"


class PlanForm(AttachmentForm):
    plan = forms.CharField(label="修复方案", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    field_order = ["plan", "file", "link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "方案文件（可选）"
        del self.fields["caption"]


class ApprovalForm(FormMixin, forms.Form):
    authority = forms.CharField(label="批准机关", max_length=60, widget=forms.TextInput(
        attrs={"placeholder": "山西省文物局"}))
    number = forms.CharField(label="批准文号", max_length=60)
    date = forms.DateField(label="批准日期", widget=forms.DateInput(attrs=DATE))
    national = forms.BooleanField(label="经国家文物局批准（一级文物）", required=False)


class StageForm(FormMixin, forms.Form):
    name = forms.CharField(label="阶段", max_length=20)
    planned_start = forms.DateField(label="计划开始", required=False, widget=forms.DateInput(attrs=DATE))
    planned_end = forms.DateField(label="计划完成", required=False, widget=forms.DateInput(attrs=DATE))
    started_on = forms.DateField(label="实际开始", required=False, widget=forms.DateInput(attrs=DATE))
    finished_on = forms.DateField(label="实际完成", required=False, widget=forms.DateInput(attrs=DATE))


class TreatmentForm(FormMixin, forms.Form):
    obj = forms.ModelChoiceField(label="藏品", required=False, queryset=CollectionObject.objects.none())
    object_label = forms.CharField(label="或手工填写文物", required=False, max_length=100)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    action = forms.CharField(label="修复操作", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    materials = forms.CharField(label="使用材料", required=False, max_length=300,
                                widget=forms.TextInput(attrs={"placeholder": "如：去离子水、B72 丙酮溶液 3%"}))
    done_by = forms.CharField(label="修复人员", max_length=100)
    before = forms.FileField(label="修复前照片", required=False)
    after = forms.FileField(label="修复后照片", required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["obj"].queryset = project.objects_linked.all()
            self.fields["obj"].label_from_instance = lambda o: f"{o.name}（{o.registration_number}）"


class ProjectFileForm(AttachmentForm):
    kind = forms.ChoiceField(label="类别", choices=[(AttachmentKind.REPORT, "修复报告（结项）"),
                                                   (AttachmentKind.DOCUMENT, "文件（方案、批复等）"),
                                                   (AttachmentKind.PHOTO, "照片")])
    field_order = ["kind", "file", "link", "caption"]


class CompleteForm(FormMixin, forms.Form):
    summary = forms.CharField(label="修复总结", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label="完成日期", widget=forms.DateInput(attrs=DATE))
