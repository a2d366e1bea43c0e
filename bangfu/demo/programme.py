"""Demo data for the programme: needs and offers, pairings (some from the solver), one agreement worked through to
the ledger, a pending ledger entry. Built through the real services, only when there are no pairings yet."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User, system_user
from bangfu.agreements.services import (
    agreement_confirm,
    agreement_create,
    agreement_submit,
    agreement_update,
    task_complete,
    task_update,
)
from bangfu.core.areas import Area
from bangfu.ledger.services import ledger_record
from bangfu.museums.models import Museum, Offering
from bangfu.museums.services import museum_set_areas
from bangfu.pairings.models import Pairing
from bangfu.pairings.services import pairing_create, pairing_set_status
from bangfu.pairings.suggest import propose

NEED_TEXT = {
    Area.EXHIBITION: "缺少策展人员，希望联合策划本地历史陈列",
    Area.LOAN: "希望借展精品文物，充实基本陈列",
    Area.CONSERVATION: "库房温湿度失控，急需预防性保护指导和环境监测",
    Area.CREATIVE: "希望开发具有县域特色的文创产品",
    Area.EDUCATION: "希望把博物馆课程送进县里的中小学",
    Area.RESEARCH: "馆藏研究薄弱，希望共同申报课题",
    Area.PEOPLE: "讲解员和保管员需要系统培训",
}
OFFER_TEXT = {
    Area.EXHIBITION: "可提供成熟展览巡展及布展、讲解支持",
    Area.LOAN: "可依规出借部分馆藏文物",
    Area.CONSERVATION: "文保实验室开放检测分析，专家上门会诊",
    Area.CREATIVE: "开放 IP 授权，共享设计与销售渠道",
    Area.EDUCATION: "“博物馆进校园”课程可改编送课",
    Area.RESEARCH: "开放图书资料与数据库，指导论文写作",
    Area.PEOPLE: "接收跟班学习 3–6 个月，派员短期指导",
}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _areas(rng: random.Random, count: int) -> list[str]:
    return rng.sample(list(Area.values), count)


def load_needs_and_offers(rng: random.Random) -> None:
    system = system_user()
    for museum in Museum.objects.helpers():
        if not museum.areas.filter(kind=Offering.OFFER).exists():
            museum_set_areas(museum=museum, by=system, kind=Offering.OFFER,
                             items={a: {"text": OFFER_TEXT[a], "capacity": 2} for a in _areas(rng, 4)})
    for museum in Museum.objects.helped().order_by("pinyin")[:60]:
        if not museum.areas.filter(kind=Offering.NEED).exists():
            museum_set_areas(museum=museum, by=system, kind=Offering.NEED,
                             items={a: {"text": NEED_TEXT[a]} for a in _areas(rng, 2)})


def load_showcase_pairing(today: datetime.date) -> Pairing:
    """山西博物院 → 安泽县博物馆, the demo accounts' museums: an agreement confirmed by both, tasks in every state."""
    admin = _user("xiehui")
    helper, helped = Museum.objects.get(name="山西博物院"), Museum.objects.get(name="安泽县博物馆")
    pairing = pairing_create(by=admin, helper=helper, helped=helped, start_date=today - datetime.timedelta(days=120),
                             end_date=today + datetime.timedelta(days=975), note="演示：省馆带县馆")
    agreement = agreement_create(pairing=pairing, by=_user("sxbwy_admin"),
                                 background="发挥省级博物馆资源优势，帮助安泽县博物馆提升陈列、保护和人才水平。",
                                 deliverables="基本陈列提升方案\n库房预防性保护方案\n讲解员队伍")
    staff = _user("sxbwy_staff")
    tasks = [
        {"title": "讲解员集中培训", "area": "people", "owner_side": "helper", "ledger_kind": "培训",
         "due_date": today - datetime.timedelta(days=20), "people_trained": 15, "days": 3, "responsible": staff},
        {"title": "库房温湿度监测方案", "area": "conservation", "owner_side": "helper", "ledger_kind": "会诊",
         "due_date": today + datetime.timedelta(days=5), "days": 2, "responsible": staff},
        {"title": "基本陈列提升方案评审", "area": "exhibition", "owner_side": "both", "ledger_kind": "策展指导",
         "due_date": today - datetime.timedelta(days=3)},
        {"title": "“博物馆进校园”送课 3 次", "area": "education", "owner_side": "helped", "ledger_kind": "送课",
         "due_date": today + datetime.timedelta(days=60), "visitors": 300},
    ]
    agreement = agreement_update(agreement=agreement, by=_user("sxbwy_admin"), tasks=tasks, goals={
        "people": "两年内培养 15 名合格讲解员", "conservation": "建立库房环境监测与预防性保护制度",
        "exhibition": "完成基本陈列提升", "education": "每年送课进校园不少于 3 次"})
    agreement_submit(agreement=agreement, by=_user("sxbwy_admin"))
    agreement_confirm(agreement=agreement, by=_user("sxbwy_admin"))
    agreement_confirm(agreement=agreement, by=_user("anze_admin"))
    pairing_set_status(pairing=pairing, by=admin, status="active")
    by_title = {t.title: t for t in agreement.tasks.all()}
    task_complete(task=by_title["讲解员集中培训"], by=staff, completed_on=today - datetime.timedelta(days=21),
                  evidence_link="https://example.org/demo/training-photos", evidence_caption="培训合影（演示链接）")
    task_update(task=by_title["库房温湿度监测方案"], by=staff, status="doing", progress=40)
    ledger_record(by=_user("sxbwy_admin"), helper=helper, helped=helped, pairing=pairing, area="research",
                  kind="文物鉴定", date=today - datetime.timedelta(days=10), object_count=12,
                  description="派专家赴安泽鉴定馆藏青铜器 12 件（平台外帮扶，待安泽县博物馆确认）",
                  evidence_link="https://example.org/demo/appraisal-report")
    return pairing


def load_suggested_pairings(today: datetime.date, count: int = 12) -> int:
    """Accept the solver's best suggestions, one per helper, as proposed pairings."""
    admin, seen, created = _user("xiehui"), set(), 0
    for suggestion in sorted(propose().suggestions, key=lambda s: s.cost):
        if suggestion.helper_id in seen or created >= count:
            continue
        seen.add(suggestion.helper_id)
        pairing_create(by=admin, helper=Museum.objects.get(pk=suggestion.helper_id),
                       helped=Museum.objects.get(pk=suggestion.helped_id), start_date=today,
                       end_date=today + datetime.timedelta(days=3 * 365), source="suggestion",
                       note=f"演示：系统推荐（{suggestion.km} 公里）")
        created += 1
    return created


@transaction.atomic
def load_programme(seed: int = 2026) -> int:
    """Returns how many pairings were created (0 when the programme already has data)."""
    if Pairing.objects.exists() or not User.objects.filter(username="sxbwy_admin").exists():
        return 0
    rng, today = random.Random(seed), timezone.localdate()
    load_needs_and_offers(rng)
    load_showcase_pairing(today)
    return 1 + load_suggested_pairings(today)
