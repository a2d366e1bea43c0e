"""Home-page panels of the exchange (registered in module.py)."""


def recommended(user) -> dict:
    """"Recommended for you": the best matches for the user's museum's (or expert's) open posts, and new posts
    in the areas they subscribe to. A fixed number of queries."""
    return {"exchange_recommended": []}  # filled in by the home-panel work
