"""Forms show every error beside its field at once, in natural Chinese: placeholders, numbers, lengths, the terms of
pairings and agreements, and the account form's fields by role."""

import datetime
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.agreements.services import agreement_create, agreement_update
from bangfu.core.dates import years_later
from bangfu.core.forms import LINE_MAX_LENGTH, TEXT_MAX_LENGTH, FormMixin
from bangfu.pairings.services import pairing_create

from .factories import make_agreement
from .test_museum_pages import _profile_post

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DJANGO_WORDING = ("---------", "9223372036854775807", "2147483647", "确保该值", "确认总共不超过", "这个字段是必填项",
                  "个数字", "输入整数", "输入一个数字")


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def assert_natural(html: str) -> None:
    for words in DJANGO_WORDING:
        assert words not in html, words


@pytest.fixture
def pairing(world):
    return pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                          start_date=days(-90), end_date=days(700))


# --- the mixin ---------------------------------------------------------------------------------------------------


class _Sample(FormMixin, forms.Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    short = forms.CharField(widget=forms.Textarea)
    count = forms.IntegerField()
    amount = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])
    text_limits = {"short": 20}


def test_the_mixin_gives_every_text_a_limit_and_every_number_bounds():
    form = _Sample(data={"name": "x" * (LINE_MAX_LENGTH + 1), "note": "y" * (TEXT_MAX_LENGTH + 1), "short": "z" * 21,
                         "count": "99999999999999999999", "amount": "12345.678", "kind": "b"})
    assert not form.is_valid()
    assert form.errors["name"] == [f"不能超过 {LINE_MAX_LENGTH} 个字（现在是 {LINE_MAX_LENGTH + 1} 个）。"]
    assert form.errors["note"] == [f"不能超过 {TEXT_MAX_LENGTH} 个字（现在是 {TEXT_MAX_LENGTH + 1} 个）。"]
    assert form.errors["short"] == ["不能超过 20 个字（现在是 21 个）。"]
    assert form.errors["count"] == ["请输入不超过 1,000,000,000 的整数。"]
    assert set(form.errors["amount"]) == {"请输入不超过 999.99 的数。", "最多保留 2 位小数。"}
    assert form.errors["kind"] == ["请从列表中选择。"]
    assert 'maxlength="20"' in str(form["short"]) and "请选择…" in str(form["kind"])
    empty = _Sample(data={})
    assert not empty.is_valid()
    assert empty.errors["name"] == ["请填写此项。"] and empty.errors["kind"] == ["请选择此项。"]
    assert _Sample(data={"count": "-5", "amount": "-1"}).errors["amount"] == ["请输入不小于 0 的数。"]


def test_messages_a_form_wrote_itself_are_kept():
    class Own(FormMixin, forms.Form):
        name = forms.CharField(error_messages={"required": "请填写姓名。"})

    assert Own(data={}).errors["name"] == ["请填写姓名。"]


# --- placeholders and Django's own messages on the pages -----------------------------------------------------------


def test_selects_say_please_choose_not_dashes(world, login, pairing):
    client = login(world.admin)
    agreement_create(pairing=pairing, by=world.admin)
    for url in (reverse("museums:edit", args=[world.helped_museum.pk]), reverse("accounts:user_create"),
                reverse("experts:create"), reverse("agreements:task_create", args=[pairing.pk]),
                reverse("agreements:edit", args=[pairing.pk])):
        html = client.get(url).content.decode()
        assert "---------" not in html, url
        assert "请选择…" in html, url


def test_huge_numbers_are_refused_in_plain_chinese(world, login):
    museum = world.helped_museum
    response = login(world.helped_staff).post(reverse("museums:edit", args=[museum.pk]), _profile_post(
        museum, collections="9" * 25, staff_count="99999999999999999999", visitors_10k="9" * 20))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "数值过大" in errors["collections"][0] and "数值过大" in errors["staff_count"][0]
    assert "数值过大" in errors["visitors_10k"][0]
    assert_natural(response.content.decode())


