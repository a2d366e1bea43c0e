"""A training class from publication to certificate: the association publishes a class on the pages (with a session
happening now), a museum admin nominates two of their staff, one signs in by code on a 390 px phone, the organiser
completes the class; the certificate PDF downloads, `/verify/<code>/` says it is valid, and the ledger and the
person's hours show it."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from bangfu.learning.models import Certificate, HoursEntry
from bangfu.ledger.models import LedgerEntry
from bangfu.training.models import Nomination, TrainingClass
from tests.factories import PASSWORD, make_user

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _session_times():
    """A session under way now, inside today (the class's only day), in the local time the form takes."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - datetime.timedelta(minutes=10), midnight)
    end = min(now + datetime.timedelta(minutes=60), midnight + datetime.timedelta(hours=23, minutes=59))
    return start.strftime("%Y-%m-%dT%H:%M"), end.strftime("%Y-%m-%dT%H:%M")


def test_publish_nominate_sign_in_complete_and_verify(page, browser, live_server, world, sign_in):
    today = timezone.localdate().isoformat()
    second = make_user("museum_staff", museum=world.helped_museum, username="helped_staff2", full_name="李明")

    # The association publishes a class.
    sign_in("admin")
    page.goto("/training/new/")
    page.fill("#id_title", "县级博物馆讲解服务培训班")
    page.select_option("#id_area", "guiding")
    page.select_option("#id_host", str(world.helper_museum.pk))
    page.fill("#id_start", today)
    page.fill("#id_end", today)
    page.fill("#id_place", "山西博物院学术报告厅")
    page.fill("#id_places", "5")
    page.fill("#id_places_per_museum", "2")
    page.click("form button:has-text('保存')")
    expect(page.locator("h1")).to_contain_text("县级博物馆讲解服务培训班")
    page.locator("summary:has-text('添加课程')").click()
    start, end = _session_times()
    page.fill("#id_title", "讲解词写作与现场讲解")
    page.fill("#id_start", start)
    page.fill("#id_end", end)
    page.fill("#id_hours", "3")
    page.click("form button:has-text('添加')")
    expect(page.locator("[data-testid=sessions]")).to_contain_text("讲解词写作与现场讲解")
    page.click("[data-testid=move-publish]")
    expect(page.locator("[data-testid=class-status]")).to_have_text("报名中")
    klass = TrainingClass.objects.get(title="县级博物馆讲解服务培训班")
    code = klass.sessions.get().code
    page.click("[data-testid=sessions] a:has-text('签到码')")
    expect(page.locator("[data-testid=session-code]")).to_have_text(code)
    expect(page.locator("[data-testid=session-qr]")).to_be_visible()

    # A museum admin nominates two of their staff.
    page.context.clear_cookies()
    sign_in("helped_admin")
    page.goto(f"/training/{klass.pk}/")
    page.check(f"input[name=people][value='{world.helped_staff.pk}']")
    page.check(f"input[name=people][value='{second.pk}']")
    page.click("[data-testid=nominate]")
    expect(page.locator(".alert-success")).to_contain_text("录取 2 人")
    expect(page.locator("[data-testid=staff-states]")).to_contain_text("已录取")
    assert sorted(Nomination.objects.filter(klass=klass).values_list("state", flat=True)) == ["accepted"] * 2

    # One of them signs in by code on a phone.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url, is_mobile=True)
    mobile = phone.new_page()
    mobile.goto("/login/")
    mobile.fill("#id_username", "helped_staff")
    mobile.fill("#id_password", PASSWORD)
    mobile.click("form button[type=submit]")
    mobile.goto("/training/checkin/")
    mobile.fill("#id_code", code)
    mobile.click("[data-testid=checkin-submit]")
    expect(mobile.locator("[data-testid=checkin-ok]")).to_contain_text("签到成功")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(mobile, "training-checkin-phone")
    phone.close()

    # The organiser completes the class.
    page.context.clear_cookies()
    sign_in("admin")
    page.goto(f"/training/{klass.pk}/manage/")
    expect(page.locator("[data-testid=attendance-grid]")).to_contain_text("100%")
    page.click("[data-testid=complete]")
    expect(page.locator("[data-testid=results]")).to_contain_text(world.helped_museum.name)
    screenshot(page, "training-manage-completed")
    certificate = Certificate.objects.get(person=world.helped_staff, source_type="training.class")
    assert not Certificate.objects.filter(person=second).exists()  # did not attend
    assert HoursEntry.objects.get(person=world.helped_staff, source_type="training.class").hours == 3
    entry = LedgerEntry.objects.get(source_type="training.class")
    assert (entry.helper_id, entry.helped_id, entry.people_trained) == (world.helper_museum.pk,
                                                                       world.helped_museum.pk, 1)

    # The ledger shows it.
    page.goto("/ledger/")
    expect(page.locator("[data-total=people_trained]")).to_have_text("1")

    # The person's certificate (its PDF read back), its verification and their hours.
    page.context.clear_cookies()
    sign_in("helped_staff")
    page.goto("/training/mine/")
    expect(page.locator("[data-testid=certificate-link]")).to_contain_text(certificate.serial)
    response = page.request.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    assert response.ok and response.body().startswith(b"%PDF")
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "".join(certificate.person_name.split()) in text and "县级博物馆讲解服务培训班" in text
    assert certificate.serial in text and certificate.code in text
    page.goto(f"/verify/{certificate.code}")  # the path, without the slash: redirected to the page
    expect(page.locator("body")).to_contain_text(certificate.serial)
    expect(page.locator("body")).to_contain_text("有效")
    page.goto(reverse("learning:me"))
    expect(page.locator("body")).to_contain_text("县级博物馆讲解服务培训班")
