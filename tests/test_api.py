"""The public JSON API: divisions, museums, experts, errors, query counts, docs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.api.services import token_create
from bangfu.experts.services import expert_create
from bangfu.museums.services import museum_set_areas, museum_update

from .factories import division, make_museum, make_user

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def museums():
    """A provincial helper with a branch and needs/offers, two county museums and a private one."""
    shanbo = make_museum("山西博物院", short_name="晋博", city="140100", county="140109", grade="一级",
                         contact_person="王老师", phone="0351-8789555", email="info@shanximuseum.com",
                         visitors_10k=300, collections=500000)
    anze = make_museum("安泽县博物馆", county="141026", grade="三级", visitors_10k=2, collections=3000)
    tianzhen = make_museum("天镇县博物馆", county="140222", visitors_10k=5, collections=800)
    private = make_museum("大同市民俗博物馆", city="140200", ownership="非国有", collections=100)
    branch = make_museum("山西博物院青铜博物馆", city="140100", county="140109")
    museum_update(museum=branch, by=None, data={"head": shanbo})
    museum_set_areas(museum=shanbo, by=None, kind="offer",
                     items={"conservation": {"text": "青铜器修复", "capacity": 3}})
    museum_set_areas(museum=anze, by=None, kind="need", items={"exhibition": {"text": "基本陈列改造"}})
    return {"shanbo": shanbo, "anze": anze, "tianzhen": tianzhen, "private": private, "branch": branch}


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


# --- divisions ---------------------------------------------------------------------------------------------


def test_divisions_list_filters_by_level_and_parent(client):
    division("140000")  # loads the reference data
    cities = client.get("/api/divisions", {"level": "city"}).json()
    assert cities["count"] == 11 and len(cities["items"]) == 11
    taiyuan = next(d for d in cities["items"] if d["code"] == "140100")
    assert taiyuan == {"code": "140100", "name": "太原市", "level": "city", "kind": "地级市", "parent": "140000",
                       "lng": pytest.approx(112.316018), "lat": pytest.approx(37.959023)}
    counties = client.get("/api/divisions", {"parent": "140100"}).json()
    assert counties["count"] == 10
    assert {d["parent"] for d in counties["items"]} == {"140100"}


def test_division_detail_and_unknown_code(client):
    division("140000")
    assert client.get("/api/divisions/141026").json()["name"] == "安泽县"
    response = client.get("/api/divisions/999999")
    assert response.status_code == 404
    assert "999999" in response.json()["detail"]


# --- museums -----------------------------------------------------------------------------------------------


def test_museum_list_answers_items_and_count_with_places_and_role(client, museums):
    body = client.get("/api/museums").json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 5
    shanbo = next(m for m in body["items"] if m["id"] == museums["shanbo"].pk)
    assert shanbo["city"] == "太原市" and shanbo["city_code"] == "140100"
    assert shanbo["county"] == "万柏林区" and shanbo["county_code"] == "140109"
    assert shanbo["programme_role"] == "helper" and shanbo["programme_role_label"] == "帮扶方"
    assert shanbo["grade"] == "一级" and shanbo["tier"] and shanbo["lat"] and shanbo["lng"]
    assert "phone" not in shanbo and "contact" not in shanbo


def test_pinyin_initials_full_pinyin_and_short_name_find_shanxi_museum(client, museums):
    for q in ("sxbwy", "shanxibowuyuan", "晋博", "山西博物院"):
        assert "山西博物院" in names(client.get("/api/museums", {"q": q})), q
    assert "安泽县博物馆" not in names(client.get("/api/museums", {"q": "sxbwy"}))


def test_museum_list_filters_by_place_grade_ownership_and_role(client, museums):
    assert names(client.get("/api/museums", {"county": "141026"})) == ["安泽县博物馆"]
    assert set(names(client.get("/api/museums", {"city": "140200"}))) == {"天镇县博物馆", "大同市民俗博物馆"}
    assert names(client.get("/api/museums", {"grade": "三级"})) == ["安泽县博物馆"]
    assert names(client.get("/api/museums", {"ownership": "非国有"})) == ["大同市民俗博物馆"]
    assert names(client.get("/api/museums", {"role": "helper"})) == ["山西博物院"]
    assert "大同市民俗博物馆" not in names(client.get("/api/museums", {"role": "helped"}))
    assert client.get("/api/museums", {"province": "河北省"}).json() == {"items": [], "count": 0}


def test_museum_list_orders_and_paginates(client, museums):
    by_visitors = names(client.get("/api/museums", {"ordering": "-visitors"}))
    assert by_visitors[:3] == ["山西博物院", "天镇县博物馆", "安泽县博物馆"]
    page = client.get("/api/museums", {"ordering": "-collections", "limit": 2, "offset": 1}).json()
    assert page["count"] == 5
    assert [m["name"] for m in page["items"]] == ["安泽县博物馆", "天镇县博物馆"]
    assert names(client.get("/api/museums", {"ordering": "grade"}))[0] == "山西博物院"


def test_museum_list_shows_twenty_by_default(client):
    for _ in range(25):
        make_museum()
    body = client.get("/api/museums").json()
    assert body["count"] == 25 and len(body["items"]) == 20


def test_museum_detail_has_needs_offers_head_and_branches(client, museums):
    shanbo = client.get(f"/api/museums/{museums['shanbo'].pk}").json()
    assert shanbo["offers"] == [{"area": "conservation", "area_label": "文物保护", "text": "青铜器修复", "capacity": 3}]
    assert shanbo["needs"] == []
    assert shanbo["branch_ids"] == [museums["branch"].pk]
    assert shanbo["head"] is None
    branch = client.get(f"/api/museums/{museums['branch'].pk}").json()
    assert branch["head"] == {"id": museums["shanbo"].pk, "name": "山西博物院"}
    anze = client.get(f"/api/museums/{museums['anze'].pk}").json()
    assert anze["needs"][0]["area_label"] == "展览策划"


def test_unknown_museum_is_a_json_404_in_chinese(client):
    response = client.get("/api/museums/987654")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


# --- contact details -----------------------------------------------------------------------------------------


def test_anonymous_visitor_gets_no_contact_details(client, museums):
    assert client.get(f"/api/museums/{museums['shanbo'].pk}").json()["contact"] is None


def test_token_holder_gets_contact_details(client, museums):
    _, raw = token_create(user=make_user("expert"), name="同步")
    contact = client.get(f"/api/museums/{museums['shanbo'].pk}", **bearer(raw)).json()["contact"]
    assert contact == {"contact_person": "王老师", "phone": "0351-8789555", "email": "info@shanximuseum.com"}


def test_signed_in_user_gets_contact_details(login, museums):
    client = login(make_user("museum_staff", museum=museums["anze"]))
    assert client.get(f"/api/museums/{museums['shanbo'].pk}").json()["contact"]["phone"] == "0351-8789555"


# --- experts -------------------------------------------------------------------------------------------------


@pytest.fixture
def experts(museums):
    bronze = expert_create(by=None, name="张青铜", organisation="山西博物院", museum=museums["shanbo"],
                           title="研究馆员", tags="青铜器修复, 金属文物", areas=["conservation"],
                           regions=[division("140100")], phone="13800000000", email="zhang@example.com")
    teacher = expert_create(by=None, name="李社教", organisation="临汾市博物馆", areas=["education", "people"])
    expert_create(by=None, name="王退休", organisation="某馆", is_active=False)
    return {"bronze": bronze, "teacher": teacher}


def test_expert_list_filters_by_keyword_area_and_region(client, experts):
    body = client.get("/api/experts").json()
    assert body["count"] == 2
    bronze = next(e for e in body["items"] if e["name"] == "张青铜")
    assert bronze["areas"] == [{"code": "conservation", "label": "文物保护"}]
    assert bronze["tags"] == ["青铜器修复", "金属文物"]
    assert bronze["regions"] == [{"code": "140100", "name": "太原市"}]
    assert names(client.get("/api/experts", {"q": "青铜"})) == ["张青铜"]
    assert names(client.get("/api/experts", {"area": "education"})) == ["李社教"]
    # 李社教 has no regions: the whole province, so he also serves 大同.
    assert names(client.get("/api/experts", {"region": "140200"})) == ["李社教"]
    assert set(names(client.get("/api/experts", {"region": "140100"}))) == {"张青铜", "李社教"}


def test_expert_detail_shows_contact_only_to_signed_in_users(client, login, experts):
    url = f"/api/experts/{experts['bronze'].pk}"
    anonymous = client.get(url).json()
    assert anonymous["contact"] is None and anonymous["museum"]["name"] == "山西博物院"
    signed_in = login(make_user("expert")).get(url).json()
    assert signed_in["contact"] == {"phone": "13800000000", "email": "zhang@example.com"}


def test_inactive_expert_is_not_found(client, experts):
    from bangfu.experts.models import Expert

    retired = Expert.objects.get(name="王退休")
    assert client.get(f"/api/experts/{retired.pk}").status_code == 404


# --- errors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"limit": "abc"}, "limit", "必须是整数"),
    ({"limit": "100000"}, "limit", "不能大于 200"),
    ({"limit": "0"}, "limit", "不能小于 1"),
    ({"offset": "-1"}, "offset", "不能小于 0"),
    ({"city": "taiyuan"}, "city", "格式不正确"),
    ({"grade": "五级"}, "grade", "取值必须是"),
    ({"ordering": "id"}, "ordering", "取值必须是"),
    ({"needs_review": "maybe"}, "needs_review", "必须是 true 或 false"),
])
def test_bad_query_parameters_get_a_readable_422(client, params, field, message):
    response = client.get("/api/museums", params)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert message in body["errors"][0]["message"]
    assert body["detail"].startswith("参数有误：")


def test_bad_division_level_is_422(client):
    response = client.get("/api/divisions", {"level": "village"})
    assert response.status_code == 422
    assert "province" in response.json()["detail"]


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_path_is_a_json_404(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "没有这个接口地址，请查看 /api/docs 中的接口列表。"


def test_non_numeric_museum_id_is_a_404_not_a_500(client):
    assert client.get("/api/museums/abc").status_code == 404


# --- query counts --------------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"limit": 200}).status_code == 200
    return len(ctx)


def test_museum_list_query_count_does_not_grow_with_rows(client):
    for i in range(5):
        make_museum(county="141026" if i % 2 else None, city="140100" if not i % 2 else None)
    few = count_queries(client, "/api/museums")
    for i in range(25):
        make_museum(county="140222" if i % 2 else None, city="140200" if not i % 2 else None)
    assert count_queries(client, "/api/museums") == few


def test_expert_list_query_count_does_not_grow_with_rows(client):
    def add(n):
        for i in range(n):
            expert_create(by=None, name=f"专家{i}", organisation="馆", areas=["loan", "research"],
                          regions=[division("140100"), division("140200")], tags="甲, 乙")

    add(5)
    few = count_queries(client, "/api/experts")
    add(25)
    assert count_queries(client, "/api/experts") == few


# --- documentation -------------------------------------------------------------------------------------------


def test_openapi_schema_loads_with_chinese_titles(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "山西省博物馆帮扶信息平台 API"
    assert schema["paths"]["/api/museums"]["get"]["summary"] == "博物馆列表"
    assert "/api/me" in schema["paths"]


def test_docs_page_renders(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "swagger" in response.content.decode().lower()