def test_a_tasks_planned_figures_are_refused_in_plain_chinese(world, login, pairing):
    agreement_create(pairing=pairing, by=world.admin)
    response = login(world.helper_staff).post(reverse("agreements:task_create", args=[pairing.pk]), {
        "title": "培训", "area": "people", "owner_side": "helper", "due_date": days(30).isoformat(),
        "people_trained": "99999999999999999999", "days": "123456789", "object_count": "0", "visitors": "0",
        "money_yuan": "9" * 20, "description": "说" * 2001})
    assert response.status_code == 400
    errors = response.context["form"].errors
    # the association's limits, said as the services say them (their bounds are the inputs' max too)
    assert errors["people_trained"][0].startswith("培训人数不能超过 10,000 人次")
    assert errors["days"][0].startswith("帮扶天数不能超过 3,650 天")
    assert errors["money_yuan"][0].startswith("投入金额不能超过 100,000,000 元")
    assert errors["description"] == ["不能超过 2000 个字（现在是 2001 个）。"]
    assert_natural(response.content.decode())


def test_long_texts_have_limits(world, login):
    response = login(world.admin).post(reverse("experts:create"), {
        "name": "冯雅琴", "organisation": "山西考古研究院", "areas": ["conservation"], "bio": "长" * 2001})
    assert response.context["form"].errors["bio"] == ["不能超过 2000 个字（现在是 2001 个）。"]


# --- every error beside its field, at once: the agreement ----------------------------------------------------


def _agreement_post(agreement, task, **changes):
    data = {
        "title": agreement.title, "term_start": agreement.term_start, "term_end": agreement.term_end,
        "background": "", "deliverables": "", "goal-people": "培养县馆业务骨干",
        "task-TOTAL_FORMS": "1", "task-INITIAL_FORMS": "1", "task-MIN_NUM_FORMS": "0", "task-MAX_NUM_FORMS": "1000",
        "task-0-id": str(task.pk), "task-0-title": task.title, "task-0-area": task.area,
        "task-0-owner_side": task.owner_side, "task-0-due_date": task.due_date, "task-0-ledger_kind": "",
    }
    return data | changes


def test_the_agreement_form_shows_every_refusal_of_the_service_beside_its_field(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": days(30)}], confirmed=False)
    task = agreement.tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:edit", args=[agreement.pairing_id]), _agreement_post(
        agreement, task, term_end=years_later(agreement.term_start, 12),
        **{"task-0-responsible": str(world.helped_staff.pk)}))  # the helped side's staff on a helper task
    assert response.status_code == 400
    form, row = response.context["form"], response.context["formset"].forms[0]
    assert "期限最长 10 年" in form.errors["term_end"][0]
    assert "负责人应为负责方" in row.errors["responsible"][0]
    assert not form.non_field_errors()
    html = response.content.decode()
    assert "期限最长 10 年" in html and "负责人应为负责方" in html


def test_a_due_date_outside_the_term_is_shown_on_its_row(world, login):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": days(30)}], confirmed=False)
    task = agreement.tasks.get()
    response = login(world.helper_staff).post(reverse("agreements:edit", args=[agreement.pairing_id]),
                                              _agreement_post(agreement, task, **{"task-0-due_date": days(5000)}))
    assert response.status_code == 400
    row = response.context["formset"].forms[0]
    assert "截止日期应在协议期限" in row.errors["due_date"][0]
    assert not response.context["form"].non_field_errors()
    task.refresh_from_db()
    assert task.due_date == days(30)


def test_the_service_reports_every_problem_of_an_agreement_at_once(world, pairing):
    agreement = agreement_create(pairing=pairing, by=world.admin)
    with pytest.raises(ValidationError) as caught:
        agreement_update(agreement=agreement, by=world.admin, data={"title": "", "term_end": days(5000)},
                         goals={"people": "x"}, tasks=[
                             {"title": "", "area": "people", "due_date": days(10)},
                             {"title": "巡展", "area": "nowhere", "due_date": days(20)}])
    errors = caught.value.message_dict
    assert {"title", "term_end", "tasks.0.title", "tasks.1.area"} <= set(errors)
    assert not agreement.tasks.exists()


# --- terms of pairings and agreements ----------------------------------------------------------------------------


