"""The object registry's pages: my museum's list (filters, counts per grade, htmx fragment, query count), the form
with its errors, the object's page with photos, the offered objects, and who sees what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bangfu.core.models import Attachment
from bangfu.objects.models import CollectionObject
from bangfu.objects.services import object_create

pytestmark = pytest.mark.django_db


def make(world, number, *, museum=None, by=None, **values):
    fields = {"name": f"藏品{number}", "material": "铜", "category": "铜器", "has_record": True} | values
    return object_create(museum=museum or world.helper_museum, by=by or world.helper_staff,
                         registration_number=number, **fields)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_list_shows_my_museums_objects_and_counts_per_grade(world, login):
    make(world, "SX-1", name="晋侯鸟尊", grade="一级")
    make(world, "SX-2", name="彩绘陶鹰", grade="二级", material="陶", category="陶器")
    make(world, "AZ-1", museum=world.helped_museum, by=world.helped_staff, name="安泽铜戈")
    response = login(world.helper_staff).get(reverse("objects:list"))
    html = response.content.decode()
    assert "晋侯鸟尊" in html and "彩绘陶鹰" in html and "安泽铜戈" not in html
    counts = {c["grade"]: c["count"] for c in response.context["counts"]}
    assert counts["一级"] == 1 and counts["二级"] == 1 and counts["三级"] == 0


@pytest.mark.parametrize(("query", "expected"), [
    ({"grade": "一级"}, {"晋侯鸟尊"}),
    ({"category": "陶器"}, {"彩绘陶鹰"}),
    ({"condition": "under_treatment"}, {"匽侯铜盂"}),
    ({"offered": "yes"}, {"晋侯鸟尊"}),
    ({"q": "SX-2"}, {"彩绘陶鹰"}),
    ({"q": "铜盂"}, {"匽侯铜盂"}),
    ({"grade": "not-a-grade", "page": "９９"}, {"晋侯鸟尊", "彩绘陶鹰", "匽侯铜盂"}),
])
def test_the_list_filters(world, login, query, expected):
    make(world, "SX-1", name="晋侯鸟尊", grade="一级", offered=True)
    make(world, "SX-2", name="彩绘陶鹰", grade="二级", material="陶", category="陶器")
    make(world, "SX-3", name="匽侯铜盂", condition="under_treatment")
    response = login(world.helper_staff).get(reverse("objects:list"), query, HTTP_HX_REQUEST="true",
                                             HTTP_HX_TARGET="results")
    assert {o.name for o in response.context["page"].object_list} == expected
    assert "<html" not in response.content.decode()  # the fragment only


def test_the_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.helper_staff)
    for n in range(3):
        make(world, f"A-{n}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("objects:list"))
    for n in range(30):
        make(world, f"B-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("objects:list"))


def test_the_offered_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.outsider)
    for n in range(3):
        make(world, f"A-{n}", offered=True)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("objects:offered"))
    for n in range(30):
        make(world, f"B-{n}", offered=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("objects:offered"))


def test_association_and_supervisors_have_no_own_list(world, login):
    assert login(world.admin).get(reverse("objects:list")).status_code == 403


def test_the_form_registers_an_object_and_shows_errors_beside_fields(world, login):
    client = login(world.helper_staff)
    make(world, "SX-1")
    response = client.post(reverse("objects:create"), {
        "name": "", "registration_number": "SX-1", "grade": "一级", "category": "铜器", "material": "铜",
        "quantity": "0", "condition": "good", "insurance_value": "-1"})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"name", "quantity", "insurance_value"} <= set(form.errors)
    response = client.post(reverse("objects:create"), {
        "name": "晋侯鸟尊", "registration_number": "SX-1", "grade": "一级", "category": "铜器", "material": "铜",
        "quantity": "1", "condition": "good"})
    assert response.status_code == 400 and "SX-1" in response.context["form"].errors["registration_number"][0]
    response = client.post(reverse("objects:create"), {
        "name": "晋侯鸟尊", "registration_number": "SX-2", "grade": "一级", "category": "铜器", "material": "铜",
        "quantity": "１", "condition": "good", "has_record": "on", "offered": "on", "insurance_value": "500000000"})
    obj = CollectionObject.objects.get(registration_number="SX-2")
    assert response.status_code == 302 and obj.offered and obj.has_record and obj.quantity == 1


def test_the_edit_form_changes_the_object(world, login):
    obj = make(world, "SX-1")
    client = login(world.helper_admin)
    page = client.get(reverse("objects:edit", args=[obj.pk]))
    assert "在册" in page.content.decode()
    response = client.post(reverse("objects:edit", args=[obj.pk]), {
        "name": "晋侯鸟尊", "registration_number": "SX-1", "grade": "一级", "category": "铜器", "material": "铜",
        "quantity": "1", "condition": "under_treatment", "is_active": "on"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.name == "晋侯鸟尊" and obj.condition == "under_treatment"


def test_the_detail_page_shows_fields_photos_and_the_phone_camera_upload(world, login):
    obj = make(world, "SX-1", name="晋侯鸟尊", era="西周", insurance_value=500000000)
    client = login(world.helper_staff)
    response = client.post(reverse("objects:photo_add", args=[obj.pk]),
                           {"file": SimpleUploadedFile("bird.png", png()), "caption": "正面"})
    assert response.status_code == 302
    photo = Attachment.objects.get()
    html = client.get(reverse("objects:detail", args=[obj.pk])).content.decode()
    assert "西周" in html and 'capture="environment"' in html and 'accept="image/*"' in html
    assert reverse("attachment", args=[photo.pk]) in html and "500,000,000" in html
    client.post(reverse("attachment_remove", args=[photo.pk]))
    assert not Attachment.objects.exists()


def test_a_bad_photo_is_refused_beside_the_field(world, login):
    obj = make(world, "SX-1")
    response = login(world.helper_staff).post(reverse("objects:photo_add", args=[obj.pk]),
                                              {"file": SimpleUploadedFile("x.png", b"not an image")})
    assert response.status_code == 400 and response.context["photo_form"].errors["file"]


def test_an_outsider_cannot_see_an_object_that_is_not_offered(world, login):
    private = make(world, "SX-1")
    client = login(world.outsider)
    assert client.get(reverse("objects:detail", args=[private.pk])).status_code == 404
    assert client.get(reverse("objects:edit", args=[private.pk])).status_code == 404


def test_an_offered_object_is_visible_but_not_editable_for_outsiders(world, login):
    offered = make(world, "SX-1", offered=True, insurance_value=1234567)
    client = login(world.outsider)
    html = client.get(reverse("objects:detail", args=[offered.pk])).content.decode()
    assert "藏品SX-1" in html and "1,234,567" not in html  # the value is the museum's business
    assert client.get(reverse("objects:edit", args=[offered.pk])).status_code == 403


def test_only_the_museums_own_staff_see_an_object_that_is_not_offered(world, login):
    private = make(world, "SX-1")
    url = reverse("objects:detail", args=[private.pk])
    for user in (world.province_supervisor, world.city_supervisor, world.admin, world.helped_staff):
        assert login(user).get(url).status_code == 404, user
    assert "藏品SX-1" in login(world.helper_staff).get(url).content.decode()
    private.offered = True
    private.save()
    assert login(world.province_supervisor).get(url).status_code == 200


def test_the_offered_page_lists_other_museums_offered_objects_only(world, login):
    make(world, "SX-1", name="晋侯鸟尊", offered=True)
    make(world, "SX-2", name="赵卿墓鸟尊")
    make(world, "AZ-1", museum=world.helped_museum, by=world.helped_staff, name="安泽铜戈", offered=True)
    html = login(world.helped_staff).get(reverse("objects:offered")).content.decode()
    assert "晋侯鸟尊" in html and "赵卿墓鸟尊" not in html and "安泽铜戈" not in html  # not their own
    response = login(world.helped_staff).get(reverse("objects:offered"), {"museum": world.helper_museum.pk,
                                                                          "material": "铜"})
    assert [o.name for o in response.context["page"].object_list] == ["晋侯鸟尊"]
