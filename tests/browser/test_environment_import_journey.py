"""A museum's staff member imports a logger's export in the browser: the preview names the format, draws the
readings (ECharts, under the Content-Security-Policy) and lists the bad line by its number; saving the good lines
stores them and says how many."""

import pytest
from playwright.sync_api import expect

from bangfu.environment.models import Reading
from tests.environment_import_samples import environment, template_csv

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_preview_a_logger_file_with_a_bad_line_then_save_the_good_ones(page, world, sign_in, tmp_path):
    env = environment(world)
    rows = [f"2026-03-15 {h:02d}:{m:02d},{20 + h / 10:.1f},{50 + m / 10:.1f},," for h in range(6) for m in (0, 30)]
    rows.insert(3, "2026-03-15 01:10,21.0,坏值,,")
    path = tmp_path / "库房记录仪.csv"
    path.write_bytes(template_csv(rows))
    sign_in("helped_staff")
    page.goto(f"/environment/sensors/{env.sensor.pk}/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("h1")).to_contain_text("导入预览")
    expect(page.locator("[data-testid=import-format]")).to_contain_text("本平台模板")
    expect(page.locator("[data-testid=import-count]")).to_contain_text("12 条")
    expect(page.locator("[data-testid=bad-lines] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=bad-lines]")).to_contain_text("第 5 行")
    expect(page.locator("#import-chart canvas")).to_have_count(1)
    expect(page.locator("input[value=good_only]")).to_be_checked()
    screenshot(page, "environment-import-preview")
    page.click("button:has-text('确认保存')")
    expect(page.locator("body")).to_contain_text("保存 12 条读数")
    assert Reading.objects.filter(sensor=env.sensor).count() == 12
