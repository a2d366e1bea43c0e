"""Atom feeds of the public board: all published posts, and one feed per area. Never any contact detail: a feed
is public and copied into readers everywhere, whatever the post's contact visibility."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from bangfu.core.areas import Area
from bangfu.core.text import strip_control_characters as clean

from .models import Post

FEED_SIZE = 50


class PostFeed(Feed):
    feed_type = Atom1Feed
    title_template = None
    description_template = None

    def get_object(self, request, area: str | None = None):
        if area is not None and area not in Area.values:
            raise Http404("没有这个领域。")
        return area

    def title(self, area):
        prefix = f"{Area(area).label} · " if area else ""
        return f"{prefix}供需信息 · 山西省博物馆帮扶信息平台"

    def subtitle(self, area):
        return "「大馆带小馆 携手共前行」供需对接：最新发布的需求和供给。"

    def link(self, area):
        url = reverse("exchange:search")
        return f"{url}?area={area}" if area else url

    def feed_url(self, area):
        return reverse("exchange:area_feed", args=[area]) if area else reverse("exchange:feed")

    def items(self, area):
        posts = Post.objects.published().exclude(published_at=None).select_related(
            "museum", "expert", "city").order_by("-published_at", "-id")
        if area:
            posts = posts.filter(area=area)
        return posts[:FEED_SIZE]

    def item_title(self, post):
        return clean(f"【{post.get_kind_display()}】{post.title}")

    def item_description(self, post):
        """The entry's summary, which Atom marks type="html": the text escaped here as HTML (paragraphs kept), so a
        reader shows `<script>` in a post as text and never runs it (the XML writer escapes it once more)."""
        place = f" · {post.city.name}" if post.city_id else ""
        heading = f"{post.owner_name}{place} · {post.get_area_display()} · {post.get_status_display()}"
        return linebreaks(clean(f"{heading}\n\n{post.description}"), autoescape=True)

    def item_link(self, post):
        return reverse("exchange:detail", args=[post.pk])

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return clean(post.owner_name)

    def item_categories(self, post):
        return [post.get_kind_display(), post.get_area_display()]


post_feed = PostFeed()
