"""Positions lie in China and may be typed in full-width digits; phone numbers look like phone numbers — in the
forms, the services and the importer."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.core.phones import PHONE_MESSAGE, normalise_phone, validate_phone
from bangfu.experts.services import expert_create
from bangfu.museums.imports import build_preview, read_table
from bangfu.museums.services import museum_set_position, museum_update
from bangfu.places.geo import CHINA_LATITUDE, CHINA_LONGITUDE, LATITUDE_MESSAGE, LONGITUDE_MESSAGE

from .factories import make_museum
from .test_museum_pages import _profile_post

pytestmark = pytest.mark.django_db

GOOD_PHONES = [
    "13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678", "8613812345678", "19912345678",
    "0351-1234567", "0351 1234567", "03511234567", "(0351)1234567", "(0351) 1234567", "010-12345678",
    "0351-8789 5555", "+86 351 1234567", "0351-1234567-801", "0351-1234567转801", "0351-1234567 分机 801",
    "0351-1234567 ext. 801", "400-123-4567", "4001234567", "800-123-4567", "0351-1234567、13812345678",
    "0351-1234567, 0351-7654321",
]
BAD_PHONES = [
    "123", "1234567", "12345678901", "1381234567", "138123456789", "0351-123", "0351-123456789", "1-800-FLOWERS",
    "110", "电话：0351-1234567", "0351-1234567 或 13812345678", "abc", "0351--1234567", "0351-1234567-",
]


@pytest.mark.parametrize("phone", GOOD_PHONES)
def test_mobile_landline_extension_and_service_numbers_are_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_things_that_are_not_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError, match="请填写有效的电话号码"):
        validate_phone(phone)


def test_full_width_digits_and_brackets_are_read_as_ascii():
    assert normalise_phone("（０３５１）１２３４５６７") == "(0351)1234567"
    assert normalise_phone(" ０３５１－１２３４５６７　转８０１ ") == "0351-1234567 转801"
    assert normalise_phone("138　1234  5678") == "138 1234 5678"


def test_the_museum_form_normalises_a_full_width_phone_and_refuses_a_bad_one(world, login):
    museum, client = world.helped_museum, login(world.helped_staff)
    url = reverse("museums:edit", args=[museum.pk])
    response = client.post(url, _profile_post(museum, phone="123"))
    assert response.status_code == 400 and response.context["form"].errors["phone"] == [PHONE_MESSAGE]
    assert client.post(url, _profile_post(museum, phone="０３５７－１２３４５６７")).status_code == 302
    museum.refresh_from_db()
    assert museum.phone == "0357-1234567"


def test_the_expert_account_and_profile_forms_refuse_a_bad_phone(world, login):
    expert = expert_create(by=world.admin, name="冯雅琴", organisation="山西考古研究院", areas=["conservation"],
                           user=world.expert)
    client = login(world.admin)
    response = client.post(reverse("experts:edit", args=[expert.pk]), {
        "name": "冯雅琴", "organisation": "山西考古研究院", "areas": ["conservation"], "phone": "12345",
        "is_active": "on"})
    assert response.status_code in (200, 400) and response.context["form"].errors["phone"] == [PHONE_MESSAGE]
    response = client.post(reverse("accounts:user_create"), {
        "username": "zhang", "full_name": "张三", "email": "z@example.org", "phone": "0351", "title": "",
        "role": "museum_staff", "museum": world.helped_museum.pk})
    assert response.context["form"].errors["phone"] == [PHONE_MESSAGE]
    response = login(world.helped_staff).post(reverse("accounts:profile"), {
        "full_name": "刘洋", "email": "", "phone": "１３８１２３４５６７８", "title": ""})
    assert response.status_code == 302, response.context["form"].errors
    world.helped_staff.refresh_from_db()
    assert world.helped_staff.phone == "13812345678"


def test_the_services_refuse_a_bad_phone_whatever_calls_them(world):
    with pytest.raises(ValidationError) as caught:
        museum_update(museum=world.helped_museum, by=world.admin, data={"phone": "not a phone"})
    assert caught.value.message_dict["phone"] == [PHONE_MESSAGE]


# --- positions --------------------------------------------------------------------------------------------------


def test_a_position_typed_in_full_width_digits_is_saved(world, login):
    response = login(world.helped_admin).post(reverse("museums:set_position", args=[world.helped_museum.pk]),
                                              {"lat": "３６．１２５", "lng": "１１２．２"})
    assert response.status_code == 200
    world.helped_museum.refresh_from_db()
    assert (world.helped_museum.lat, world.helped_museum.lng) == (36.125, 112.2)


@pytest.mark.parametrize(("lat", "lng", "wrong"), [
    ("0", "0", {"lat", "lng"}), ("48.85", "2.35", {"lng"}), ("-37.8", "112.5", {"lat"}), ("37.8", "-112.5", {"lng"}),
    ("60", "112.5", {"lat"}),
])
def test_a_position_outside_china_is_refused_saying_which_range_is_allowed(world, login, lat, lng, wrong):
    response = login(world.admin).post(reverse("museums:set_position", args=[world.helped_museum.pk]),
                                       {"lat": lat, "lng": lng})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == wrong
    if "lat" in wrong:
        assert errors["lat"] == [LATITUDE_MESSAGE] and "18.1 到 53.6" in LATITUDE_MESSAGE
    if "lng" in wrong:
        assert errors["lng"] == [LONGITUDE_MESSAGE] and "73.4 到 135.1" in LONGITUDE_MESSAGE


def test_the_service_refuses_a_position_outside_china_and_notices_a_swap(world):
    with pytest.raises(ValidationError) as caught:
        museum_set_position(museum=world.helped_museum, by=None, lat=112.55, lng=37.87)
    assert set(caught.value.message_dict) == {"lat", "lng"}
    assert "填反了" in caught.value.message_dict["lat"][0]
    # China's extent is the whole check for a museum of a province the boundary layer does not hold.
    elsewhere = make_museum("新疆某博物馆", province="新疆维吾尔自治区")
    museum_set_position(museum=elsewhere, by=None, lat=CHINA_LATITUDE[1], lng=CHINA_LONGITUDE[0])


def test_the_edit_page_shows_a_bad_position_beside_its_field(world, login):
    museum = world.helped_museum
    data = _profile_post(museum) | {"pos-changed": "1", "pos-lat": "37.8", "pos-lng": "11.25"}
    response = login(world.helped_admin).post(reverse("museums:edit", args=[museum.pk]), data)
    assert response.status_code == 400
    assert response.context["position_form"].errors["lng"] == [LONGITUDE_MESSAGE]
    assert LONGITUDE_MESSAGE in response.content.decode()


def test_the_importer_reads_full_width_positions_and_refuses_positions_outside_china(world):
    headers = ["编号", "博物馆名称", "省份", "所在市", "所在县（区、市）", "质量等级", "纬度", "经度", "联系电话"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    row = [None, "甲馆", "山西省", None, None, "未定级"]
    sheet.append(row + ["３７．８７", "１１２．５５", "０３５１－１２３４５６７"])  # line 2: fine
    sheet.append(row[:1] + ["乙馆"] + row[2:] + [48.85, 2.35, None])  # line 3: Paris
    sheet.append(row[:1] + ["丙馆"] + row[2:] + [None, None, "123"])  # line 4: not a phone
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = build_preview(table=read_table(data=buffer.getvalue(), file_name="a.xlsx"))
    reasons = {p.line: p.reason for p in preview.bad}
    assert sorted(reasons) == [3, 4]
    assert "经度应在 73.4 到 135.1 之间（中国境内）" in reasons[3] and "请填写有效的电话号码" in reasons[4]
    [plan] = preview.creates
    assert (plan.fields["lat"], plan.fields["lng"], plan.fields["phone"]) == (37.87, 112.55, "0351-1234567")
