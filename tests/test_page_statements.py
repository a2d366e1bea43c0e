"""Pages say what is true: the public home names the modules that work and only those still being built, and a
role that takes no part in pairings is told so instead of being shown a museum's empty counts."""

import pytest
from django.urls import reverse

from bangfu.core import registry

pytestmark = pytest.mark.django_db


def _modules_note(body: str) -> str:
    start = body.index('data-testid="modules-status"')
    return body[start:body.index("</div>", start)]


def test_the_public_home_does_not_call_built_modules_under_construction(client, world):
    note = _modules_note(client.get(reverse("home")).content.decode())
    built = [e.title for e in registry.nav_entries("main") if not e.planned]
    building = [e.title for e in registry.nav_entries("main") if e.planned]
    assert "结对帮扶" in built and "帮扶台账" in built  # what this test is about
    done, _, pending = note.partition("正在建设中")
    assert all(title in done for title in built) and not any(title in pending for title in built)
    assert all(title in pending for title in building)


def test_the_public_home_follows_the_module_list(client, world, monkeypatch):
    import dataclasses

    core = next(m for m in registry.modules() if m.slug == "core")
    evaluation = next(p for p in core.planned if p.slug == "evaluation")
    built = registry.Module(slug="evaluation", title=evaluation.title,
                            nav=(dataclasses.replace(evaluation.nav_entry, planned=False),))
    monkeypatch.setattr(registry, "_modules", [*registry.modules(), built])
    note = _modules_note(client.get(reverse("home")).content.decode())
    assert "考核评估" in note.partition("正在建设中")[0] and "成果展示上线后" in note  # portal flag is separate


def test_an_expert_is_told_they_take_no_part_in_pairings_not_shown_zero_counts(login, world):
    body = login(world.expert).get(reverse("pairings:list")).content.decode()
    assert 'data-testid="no-scope"' in body and "专家账号不是结对的一方" in body
    assert 'data-testid="status-counts"' not in body and 'id="pairings-map"' not in body
    assert "还没有未结束的结对" not in body


@pytest.mark.parametrize("persona", ["helped_staff", "province_supervisor", "admin"])
def test_roles_that_take_part_still_see_counts_and_the_map(login, world, persona):
    body = login(getattr(world, persona)).get(reverse("pairings:list")).content.decode()
    assert 'data-testid="status-counts"' in body and 'id="pairings-map"' in body
    assert 'data-testid="no-scope"' not in body
