"""Demo data for exhibitions: touring exhibitions of 山西博物院 and other big museums with free windows and stops at
county museums (some completed with their visitors, written to the ledger; one accepted ahead; one request waiting
for 山西博物院), and a co-curation project of 安泽县博物馆 guided by its helper (the demo pairing), in the 形式设计
stage with guidance notes. Built through the real services as the demo accounts (the association for museums
without one). 山西博物院's exhibitions show objects of its registry as the objects demo loads it (SX-…, loaded
before); 运城博物馆, without a demo account, gets its two objects written here. Idempotent: an
exhibition or project already there (same title and museum) is left alone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.exhibitions.models import CurationProject, TouringExhibition
from bangfu.exhibitions.services import (
    guidance_add,
    project_advance,
    project_create,
    stop_accept,
    stop_complete,
    stop_request,
    touring_create,
)
from bangfu.museums.models import Museum
from bangfu.objects.models import CollectionObject
from bangfu.pairings.models import Pairing

HELPER = "山西博物院"
PROJECT_MUSEUM = "安泽县博物馆"

# title → (owner, theme, description, floor area, objects): 山西博物院's are numbers in the objects demo's registry
# (bangfu/demo/objects.py); 运城博物馆 has no demo account nor registry, its few are written here
# [(number, name, grade, category, material, era)].
TOURING = {
    "晋国霸业——晋侯墓地出土文物精品展": (
        HELPER, "青铜器", "以曲沃北赵晋侯墓地出土青铜器、玉器为主，展示晋国从始封到称霸的历史。展览包含展板 40 块、"
        "复制品 12 件，配有讲解词和社教活动方案。", 600,
        # 晋侯鸟尊, 赵卿墓鸟尊, 晋侯猪尊, 刖人守囿铜挽车, 侯马盟书, 晋侯墓地玉组佩, 倗国铜簋
        ["SX-0001", "SX-0003", "SX-0004", "SX-0005", "SX-0006", "SX-0023", "SX-0027"]),
    "山西古代壁画艺术展": (
        HELPER, "壁画", "遴选山西寺观、墓葬壁画高清复制与揭取壁画残块，介绍壁画的制作工艺与保护修复。", 400,
        ["SX-0032", "SX-0016"]),  # 元代壁画残片（朝元图）, 侯马董氏墓砖雕戏俑
    "黄河文明——河东历史文物展": (
        "运城博物馆", "黄河", "以河东地区史前至宋元文物讲述黄河文明的形成与发展。", 500,
        [("HH-0001", "彩陶盆", "三级", "陶器", "陶", "新石器时代"),
         ("HH-0002", "铁牛（模型）", "未定级", "其他", "复合", "唐")]),
}

# (exhibition, venue, start offset, days, state, visitors, events)
STOPS = [
    ("晋国霸业——晋侯墓地出土文物精品展", PROJECT_MUSEUM, -110, 60, "completed", 18_600, 8),
    ("晋国霸业——晋侯墓地出土文物精品展", "浮山县博物馆", -35, 50, "accepted", 0, 0),
    ("晋国霸业——晋侯墓地出土文物精品展", "洪洞县博物馆", 40, 45, "accepted", 0, 0),
    ("晋国霸业——晋侯墓地出土文物精品展", "襄汾县博物馆", 110, 60, "requested", 0, 0),
    ("山西古代壁画艺术展", "平遥县博物馆", -200, 90, "completed", 23_400, 12),
    ("山西古代壁画艺术展", PROJECT_MUSEUM, 30, 60, "requested", 0, 0),
    ("黄河文明——河东历史文物展", "芮城县博物馆", -150, 60, "completed", 9_800, 4),
    ("黄河文明——河东历史文物展", "永济市博物馆", 20, 60, "accepted", 0, 0),
]

GUIDANCE = [
    ("topic", -80, "sxbwy_staff", "选题建议以“荀子故里”为主线，兼顾安泽古城遗址与近代革命文物，突出地方特色。"),
    ("topic", -76, "anze_admin", "已按建议调整选题，确定展览名称与三个单元。"),
    ("content", -60, "sxbwy_staff", "内容大纲第二单元文物支撑不足，建议补充馆藏汉代陶器，并向我院借展 2 件相关文物。"),
    ("content", -45, "sxbwy_staff", "展品清单和说明文字已审阅，修改意见见附件（演示未附文件）。"),
    ("form", -20, "sxbwy_staff", "形式设计初稿：动线建议改为顺时针，重点展品独立展柜，注意温湿度与照度控制。"),
    ("form", -6, "sxbwy_staff", "第二稿基本可行，灯光方案需补充，下周派设计人员到馆现场踏勘。"),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _acting_for(museum: Museum, association: User) -> User:
    """A demo account of the museum, else the association (which may act for any museum)."""
    return (User.objects.filter(museum=museum, role="museum_admin", is_active=True).order_by("pk").first()
            or association)


def _objects(museum: Museum, rows) -> list[CollectionObject]:
    """The exhibition's objects: numbers are looked up in the museum's registry (the objects demo's, those missing
    left out); tuples are written when not there yet."""
    numbers = [row for row in rows if isinstance(row, str)]
    found = list(CollectionObject.objects.filter(museum=museum, registration_number__in=numbers, is_active=True))
    for number, name, grade, category, material, era in (row for row in rows if not isinstance(row, str)):
        obj, _ = CollectionObject.objects.get_or_create(
            museum=museum, registration_number=number,
            defaults={"name": name, "grade": grade, "category": category, "material": material, "era": era,
                      "has_record": True, "offered": grade != "一级", "condition": "good"})
        found.append(obj)
    return found


def _touring(today: datetime.date, association: User) -> dict[str, TouringExhibition]:
    made = {}
    for title, (owner_name, theme, description, area, objects) in TOURING.items():
        owner = Museum.objects.filter(name=owner_name).first()
        if owner is None or TouringExhibition.objects.filter(museum=owner, title=title).exists():
            continue
        made[title] = touring_create(
            museum=owner, by=_acting_for(owner, association), title=title, theme=theme, description=description,
            floor_area=area, wall_length=area // 4, crates=len(objects) * 3, setup_days=7, transit_days=7,
            min_days=30, climate="温度 18–22℃，相对湿度 45%–55%，展柜内照度不超过 150 lx。",
            security="展厅须有 24 小时视频监控、入侵报警和消防系统；重点展品独立展柜。",
            cost_terms="出展方负责布展和讲解培训；接展方承担运输、保险和展期内安保。",
            windows=[(today - datetime.timedelta(days=240), today + datetime.timedelta(days=300))],
            items=_objects(owner, objects), publish=True)
    return made


def _stops(made: dict, today: datetime.date, association: User) -> int:
    count = 0
    for title, venue_name, offset, days, state, visitors, events in STOPS:
        exhibition, venue = made.get(title), Museum.objects.filter(name=venue_name).first()
        if exhibition is None or venue is None:
            continue
        start = today + datetime.timedelta(days=offset)
        by = _acting_for(venue, association)
        stop = stop_request(exhibition=exhibition, venue=venue, by=by, start=start,
                            end=start + datetime.timedelta(days=days - 1), note="展厅已按要求准备，安排专人对接。",
                            today=min(today, start - datetime.timedelta(days=20)))
        owner_by = _acting_for(exhibition.museum, association)
        if state in ("accepted", "completed"):
            stop_accept(stop=stop, by=owner_by)
        if state == "completed":
            stop_complete(stop=stop, by=by, visitors=visitors, events=events,
                          outcome="展期内接待观众踊跃，开展“青少年进展厅”等社教活动，县电视台专题报道。")
        count += 1
    return count


def _project(today: datetime.date) -> int:
    museum, helper = Museum.objects.filter(name=PROJECT_MUSEUM).first(), Museum.objects.filter(name=HELPER).first()
    anze, staff = _user("anze_admin"), _user("sxbwy_staff")
    title = "荀子故里——安泽历史文化陈列"
    if None in (museum, helper, anze, staff) or CurationProject.objects.filter(museum=museum, title=title).exists():
        return 0
    pairing = Pairing.objects.open().filter(helper=helper, helped=museum).first()
    start = today - datetime.timedelta(days=85)
    if pairing is not None:
        start = max(start, pairing.start_date)

    def day(offset):
        return today + datetime.timedelta(days=offset)

    plan = {"topic": (day(-85), day(-60)), "content": (day(-60), day(-20)), "form": (day(-20), day(5)),
            "build": (day(5), day(30)), "opening": (day(31), day(31)), "closing": (day(200), day(210))}
    project = project_create(museum=museum, helper=helper, by=anze, title=title, plan=plan, started_on=start,
                             description="县馆基本陈列提升：在省馆全过程指导下完成选题、内容与形式设计、施工布展。",
                             venue="安泽县博物馆一层展厅", planned_opening=day(31))
    for stage, offset, username, note in GUIDANCE:
        if stage != project.stage:
            project = project_advance(project=project, by=anze, on=max(day(offset - 1), start))
        guidance_add(project=project, by=_user(username), stage=stage, date=max(day(offset), start), note=note)
    return 1


@transaction.atomic
def load_exhibitions(today: datetime.date | None = None) -> tuple[int, int, int]:
    """(touring exhibitions, stops, co-curation projects) created; nothing without the demo accounts."""
    association = _user("xiehui")
    if association is None or _user("sxbwy_admin") is None:
        return 0, 0, 0
    today = today or timezone.localdate()
    made = _touring(today, association)
    return len(made), _stops(made, today, association), _project(today)
