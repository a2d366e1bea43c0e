"""The feed links any exchange page can show: `{% load exchange_feeds %}`, then `{% exchange_feed_head area %}` in
`{% block head %}` (rel=alternate links readers discover) and `{% exchange_feed_links area %}` where the RSS
button goes. `area` (optional) is the area code of the page's filter."""

from django import template

from bangfu.core.areas import Area

register = template.Library()


def _context(area) -> dict:
    area = area if area in Area.values else ""
    return {"feed_area": area, "feed_area_label": Area(area).label if area else "",
            "feed_areas": Area.choices}


@register.inclusion_tag("exchange/_feeds.html#head")
def exchange_feed_head(area: str = "") -> dict:
    return _context(area)


@register.inclusion_tag("exchange/_feeds.html#links")
def exchange_feed_links(area: str = "") -> dict:
    return _context(area)
