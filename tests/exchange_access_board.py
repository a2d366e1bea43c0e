"""The exchange's board pages in the access matrix (joined in tests/access_exchange.py): the feeds, subscriptions
and the association's settings."""

from django.urls import reverse

from bangfu.exchange.services import post_create
from bangfu.exchange.subscriptions import subscription_add
from bangfu.exchange.vocabulary import subtype_add, synonym_add

MATRIX = {
    "exchange:feed": (lambda w: reverse("exchange:feed"), 200, 200),
    "exchange:area_feed": (lambda w: reverse("exchange:area_feed", args=["conservation"]), 200, 200),
    # the placeholder detail page (the posts part owns it): a published post is public
    "exchange:detail": (lambda w: reverse("exchange:detail", args=[w.exchange_need.pk]), 200, 200),
    "exchange:subscriptions": (lambda w: reverse("exchange:subscriptions"), 200, 302),
    # another user's subscription
    "exchange:subscription_remove": (lambda w: reverse("exchange:subscription_remove",
                                                       args=[w.exchange_subscription.pk]), 404, 302),
    "exchange:settings": (lambda w: reverse("exchange:settings"), 403, 302),
    "exchange:subtype_add": (lambda w: reverse("exchange:subtype_add"), 403, 302),
    "exchange:subtype_edit": (lambda w: reverse("exchange:subtype_edit", args=[w.exchange_subtype.pk]), 404, 302),
    "exchange:subtype_move": (lambda w: reverse("exchange:subtype_move", args=[w.exchange_subtype.pk]), 404, 302),
    "exchange:subtype_delete": (lambda w: reverse("exchange:subtype_delete", args=[w.exchange_subtype.pk]),
                                404, 302),
    "exchange:synonym_add": (lambda w: reverse("exchange:synonym_add"), 403, 302),
    "exchange:synonym_edit": (lambda w: reverse("exchange:synonym_edit", args=[w.exchange_synonym.pk]), 404, 302),
    "exchange:synonym_delete": (lambda w: reverse("exchange:synonym_delete", args=[w.exchange_synonym.pk]),
                                404, 302),
    "exchange:moderation": (lambda w: reverse("exchange:moderation"), 403, 302),
}
POST_ONLY = {"exchange:subscription_remove", "exchange:subtype_add", "exchange:subtype_move",
             "exchange:subtype_delete", "exchange:synonym_add", "exchange:synonym_delete", "exchange:moderation"}


def scene(world):
    """A published need of the helped museum, the helper admin's subscription, a sub-type and a thesaurus entry."""
    if getattr(world, "exchange_need", None) is None:
        world.exchange_need = post_create(
            by=world.helped_admin, kind="need", area="conservation", title="彩塑壁画病害调查与修复方案指导",
            description="馆藏明代彩塑三尊、壁画残块若干，出现起甲、空鼓和酥碱，希望得到病害调查和修复方案编制的指导。",
            contact_name="李老师", contact_phone="0357-1234567", publish=True)
    world.exchange_subscription = subscription_add(by=world.helper_admin, kind="need", area="conservation")
    world.exchange_subtype = subtype_add(by=world.admin, area="conservation", name="彩塑修复指导")
    world.exchange_synonym = synonym_add(by=world.admin, word="彩塑保护", means="彩塑 文物保护")
