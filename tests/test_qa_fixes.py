"""What a first round of trying the site as its users found, now held by tests."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from bangfu.accounts.models import User
from bangfu.core.models import AuditEntry
from bangfu.experts.services import expert_create
from bangfu.museums.models import Museum

from .factories import make_museum
from .test_museum_pages import _profile_post

pytestmark = pytest.mark.django_db


def test_negative_or_absurd_figures_are_refused_next_to_the_field(login, world):
    museum = world.helped_museum
    response = login(world.helped_staff).post(reverse("museums:edit", args=[museum.pk]),
                                              _profile_post(museum, visitors_10k="-5", collections="9" * 18))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "参观人数不能为负数" in str(errors["visitors_10k"]) and "数值过大" in str(errors["collections"])


def test_a_need_written_without_ticking_the_box_is_kept(login, world):
    login(world.helped_admin).post(reverse("museums:edit_areas", args=[world.helped_museum.pk]),
                                   {"need_text_conservation": "库房需要除湿"})
    assert world.helped_museum.areas.get().text == "库房需要除湿"


def test_search_terms_separated_by_spaces_all_match(client, world):
    assert "安泽县博物馆" in client.get(reverse("museums:directory"), {"q": "安泽 博物馆"}).content.decode()
    assert "安泽县博物馆" not in client.get(reverse("museums:directory"), {"q": "安泽 纪念馆"}).content.decode()


def test_directory_filters_accept_division_codes_as_the_api_does(client, world):
    body = client.get(reverse("museums:directory"), {"city": "141000"}).content.decode()
    assert "安泽县博物馆" in body and "天镇县博物馆" not in body


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_lockout_page_says_minutes_in_chinese(client, world):
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "helped_staff", "password": "wrong"})
    body = response.content.decode()
    assert "15 分钟" in body and not re.search(r"\bPT\d", body)  # an ISO duration (PT15M); CSRF tokens hold "PT"


def test_an_account_that_could_never_sign_in_is_refused(login, world):
    response = login(world.admin).post(reverse("accounts:user_create"), {"username": "nobody", "role": "expert"})
    assert "请填写初始密码，或填写邮箱" in response.content.decode()
    assert not User.objects.filter(username="nobody").exists()


def test_password_rules_are_explained_in_chinese(login, world):
    response = login(world.admin).post(reverse("accounts:user_create"), {
        "username": "shorty", "role": "expert", "password": "a1"})
    assert "密码太短，至少需要 8 个字符" in response.content.decode()


def test_expert_tags_split_on_chinese_separators(world):
    expert = expert_create(by=world.admin, name="甲", organisation="乙", areas=["research"],
                           tags="青铜器修复，预防性保护、壁画")
    assert expert.tag_list == ["青铜器修复", "预防性保护", "壁画"]


def test_history_reads_in_chinese_labels_and_values(login, world):
    museum = make_museum("地点不明纪念馆")
    client = login(world.admin)
    county = world.helped_museum.county
    client.post(reverse("museums:edit", args=[museum.pk]), _profile_post(
        museum, name=museum.name, province="山西省", grade="未定级", ownership="国有", sector="", tier="",
        city=county.parent_id, county=county.pk, programme_role="", head=""))
    entry = AuditEntry.objects.for_object(museum).get(action="修改博物馆")
    labels = {label: (old, new) for label, old, new in entry.readable_changes}
    assert labels["帮扶角色"] == ("未参与", "受援方")
    assert labels["所在地待核实"] == ("是", "否")
    body = client.get(reverse("museums:history", args=[museum.pk])).content.decode()
    assert "programme_role" not in body and "帮扶角色" in body


def test_saving_a_new_place_says_what_it_changed(login, world):
    museum = make_museum("地点不明纪念馆")
    county = world.helped_museum.county
    response = login(world.admin).post(reverse("museums:edit", args=[museum.pk]), _profile_post(
        museum, name=museum.name, province="山西省", grade="未定级", ownership="国有", sector="", tier="",
        city=county.parent_id, county=county.pk, programme_role="", head=""), follow=True)
    assert "帮扶角色 未参与 → 受援方" in response.content.decode()


def test_museum_admin_reads_their_own_museums_history(login, world):
    url = reverse("museums:history", args=[world.helped_museum.pk])
    assert "创建博物馆" in login(world.helped_admin).get(url).content.decode()
    assert login(world.outsider_admin).get(url).status_code == 403


def test_uploaded_photos_lose_their_metadata_and_appended_bytes(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SECRET-CAMERA"  # Make
    Image.new("RGB", (30, 20), "blue").save(buffer, "JPEG", exif=exif)
    payload = buffer.getvalue() + b"<html><script>alert(1)</script></html>"
    login(world.helped_staff).post(reverse("museums:photos", args=[world.helped_museum.pk]), {
        "image": SimpleUploadedFile("storeroom.jpg", payload, content_type="image/jpeg")})
    stored = world.helped_museum.photos.get().image.read()
    assert b"SECRET-CAMERA" not in stored and b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (30, 20)


def test_boundaries_are_sent_gzipped_to_browsers_that_accept_it(client):
    response = client.get(reverse("boundaries", args=["counties"]), headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip" and len(response.content) < 150_000
    plain = client.get(reverse("boundaries", args=["counties"]))
    assert plain.content.startswith(b"{")


def test_demo_search_keys_read_changzhi_correctly(world):
    make_museum("长治市博物馆", city="140400")
    assert Museum.objects.search("changzhi").exists() and not Museum.objects.search("zhangzhi").exists()



def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, world):
    response = client.get(reverse("museums:directory"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_a_truncated_photo_is_refused_with_a_message_not_a_500(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    response = login(world.helped_staff).post(reverse("museums:photos", args=[world.helped_museum.pk]), {
        "image": SimpleUploadedFile("cut.jpg", cut, content_type="image/jpeg")})
    assert response.status_code == 400 and "不完整或已损坏" in response.content.decode()
    assert not world.helped_museum.photos.exists()
