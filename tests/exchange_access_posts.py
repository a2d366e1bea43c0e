"""The exchange's posts pages in the access matrix (joined in tests/access_exchange.py).

The scene: a published need of the helped museum (world.exchange_need) with a link attached, a published offer of
the helper museum (world.exchange_offer) — the threads' scene relies on both names — a draft of the helped museum,
a post waiting for review, and a registry need of the helped museum."""

from django.urls import reverse

from bangfu.exchange.services import post_attachment_add, post_create, post_publish, rules_update
from bangfu.museums.models import MuseumArea
from bangfu.museums.services import museum_set_areas

MATRIX = {
    "exchange:search": (lambda w: reverse("exchange:search"), 200, 200),
    "exchange:detail": (lambda w: reverse("exchange:detail", args=[w.exchange_need.pk]), 200, 200),
    "exchange:create": (lambda w: reverse("exchange:create") + "?kind=need", 200, 302),
    "exchange:edit": (lambda w: reverse("exchange:edit", args=[w.exchange_need.pk]), 403, 302),
    "exchange:publish": (lambda w: reverse("exchange:publish", args=[w.exchange_draft.pk]), 404, 302),
    "exchange:withdraw": (lambda w: reverse("exchange:withdraw", args=[w.exchange_need.pk]), 403, 302),
    "exchange:approve": (lambda w: reverse("exchange:approve", args=[w.exchange_pending.pk]), 404, 302),
    "exchange:return": (lambda w: reverse("exchange:return", args=[w.exchange_pending.pk]), 404, 302),
    "exchange:review": (lambda w: reverse("exchange:review"), 403, 302),
    "exchange:mine": (lambda w: reverse("exchange:mine"), 200, 302),
    "exchange:from_registry": (lambda w: reverse("exchange:from_registry", args=[w.registry_need.pk]), 403, 302),
    "exchange:attachment_add": (lambda w: reverse("exchange:attachment_add", args=[w.exchange_need.pk]), 403, 302),
    "exchange:attachment_remove": (lambda w: reverse("exchange:attachment_remove", args=[w.exchange_link.pk]),
                                   403, 302),
}
POST_ONLY = {"exchange:publish", "exchange:withdraw", "exchange:approve", "exchange:return",
             "exchange:from_registry", "exchange:attachment_add", "exchange:attachment_remove"}


def ensure_published_posts(world):
    """world.exchange_need (the helped museum's 壁画 need) and world.exchange_offer (the helper museum's offer),
    published; built once, by whichever scene runs first."""
    if getattr(world, "exchange_need", None) is None:
        world.exchange_need = post_create(
            by=world.helped_admin, kind="need", area="conservation", title="馆藏明代壁画病害调查与修复指导",
            description="本馆收藏的明代寺观壁画出现空鼓、起甲和酥碱，希望得到壁画修复专家的现场指导。",
            terms="差旅由本馆承担", contact_name="王馆长", contact_phone="0351-1234567", publish=True)
    if getattr(world, "exchange_offer", None) is None:
        world.exchange_offer = post_create(
            by=world.helper_admin, kind="offer", area="conservation", title="壁画与彩塑保护修复技术支持",
            description="山西博物院文保中心可为县级博物馆提供壁画、彩塑病害检测分析和修复方案设计。",
            capacity=3, terms="无偿", publish=True)


def scene(world):
    ensure_published_posts(world)
    world.exchange_link = post_attachment_add(post=world.exchange_need, by=world.helped_admin,
                                              link="https://example.org/mural", caption="壁画现状照片")
    world.exchange_draft = post_create(
        by=world.helped_staff, kind="need", area="education", title="研学课程设计",
        description="希望大馆帮助设计面向县城中小学的研学课程。")
    rules_update(by=world.admin, moderation=True)
    world.exchange_pending = post_publish(post=post_create(
        by=world.helped_admin, kind="need", area="people", title="讲解员培训名额",
        description="希望派两名讲解员到省级博物馆跟班学习。"), by=world.helped_admin)
    rules_update(by=world.admin, moderation=False)
    world.registry_need = registry_row(world.helped_museum, by=world.helped_admin, kind="need", area="exhibition",
                                       text="希望引进一个成熟的巡回展览，并培训本馆讲解员。")


def registry_row(museum, *, by, kind: str, area: str, text: str = "", capacity=None) -> MuseumArea:
    """A need or offer of the museum in the registry (the museum's others kept), through the museums service."""
    items = {a.area: {"text": a.text, "capacity": a.capacity} for a in museum.areas.filter(kind=kind)}
    items[area] = {"text": text, "capacity": capacity}
    museum_set_areas(museum=museum, by=by, kind=kind, items=items)
    return MuseumArea.objects.get(museum=museum, kind=kind, area=area)