def test_a_pairing_term_is_at_most_ten_years_and_starts_at_most_a_year_ago(world, login):
    with pytest.raises(ValidationError) as caught:
        pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                       start_date=years_later(TODAY, -2), end_date=years_later(TODAY, 9))
    assert set(caught.value.message_dict) == {"start_date"}  # nothing is derived from a refused start
    assert "一年以前" in caught.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as caught:
        pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                       start_date=TODAY, end_date=years_later(TODAY, 11))
    assert "期限最长 10 年" in caught.value.message_dict["end_date"][0]
    response = login(world.admin).post(reverse("pairings:create"), {
        "helper": world.helper_museum.pk, "helped": world.helped_museum.pk, "kind": "one_to_one",
        "start_date": TODAY.isoformat(), "end_date": years_later(TODAY, 10).isoformat() + "x"})
    assert response.context["form"].errors["end_date"] == ["日期格式应为 2026-01-31。"]
    response = login(world.admin).post(reverse("pairings:create"), {
        "helper": world.helper_museum.pk, "helped": world.helped_museum.pk, "kind": "one_to_one",
        "start_date": years_later(TODAY, -3).isoformat(), "end_date": years_later(TODAY, 30).isoformat()})
    errors = response.context["form"].errors
    assert "一年以前" in errors["start_date"][0] and "end_date" not in errors
    ten_years = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                               start_date=TODAY, end_date=years_later(TODAY, 10))
    assert ten_years.pk


def test_an_agreement_term_may_follow_an_old_pairing_but_not_be_moved_long_into_the_past(world, pairing):
    agreement = agreement_create(pairing=pairing, by=world.admin)  # the pairing started 90 days ago
    with pytest.raises(ValidationError) as caught:
        agreement_update(agreement=agreement, by=world.admin, data={"term_start": years_later(TODAY, -3)})
    assert "一年以前" in caught.value.message_dict["term_start"][0]
    agreement_update(agreement=agreement, by=world.admin, data={"term_start": days(-30)})


# --- the account form by role ------------------------------------------------------------------------------------


def test_the_account_form_shows_only_the_fields_of_the_chosen_role(world, login):
    client = login(world.admin)
    html = client.get(reverse("accounts:user_create")).content.decode()
    assert 'data-show-for="role:museum_admin,museum_staff,expert">' in html  # museum: shown for a museum role
    assert 'data-show-for="role:supervisor" hidden>' in html  # jurisdiction: hidden until the role is supervisor
    assert "js/forms.js" in html
    supervisor = client.get(reverse("accounts:user_edit", args=[world.city_supervisor.pk])).content.decode()
    assert 'data-show-for="role:museum_admin,museum_staff,expert" hidden>' in supervisor
    assert 'data-show-for="role:supervisor">' in supervisor


def test_the_account_form_requires_what_the_role_uses_and_drops_the_rest(world, login):
    client = login(world.admin)
    response = client.post(reverse("accounts:user_create"), {
        "username": "sup", "full_name": "王", "email": "w@example.org", "role": "supervisor",
        "museum": world.helped_museum.pk})
    assert "主管单位必须设置管辖范围" in response.context["form"].errors["jurisdiction"][0]
    assert 'data-show-for="role:supervisor">' in response.content.decode()  # shown, with its error
    response = client.post(reverse("accounts:user_create"), {
        "username": "sup", "full_name": "王", "email": "w@example.org", "role": "supervisor",
        "museum": world.helped_museum.pk, "jurisdiction": world.city_supervisor.jurisdiction_id})
    assert response.status_code == 302
    created = User.objects.get(username="sup")
    assert created.museum is None and created.jurisdiction == world.city_supervisor.jurisdiction


def test_the_role_script_is_a_static_file_without_inline_code():
    script = Path(settings.BASE_DIR) / "bangfu" / "static" / "js" / "forms.js"
    assert "data-show-for" in script.read_text(encoding="utf-8")
    template = (Path(settings.BASE_DIR) / "bangfu" / "accounts" / "templates" / "accounts" / "user_form.html")
    assert "<script>" not in template.read_text(encoding="utf-8")
