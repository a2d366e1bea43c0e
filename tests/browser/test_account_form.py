"""The account form shows the fields of the chosen role only, as the role select changes (static/js/forms.js)."""

from django.urls import reverse

from tests.factories import division


def test_choosing_a_role_shows_only_the_fields_it_uses(page, world, sign_in):
    sign_in("admin")
    page.goto(reverse("accounts:user_create"))
    museum, jurisdiction = page.locator("#id_museum"), page.locator("#id_jurisdiction")
    assert museum.is_visible() and not jurisdiction.is_visible()
    assert page.locator("#id_museum option").first.inner_text() == "请选择…"
    page.select_option("#id_role", "supervisor")
    assert jurisdiction.is_visible() and not museum.is_visible()
    page.select_option("#id_role", "expert")
    assert museum.is_visible() and not jurisdiction.is_visible()
    page.select_option("#id_role", "supervisor")
    page.fill("#id_username", "taiyuan_sup")
    page.fill("#id_full_name", "王主管")
    page.fill("#id_email", "sup@example.org")
    page.select_option("#id_jurisdiction", str(division("140100").pk))
    page.get_by_role("button", name="创建", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "已创建账号 taiyuan_sup" in page.content()
