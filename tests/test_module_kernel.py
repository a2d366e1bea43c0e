"""The module kernel: a module that exists only in the tests (tests/kernel_module/) is installed with one line in
INSTALLED_APPS and one URL include, and the platform finds what it declares in its own files — its navigation entry
(for its roles only), its home-page panel, its object type in the change history, its reminders, its access rules,
its API router and its page in the access matrix and the crawl."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from bangfu.core import registry
from bangfu.notifications.models import Notification
from bangfu.notifications.reminders import send_reminders

from .test_access_matrix import MATRIX, POST_ONLY, _named_urls, build_scene, module_pages
from .test_crawl import ROLES, Crawler, _strict_templates

pytestmark = pytest.mark.django_db


@pytest.fixture
def kernel():
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.kernel_module"],
                           ROOT_URLCONF="tests.kernel_module.root_urls"):
        yield next(m for m in registry.modules() if m.slug == "kernel")
    assert "kernel" not in {m.slug for m in registry.modules()}  # gone again with the app


def test_the_module_is_collected_with_everything_it_declares(kernel):
    assert kernel.title == "测试模块"
    assert [e.url_name for e in registry.nav_entries("main", "museum_admin")][-1] == "kernel:page"
    assert "kernel:page" not in [e.url_name for e in registry.nav_entries("main", "museum_staff")]
    assert registry.history_types()["kernel_module.note"] == "测试记录"
    assert any(r.name == "测试提醒" for r in registry.reminder_providers())


def test_its_navigation_entry_shows_for_its_roles_only(kernel, world, login):
    assert 'href="/kernel/"' in login(world.helped_admin).get(reverse("home")).content.decode()
    for user in (world.helped_staff, world.admin, world.province_supervisor, world.expert):
        assert 'href="/kernel/"' not in login(user).get(reverse("home")).content.decode()
    assert 'href="/kernel/"' not in Client().get(reverse("home")).content.decode()


def test_its_panel_is_on_the_home_page_of_its_roles(kernel, world, login):
    body = login(world.helped_admin).get(reverse("home")).content.decode()
    assert 'data-testid="kernel-panel"' in body and "测试模块向" in body
    assert 'data-testid="kernel-panel"' not in login(world.helped_staff).get(reverse("home")).content.decode()


def test_its_object_type_is_in_the_history_filter(kernel, world, login):
    body = login(world.admin).get(reverse("history")).content.decode()
    assert '<option value="kernel_module.note"' in body and "测试记录" in body
    assert login(world.admin).get(reverse("history"), {"type": "kernel_module.note"}).context["kind"] == \
        "kernel_module.note"


def test_its_reminders_are_sent_by_the_daily_run_once(kernel, world):
    run = send_reminders()
    assert [r.key for r in run.sent if r.key.startswith("kernel-")] and "测试提醒 1 条" in run.summaries
    assert Notification.objects.filter(user=world.helped_admin, title="测试模块的提醒").count() == 1
    assert not [r for r in send_reminders().sent if r.key.startswith("kernel-")]


def test_its_access_rules_are_loaded_and_its_page_checks_them(kernel, world, login):
    assert world.helped_admin.has_perm("kernel_module.view_page")
    assert login(world.helped_admin).get(reverse("kernel:page")).status_code == 200
    assert login(world.helped_staff).get(reverse("kernel:page")).status_code == 403


def test_its_api_router_answers_under_api(kernel, world, login):
    client = login(world.helped_admin)
    response = client.get("/api/kernel/ping")
    assert response.status_code == 200 and response.json() == {"module": "kernel", "user": "helped_admin"}
    assert Client().get("/api/kernel/ping").status_code == 401  # declared signed_in
    assert client.get("/api/museums").status_code == 200  # the rest of the API is still there
    assert "/api/kernel/ping" in client.get("/api/openapi.json").json()["paths"]


def test_the_access_matrix_and_the_crawl_pick_its_page_up(kernel, world, settings, tmp_path):
    matrix, post_only, scenes = module_pages()
    assert "kernel:page" in matrix and "kernel:page" not in MATRIX  # declared by the module, not in shared files
    matrix = MATRIX | matrix
    assert set(_named_urls()) - set(matrix) == set()  # every page of the site, the module's included
    settings.MEDIA_ROOT = tmp_path
    scene = build_scene(world, scenes)
    assert scene.kernel_scene
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role:
            clients[role].force_login(getattr(scene, role), backend="bangfu.accounts.backends.AccountBackend")
    build, outsider_status, anonymous_status = matrix["kernel:page"]
    assert clients["outsider"].get(build(scene)).status_code == outsider_status
    assert clients[None].get(build(scene)).status_code == anonymous_status
    assert clients["helper_admin"].get(build(scene)).status_code == 200
    with override_settings(TEMPLATES=_strict_templates()):
        failures = Crawler(scene, clients, matrix=matrix, post_only=POST_ONLY | post_only).crawl(
            "kernel:page", hostile=True)
    assert failures == []


def test_the_kernel_spells_the_roles_as_accounts_does():
    from bangfu import parties
    from bangfu.accounts.models import MUSEUM_ROLES, Role

    assert set(registry.ROLES) == set(Role.values) and set(parties.MUSEUM_ROLES) == set(MUSEUM_ROLES)


def test_every_app_that_adds_something_declares_it_in_its_module_file():
    slugs = {m.slug for m in registry.modules()}
    assert {"core", "museums", "experts", "accounts", "api", "pairings", "ledger", "agreements",
            "notifications", "exchange"} <= slugs
    assert len(slugs) == len(registry.modules())  # one declaration per slug


def test_each_api_router_is_declared_by_the_module_it_serves():
    declared = {r.prefix: m.slug for m in registry.modules() for r in m.api}
    assert declared == {"/divisions": "places", "/museums": "museums", "/experts": "experts", "/ledger": "ledger",
                        "/exchange": "exchange", "/objects": "objects", "/exhibitions": "exhibitions", "/loans":
                        "loans", "/conservation": "conservation", "/environment": "environment", "/people": "learning",
                        "/training": "training", "/placements": "placements", "/consulting": "consulting", "": "api"}
    # In their order: the sections of the API docs, the account and tokens last.
    assert [r.prefix for r in registry.api_routers()] == ["/divisions", "/museums", "/experts", "/ledger", "/exchange",
                                                         "/objects", "/exhibitions", "/loans", "/conservation",
                                                         "/training", "/environment", "/placements", "/people",
                                                         "/consulting", ""]
