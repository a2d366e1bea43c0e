"""The museum directory, museum pages and editing: search, filters, permissions, uploads, history."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from bangfu.core.models import AuditEntry
from bangfu.museums.models import Museum

from .factories import make_museum

pytestmark = pytest.mark.django_db


def png_bytes(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


# --- directory ------------------------------------------------------------------------------------------


def test_pinyin_initials_find_the_shanxi_museum(client, world):
    body = client.get(reverse("museums:directory"), {"q": "sxbwy"}).content.decode()
    assert "山西博物院" in body and "安泽县博物馆" not in body


def test_full_pinyin_and_short_name_search(client, world):
    Museum.objects.filter(pk=world.helped_museum.pk).update(short_name="安泽博")
    world.helped_museum.refresh_from_db()
    world.helped_museum.save()
    assert "安泽县博物馆" in client.get(reverse("museums:directory"), {"q": "anze"}).content.decode()
    assert "安泽县博物馆" in client.get(reverse("museums:directory"), {"q": "安泽博"}).content.decode()


def test_changzhi_is_read_with_the_right_pinyin(client, db):
    make_museum("长治市博物馆", city="140400")
    assert "长治市博物馆" in client.get(reverse("museums:directory"), {"q": "czsbwg"}).content.decode()


def test_filters_by_city_grade_and_role(client, world):
    url = reverse("museums:directory")
    body = client.get(url, {"grade": "一级"}).content.decode()
    assert "山西博物院" in body and "安泽县博物馆" not in body
    linfen = world.helped_museum.city_id
    body = client.get(url, {"city": linfen}).content.decode()
    assert "安泽县博物馆" in body and "天镇县博物馆" not in body
    body = client.get(url, {"role": "helped"}).content.decode()
    assert "安泽县博物馆" in body and "山西博物院" not in body


def test_htmx_request_returns_only_the_results(client, world):
    response = client.get(reverse("museums:directory"), {"q": "安泽"}, headers={
        "HX-Request": "true", "HX-Target": "results"})
    body = response.content.decode()
    assert "安泽县博物馆" in body and "<html" not in body


def test_bad_filter_values_are_ignored_not_errors(client, world):
    response = client.get(reverse("museums:directory"), {"city": "abc", "grade": "五级", "page": "x", "sort": "?"})
    assert response.status_code == 200 and "山西博物院" in response.content.decode()


def test_directory_query_count_does_not_grow_with_museums(client, world):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("museums:directory"))
        return len(ctx.captured_queries)

    few = count_queries()
    for i in range(30):
        make_museum(f"增量博物馆{i}", county="140222")
    assert count_queries() == few


def test_directory_pages_by_twenty(client, world):
    for i in range(25):
        make_museum(f"分页博物馆{i:02d}", county="140222")
    response = client.get(reverse("museums:directory"), {"q": "分页"})
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.count == 25


def test_map_points_follow_the_filters(client, world):
    data = client.get(reverse("museums:points"), {"grade": "一级"}).json()
    assert [p["name"] for p in data["points"]] == ["山西博物院"]
    assert data["points"][0]["value"][0] > 110  # longitude first, as ECharts expects


# --- museum page ----------------------------------------------------------------------------------------


def test_museum_page_shows_profile_and_hides_contact_from_the_public(client, world):
    Museum.objects.filter(pk=world.helped_museum.pk).update(contact_person="杨帆", phone="0357-1234567")
    body = client.get(reverse("museums:detail", args=[world.helped_museum.pk])).content.decode()
    assert "安泽县博物馆" in body and "临汾市" in body
    assert "0357-1234567" not in body and "登录</a>后可见" in body


def test_signed_in_user_sees_contact_details(login, world):
    Museum.objects.filter(pk=world.helped_museum.pk).update(contact_person="杨帆", phone="0357-1234567")
    body = login(world.outsider).get(reverse("museums:detail", args=[world.helped_museum.pk])).content.decode()
    assert "0357-1234567" in body


def test_unknown_museum_is_404(client, world):
    assert client.get(reverse("museums:detail", args=[999999])).status_code == 404


def test_branches_are_listed_on_the_head_museum(client, world):
    branch = make_museum("北朝博物馆（山西博物院分馆）", city="140100", head=world.helper_museum)
    body = client.get(reverse("museums:detail", args=[world.helper_museum.pk])).content.decode()
    assert branch.name in body and "分馆" in body


# --- editing --------------------------------------------------------------------------------------------


def _profile_post(museum, **changes):
    data = {
        "short_name": museum.short_name, "address": museum.address, "contact_person": museum.contact_person,
        "phone": museum.phone, "email": museum.email, "website": museum.website,
        "introduction": museum.introduction, "free_admission": "on" if museum.free_admission else "",
        "collections": museum.collections, "precious_relics": museum.precious_relics,
        "exhibitions": museum.exhibitions, "education_activities": museum.education_activities,
        "visitors_10k": museum.visitors_10k, "staff_count": museum.staff_count or "",
    }
    data.update(changes)
    return data


def test_museum_staff_edit_their_museum_and_the_change_is_audited(login, world):
    client = login(world.helped_staff)
    museum = world.helped_museum
    response = client.post(reverse("museums:edit", args=[museum.pk]), _profile_post(museum, introduction="县域文物"))
    assert response.status_code == 302
    museum.refresh_from_db()
    assert museum.introduction == "县域文物"
    entry = AuditEntry.objects.for_object(museum).get(action="修改博物馆")
    assert entry.actor == world.helped_staff and entry.changes["introduction"] == ["", "县域文物"]


def test_outsider_cannot_edit_another_museum(login, world):
    client = login(world.outsider)
    museum = world.helped_museum
    url = reverse("museums:edit", args=[museum.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _profile_post(museum, introduction="篡改")).status_code == 403
    museum.refresh_from_db()
    assert museum.introduction == ""


def test_supervisor_reads_but_cannot_edit(login, world):
    client = login(world.province_supervisor)
    assert client.get(reverse("museums:detail", args=[world.helped_museum.pk])).status_code == 200
    assert client.get(reverse("museums:edit", args=[world.helped_museum.pk])).status_code == 403


def test_anonymous_edit_redirects_to_login(client, world):
    response = client.get(reverse("museums:edit", args=[world.helped_museum.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_bad_input_is_shown_next_to_the_field(login, world):
    client = login(world.helped_staff)
    museum = world.helped_museum
    response = client.post(reverse("museums:edit", args=[museum.pk]),
                           _profile_post(museum, collections="-5", email="not-an-email"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"collections", "email"}
    assert "invalid-feedback" in response.content.decode()


def test_museum_staff_cannot_change_registry_fields(login, world):
    client = login(world.helped_admin)
    museum = world.helped_museum
    client.post(reverse("museums:edit", args=[museum.pk]), _profile_post(museum, grade="一级", name="改名"))
    museum.refresh_from_db()
    assert museum.grade == "未定级" and museum.name == "安泽县博物馆"


def test_association_corrects_the_place_and_the_review_flag_clears(login, world):
    museum = make_museum("无名纪念馆", needs_review=True)
    assert museum.needs_review and museum.lat is None
    client = login(world.admin)
    county = world.helped_museum.county
    data = _profile_post(museum, name=museum.name, province="山西省", grade="未定级", ownership="国有",
                         sector="", tier="", city=county.parent_id, county=county.pk, programme_role="",
                         head="")
    response = client.post(reverse("museums:edit", args=[museum.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    museum.refresh_from_db()
    assert not museum.needs_review and museum.county == county
    assert (museum.lat, museum.lng) == (county.lat, county.lng)  # default position follows the place
    assert museum.tier == "县级" and museum.programme_role == "helped"


def test_association_assigns_the_programme_role_by_hand(login, world):
    client = login(world.admin)
    museum = world.other_museum
    data = _profile_post(museum, name=museum.name, province="山西省", grade=museum.grade, ownership="国有",
                         sector="", tier=museum.tier, city=museum.city_id, county=museum.county_id,
                         programme_role="both", head="")
    client.post(reverse("museums:edit", args=[museum.pk]), data)
    museum.refresh_from_db()
    assert museum.programme_role == "both" and museum.programme_role_manual


def test_county_from_another_city_is_refused(login, world):
    client = login(world.admin)
    museum = world.helped_museum
    data = _profile_post(museum, name=museum.name, province="山西省", grade=museum.grade, ownership="国有",
                         sector="", tier="", city=world.other_museum.city_id, county=museum.county_id,
                         programme_role="", head="")
    response = client.post(reverse("museums:edit", args=[museum.pk]), data)
    assert response.status_code == 400 and "不属于" in response.content.decode()


def test_museum_admin_marks_the_exact_position(login, world):
    client = login(world.helped_admin)
    client.post(reverse("museums:set_position", args=[world.helped_museum.pk]), {"lat": "36.1", "lng": "112.2"})
    world.helped_museum.refresh_from_db()
    assert (world.helped_museum.lat, world.helped_museum.lng) == (36.1, 112.2)
    assert world.helped_museum.position_precise


def test_staff_and_outsiders_cannot_set_the_position(login, world):
    url = reverse("museums:set_position", args=[world.helped_museum.pk])
    assert login(world.helped_staff).post(url, {"lat": "36.1", "lng": "112.2"}).status_code == 403
    assert login(world.outsider_admin).post(url, {"lat": "36.1", "lng": "112.2"}).status_code == 403


def test_position_out_of_range_is_a_400(login, world):
    response = login(world.admin).post(reverse("museums:set_position", args=[world.helped_museum.pk]),
                                       {"lat": "136", "lng": "112"})
    assert response.status_code == 400 and "lat" in response.json()["errors"]


def test_needs_and_offers_are_saved(login, world):
    client = login(world.helped_admin)
    client.post(reverse("museums:edit_areas", args=[world.helped_museum.pk]), {
        "need_conservation": "on", "need_text_conservation": "库房温湿度监测",
        "offer_education": "on", "offer_text_education": "乡土课程", "offer_capacity_education": "2",
    })
    areas = {(a.kind, a.area): a for a in world.helped_museum.areas.all()}
    assert areas[("need", "conservation")].text == "库房温湿度监测"
    assert areas[("offer", "education")].capacity == 2
    body = login(world.outsider).get(reverse("museums:detail", args=[world.helped_museum.pk])).content.decode()
    assert "库房温湿度监测" in body


def test_outsider_cannot_edit_needs(login, world):
    url = reverse("museums:edit_areas", args=[world.helped_museum.pk])
    assert login(world.outsider).post(url, {"need_research": "on"}).status_code == 403
    assert not world.helped_museum.areas.exists()


# --- photos and logo ------------------------------------------------------------------------------------


def test_photo_upload_stores_an_image_under_a_random_name(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.helped_staff)
    upload = SimpleUploadedFile("外景.png", png_bytes(), content_type="image/png")
    client.post(reverse("museums:photos", args=[world.helped_museum.pk]), {"image": upload, "caption": "外景"})
    photo = world.helped_museum.photos.get()
    assert photo.image.name.endswith(".png") and "外景" not in photo.image.name
    served = client.get(photo.image.url)
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"


def test_html_disguised_as_an_image_is_refused(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.helped_staff)
    upload = SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(reverse("museums:photos", args=[world.helped_museum.pk]), {"image": upload})
    assert response.status_code == 400
    assert not world.helped_museum.photos.exists()


def test_oversized_image_is_refused_with_a_message(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_IMAGE_MB = 0
    client = login(world.helped_staff)
    upload = SimpleUploadedFile("big.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("museums:photos", args=[world.helped_museum.pk]), {"image": upload})
    assert "图片不能超过" in response.content.decode()


def test_outsider_cannot_upload_or_delete_photos(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(world.helped_staff).post(reverse("museums:photos", args=[world.helped_museum.pk]), {
        "image": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")})
    photo = world.helped_museum.photos.get()
    client = login(world.outsider)
    assert client.post(reverse("museums:delete_photo", args=[world.helped_museum.pk, photo.pk])).status_code == 403
    assert client.get(reverse("museums:photos", args=[world.helped_museum.pk])).status_code == 403
    assert world.helped_museum.photos.exists()


def test_non_public_uploads_are_never_served(client, world):
    assert client.get("/media/imports/secret.csv").status_code == 404
    assert client.get("/media/museums/photos/../../settings.py").status_code == 404


# --- history and review ---------------------------------------------------------------------------------


def test_only_the_association_and_the_museums_admin_see_its_history(login, world):
    url = reverse("museums:history", args=[world.helped_museum.pk])
    assert "创建博物馆" in login(world.admin).get(url).content.decode()
    assert login(world.helped_staff).get(url).status_code == 403
    assert login(world.province_supervisor).get(url).status_code == 403


def test_history_page_lists_changes_for_the_association_only(login, world):
    assert "创建账号" in login(world.admin).get(reverse("history")).content.decode()
    assert login(world.helped_admin).get(reverse("history")).status_code == 403
    assert login(world.outsider).get(reverse("history")).status_code == 403


def test_review_list_shows_museums_without_a_place(login, world):
    make_museum("地点不明纪念馆")
    body = login(world.admin).get(reverse("museums:review")).content.decode()
    assert "地点不明纪念馆" in body and "安泽县博物馆" not in body
    assert login(world.helped_admin).get(reverse("museums:review")).status_code == 403


def test_position_typed_in_the_edit_form_is_validated_with_the_rest(login, world):
    client = login(world.helped_admin)
    museum = world.helped_museum
    data = _profile_post(museum, introduction="新简介", **{"pos-changed": "1", "pos-lat": "95", "pos-lng": "112"})
    response = client.post(reverse("museums:edit", args=[museum.pk]), data)
    assert response.status_code == 400 and "id_pos-lat_errors" in response.content.decode()
    museum.refresh_from_db()
    assert museum.introduction == "" and not museum.position_precise  # nothing saved
    data.update({"pos-lat": "36.2"})
    client.post(reverse("museums:edit", args=[museum.pk]), data)
    museum.refresh_from_db()
    assert museum.introduction == "新简介" and museum.lat == 36.2 and museum.position_precise



def test_pagination_links_pages_around_the_current_one_with_ellipses():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    page = Paginator(range(7000), 20).get_page(100)
    request = RequestFactory().get("/museums/", {"q": "县"})
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert 'aria-current="page"><span class="page-link">100</span>' in html
    assert html.count("…") == 2 and "page=350" in html and "page=98" in html and "page=50" not in html


def test_option_lists_escape_names_and_mark_the_chosen_one():
    from bangfu.core.templatetags.bf import options

    html = options([(1, "甲馆"), (2, "<b>乙馆</b>")], "2")
    assert html == '<option value="1">甲馆</option><option value="2" selected>&lt;b&gt;乙馆&lt;/b&gt;</option>'
