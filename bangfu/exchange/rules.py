"""Who may do what in the exchange. A post's owner is a museum (its staff act for it) or an expert (their account);
a thread's parties are the post's owner and the respondent — nobody else sees a thread, the association excepted."""

from __future__ import annotations

import rules

from bangfu.parties import side_of, works_at_museum
from bangfu.permissions import is_association_admin, is_signed_in, supervises

POSTER, RESPONDER = "poster", "responder"


def _expert_id(user) -> int | None:
    """The expert-pool record of an expert's account (one query, remembered on the user object)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.role == "expert"):
        return None
    if not hasattr(user, "_exchange_expert_id"):
        profile = getattr(user, "expert_profile", None)  # the reverse one-to-one raises AttributeError when absent
        user._exchange_expert_id = profile.pk if profile and profile.is_active else None
    return user._exchange_expert_id


def expert_of(user):
    """The user's expert-pool record when the user is an active expert with one, else None."""
    return user.expert_profile if _expert_id(user) else None


def thread_side(user, thread) -> str | None:
    """"poster" or "responder" when the user acts for that side of a thread (staff of its museum, or its expert)."""
    side = side_of(user, thread)
    if side:
        return side
    expert_id = _expert_id(user)
    if expert_id is None:
        return None
    if thread.poster_expert_id == expert_id:
        return POSTER
    if thread.responder_expert_id == expert_id:
        return RESPONDER
    return None


@rules.predicate
def owns_post(user, post) -> bool:
    """Staff of the museum that posted it, or the expert who did."""
    if post is None:
        return False
    if post.museum_id is not None:
        return works_at_museum(user) and user.museum_id == post.museum_id
    return _expert_id(user) is not None and post.expert_id == _expert_id(user)


@rules.predicate
def is_published(user, post) -> bool:
    from .models import VISIBLE_STATUSES

    return post is not None and post.status in VISIBLE_STATUSES


@rules.predicate
def supervises_post(user, post) -> bool:
    return post is not None and post.museum_id is not None and supervises(user, post.museum)


@rules.predicate
def may_post(user) -> bool:
    """Museum staff post for their museum; experts post offers; the association posts for any museum."""
    return works_at_museum(user) or _expert_id(user) is not None


@rules.predicate
def may_respond(user, post) -> bool:
    """Someone who could help (or be helped) and is not the owner: museum staff of another museum, an expert."""
    if post is None or owns_post(user, post):
        return False
    from .models import OPEN_STATUSES, PostKind

    if post.status not in OPEN_STATUSES:
        return False
    if works_at_museum(user):
        return True
    # An expert offers help: they respond to needs, not to other offers.
    return _expert_id(user) is not None and post.kind == PostKind.NEED


@rules.predicate
def is_thread_party(user, thread) -> bool:
    return thread is not None and thread_side(user, thread) is not None


@rules.predicate
def responded_to_post(user, post) -> bool:
    """The user acts for a respondent of one of the post's threads (so a thread's link to its post keeps working
    after the post was withdrawn or expired). One query, asked only when the cheaper rules said no."""
    if post is None:
        return False
    from .models import Thread

    if works_at_museum(user):
        return Thread.objects.filter(post=post, responder_museum_id=user.museum_id).exists()
    expert_id = _expert_id(user)
    return expert_id is not None and Thread.objects.filter(post=post, responder_expert_id=expert_id).exists()


rules.add_perm("exchange.view_post",
               is_published | is_association_admin | owns_post | supervises_post | responded_to_post)
rules.add_perm("exchange.add_post", is_association_admin | may_post)
rules.add_perm("exchange.change_post", is_association_admin | owns_post)
rules.add_perm("exchange.moderate_post", is_association_admin)
rules.add_perm("exchange.respond_post", may_respond)
rules.add_perm("exchange.view_thread", is_association_admin | is_thread_party)
rules.add_perm("exchange.act_thread", is_thread_party)  # write, confirm, complete, rate: the two parties only
rules.add_perm("exchange.subscribe", is_signed_in)
rules.add_perm("exchange.manage_settings", is_association_admin)


@rules.predicate
def may_see_message(user, message) -> bool:
    return message is not None and (is_association_admin(user) or is_thread_party(user, message.thread))


@rules.predicate
def wrote_message(user, message) -> bool:
    return message is not None and message.author_id == getattr(user, "pk", None)


rules.add_perm("exchange.view_message", may_see_message)
rules.add_perm("exchange.change_message", wrote_message & may_see_message)


@rules.predicate
def contact_open_to(user, post) -> bool:
    """What the owner chose: everyone, or any signed-in user (the "parties" setting is answered below)."""
    from .models import ContactVisibility

    if post is None:
        return False
    if post.contact_visibility == ContactVisibility.PUBLIC:
        return True
    return post.contact_visibility == ContactVisibility.SIGNED_IN and is_signed_in(user)


@rules.predicate
def responded_to(user, post) -> bool:
    """The user acts for the responding side of a thread on the post (one query over the user's threads)."""
    if post is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import Thread

    return any(thread_side(user, thread) == RESPONDER
               for thread in Thread.objects.filter(post=post).visible_to(user).select_related(None))


# A post's contact details: as its owner chose; the owner, the association and the respondents always.
rules.add_perm("exchange.view_contact", is_association_admin | owns_post | contact_open_to | responded_to)
