"""Every page, for an outsider (staff of an unrelated museum) and for an anonymous visitor.

The matrix must name every URL of the site: adding a view without deciding who may use it fails here.
"""

import importlib
import importlib.util

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bangfu.api.services import token_create
from bangfu.core import registry
from bangfu.museums.models import MuseumPhoto

from . import background_pages

pytestmark = pytest.mark.django_db

# name → (how to build the URL from the world, what an outsider gets, what an anonymous visitor gets)
MATRIX = {
    "home": (lambda w: reverse("home"), 200, 200),
    "login": (lambda w: reverse("login"), 302, 200),
    "logout": (lambda w: reverse("logout"), 302, 405),  # signing oneself out is always allowed, by POST
    "password_change": (lambda w: reverse("password_change"), 200, 302),
    "password_change_done": (lambda w: reverse("password_change_done"), 200, 302),
    "password_reset": (lambda w: reverse("password_reset"), 200, 200),
    "password_reset_done": (lambda w: reverse("password_reset_done"), 200, 200),
    "password_reset_confirm": (lambda w: reverse("password_reset_confirm", args=["x", "y"]), 200, 200),
    "password_reset_complete": (lambda w: reverse("password_reset_complete"), 200, 200),
    "history": (lambda w: reverse("history"), 403, 302),
    "module": (lambda w: reverse("module", args=["fund"]), 200, 200),
    "boundaries": (lambda w: reverse("boundaries", args=["counties"]), 200, 200),
    "favicon": (lambda w: reverse("favicon"), 301, 301),
    "media": (lambda w: reverse("media", args=["imports/secret.csv"]), 404, 404),
    "museums:directory": (lambda w: reverse("museums:directory"), 200, 200),
    "museums:points": (lambda w: reverse("museums:points"), 200, 200),
    "museums:review": (lambda w: reverse("museums:review"), 403, 302),
    "museums:export": (lambda w: reverse("museums:export"), 200, 302),
    "museums:import": (lambda w: reverse("museums:import"), 403, 302),
    "museums:import_preview": (lambda w: reverse("museums:import_preview", args=[w.import_batch.pk]), 404, 302),
    "museums:detail": (lambda w: reverse("museums:detail", args=[w.helped_museum.pk]), 200, 200),
    "museums:edit": (lambda w: reverse("museums:edit", args=[w.helped_museum.pk]), 403, 302),
    "museums:edit_areas": (lambda w: reverse("museums:edit_areas", args=[w.helped_museum.pk]), 403, 302),
    "museums:set_position": (lambda w: reverse("museums:set_position", args=[w.helped_museum.pk]), 403, 302),
    "museums:photos": (lambda w: reverse("museums:photos", args=[w.helped_museum.pk]), 403, 302),
    "museums:delete_photo": (lambda w: reverse("museums:delete_photo", args=[w.helped_museum.pk, w.photo.pk]),
                             403, 302),
    "museums:history": (lambda w: reverse("museums:history", args=[w.helped_museum.pk]), 403, 302),
    "experts:directory": (lambda w: reverse("experts:directory"), 200, 200),
    "experts:create": (lambda w: reverse("experts:create"), 403, 302),
    "experts:detail": (lambda w: reverse("experts:detail", args=[w.expert_profile.pk]), 200, 200),
    "experts:edit": (lambda w: reverse("experts:edit", args=[w.expert_profile.pk]), 403, 302),
    "accounts:users": (lambda w: reverse("accounts:users"), 403, 302),
    "accounts:user_create": (lambda w: reverse("accounts:user_create"), 403, 302),
    "accounts:user_edit": (lambda w: reverse("accounts:user_edit", args=[w.helped_staff.pk]), 404, 302),
    "accounts:user_toggle_active": (lambda w: reverse("accounts:user_toggle_active", args=[w.helped_staff.pk]),
                                    404, 302),
    "accounts:user_password": (lambda w: reverse("accounts:user_password", args=[w.helped_staff.pk]), 404, 302),
    "accounts:profile": (lambda w: reverse("accounts:profile"), 200, 302),
    "api:tokens": (lambda w: reverse("api:tokens"), 200, 302),
    "api:token_revoke": (lambda w: reverse("api:token_revoke", args=[w.token.pk]), 404, 302),
}
POST_ONLY = {"logout", "museums:set_position", "museums:delete_photo", "accounts:user_toggle_active",
             "accounts:user_password"}


def module_pages() -> tuple[dict, set, list]:
    """The pages each installed module declares (MATRIX, same shape; POST_ONLY, a set; and, when its pages need
    data, scene(world) that adds it to the world): in `tests/access_<slug>.py` by the module's slug, or where its
    declaration's `access_pages` says (a module whose tests live elsewhere). A module adds its pages there without
    editing this file."""
    matrix, post_only, scenes = {}, set(), []
    for module in sorted(registry.modules(), key=lambda m: m.slug):  # scenes in a fixed order: by slug
        for name in filter(None, (f"tests.access_{module.slug}", module.access_pages)):
            if importlib.util.find_spec(name) is None:
                continue
            declared = importlib.import_module(name)
            matrix.update(declared.MATRIX)
            post_only |= getattr(declared, "POST_ONLY", set())
            if hasattr(declared, "scene") and declared.scene not in scenes:
                scenes.append(declared.scene)
    return matrix, post_only, scenes


_matrix, _post_only, SCENES = module_pages()
MATRIX.update(_matrix)
POST_ONLY |= _post_only

# The kernel's pages of work done by the worker (an import's progress, exports written by a task).
MATRIX.update(background_pages.MATRIX)
SCENES.append(background_pages.scene)


def _named_urls(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "api-v1":  # the JSON API has its own tests (tests/test_api*.py)
                continue
            yield from _named_urls(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_the_matrix_names_every_page_of_the_site():
    assert set(_named_urls()) - set(MATRIX) == set()


def build_scene(world, scenes=None):
    """The world with a record of every kind the matrix's pages address (files go to the current MEDIA_ROOT);
    the crawl (tests/test_crawl.py) builds the same scene."""
    from django.core.files.base import ContentFile

    from bangfu.experts.services import expert_create

    world.photo = MuseumPhoto.objects.create(museum=world.helped_museum, image=ContentFile(b"x", name="p.png"))
    world.expert_profile = expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院",
                                         areas=["conservation"], user=world.expert)
    world.token, _ = token_create(user=world.helped_staff, name="网关")
    for add in SCENES if scenes is None else scenes:
        add(world)
    return world


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_scene(world)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_outsider_cannot_see_or_change_what_is_not_theirs(name, scene, login):
    build, outsider_status, _ = MATRIX[name]
    client = login(scene.outsider)
    response = client.post(build(scene)) if name in POST_ONLY else client.get(build(scene))
    assert response.status_code == outsider_status


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_anonymous_visitor_reaches_only_public_pages(name, scene, client):
    build, _, anonymous_status = MATRIX[name]
    response = client.get(build(scene))
    if anonymous_status == 302:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == anonymous_status
