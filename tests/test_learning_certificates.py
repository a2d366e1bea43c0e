"""Certificates: the PDF read back (its text holds the person, the class and the serial and code), who downloads
it (a revoked one only the association), revocation, and the public verification page (valid, revoked, unknown,
garbage and HTML input; only the face shown)."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bangfu.learning import selectors
from bangfu.learning.certificates import certificate_pdf, grouped_code
from bangfu.learning.services import certificate_issue, certificate_revoke

pytestmark = pytest.mark.django_db

TITLE = "县级博物馆藏品管理专项业务培训班"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The count of unknown codes per address lives in the cache: no test inherits another's, nor leaves its own."""
    cache.clear()
    yield
    cache.clear()


def issue(world, person=None, *, source_id=1, kind="class", title=TITLE):
    return certificate_issue(by=world.admin, person=person or world.helped_staff, kind=kind,
                             source_type="training.class", source_id=source_id, title=title, issued_on=TODAY,
                             hours=24, start=TODAY.replace(day=1), end=TODAY)


def compact(text: str) -> str:
    return "".join(text.split())


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    return compact(page.extract_text())


def test_the_pdf_reads_back_with_the_person_the_class_the_serial_and_the_code(world):
    certificate = issue(world)
    text = text_of(certificate_pdf(certificate, base_url="https://bangfu.example.org"))
    assert certificate.person_name == world.helped_staff.full_name
    assert compact(certificate.person_name) in text and "安泽县博物馆" in text
    assert TITLE in text and "结业证书" in text
    assert certificate.serial in text and grouped_code(certificate.code) in text
    assert f"https://bangfu.example.org/verify/{certificate.code}/" in text
    assert "山西省博物馆协会" in text and "24学时" in text


def test_a_placement_certificate_is_titled_certificate_and_odd_text_is_set_safely(world):
    certificate = issue(world, kind="placement", title="<b>挂职</b> & 跟班学习\x07")
    text = text_of(certificate_pdf(certificate, base_url="http://x"))
    assert "<b>挂职</b>&跟班学习" in text and "证书" in text and "结业" not in text


def test_serials_are_numbered_per_year_and_issuing_twice_returns_the_same_certificate(world):
    first, again = issue(world), issue(world)
    second = issue(world, world.helper_staff)
    assert first.pk == again.pk
    assert first.serial == f"SXMA-{TODAY.year}-000001" and second.serial == f"SXMA-{TODAY.year}-000002"
    assert len(first.code) == 12 and first.code != second.code


def test_the_holder_their_museum_admin_and_the_association_download_the_pdf(world, login):
    certificate = issue(world)
    url = reverse("learning:certificate_pdf", args=[certificate.pk])
    for user in (world.helped_staff, world.helped_admin, world.admin):
        response = login(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    for user in (world.outsider, world.helper_admin, world.helper_staff, world.expert, world.city_supervisor):
        assert login(user).get(url).status_code == 404


def test_only_the_association_revokes_and_then_only_it_downloads_the_stamped_pdf(world, login):
    certificate = issue(world)
    with pytest.raises(PermissionDenied):
        certificate_revoke(by=world.helped_admin, certificate=certificate, reason="误发")
    with pytest.raises(ValidationError):
        certificate_revoke(by=world.admin, certificate=certificate, reason="  ")
    revoke = reverse("learning:certificate_revoke", args=[certificate.pk])
    assert login(world.helped_admin).post(revoke, {"reason": "误发"}).status_code == 403
    assert login(world.admin).post(revoke, {"reason": ""}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert login(world.admin).post(revoke, {"reason": "结业资格已取消"}).status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "结业资格已取消"
    url = reverse("learning:certificate_pdf", args=[certificate.pk])
    assert login(world.helped_staff).get(url).status_code == 404
    assert login(world.helped_admin).get(url).status_code == 404
    stamped = login(world.admin).get(url)
    assert "已撤销" in text_of(stamped.content)
    assert certificate not in login(world.helped_staff).get(reverse("learning:me")).context["certificates"]


def test_the_verification_page_says_a_certificate_is_genuine_and_shows_only_its_face(world, client):
    world.helped_staff.email = "zhang@example.org"
    world.helped_staff.save()
    certificate = issue(world)
    response = client.get(reverse("verify", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200 and "证书真实有效" in page
    for shown in (certificate.person_name, "安泽县博物馆", TITLE, "24 学时", certificate.serial, "山西省博物馆协会"):
        assert shown in page
    for hidden in ("zhang@example.org", "helped_staff", f"/people/{world.helped_staff.pk}/"):
        assert hidden not in page


def test_the_issue_path_without_the_trailing_slash_opens_the_verification_page(world, client):
    """Issue 11 writes the public page as `/verify/<code>`: without the slash it redirects to the page."""
    certificate = issue(world)
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 301 and response["Location"].endswith(f"/verify/{certificate.code}/")
    page = client.get(f"/verify/{certificate.code}", follow=True)
    assert page.status_code == 200 and "证书真实有效" in page.content.decode()


def test_the_verification_page_says_revoked_with_the_reason(world, client):
    certificate = certificate_revoke(by=world.admin, certificate=issue(world), reason="培训记录有误")
    page = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert "已撤销（培训记录有误）" in page and "证书真实有效" not in page


@pytest.mark.parametrize("code", ["ABCDEFGHJKLM", "0000", "x" * 500, "<script>alert(1)</script>", "%00%01",
                                  "ＡＢ", "abc%22%3E%3Cimg%20src%3Dx%3E"])
def test_unknown_or_garbage_codes_are_not_found_and_never_echoed_as_html(world, client, code):
    issue(world)
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert ("未找到" in page or "不存在" in page) and "<script>alert(1)" not in page and "<img src=x" not in page


def test_codes_are_read_in_any_case_with_spaces_and_dashes(world, client):
    certificate = issue(world)
    typed = " " + grouped_code(certificate.code).lower() + " "
    assert selectors.normalise_code(typed) == certificate.code
    assert selectors.normalise_code("ＡＢＣＤ－ｅｆｇｈ－ＪＫＬＭ") == "ABCDEFGHJKLM"  # typed on a Chinese keyboard
    assert selectors.normalise_code("O" * 12) is None and selectors.normalise_code("A\x00" * 6) is None
    response = client.get(reverse("verify_form"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("verify", args=[certificate.code])
    assert client.get(reverse("verify", args=[grouped_code(certificate.code).lower()])).status_code == 200


def test_the_form_refuses_what_cannot_be_a_code_beside_the_field(client):
    assert client.get(reverse("verify_form")).status_code == 200
    response = client.get(reverse("verify_form"), {"code": "1234<b>"})
    page = response.content.decode()
    assert response.status_code == 400 and "12 位" in page and "<b>" not in page.split("verify-form")[1][:2000]
    control = client.get(reverse("verify_form"), {"code": "AB\x00CD"})
    assert control.status_code == 400


def test_a_visitor_who_tries_many_unknown_codes_is_slowed_down(world, client):
    certificate = issue(world)
    for _ in range(40):
        assert client.get(reverse("verify", args=[certificate.code])).status_code == 200  # genuine: not counted
    for _ in range(30):
        client.get("/verify/ABCDEFGHJKLM/")
    response = client.get(reverse("verify", args=[certificate.code]))
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()
