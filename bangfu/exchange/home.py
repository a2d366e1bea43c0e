"""Home-page panels of the exchange (registered in module.py)."""

from .matching import recommended_for
from .subscriptions import NEW_DAYS, new_posts_for

RECOMMENDED = 5


def recommended(user) -> dict:
    """"Recommended for you": the best matches for the user's museum's (or expert's) open posts, and how many new
    posts the areas they subscribe to have. A fixed number of queries."""
    from .models import Subscription

    subscriptions = list(Subscription.objects.filter(user=user))
    return {
        "exchange_recommended": recommended_for(user, limit=RECOMMENDED),
        "exchange_subscribed": bool(subscriptions),
        "exchange_new_count": new_posts_for(user, subscriptions).count() if subscriptions else 0,
        "exchange_new_days": NEW_DAYS,
    }


def review(user) -> dict:
    """The association's line in its to-do list: posts waiting for its review (one query)."""
    from .models import Post, PostStatus

    return {"exchange_pending": Post.objects.filter(status=PostStatus.PENDING).count()}
