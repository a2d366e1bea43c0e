"""Every page whose behaviour moved from inline <script> and on…= attributes to static files still works under the
Content-Security-Policy (the page fixture fails the test on any blocked script)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.accounts.models import User
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_association_pages_run_their_scripts_under_the_policy(page, world, sign_in):
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": due}], confirmed=False)
    pairing = agreement.pairing
    sign_in("admin")

    page.goto("/museums/")  # the county list follows the city
    page.select_option("#city", label="临汾市")
    assert page.locator("#county option:not([hidden])", has_text="安泽县").count() == 1
    assert page.locator("#county option:not([hidden])", has_text="天镇县").count() == 0

    page.goto(f"/museums/{world.helped_museum.pk}/edit/")  # the same on the edit form, and the position map
    page.select_option("#id_city", label="大同市")
    assert page.locator("#id_county option:not([hidden])", has_text="天镇县").count() == 1
    assert page.locator("#id_county option:not([hidden])", has_text="安泽县").count() == 0
    expect(page.locator("#edit-map canvas").first).to_be_visible()

    page.goto(f"/museums/{world.helped_museum.pk}/areas/")  # typing a need ticks its box
    page.fill("textarea[name=need_text_people]", "需要讲解员培训")
    expect(page.locator("input[name=need_people]")).to_be_checked()

    page.goto("/pairings/")
    expect(page.locator("#pairings-map canvas").first).to_be_visible()
    page.goto("/pairings/new/")  # the searchable museum lists
    expect(page.locator("select[name=helper] + .ts-wrapper")).to_be_visible()
    page.goto("/ledger/")
    expect(page.locator("#export-link")).to_have_attribute("href", re.compile(r"^/ledger/export/\?q=&"))  # the filters

    page.goto(f"/pairings/{pairing.pk}/agreement/edit/")  # "再加一行" adds an empty task row
    rows = page.locator("#task-rows tr").count()
    page.click("#add-task-row")
    expect(page.locator("#task-rows tr")).to_have_count(rows + 1)
    page.goto(f"/pairings/{pairing.pk}/")
    expect(page.locator("#timeline-chart canvas").first).to_be_visible()
    page.goto(f"/pairings/{pairing.pk}/agreement/print/")
    expect(page.locator("button[data-print]")).to_be_visible()

    page.goto("/tokens/")  # the new token is copied with one click
    page.fill("input[name=name]", "温湿度网关")
    page.click("form button[type=submit]:has-text('创建令牌')")
    page.click("#copy-token")
    expect(page.locator("#copy-token")).to_contain_text("已复制")


def test_a_confirmation_refused_in_the_dialog_leaves_the_account_as_it_was(page, world, sign_in):
    sign_in("admin")
    page.goto(f"/accounts/{world.outsider.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button:has-text('停用')")
    page.wait_for_timeout(300)
    assert User.objects.get(pk=world.outsider.pk).is_active
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('停用')")
    expect(page.locator(".alert-success")).to_contain_text("已停用账号 outsider")
    assert not User.objects.get(pk=world.outsider.pk).is_active


def test_demo_accounts_fill_the_login_form(page, world, settings):
    settings.DEMO_MODE = True
    page.goto("/login/")
    page.click(".demo-fill[data-username=xiehui]")
    expect(page.locator("#id_username")).to_have_value("xiehui")
    expect(page.locator("#id_password")).to_have_value("Demo@2026")
