"""Messages for bad input say what is wrong, once: a refused start date yields no derived end-date message, a date
that does not exist is named, an image too large says so with the limit, password problems read as one sentence,
and the username rule and its message agree (ASCII letters, digits and @ . + - _)."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.accounts.services import user_update
from bangfu.core.dates import no_such_day, term_errors
from bangfu.core.uploads import IMAGE_TOO_LARGE, MAX_PIXELS

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


# --- dates -----------------------------------------------------------------------------------------------------


def _pairing(client, world, start, end):
    return client.post(reverse("pairings:create"), {
        "helper": world.helper_museum.pk, "helped": world.helped_museum.pk, "kind": "one_to_one",
        "is_primary": "on", "start_date": start, "end_date": end})


def test_a_start_date_in_year_one_is_the_only_message(world, login):
    response = _pairing(login(world.admin), world, "0001-01-01", "2027-01-01")
    errors = response.context["form"].errors
    assert "一年以前" in errors["start_date"][0]
    assert "end_date" not in errors and "期限最长" not in response.content.decode()


def test_a_term_near_the_end_of_the_calendar_is_checked_without_failing(world, login):
    assert term_errors(start=datetime.date(9999, 1, 1), end=datetime.date(9999, 6, 1), check_start=False) == {}
    response = _pairing(login(world.admin), world, "9999-01-01", "9999-06-01")
    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(("typed", "named"), [
    ("2026-02-30", "2026年2月30日"), ("2026-13-01", "2026年13月1日"), ("2025-02-29", "2025年2月29日"),
    ("2026/4/31", "2026年4月31日"), ("２０２６－０２－３０", "2026年2月30日"),
])
def test_a_date_that_does_not_exist_is_named(world, login, typed, named):
    response = _pairing(login(world.admin), world, "2026-01-01", typed)
    assert response.context["form"].errors["end_date"] == [f"没有这一天（{named}），请检查日期。"]


def test_a_badly_written_date_keeps_the_forms_own_message_and_a_full_width_one_is_read(world, login):
    response = _pairing(login(world.admin), world, "2026-01-01", "2026-01-3x")
    assert response.context["form"].errors["end_date"] == ["日期格式应为 2026-01-31。"]
    assert no_such_day("2026-01-31") is None and no_such_day("明天") is None
    response = _pairing(login(world.admin), world, "２０２６－０１－０１", "2026-01-3x")
    assert "start_date" not in response.context["form"].errors


# --- images ----------------------------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of any size, built row by row (a 20000×20000 one compresses to ~60 KB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [20_000, 30_000, 7_000])
def test_an_image_too_large_says_so_with_the_limit(world, login, settings, tmp_path, side):
    settings.MEDIA_ROOT = tmp_path
    assert side * side > MAX_PIXELS
    upload = SimpleUploadedFile("大图.png", _png(side, side), content_type="image/png")
    response = login(world.helped_staff).post(reverse("museums:photos", args=[world.helped_museum.pk]),
                                              {"image": upload})
    assert response.context["form"].errors["image"] == [IMAGE_TOO_LARGE]
    assert IMAGE_TOO_LARGE == "图片尺寸过大（最多 4000 万像素），请缩小后再上传。"
    assert not world.helped_museum.photos.exists()


# --- passwords and usernames -----------------------------------------------------------------------------------


def test_password_problems_read_as_one_sentence(world, login):
    response = login(world.admin).post(reverse("accounts:user_password", args=[world.helped_staff.pk]),
                                       {"password": "1234567"})
    [message] = response.context["password_form"].errors["password"]
    assert message.count("。") == 1 and message.endswith("。") and "；" in message
    assert "8 个字符" in message
    page = response.content.decode()
    assert "。；" not in page and "。;" not in page


def test_the_password_change_page_reads_the_same(world, login):
    response = login(world.helped_staff).post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "1234567", "new_password2": "1234567"})
    [message] = response.context["form"].errors["new_password2"]
    assert message.count("。") == 1 and "；" in message


@pytest.mark.parametrize("username", ["用户名", "zhang san", "王.li"])
def test_a_username_outside_the_rule_is_refused_with_the_rule(world, login, username):
    response = login(world.admin).post(reverse("accounts:user_create"), {
        "username": username, "full_name": "张三", "email": "z@example.org", "role": "museum_staff",
        "museum": world.helped_museum.pk})
    [message] = response.context["form"].errors["username"]
    assert "英文字母、数字" in message and "汉字" in message
    assert not User.objects.filter(username=username).exists()


def test_a_username_within_the_rule_is_accepted(world, login):
    response = login(world.admin).post(reverse("accounts:user_create"), {
        "username": "zhang.san-2@bwg", "full_name": "张三", "email": "z@example.org", "role": "museum_staff",
        "museum": world.helped_museum.pk})
    assert response.status_code == 302
    assert User.objects.filter(username="zhang.san-2@bwg").exists()


def test_an_account_named_before_the_rule_can_still_be_edited(world):
    legacy = make_user("museum_staff", museum=world.helped_museum)
    User.objects.filter(pk=legacy.pk).update(username="老账号")  # as stored before the rule
    legacy.refresh_from_db()
    user_update(by=world.admin, user=legacy, data={"title": "馆员"})
    legacy.refresh_from_db()
    assert legacy.title == "馆员" and legacy.username == "老账号"
