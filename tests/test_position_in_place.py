"""A museum's precise position lies inside its city (or, the city unknown, its province), within a few km of the
border: a Shanxi museum placed in Beijing is refused by the service, the pages and the importer, saying where."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.museums.imports import build_preview, read_table
from bangfu.museums.services import museum_set_position, museum_update
from bangfu.places.geo import BORDER_TOLERANCE_KM, Boundary, boundaries, place_problem

from .factories import division, make_museum
from .test_museum_pages import _profile_post

pytestmark = pytest.mark.django_db

BEIJING = (39.9, 116.4)
TAIYUAN = (37.87, 112.55)
DATONG = (40.08, 113.3)


# --- the point-in-polygon test --------------------------------------------------------------------------------


SQUARE_WITH_HOLE = Boundary(
    code="000000", name="方块", bbox=(0.0, 0.0, 1.0, 1.0),
    polygons=(([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], [(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6)]),),
)


def test_a_point_is_inside_a_polygon_but_not_inside_its_hole():
    assert SQUARE_WITH_HOLE.contains(0.2, 0.2)
    assert not SQUARE_WITH_HOLE.contains(0.5, 0.5)  # in the hole
    assert not SQUARE_WITH_HOLE.contains(0.5, 1.5)
    assert SQUARE_WITH_HOLE.distance_km(0.5, 1.5) == pytest.approx(0.5 * 111.2, rel=0.01)


def test_a_point_a_few_km_outside_the_border_counts_as_near():
    assert SQUARE_WITH_HOLE.near(0.5, 1.03, BORDER_TOLERANCE_KM)  # 3.3 km east of the edge
    assert not SQUARE_WITH_HOLE.near(0.5, 1.1, BORDER_TOLERANCE_KM)  # 11 km


def test_the_layer_holds_every_city_of_shanxi_and_places_them_right():
    cities = boundaries("cities")
    assert len(cities) == 11
    assert cities["140200"].contains(*DATONG) and not cities["140200"].contains(*BEIJING)
    assert cities["140100"].contains(*TAIYUAN)


def test_a_museum_on_the_province_border_is_accepted_within_the_tolerance():
    datong = boundaries("cities")["140200"]
    lng, lat = max((p for polygon in datong.polygons for p in polygon[0]), key=lambda p: p[1])  # northernmost
    assert place_problem(lat + 2 / 111.2, lng, city=division("140200")) is None
    assert "大同市" in place_problem(lat + 30 / 111.2, lng, city=division("140200"))


# --- the services --------------------------------------------------------------------------------------------


def test_the_service_refuses_a_datong_museum_placed_in_beijing_naming_the_city(world):
    museum = world.other_museum  # 天镇县博物馆, 大同市
    with pytest.raises(ValidationError) as caught:
        museum_set_position(museum=museum, by=world.admin, lat=BEIJING[0], lng=BEIJING[1])
    assert caught.value.message_dict == {"lat": ["该位置不在大同市范围内，请核对纬度和经度。"]}
    with pytest.raises(ValidationError) as caught:
        museum_set_position(museum=museum, by=world.admin, lat=TAIYUAN[0], lng=TAIYUAN[1])
    assert "该位置不在大同市范围内（它在太原市境内）" in caught.value.message_dict["lat"][0]
    museum.refresh_from_db()
    assert not museum.position_precise
    museum_set_position(museum=museum, by=world.admin, lat=DATONG[0], lng=DATONG[1])
    museum.refresh_from_db()
    assert museum.position_precise and (museum.lat, museum.lng) == DATONG


def test_a_museum_whose_city_is_unknown_must_lie_in_its_province(world):
    museum = make_museum("某民俗博物馆")  # 山西省, city unknown
    assert museum.city is None
    with pytest.raises(ValidationError, match="该位置不在山西省范围内"):
        museum_set_position(museum=museum, by=None, lat=BEIJING[0], lng=BEIJING[1])
    museum_set_position(museum=museum, by=None, lat=TAIYUAN[0], lng=TAIYUAN[1])


def test_moving_a_precisely_placed_museum_to_another_city_asks_for_its_position_too(world):
    museum = world.other_museum
    museum_set_position(museum=museum, by=world.admin, lat=DATONG[0], lng=DATONG[1])
    taiyuan, xiaodian = division("140100"), division("140105")
    with pytest.raises(ValidationError) as caught:
        museum_update(museum=museum, by=world.admin, data={"city": taiyuan, "county": xiaodian})
    assert "本馆已标定的位置" in caught.value.message_dict["city"][0]
    assert "不在太原市范围内" in caught.value.message_dict["city"][0]
    museum.refresh_from_db()
    museum_update(museum=museum, by=world.admin, data={"city": taiyuan, "county": xiaodian, "lat": TAIYUAN[0],
                                                      "lng": TAIYUAN[1], "position_precise": True})
    museum.refresh_from_db()
    assert (museum.city_id, museum.lat, museum.position_precise) == (taiyuan.pk, TAIYUAN[0], True)


def test_creating_a_museum_with_a_position_outside_its_city_is_refused():
    with pytest.raises(ValidationError, match="该位置不在大同市范围内"):
        make_museum("大同某馆", city="140200", lat=BEIJING[0], lng=BEIJING[1], position_precise=True)


def test_museum_staff_cannot_set_a_position_through_the_update_service(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        museum_update(museum=world.helped_museum, by=world.helped_staff,
                      data={"lat": 36.1, "lng": 112.2, "position_precise": True})


# --- the pages -------------------------------------------------------------------------------------------------


def test_the_position_page_refuses_beijing_for_a_linfen_museum_beside_the_field(world, login):
    museum = world.helped_museum  # 安泽县博物馆, 临汾市
    response = login(world.helped_admin).post(reverse("museums:set_position", args=[museum.pk]),
                                              {"lat": str(BEIJING[0]), "lng": str(BEIJING[1])})
    assert response.status_code == 400
    assert response.json()["errors"] == {"lat": ["该位置不在临汾市范围内，请核对纬度和经度。"]}
    museum.refresh_from_db()
    assert not museum.position_precise


def test_the_edit_page_shows_the_place_beside_the_position_and_saves_nothing(world, login):
    museum = world.helped_museum  # 安泽县博物馆, 临汾市
    data = _profile_post(museum) | {"pos-changed": "1", "pos-lat": "39.9", "pos-lng": "116.4"}
    response = login(world.helped_admin).post(reverse("museums:edit", args=[museum.pk]), data)
    assert response.status_code == 400
    assert response.context["position_form"].errors["lat"] == ["该位置不在临汾市范围内，请核对纬度和经度。"]
    assert "该位置不在临汾市范围内" in response.content.decode()
    museum.refresh_from_db()
    assert not museum.position_precise


def test_the_edit_page_accepts_a_new_city_with_a_position_inside_it(world, login):
    museum = world.other_museum
    museum_set_position(museum=museum, by=world.admin, lat=DATONG[0], lng=DATONG[1])
    data = _profile_post(museum, name=museum.name, province="山西省", grade=museum.grade, ownership="国有",
                         sector="", tier="", programme_role="", head="", city=division("140100").pk,
                         county=division("140105").pk)
    data |= {"pos-changed": "1", "pos-lat": str(TAIYUAN[0]), "pos-lng": str(TAIYUAN[1])}
    response = login(world.admin).post(reverse("museums:edit", args=[museum.pk]), data)
    assert response.status_code == 302, response.context["form"].errors | response.context["position_form"].errors
    museum.refresh_from_db()
    assert (museum.city.name, museum.lat, museum.lng) == ("太原市", TAIYUAN[0], TAIYUAN[1])


# --- the importer ----------------------------------------------------------------------------------------------


def _preview(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["编号", "博物馆名称", "省份", "所在市", "所在县（区、市）", "质量等级", "纬度", "经度"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return build_preview(table=read_table(data=buffer.getvalue(), file_name="a.xlsx"))


def test_the_importer_refuses_a_row_placed_outside_its_city_with_its_line(world):
    preview = _preview([
        [None, "甲馆", "山西省", "大同市", None, "未定级", *DATONG],
        [None, "乙馆", "山西省", "大同市", None, "未定级", *BEIJING],
        [None, "丙馆", "山西省", None, None, "未定级", *BEIJING],
    ])
    reasons = {p.line: p.reason for p in preview.bad}
    assert sorted(reasons) == [3, 4]
    assert "该位置不在大同市范围内" in reasons[3] and "该位置不在山西省范围内" in reasons[4]
    assert [p.name for p in preview.creates] == ["甲馆"]


def test_the_importer_does_not_guess_a_city_from_the_name_against_the_stated_position(world):
    preview = _preview([[None, "大同市民俗馆", "山西省", None, None, "未定级", *TAIYUAN]])
    [plan] = preview.creates
    assert plan.fields["city"] is None and plan.fields["needs_review"]
    assert (plan.fields["lat"], plan.fields["lng"]) == TAIYUAN
