"""Demo data for placements and guidance visits: 安泽县博物馆's 周婷 (anze_staff) completed a 跟班学习 at 山西博物院's
陈列部 last year (assessed 良好: a certificate and a ledger entry) and is now on a 挂职锻炼 in its 保管部 (in progress,
mentored by 刘洋, sxbwy_staff) with two monthly reports — the third month's is late, so the reminder shows; 山西博物院
made a guidance visit to 安泽 (done, with a report and a photo: in the ledger) and 安泽 has asked for another
(proposed). Built through the real services as the demo accounts. Idempotent: nothing is added once 周婷 has a
placement."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from bangfu.accounts.models import User
from bangfu.core.dates import add_months
from bangfu.museums.models import Museum
from bangfu.placements import services as s
from bangfu.placements.models import Placement

HOST = "山西博物院"
SENDING = "安泽县博物馆"


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def load_placements() -> int:
    """Add the demo's placements and visits; returns how many placements were added (0 when already there)."""
    host, sending = Museum.objects.filter(name=HOST).first(), Museum.objects.filter(name=SENDING).first()
    users = {u.username: u for u in User.objects.filter(username__in=[
        "sxbwy_admin", "sxbwy_staff", "anze_admin", "anze_staff"])}
    if host is None or sending is None or len(users) < 4 or Placement.objects.filter(
            person=users["anze_staff"]).exists():
        return 0
    today = timezone.localdate()
    this_month = today.replace(day=1)
    day = datetime.timedelta(days=1)

    # Last year's 跟班学习, completed.
    start = add_months(this_month, -12)
    done = s.placement_request(
        by=users["anze_admin"], host=host, person=users["anze_staff"], kind="study", department="陈列部",
        start=start, end=add_months(start, 4) - day,
        goals="1. 参与山西博物院一个临时展览从策划到布展的全过程；\n2. 学习展览大纲编写和展线设计；\n"
              "3. 回馆后牵头完成本馆基本陈列的局部改陈方案。")
    s.placement_agree(placement=done, by=users["sxbwy_admin"], mentor=users["sxbwy_staff"])
    s.placement_start(placement=done, by=users["sxbwy_admin"])
    for offset, work, learned in [
        (0, "参与“晋国霸业”专题展的展品遴选与说明牌撰写。", "掌握了展品组合与说明文字分级写法。"),
        (1, "协助布展，负责展柜灯光与展品点位。", "了解了展陈照明的照度与显色要求。"),
    ]:
        report = s.report_submit(placement=done, by=users["anze_staff"], month=add_months(start, offset),
                                 work_done=work, learned=learned, next_plan="继续参与展览布展与开幕讲解。")
        s.report_comment(report=report, by=users["sxbwy_staff"], comment="工作认真，建议多做展线草图练习。")
    s.placement_complete(placement=done, by=users["sxbwy_admin"], grade="good",
                         assessment="学习认真，独立完成了一个展柜的内容设计与布展，完成学习目标。",
                         on=add_months(start, 4) - day)

    # This year's 挂职锻炼, in progress: two reports in, the third month's late.
    start = add_months(this_month, -3)
    current = s.placement_request(
        by=users["anze_admin"], host=host, person=users["anze_staff"], kind="secondment", department="保管部",
        start=start, end=add_months(start, 6) - day,
        goals="挂职保管部主任助理：学习藏品总账、分类账和出入库管理，参与库房预防性保护，回馆后规范本馆藏品账目。")
    s.placement_agree(placement=current, by=users["sxbwy_admin"], mentor=users["sxbwy_staff"])
    s.placement_start(placement=current, by=users["sxbwy_admin"])
    first = s.report_submit(placement=current, by=users["anze_staff"], month=start,
                            work_done="熟悉保管部工作流程，参与青铜器库房的季度盘点。",
                            learned="了解了藏品总账与分类账的对应关系和盘点流程。", next_plan="学习文物出入库手续。")
    s.report_comment(report=first, by=users["sxbwy_staff"], comment="盘点记录清楚，下月重点学习出入库凭证。")
    s.report_submit(placement=current, by=users["anze_staff"], month=add_months(start, 1),
                    work_done="办理两批展品出入库，协助库房温湿度巡检。", learned="出入库凭证的填写与双人核对制度。",
                    next_plan="参与库房虫害排查。")

    # Guidance visits: one done (with a photo, in the ledger), one proposed.
    visit = s.visit_propose(by=users["sxbwy_admin"], partner=sending, title="库房预防性保护与藏品账目规范指导",
                            start=today - datetime.timedelta(days=40), end=today - datetime.timedelta(days=38),
                            agenda="第一天：库房环境评估（温湿度、光照、虫害）；\n第二天：藏品账目检查；\n"
                                   "第三天：为全馆业务人员讲授预防性保护实务。",
                            visitors="陈刚（办公室主任）、刘洋（保管部馆员）",
                            visitor_users=[users["sxbwy_admin"], users["sxbwy_staff"]])
    s.visit_agree(visit=visit, by=users["anze_admin"])
    s.visit_complete(visit=visit, by=users["sxbwy_admin"], people_trained=8,
                     report="评估了两处库房，发现北库房湿度偏高，建议加装除湿机并每日记录；检查藏品总账，"
                            "指出 12 件藏品账物不符；为 8 名业务人员讲授预防性保护实务。",
                     photos=[_photo("库房评估.png", (120, 140, 160))])
    s.visit_propose(by=users["anze_admin"], partner=host, title="基本陈列改陈方案指导",
                    start=today + datetime.timedelta(days=20), end=today + datetime.timedelta(days=21),
                    agenda="现场查看展厅，讨论改陈大纲与展线，提出修改意见。", visitors="")
    return 2
