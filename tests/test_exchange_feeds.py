"""The public board's Atom feeds: every published post, or one area's, never a draft and never a contact detail."""

import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.urls import reverse

from bangfu.exchange.models import ContactVisibility
from bangfu.exchange.services import post_create, post_withdraw

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def post(world, *, title, area="conservation", publish=True, **fields):
    return post_create(by=world.helped_admin, kind="need", area=area, title=title,
                       description=f"{title}：详细说明。", publish=publish, contact_name="李老师",
                       contact_phone="0357-5551234", contact_email="li@example.org", **fields)


def parse(content: bytes):
    return ET.fromstring(content)  # noqa: S314 — the platform's own feed


def entries(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    return [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]


def test_the_feed_lists_published_posts_newest_first_and_no_draft_or_withdrawn_post(client, world):
    post(world, title="壁画病害调查")
    post(world, title="研学课程设计", area="education")
    post(world, title="未发布的草稿", publish=False)
    gone = post(world, title="已撤回的需求")
    post_withdraw(post=gone, by=world.helped_admin, reason="已自行解决")
    assert entries(client, reverse("exchange:feed")) == ["【需求】研学课程设计", "【需求】壁画病害调查"]


def test_an_area_feed_lists_only_that_areas_posts(client, world):
    post(world, title="壁画病害调查")
    post(world, title="研学课程设计", area="education")
    assert entries(client, reverse("exchange:area_feed", args=["education"])) == ["【需求】研学课程设计"]
    body = client.get(reverse("exchange:area_feed", args=["education"])).content.decode()
    assert "社会教育 · 供需信息" in body


def test_an_unknown_area_is_a_404(client):
    assert client.get("/exchange/feed/nowhere.xml").status_code == 404


def test_the_feed_never_carries_contact_details_even_public_ones(client, world):
    post(world, title="壁画病害调查", contact_visibility=ContactVisibility.PUBLIC)
    body = client.get(reverse("exchange:feed")).content.decode()
    assert "壁画病害调查" in body and "安泽县博物馆" in body
    assert "0357-5551234" not in body and "li@example.org" not in body and "李老师" not in body


def test_an_entry_links_to_the_post_page(client, world):
    need = post(world, title="壁画病害调查")
    feed = parse(client.get(reverse("exchange:feed")).content)
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(reverse("exchange:detail", args=[need.pk]))


def test_the_feed_links_name_both_feeds_for_readers_and_people():
    html = Template("{% load exchange_feeds %}{% exchange_feed_head 'education' %}{% exchange_feed_links 'x' %}"
                    ).render(Context({}))
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert reverse("exchange:feed") in html and reverse("exchange:area_feed", args=["education"]) in html
    assert reverse("exchange:area_feed", args=["people"]) in html  # the menu offers every area


def test_the_feed_query_count_does_not_grow_with_posts(client, world, django_assert_max_num_queries):
    post(world, title="第一条")
    with django_assert_max_num_queries(5) as few:
        client.get(reverse("exchange:feed"))
    for i in range(5):
        post(world, title=f"更多{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exchange:feed"))


def test_html_in_a_post_reaches_a_feed_reader_as_text_never_as_markup(client, world):
    post_create(by=world.helped_admin, kind="need", area="conservation", title="壁画<b>病害</b>",
                description="<script>alert(1)</script>\n第二段", publish=True)
    feed = parse(client.get(reverse("exchange:feed")).content)
    summary = feed.find(f"{ATOM}entry").find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # What a reader renders as HTML: the tags are escaped, so it shows them as text; paragraphs are kept.
    assert "<script>" not in summary.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in summary.text
    assert "<p>" in summary.text or "<br>" in summary.text
    assert feed.find(f"{ATOM}entry").find(f"{ATOM}title").text == "【需求】壁画<b>病害</b>"  # Atom title: plain text
