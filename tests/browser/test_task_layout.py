"""What the task and pairing pages look like on a desktop and on a 390 px phone: the evidence grid's "uploader ·
date" lines stay inside their items (on a task and on a ledger entry), the pairing's ledger table keeps its state
badges on the screen even beside a long unbroken text, and the agreement form's task table stacks as cards instead
of hiding columns off to the right.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from bangfu.agreements.services import evidence_add
from bangfu.ledger.services import ledger_record
from tests.factories import make_agreement

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def scene(world):
    agreement = make_agreement(world, tasks=[{"title": "库房温湿度监测方案", "area": "conservation",
                                              "due_date": TODAY + datetime.timedelta(days=30)}])
    task = agreement.tasks.get()
    for index, color in enumerate(("red", "green", "blue", "orange")):
        evidence_add(task=task, by=world.helper_staff, caption=f"库房温湿度监测现场照片第{index + 1}张（含记录仪读数）",
                     file=SimpleUploadedFile(f"现场{index}.png", _png(color)))
    evidence_add(task=task, by=world.helper_admin, link="https://example.org/a/very/long/link/to/a/news/report/x")
    evidence_add(task=task, by=world.helper_admin,
                 file=SimpleUploadedFile("温湿度监测方案（第二稿）最终修订版.pdf", b"%PDF-1.4 plan"))
    pairing = agreement.pairing
    ledger_record(by=world.helper_staff, helper=pairing.helper, helped=pairing.helped, pairing=pairing,
                  area="education", kind="社教活动", date=TODAY - datetime.timedelta(days=3), visitors=1200,
                  description="https://mp.weixin.qq.com/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
                  evidence_link="https://example.org/y")
    return task


def _boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(selector, "els => els.map(e => { const r = e.getBoundingClientRect();"
                                               " return {x: r.x, y: r.y, right: r.right, bottom: r.bottom}; })")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_evidence_lines_stay_inside_their_items(page, scene, sign_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("helper_staff")
    page.goto(f"/pairings/tasks/{scene.pk}/")
    items = _boxes(page, "[data-testid=evidence] .evidence-item")
    metas = _boxes(page, "[data-testid=evidence] .evidence-meta")
    columns = _boxes(page, "[data-testid=evidence] > div")
    assert len(items) == len(metas) == len(columns) == 6
    for meta, column in zip(metas, columns, strict=True):
        assert meta["bottom"] <= column["bottom"] + 1 and meta["right"] <= column["right"] + 1, (meta, column)
    for a, b in ((a, b) for i, a in enumerate(columns) for b in columns[i + 1:]):
        overlap = min(a["right"], b["right"]) - max(a["x"], b["x"]) > 1 and \
            min(a["bottom"], b["bottom"]) - max(a["y"], b["y"]) > 1
        assert not overlap, (a, b)
    screenshot(page, f"task-evidence-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_ledger_entry_shows_its_evidence_in_the_same_grid(page, world, sign_in, width):
    entry = ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum,
                          area="education", kind="社教活动", date=TODAY - datetime.timedelta(days=3), visitors=300,
                          description="流动博物馆进校园", evidence=SimpleUploadedFile("活动合影.png", _png("teal")),
                          evidence_link="https://example.org/a/very/long/link/to/the/school/news/report/2026")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("helped_staff")
    page.goto(f"/ledger/{entry.pk}/")
    assert page.locator("[data-testid=evidence] img.evidence-thumb").count() == 1
    columns = _boxes(page, "[data-testid=evidence] > div")
    assert len(columns) == 2 and all(c["right"] <= width for c in columns)
    assert page.evaluate("document.querySelector('[data-testid=evidence] img').naturalWidth") == 320  # served
    screenshot(page, f"ledger-evidence-{width}")


def test_the_pairing_ledger_keeps_its_badges_on_a_phone(page, scene, sign_in):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in("helped_admin")
    page.goto(f"/pairings/{scene.agreement.pairing_id}/")
    table = page.locator("[data-testid=ledger]")
    table.scroll_into_view_if_needed()
    widths = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    for badge in _boxes(page, "[data-testid=ledger] .badge"):
        assert badge["right"] <= 390, badge
    screenshot(page, "pairing-ledger-390")


def test_the_agreement_forms_tasks_stack_as_cards_on_a_phone(page, scene, sign_in):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in("helper_admin")
    page.goto(f"/pairings/{scene.agreement.pairing_id}/agreement/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("title", "owner_side", "responsible", "due_date", "ledger_kind"):
        box = page.locator(f"#id_task-0-{name}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    assert page.locator("#task-rows td[data-label='截止日期']").first.is_visible()
    screenshot(page, "agreement-tasks-390")
