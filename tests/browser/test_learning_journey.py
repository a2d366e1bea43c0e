"""The learning record in the browser: a staff member opens their record (the hours chart drawn under the
Content-Security-Policy), downloads their certificate, and a visitor on a phone types its code — in lower case
with dashes — on the public verification page and reads 证书真实有效; the association sees the hours by museum."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.learning.certificates import grouped_code
from bangfu.learning.services import certificate_issue, hours_record

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _record(world):
    today = timezone.localdate()
    for n, (hours, days) in enumerate([(24, 10), (8, 400)]):
        hours_record(person=world.helped_staff, source_type="training.class", source_id=n, source_label="培训班",
                     title=f"藏品管理培训班{n}", hours=hours, date=today - datetime.timedelta(days=days))
    return certificate_issue(by=world.admin, person=world.helped_staff, kind="class", source_type="training.class",
                             source_id=0, title="藏品管理培训班0", issued_on=today, hours=24)


def test_a_certificate_is_downloaded_and_verified_on_a_phone(page, world, sign_in):
    certificate = _record(world)
    sign_in("helped_staff")
    page.goto("/people/me/")
    expect(page.get_by_test_id("entries")).to_contain_text("藏品管理培训班0")
    expect(page.locator("#year-hours-chart canvas")).to_have_count(1)
    with page.expect_download() as download:
        page.evaluate("url => { const a = document.createElement('a'); a.href = url; a.download = 'c.pdf'; "
                      "document.body.appendChild(a); a.click(); }", f"/people/certificates/{certificate.pk}/pdf/")
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(page, "learning-me-1280")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/verify/")
    page.fill("#id_code", grouped_code(certificate.code).lower())
    page.click("[data-testid=verify-form] button[type=submit]")
    result = page.get_by_test_id("verify-result")
    expect(result).to_contain_text("证书真实有效")
    expect(page.get_by_test_id("verify-face")).to_contain_text(certificate.serial)
    screenshot(page, "learning-verify-390")


def test_the_association_sees_the_hours_by_museum(page, world, sign_in):
    _record(world)
    hours_record(person=world.helped_staff, source_type="courses.course", source_id=1, source_label="线上课程",
                 title="文物摄影", hours=80, date=timezone.localdate())
    sign_in("admin")
    page.goto("/people/hours/")
    expect(page.locator("#museum-hours-chart canvas")).to_have_count(1)
    expect(page.get_by_test_id("people")).to_contain_text("达标")  # helped_staff: 104 学时
    page.check("#short")
    page.click("[data-testid=filters] button[type=submit]")
    expect(page.get_by_test_id("people")).not_to_contain_text("达标")
    expect(page.get_by_test_id("people").locator("tbody tr")).to_have_count(5)
