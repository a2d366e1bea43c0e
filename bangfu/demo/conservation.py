"""Demo data for conservation: 山西博物院's lab publishes its services (XRF and other analyses, conservation-plan
design, on-site guidance); 安泽县博物馆 has a delivered XRF analysis of two of its bronzes (in the ledger), a Raman
request with destructive sampling waiting for its admin's approval, an open 会诊 about a painted clay fragment with
an opinion by 孙文博 (the demo expert, account zhuanjia), and a restoration project of its bronze Buddha in progress
(approved, stages under way, treatment records with before photos). Built through the real services as the demo
accounts, on the objects demo's registry (AZ-…). Idempotent: nothing is added once the lab's services exist."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from bangfu.accounts.models import User
from bangfu.conservation import services as s
from bangfu.conservation.models import LabService
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject

LAB = "山西博物院"
MUSEUM = "安泽县博物馆"

SERVICES = [
    ("testing", "金属文物成分与结构检测", "XRF, 拉曼, X光探伤, 红外",
     "便携式 XRF 无损测定青铜、金银器合金成分；X 光探伤观察铸造缺陷与内部锈蚀；拉曼、红外鉴别锈蚀产物与颜料。"
     "一般为无损检测，确需取样时须经文物所属馆批准。", True),
    ("plan", "保护修复方案设计", "病害调查, 方案编制",
     "依据《可移动文物保护修复方案编写规范》编制金属、陶瓷、彩绘文物的保护修复方案，协助报批。", False),
    ("guidance", "预防性保护现场指导", "温湿度评估, 虫害排查, 展柜密封",
     "派员到馆评估库房和展厅环境，指导温湿度、光照与虫害控制。", False),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def load_conservation() -> int:
    """Add the demo's conservation records; returns how many services were published (0 when already there)."""
    lab, museum = Museum.objects.filter(name=LAB).first(), Museum.objects.filter(name=MUSEUM).first()
    users = {u.username: u for u in User.objects.filter(username__in=[
        "xiehui", "sxbwy_admin", "sxbwy_staff", "anze_admin", "anze_staff", "zhuanjia"])}
    if lab is None or museum is None or len(users) < 6 or LabService.objects.filter(museum=lab).exists():
        return 0
    objects = {o.registration_number: o for o in CollectionObject.objects.filter(museum=museum)}
    if not {"AZ-0001", "AZ-0004", "AZ-0008"} <= set(objects):
        return 0
    today = timezone.localdate()
    xrf, *_ = [s.service_create(museum=lab, by=users["sxbwy_admin"], kind=kind, name=name, methods=methods,
                                         description=text, destructive_possible=destructive,
                                         contact="山西博物院文保中心 0351-0000000")
                        for kind, name, methods, text, destructive in SERVICES]

    # A delivered XRF analysis of two bronzes (the ledger's entry).
    analysis = s.request_create(
        service=xrf, museum=museum, by=users["anze_staff"], objects=[objects["AZ-0001"], objects["AZ-0008"]],
        method="XRF", purpose="确定铜戈与铜佛造像的合金成分，判断锈蚀是否为有害锈（粉状锈），为修复提供依据。",
        sample_description="不取样，现场无损检测", sample_count=0)
    s.request_accept(request=analysis, by=users["sxbwy_staff"])
    s.request_start(request=analysis, by=users["sxbwy_staff"])
    s.request_deliver(request=analysis, by=users["sxbwy_staff"], file=_pdf("XRF检测报告.pdf"),
                      on=today - datetime.timedelta(days=12),
                      summary="铜戈为铜锡铅三元合金（Sn 约 12%，Pb 约 6%）；铜佛造像为铅黄铜，背部检出含氯锈蚀，"
                              "存在粉状锈风险，建议尽快除锈并用 BTA 缓蚀。")

    # A Raman analysis needing destructive sampling, waiting for 安泽's admin.
    s.request_create(service=xrf, museum=museum, by=users["anze_staff"], objects=[objects["AZ-0004"]],
                     method="拉曼", purpose="鉴别彩绘泥塑残块的颜料成分（疑为朱砂、石绿）。",
                     sample_description="颜料碎屑，取自残断面", sample_count=2, destructive=True)

    # An open 会诊 with an opinion by 孙文博.
    case = s.consultation_open(
        museum=museum, by=users["anze_admin"], helper=lab, title="明代彩绘泥塑残块颜料起甲",
        objects=[objects["AZ-0004"]],
        condition="残块长约 30 厘米，彩绘层大面积起甲，局部酥粉脱落；库房相对湿度波动较大。",
        problem="颜料层与泥胎结合差，搬动时有掉落，请专家判断病因并建议加固方法。",
        photos=[_photo("起甲局部.png", (170, 120, 90))])
    sun = Expert.objects.filter(name="孙文博").first()
    if sun is not None:
        s.consultation_invite(consultation=case, by=users["xiehui"], experts=[sun])
        s.opinion_add(consultation=case, by=users["zhuanjia"],
                      text="起甲主要因湿度波动导致泥胎与颜料层收缩不一致。建议先将库房相对湿度稳定在 50%–55%，"
                           "再以低浓度丙烯酸乳液（Primal AC-33，2%–3%）渗透回贴，先在背面做小面积试验。")

    # A restoration project in progress: the bronze Buddha.
    project = s.project_create(
        museum=museum, helper=lab, by=users["sxbwy_admin"], title="明代铜佛造像保护修复",
        objects=[objects["AZ-0008"]], started_on=today - datetime.timedelta(days=40),
        plan="1. 前期调查与 XRF、X 光检测；2. 去除表面污物；3. 机械结合化学方法去除粉状锈；4. BTA 缓蚀；"
             "5. 局部加固与补配；6. 微晶石蜡封护。")
    s.project_approval(project=project, by=users["sxbwy_admin"], authority="山西省文物局",
                       number="晋文物函〔2026〕58号", date=today - datetime.timedelta(days=30))
    stages = {st.name: st for st in project.stages.all()}
    dates = {"前期调查": (-40, -31, -40, -32), "方案": (-30, -21, -31, -22), "清洗": (-20, -6, -19, None),
             "加固": (-5, 10, None, None), "修复": (11, 30, None, None)}
    def day(offset: int | None) -> datetime.date | None:
        return today + datetime.timedelta(days=offset) if offset is not None else None

    for name, (ps, pe, st, fi) in dates.items():
        s.stage_update(stage=stages[name], by=users["sxbwy_staff"], planned_start=day(ps), planned_end=day(pe),
                       started_on=day(st), finished_on=day(fi))
    s.treatment_add(project=project, by=users["sxbwy_staff"], obj=objects["AZ-0008"],
                    date=today - datetime.timedelta(days=18), action="软毛刷和去离子水清除表面浮尘与泥垢。",
                    materials="去离子水、软毛刷", done_by="山西博物院文保中心 王师傅",
                    before=_photo("清洗前.png", (110, 100, 70)), after=_photo("清洗后.png", (140, 120, 80)))
    s.treatment_add(project=project, by=users["sxbwy_staff"], obj=objects["AZ-0008"],
                    date=today - datetime.timedelta(days=7),
                    action="手术刀机械剔除背部粉状锈，局部以倍半碳酸钠溶液浸泡。",
                    materials="倍半碳酸钠 5%", done_by="山西博物院文保中心 王师傅",
                    before=_photo("除锈前.png", (90, 140, 100)))
    s.project_file_add(project=project, by=users["sxbwy_staff"], file=_pdf("修复方案及批复.pdf"),
                       caption="修复方案及批复")
    return len(SERVICES)
