"""Home-page panels of the exchange (registered in module.py)."""

from . import matching
from .subscriptions import NEW_DAYS, new_posts_for

RECOMMENDED = 5


def recommended(user) -> dict:
    """"Recommended for you": the best matches for the user's museum's (or expert's) open posts, and how many new
    posts the areas they subscribe to have. A fixed number of queries."""
    from .models import Subscription

    subscriptions = list(Subscription.objects.filter(user=user))
    recommend = getattr(matching, "recommended_for", None)
    return {
        "exchange_recommended": recommend(user, limit=RECOMMENDED) if recommend else [],
        "exchange_subscribed": bool(subscriptions),
        "exchange_new_count": new_posts_for(user, subscriptions).count() if subscriptions else 0,
        "exchange_new_days": NEW_DAYS,
    }
