"""Demo data for the supply–demand exchange (供需对接): needs and offers in every area from real Shanxi museums and
an expert, written for the demo, and 对接 threads at each stage — open with messages, terms confirmed by one side,
matched, completed with both ratings (one of them written to the ledger), closed. Built through the real services
as the demo accounts (the association posts for museums that have no demo account). Idempotent: a post already in
the database (same title and owner) is left alone, and only new posts get their threads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.exchange.models import Post, Subtype
from bangfu.exchange.services import post_create
from bangfu.exchange.threads import message_post, thread_close, thread_complete, thread_confirm_match, thread_start
from bangfu.experts.models import Expert
from bangfu.museums.models import Museum

EXPERT = "孙文博"  # the demo expert (account zhuanjia)


@dataclass
class Spec:
    """One demo post: owner (a museum's name, or EXPERT), kind, area, sub-type, title, description, terms…"""

    owner: str
    kind: str
    area: str
    subtype: str
    title: str
    description: str
    terms: str = ""
    capacity: int = 1
    days: int = 90  # valid for this many days from today
    contact: tuple[str, str] = ("", "")
    extra: dict = field(default_factory=dict)


POSTS = [
    # --- 展览 exhibitions
    Spec("山西博物院", "offer", "exhibition", "巡展", "巡展「晋国霸业——晋侯墓地出土文物精品展」",
         "精选晋侯墓地出土青铜器、玉器等文物复制品与高清图版 120 余件，配套展板和多媒体，适合 300–600 平方米展厅。"
         "我院派策展人协助布展，并为受援馆培训讲解员 2 天。", terms="展品运输与布展由我院承担，受援馆提供展厅与安保",
         capacity=3, days=240, contact=("郭晓岚", "0351-8789000")),
    Spec("大同市博物馆", "offer", "exhibition", "联合策展", "北魏平城文物联合策展与展陈设计",
         "依托北魏平城考古成果，可与雁北地区县馆联合策划“平城时代”专题展，提供展陈大纲、文物遴选与展线设计。",
         terms="差旅由受援馆承担", capacity=2, days=180, contact=("韩志远", "0352-2056000")),
    Spec("右玉县博物馆", "need", "exhibition", "策展全过程指导", "右玉精神主题陈列改陈的策展指导",
         "我馆基本陈列建成于 2009 年，内容和形式陈旧，计划改陈，缺少策展人员，希望有经验的大馆全过程指导：大纲、"
         "展品组织、形式设计评审。", terms="可承担专家差旅食宿", days=150),
    Spec("隰县博物馆", "need", "exhibition", "巡展", "希望引进一个成熟的历史文化巡展",
         "我馆临时展厅 280 平方米，全年临展空档较多，希望引进适合县城观众和中小学生的成熟巡展，并有讲解支持。",
         days=120),
    # --- 借展 loans
    Spec("运城博物馆", "offer", "loan", "展品借展", "河东盐文化文物借展",
         "可依规出借河东盐池相关文物及标本 30 余件，用于县馆盐文化或河东历史专题展，借展期 3–6 个月。",
         terms="受援馆需具备安防、消防和恒温恒湿展柜条件；保险费由借展方承担", capacity=2, days=200),
    Spec("芮城县博物馆", "need", "loan", "借展手续指导", "首次办理文物借展的手续指导",
         "我馆拟向省内大馆借展一批仰韶文化陶器，从未办理过借展，希望指导借展协议、报批、点交和运输包装全流程。",
         days=100),
    # --- 文保 conservation
    Spec("安泽县博物馆", "need", "conservation", "保护修复方案", "馆藏明代壁画残块的保护修复指导",
         "我馆收藏 1980 年代征集的明代寺观壁画残块 12 块，地仗层酥碱、颜料层起甲脱落严重，库房条件有限。"
         "希望有壁画修复经验的单位派员现场评估病害，指导编制保护修复方案和临时加固。",
         terms="可承担专家差旅食宿", days=120, contact=("杨帆", "0357-8522000")),
    Spec("安泽县博物馆", "need", "conservation", "环境监测", "库房温湿度监测与预防性保护指导",
         "库房夏季相对湿度长期在 75% 以上，铁器锈蚀、纸质文物发霉。希望指导布设温湿度监测点、选购除湿设备，"
         "建立预防性保护制度。", terms="设备采购预算 3 万元", days=90),
    Spec("安泽县博物馆", "need", "people", "培训名额", "讲解员系统培训",
         "我馆现有讲解员 5 名，多为新入职人员，希望参加大馆的讲解员培训，或请大馆派人来馆集中培训。", days=120),
    Spec("山西博物院", "offer", "conservation", "检测分析", "青铜器 X 射线探伤与成分检测",
         "我院文保实验室开放 X 射线探伤、X 射线荧光成分分析和显微观察，可为县馆青铜器做病害调查与检测分析，"
         "出具检测报告并提出保护建议。", terms="检测无偿；文物运输由送检馆负责，需双方点交", capacity=5, days=300,
         contact=("刘洋", "0351-8789111")),
    Spec(EXPERT, "offer", "conservation", "专家会诊", "彩塑病害诊断与保护建议",
         "本人从事彩塑与青铜器保护 20 余年，可赴馆对彩塑（泥塑彩绘）的开裂、起甲、粉化等病害现场诊断，"
         "提出保护建议和修复方案框架。", terms="无偿；差旅由邀请方承担", capacity=3, days=180),
    Spec("中国煤炭博物馆", "offer", "conservation", "预防性保护", "工业遗产类藏品的预防性保护经验分享",
         "我馆藏有大量近现代采矿设备和工业遗产，可分享金属大件藏品的防锈、除尘和展厅环境控制经验，接待县馆参观交流。",
         capacity=4, days=200),
    Spec("五台县博物馆", "need", "conservation", "濒危文物修复", "清代木雕佛像开裂变形的抢救性修复",
         "馆藏清代木雕彩绘佛像 3 尊出现开裂、变形和彩绘脱落，属濒危文物，希望承接或指导抢救性修复。",
         terms="可申请专项经费", days=150),
    # --- 文创 creative
    Spec("山西博物院", "offer", "creative", "IP 授权", "「晋魂」系列文创 IP 授权与联合开发",
         "开放鸟尊、晋侯苏钟等馆藏精品形象的 IP 授权，可与县馆联合开发融入县域元素的文创产品，共享设计资源。",
         terms="授权费减免；产品收益按协议分成", capacity=5, days=365),
    Spec("平遥县博物馆", "need", "creative", "联合开发", "平遥古城文创 IP 打造",
         "希望围绕古城票号、推光漆等地方文化打造文创 IP，缺少设计力量和销售渠道，寻求联合开发与渠道支持。", days=180),
    Spec("晋城博物馆", "offer", "creative", "销售渠道", "文创商店为县馆产品提供代售专柜",
         "我馆文创商店可为晋城及周边县馆的优质文创产品提供代售专柜和线上店铺展示位。", capacity=6, days=365),
    # --- 社教 education
    Spec("运城博物馆", "offer", "education", "研学课程", "「河东文明」研学课程包送课",
         "成熟的研学课程 6 门（含教案、教具和学习单），适合小学高年级和初中，可改编后送课到县域中小学。",
         terms="教具运输由受援馆承担", capacity=4, days=240),
    Spec("襄汾县博物馆", "need", "education", "研学课程", "陶寺遗址主题研学课程开发",
         "希望以陶寺遗址为主题开发适合本县中小学的研学课程，需要课程设计和教具制作方面的指导。", days=150),
    Spec("永济市博物馆", "need", "education", "志愿者", "志愿者招募与培训管理经验",
         "我馆讲解和导览人手不足，计划招募志愿者，希望学习志愿者招募、培训、排班和激励的做法。", days=120),
    # --- 学术 research
    Spec("山西博物院", "offer", "research", "图书资料", "图书资料室与数字资源向县馆开放",
         "我院图书资料室藏书 8 万余册，含各地考古报告和期刊，县馆业务人员可预约查阅，并提供部分数据库远程访问。",
         capacity=10, days=365),
    Spec("垣曲县博物馆", "need", "research", "联合申报课题", "联合申报省级文物科研课题",
         "我馆拟就垣曲商城遗址出土文物开展整理研究，希望与大馆联合申报省级课题，需要选题和申报书撰写指导。", days=120),
    Spec("临汾市博物馆", "offer", "research", "论文指导与刊发", "业务论文写作指导与馆刊刊发",
         "可为县馆业务人员提供论文选题和写作指导，优秀稿件可在本馆馆刊刊发。", capacity=5, days=300),
    # --- 人才 people
    Spec("中国煤炭博物馆", "offer", "people", "跟班学习", "接收县馆业务人员跟班学习 3 个月",
         "每年可接收 2 名县馆业务人员在陈列、社教或保管部门跟班学习 3 个月，安排导师带教。",
         terms="提供食宿", capacity=2, days=300),
    Spec("忻州市博物馆", "need", "people", "专家巡讲", "藏品管理与文物定级专题讲座",
         "市域内县馆普遍缺乏藏品定级经验，希望邀请专家来忻州开展藏品管理与文物定级专题讲座，面向全市县馆。",
         days=100),
    Spec("山西博物院", "offer", "people", "短期指导", "派业务骨干赴县馆短期指导（1–2 周）",
         "可根据县馆需要，派陈列、保管、社教等部门业务骨干赴馆短期指导 1–2 周。", terms="无偿", capacity=4,
         days=365),
]


def _owner_user(spec: Spec) -> User:
    """Who writes the post: the museum's demo admin or the demo expert; the association for museums without one."""
    if spec.owner == EXPERT:
        return User.objects.get(username="zhuanjia")
    return {"山西博物院": _user("sxbwy_admin"), "安泽县博物馆": _user("anze_admin")}.get(spec.owner) or _user("xiehui")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _existing(spec: Spec) -> Post | None:
    owner = {"expert__name": spec.owner} if spec.owner == EXPERT else {"museum__name": spec.owner}
    return Post.objects.filter(title=spec.title, **owner).first()


def _create(spec: Spec, today: datetime.date) -> Post | None:
    """The post of a spec (None when its museum is not in the directory)."""
    by = _owner_user(spec)
    museum = None if spec.owner == EXPERT else Museum.objects.filter(name=spec.owner).first()
    if spec.owner != EXPERT and museum is None:
        return None
    extra = {"museum": museum} if by.is_association_admin else {}
    name, phone = spec.contact
    return post_create(
        by=by, kind=spec.kind, area=spec.area, title=spec.title, description=spec.description, publish=True,
        subtype=Subtype.objects.filter(area=spec.area, name=spec.subtype).first(), terms=spec.terms,
        capacity=spec.capacity if spec.kind == "offer" else 1, until=today + datetime.timedelta(days=spec.days),
        contact_name=name, contact_phone=phone, **extra, **spec.extra,
    )


def _threads(posts: dict[str, Post]) -> int:
    """The demo's 对接 at each stage, between the demo accounts' museums and the expert."""
    sxbwy, sxbwy_staff, anze, anze_staff = (_user(u) for u in ("sxbwy_admin", "sxbwy_staff", "anze_admin",
                                                               "anze_staff"))
    zhuanjia = _user("zhuanjia")
    made = 0

    # Completed, both rated, written to the ledger: 山西博物院 guided 安泽's mural fragments.
    need = posts.get("馆藏明代壁画残块的保护修复指导")
    if need is not None:
        thread, _ = thread_start(post=need, by=sxbwy_staff, message=(
            "您好！我院文保中心有壁画保护修复团队，可以派 2 名修复人员到馆评估病害、指导临时加固和方案编制。"
            "请问残块目前如何存放？能否先发几张照片？"))
        message_post(thread=thread, by=anze_staff, body="残块平放在库房木架上，下面垫了宣纸。照片和病害记录见链接。",
                     link="https://example.org/demo/mural-fragments", caption="壁画残块照片（演示链接）")
        message_post(thread=thread, by=sxbwy_staff,
                     body="看了照片，起甲和酥碱确实严重，建议尽快临时加固。下周二、三到馆可以吗？")
        message_post(thread=thread, by=anze_staff, body="可以，我们安排好库房和工作台。")
        terms = ("山西博物院派 2 名壁画修复人员到馆 3 天：病害评估、临时加固示范、指导编制保护修复方案；"
                 "差旅由安泽县博物馆承担。")
        thread_confirm_match(thread=thread, by=sxbwy, terms=terms)
        thread_confirm_match(thread=thread, by=anze, terms=terms)
        message_post(thread=thread, by=sxbwy_staff, body="方案初稿已发邮箱，临时加固的 12 块残块请保持库房湿度稳定。")
        thread_complete(thread=thread, by=anze, score=5,
                        comment="专家非常专业，现场手把手教我们做临时加固，方案很实用。")
        thread_complete(thread=thread, by=sxbwy, score=5, comment="安泽县博物馆准备充分，配合积极。",
                        quantities={"people_trained": 4, "days": 3, "object_count": 12})
        made += 1

    # Matched, not yet completed: 讲解员培训.
    need = posts.get("讲解员系统培训")
    if need is not None:
        thread, _ = thread_start(post=need, by=sxbwy, message=(
            "我院社教部 11 月有一期讲解员培训班，可以给贵馆留 5 个名额，也可以派 2 名讲解骨干到安泽集中培训 2 天。"))
        message_post(thread=thread, by=anze, body="太好了，我们希望先派 5 人参加贵院培训班，明年再请老师来馆。")
        terms = "山西博物院 11 月讲解员培训班为安泽县博物馆预留 5 个名额，培训费全免，食宿自理。"
        thread_confirm_match(thread=thread, by=anze, terms=terms)
        thread_confirm_match(thread=thread, by=sxbwy, terms=terms)
        made += 1

    # Open, terms confirmed by one side: 安泽 asks 山西博物院 for bronze testing.
    offer = posts.get("青铜器 X 射线探伤与成分检测")
    if offer is not None:
        thread, _ = thread_start(post=offer, by=anze_staff, message=(
            "我馆有 8 件商周青铜器出现粉状锈，想请贵院做 X 射线探伤和成分检测，判断是否有“青铜病”。"))
        message_post(thread=thread, by=sxbwy_staff, body="可以。请先填写送检清单（附件模板），我们排期后通知送检时间。")
        message_post(thread=thread, by=anze_staff, body="送检清单已填好。", link="https://example.org/demo/bronze-list",
                     caption="送检清单（演示链接）")
        thread_confirm_match(thread=thread, by=sxbwy, terms=(
            "山西博物院文保实验室为安泽县博物馆 8 件青铜器做 X 射线探伤和成分检测，出具检测报告；"
            "文物由安泽县博物馆送检并双方点交。"))
        made += 1

    # Open with messages: the expert answers 安泽's humidity need.
    need = posts.get("库房温湿度监测与预防性保护指导")
    if need is not None:
        thread, _ = thread_start(post=need, by=zhuanjia, message=(
            "我做过多个县馆库房的预防性保护，可以先远程看一下库房平面和近一个月的温湿度记录，再决定是否到馆。"))
        message_post(thread=thread, by=anze_staff,
                     body="我们目前只有两个指针式温湿度计，没有连续记录，先把平面图发给您。")
        made += 1

    # Open: 安泽 asks the expert about its painted clay sculptures.
    offer = posts.get("彩塑病害诊断与保护建议")
    if offer is not None:
        thread_start(post=offer, by=anze, message="我馆有 2 尊明代彩塑罗汉，表面有裂缝和彩绘起甲，想请孙老师来看看。")
        made += 1

    # Closed: the touring exhibition did not fit the hall.
    offer = posts.get("巡展「晋国霸业——晋侯墓地出土文物精品展」")
    if offer is not None:
        thread, _ = thread_start(post=offer, by=anze, message="我馆想引进这个巡展，临时展厅 180 平方米，是否够用？")
        message_post(thread=thread, by=sxbwy,
                     body="这个展览至少需要 300 平方米，180 平方米恐怕放不下，可以考虑精简版。")
        thread_close(thread=thread, by=anze, reason="展厅面积不足，等新展厅建成后再申请。")
        made += 1
    return made


@transaction.atomic
def load_exchange(today: datetime.date | None = None) -> tuple[int, int]:
    """(posts created, threads created); nothing when the demo accounts are missing or everything is there."""
    if User.objects.filter(username__in=["xiehui", "sxbwy_admin", "anze_admin", "zhuanjia"]).count() != 4:
        return 0, 0
    if not Expert.objects.filter(name=EXPERT, user__username="zhuanjia").exists():
        return 0, 0
    today = today or timezone.localdate()
    created = {}
    for spec in POSTS:
        if _existing(spec) is None:
            post = _create(spec, today)
            if post is not None:
                created[spec.title] = post
    return len(created), _threads(created)
