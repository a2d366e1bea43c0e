"""The association admin imports a directory file in the browser: preview with bad rows, then a clean import."""

import csv

import pytest
from playwright.sync_api import expect

from bangfu.museums.models import Museum

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["序号", "省份", "博物馆名称", "性质", "质量等级", "是否免费开放", "藏品数（件/套）", "珍贵文物（件/套）",
           "展览（个）", "教育活动（次）", "参观人数（万人次）"]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def test_admin_sees_every_bad_row_then_imports_a_corrected_file(page, world, sign_in, tmp_path):
    bad = write_csv(tmp_path / "名录.csv", [
        [1, "山西省", "沁源县博物馆", "文化文物系统国有博物馆", "未定级", "是", 100, 2, 1, 3, 0.5],
        [2, "山西省", "", "非国有博物馆", "未定级", "是", 10, 0, 1, 0, 0.1],
        [3, "山西省", "灵石县博物馆", "文化文物系统国有博物馆", "五级", "是", 10, 0, 1, 0, 0.1],
        [4, "山西省", "左权县博物馆", "文化文物系统国有博物馆", "三级", "是", "很多", 0, 1, 0, 0.1],
    ])
    sign_in("admin")
    page.goto("/museums/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("h1")).to_contain_text("导入预览")
    bad_rows = page.locator("#bad-title + p + .card tbody tr")
    expect(bad_rows).to_have_count(3)
    expect(bad_rows.nth(0)).to_contain_text("3")  # line numbers as in Excel: the header is line 1
    expect(page.locator("section", has_text="有误的行")).to_contain_text("五级")
    screenshot(page, "import-preview-errors")
    page.click("button:has-text('确认导入')")
    expect(page.locator("body")).to_contain_text("有误")
    assert not Museum.objects.filter(name="沁源县博物馆").exists()  # all or nothing

    good = write_csv(tmp_path / "名录-改.csv", [
        [1, "山西省", "沁源县博物馆", "文化文物系统国有博物馆", "未定级", "是", 100, 2, 1, 3, 0.5],
        [3, "山西省", "灵石县博物馆", "文化文物系统国有博物馆", "三级", "是", 10, 0, 1, 0, 0.1],
    ])
    page.goto("/museums/import/")
    page.set_input_files("input[type=file]", str(good))
    page.click("button:has-text('上传并预览')")
    page.click("button:has-text('确认导入')")
    expect(page.locator("body")).to_contain_text("导入完成")
    screenshot(page, "import-done")
    museum = Museum.objects.get(name="沁源县博物馆")
    assert museum.county.name == "沁源县" and museum.programme_role == "helped"


def test_the_import_page_follows_the_worker_from_progress_to_preview_to_result(page, world, sign_in, tmp_path,
                                                                               settings):
    """With the database queue, as `make run` serves it: the page polls (htmx, no inline script) until the worker
    has read the file, then shows the preview; the same after confirming, until the import is done."""
    import signal

    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASK_BACKEND = "database"
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    good = write_csv(tmp_path / "名录.csv", [
        [1, "山西省", "沁源县博物馆", "文化文物系统国有博物馆", "未定级", "是", 100, 2, 1, 3, 0.5],
    ])
    sign_in("admin")
    page.goto("/museums/import/")
    page.set_input_files("input[type=file]", str(good))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("h1")).to_contain_text("正在读取")
    expect(page.locator("#import-progress .progress")).to_be_visible()
    screenshot(page, "import-reading")
    try:
        call_command("worker", "--burst", verbosity=0)
        expect(page.locator("h1")).to_contain_text("导入预览", timeout=10_000)  # reloaded by the poll
        page.click("button:has-text('确认导入')")
        expect(page.locator("h1")).to_contain_text("正在导入")
        call_command("worker", "--burst", verbosity=0)
        expect(page.locator("body")).to_contain_text("导入完成", timeout=10_000)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert Museum.objects.filter(name="沁源县博物馆").exists()
