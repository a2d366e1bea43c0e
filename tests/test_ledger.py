"""The assistance ledger: recording, the other side's confirmation, the filtered page with totals and chart, the
Excel export, private evidence, and who sees what."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bangfu.accounts.models import system_user
from bangfu.ledger.models import Confirmation, LedgerEntry
from bangfu.ledger.services import ledger_confirm, ledger_record
from bangfu.notifications.models import Notification
from bangfu.pairings.services import pairing_create

from .factories import make_museum

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)



def record(world, *, by=None, helper=None, helped=None, **fields):
    """An entry through the service; by the association (so it counts at once) unless `by` is given."""
    values = {"area": "people", "kind": "培训", "date": DAY, "description": "文物修复培训班"} | fields
    if not set(fields) & {"people_trained", "days", "object_count", "visitors", "money_yuan"}:
        values["days"] = 1  # a manual entry counts something
    return ledger_record(by=by or world.admin, helper=helper or world.helper_museum,
                         helped=helped or world.helped_museum, **values)


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 sign-in sheet")


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


# --- recording and confirming ----------------------------------------------------------------------------


def test_a_museums_entry_waits_for_the_other_side_which_is_told(world, django_capture_on_commit_callbacks):
    with_email(world.helped_admin)
    with django_capture_on_commit_callbacks(execute=True):
        entry = record(world, by=world.helper_staff)
    assert entry.confirmation == Confirmation.PENDING and entry.recorded_side == "helper"
    told = set(Notification.objects.filter(key=f"ledger-confirm-{entry.pk}").values_list("user__username", flat=True))
    assert told == {"helped_admin", "helped_staff"}
    assert [m.to for m in mail.outbox] == [["helped_admin@example.org"]]
    assert "请确认" in mail.outbox[0].subject


def test_the_associations_entries_and_module_entries_count_at_once(world):
    assert record(world).confirmation == Confirmation.CONFIRMED
    from_module = record(world, by=world.helper_staff, source_type="agreements.task", source_id=7,
                         source_label="协议任务：修复培训")
    assert from_module.confirmation == Confirmation.CONFIRMED
    assert not Notification.objects.exists()


def test_the_other_side_confirms_and_the_recorder_hears_of_it(world):
    entry = record(world, by=world.helped_staff)
    ledger_confirm(entry=entry, by=world.helper_admin, accept=True)
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.CONFIRMED and entry.confirmed_by == world.helper_admin
    assert Notification.objects.filter(user=world.helped_staff, key=f"ledger-confirmed-{entry.pk}").exists()


def test_the_recording_side_cannot_confirm_its_own_entry(world, login):
    entry = record(world, by=world.helper_staff)
    with pytest.raises(PermissionDenied):
        ledger_confirm(entry=entry, by=world.helper_admin, accept=True)
    client = login(world.helper_admin)
    assert "confirm-box" not in client.get(reverse("ledger:detail", args=[entry.pk])).content.decode()
    response = client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "accept"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.PENDING


def test_the_other_sides_staff_confirm_through_the_page(world, login):
    entry = record(world, by=world.helper_staff)
    client = login(world.helped_staff)
    assert "confirm-box" in client.get(reverse("ledger:detail", args=[entry.pk])).content.decode()
    response = client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "accept"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.CONFIRMED and entry.confirmed_by == world.helped_staff


def test_a_second_confirmation_says_why_it_is_refused(world, login):
    """A second submit, or an old tab: the page no longer shows the form, so the refusal comes as a message."""
    entry = record(world, by=world.helper_staff)
    client = login(world.helped_staff)
    client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "accept"})
    response = client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "accept"}, follow=True)
    assert "这条记录已经确认" in response.content.decode()


def test_an_objection_needs_a_reason_and_tells_the_recorder_by_email(world, login, django_capture_on_commit_callbacks):
    with_email(world.helper_staff)
    entry = record(world, by=world.helper_staff)
    client = login(world.helped_admin)
    response = client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "object", "objection": " "})
    assert response.status_code == 400 and "请说明异议" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "object", "objection": "培训人数不符"})
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.REJECTED and entry.objection == "培训人数不符"
    assert Notification.objects.get(key=f"ledger-objection-{entry.pk}").user == world.helper_staff
    assert mail.outbox[-1].to == ["helper_staff@example.org"] and "异议" in mail.outbox[-1].subject


def test_the_association_may_confirm_any_pending_entry(world, login):
    entry = record(world, by=world.helper_staff)
    login(world.admin).post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "accept"})
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.CONFIRMED


def test_an_outsider_cannot_confirm_and_a_supervisor_may_only_look(world, login):
    entry = record(world, by=world.helper_staff)
    assert login(world.outsider).post(reverse("ledger:confirm", args=[entry.pk]),
                                      {"decision": "accept"}).status_code == 404
    client = login(world.province_supervisor)
    assert client.get(reverse("ledger:detail", args=[entry.pk])).status_code == 200
    assert client.post(reverse("ledger:confirm", args=[entry.pk]), {"decision": "accept"}).status_code == 403


def test_a_confirmed_entry_cannot_be_confirmed_again(world):
    entry = record(world)
    with pytest.raises(ValidationError):
        ledger_confirm(entry=entry, by=world.helped_admin, accept=True)


# --- the page: filters, totals, chart ------------------------------------------------------------------------


@pytest.fixture
def ledger(world):
    """Six entries: four confirmed (two years, three areas, two helped museums in two cities), one pending and one
    with an objection."""
    second = make_museum("阳高县博物馆", county="140221", tier="县级")  # 大同市
    world.second_helped = second
    record(world, people_trained=30, days=2, date=datetime.date(2025, 5, 1))
    record(world, area="exhibition", kind="巡展", visitors=5000, object_count=40, money_yuan=Decimal("12000.50"))
    record(world, area="conservation", kind="修复", object_count=3, days=Decimal("10.5"), description="青铜器修复")
    record(world, helped=second, area="people", kind="讲座", people_trained=80, date=datetime.date(2026, 6, 1))
    world.pending = record(world, by=world.helper_staff, area="people", kind="挂职", people_trained=2, days=90)
    world.rejected = record(world, by=world.helper_staff, area="education", kind="社教活动", visitors=300)
    ledger_confirm(entry=world.rejected, by=world.helped_admin, accept=False, objection="活动未举办")
    return world


def page(client, **params):
    return client.get(reverse("ledger:list"), params)


def test_totals_count_confirmed_entries_only_unless_the_filter_asks(ledger, login):
    client = login(ledger.admin)
    totals = page(client).context["totals"]
    assert totals == {"entries": 4, "people_trained": 110, "days": Decimal("12.5"), "object_count": 43,
                      "visitors": 5000, "money_yuan": Decimal("12000.50")}
    assert page(client, state="pending").context["totals"]["people_trained"] == 2
    assert page(client, state="rejected").context["totals"]["visitors"] == 300
    everything = page(client, state="all").context["totals"]
    assert everything["entries"] == 6 and everything["days"] == Decimal("102.5")


@pytest.mark.parametrize(("params", "kinds"), [
    ({"year": "2025"}, {"培训"}),
    ({"area": "people"}, {"培训", "讲座"}),
    ({"area": "people", "state": "all"}, {"培训", "讲座", "挂职"}),
    ({"state": "pending"}, {"挂职"}),
    ({"state": "rejected"}, {"社教活动"}),
    ({"q": "青铜"}, {"修复"}),
    ({"q": "阳高"}, {"讲座"}),
    ({"year": "x", "area": "nonsense", "state": "bogus"}, {"培训", "巡展", "修复", "讲座"}),  # ignored, not errors
])
def test_the_filters(ledger, login, params, kinds):
    entries = page(login(ledger.admin), **params).context["page"].object_list
    assert {e.kind for e in entries} == kinds


def test_filter_by_helped_helper_and_city(ledger, login):
    client = login(ledger.admin)
    assert {e.kind for e in page(client, helped=ledger.second_helped.pk).context["page"]} == {"讲座"}
    assert page(client, helper=ledger.helper_museum.pk).context["totals"]["entries"] == 4
    assert page(client, helper=ledger.helped_museum.pk).context["totals"]["entries"] == 0
    datong = ledger.second_helped.city_id
    assert {e.kind for e in page(client, city=datong).context["page"]} == {"讲座"}
    taiyuan = ledger.helper_museum.city_id  # the helper's city: every entry has the helper as a party
    assert page(client, city=taiyuan).context["totals"]["entries"] == 4


def test_the_chart_groups_the_filtered_rows_by_area_and_by_month(ledger, login):
    chart = page(login(ledger.admin), year="2026").context["chart"]
    areas = dict(zip(chart["areas"]["names"], chart["areas"]["entries"], strict=True))
    assert areas["展览策划"] == 1 and areas["文物保护"] == 1 and areas["人才培养"] == 1 and areas["社会教育"] == 0
    months = dict(zip(chart["months"]["names"], chart["months"]["people_trained"], strict=True))
    assert months == {"2026-03": 0, "2026-04": 0, "2026-05": 0, "2026-06": 80}  # gaps filled with zeros


def test_the_page_shows_totals_as_cards_and_the_rows(ledger, login):
    body = page(login(ledger.admin)).content.decode()
    assert "培训人数" in body and "110" in body and "1.2万" in body  # 12,000.50 yuan
    assert "山西博物院 → 阳高县博物馆" in body and "挂职" not in body


def test_htmx_swaps_only_the_results(ledger, login):
    response = login(ledger.admin).get(reverse("ledger:list"), {"area": "exhibition"}, HTTP_HX_REQUEST="true",
                                       HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert "<html" not in body and 'id="filters"' not in body and "巡展" in body and 'id="chart-data"' in body


def test_the_other_side_sees_how_many_entries_await_it(ledger, login):
    body = page(login(ledger.helped_staff)).content.decode()
    assert 'data-testid="awaiting"' in body and "<strong>1</strong>" in body
    assert 'data-testid="awaiting"' not in page(login(ledger.helper_staff)).content.decode()  # they recorded it


def test_an_empty_ledger_explains_how_entries_arrive(world, login):
    body = page(login(world.helped_staff)).content.decode()
    assert "还没有台账记录" in body and "登记平台外帮扶" in body


def test_the_page_query_count_does_not_grow_with_the_entries(world, login, django_assert_max_num_queries):
    client = login(world.admin)
    for i in range(5):
        record(world, date=DAY - datetime.timedelta(days=i * 20))
    page(client)
    with django_assert_max_num_queries(20) as few:
        page(client)
    for i in range(35):
        record(world, helped=make_museum(f"增量县博物馆{i}", county="140222"),
               date=DAY - datetime.timedelta(days=i * 9))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(page(client).context["page"].object_list) == 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("ledger:list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")


# --- who sees what ---------------------------------------------------------------------------------------------


def test_museum_staff_see_only_entries_their_museum_is_party_to(ledger, login):
    other = make_museum("灵丘县博物馆", county="140224")
    record(ledger, helped=other, kind="其他馆的帮扶")
    assert page(login(ledger.outsider), state="all").context["totals"]["entries"] == 0
    seen = {e.kind for e in page(login(ledger.helped_staff), state="all").context["page"]}
    assert "其他馆的帮扶" not in seen and "讲座" not in seen and "培训" in seen
    entry = LedgerEntry.objects.get(kind="其他馆的帮扶")
    assert login(ledger.helped_staff).get(reverse("ledger:detail", args=[entry.pk])).status_code == 404


def test_a_city_supervisor_sees_only_their_jurisdiction(ledger, login):
    client = login(ledger.city_supervisor)  # 大同市: only 阳高县博物馆's entry has a party there
    assert {e.kind for e in page(client, state="all").context["page"]} == {"讲座"}
    outside = LedgerEntry.objects.get(kind="巡展")
    assert client.get(reverse("ledger:detail", args=[outside.pk])).status_code == 404
    assert page(login(ledger.province_supervisor)).context["totals"]["entries"] == 4


def test_anonymous_visitors_are_sent_to_sign_in(ledger, client):
    for url in (reverse("ledger:list"), reverse("ledger:export"), reverse("ledger:create"),
                reverse("ledger:detail", args=[ledger.pending.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- export ----------------------------------------------------------------------------------------------------


def read_export(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook["帮扶台账"], workbook["说明"]


def test_the_export_has_the_filtered_rows_and_a_totals_row(ledger, login):
    sheet, notes = read_export(login(ledger.admin).get(reverse("ledger:export"), {"area": "people"}))
    rows = list(sheet.iter_rows(values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:4] == ("编号", "日期", "帮扶方", "受援方")
    assert sorted(r[header.index("帮扶形式")] for r in body) == ["培训", "讲座"]
    assert total[0] == "合计" and total[1] == "2 条" and total[header.index("培训人数（人次）")] == 110
    assert body[0][1].date() in (datetime.date(2025, 5, 1), datetime.date(2026, 6, 1))
    assert ("领域", "人才培养") in list(notes.iter_rows(values_only=True))


def test_the_export_includes_pending_rows_only_when_asked(ledger, login):
    client = login(ledger.admin)
    sheet, _ = read_export(client.get(reverse("ledger:export"), {"state": "all"}))
    assert sheet.max_row == 1 + 6 + 1


def test_the_export_writes_formula_like_text_as_text(world, login):
    record(world, description='=HYPERLINK("http://evil.example","点我")', kind="=1+1")
    sheet, _ = read_export(login(world.admin).get(reverse("ledger:export")))
    cells = [c for row in sheet.iter_rows(min_row=2, max_row=2) for c in row if str(c.value).startswith("=")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_the_export_shows_an_outsider_nothing_of_others(ledger, login):
    sheet, _ = read_export(login(ledger.outsider).get(reverse("ledger:export"), {"state": "all"}))
    assert sheet.max_row == 2  # the header and an empty totals row
    assert list(sheet.iter_rows(values_only=True))[-1][1] == "0 条"


# --- evidence --------------------------------------------------------------------------------------------------


def evidence_file(entry):
    return entry.evidence.files().get()


def test_evidence_files_are_served_to_the_parties_only(world, login, client):
    entry = record(world, by=world.helper_staff, evidence=pdf())
    url = reverse("attachment", args=[evidence_file(entry).pk])
    response = login(world.helped_staff).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.city_supervisor).get(url).status_code == 404  # 安泽县 and 太原 are not in 大同市
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(f"/media/{evidence_file(entry).file.name}").status_code == 404  # never through /media/


def test_a_photo_is_shown_inline(world, login):
    entry = record(world, evidence=png())
    response = login(world.helped_staff).get(reverse("attachment", args=[evidence_file(entry).pk]))
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")


def test_an_entry_without_a_file_has_no_evidence_download(world, login):
    entry = record(world, evidence_link="https://news.example.org/1")
    link = entry.evidence.get()
    assert link.link == entry.evidence_link == "https://news.example.org/1"
    assert login(world.admin).get(reverse("attachment", args=[link.pk])).status_code == 404


# --- recording through the page -------------------------------------------------------------------------------


def form_data(**overrides):
    return {"our_side": "helper", "area": "people", "kind": "培训", "date": "2026-03-01", "people_trained": "25",
            "days": "2", "object_count": "0", "visitors": "0", "money_yuan": "0", "description": "文物修复培训班",
            "evidence_link": "https://news.example.org/1"} | overrides


def test_a_museum_records_help_given_outside_the_platform(world, login):
    client = login(world.helper_staff)
    assert "本馆提供了帮扶" in client.get(reverse("ledger:create")).content.decode()
    response = client.post(reverse("ledger:create"), form_data(counterpart=world.helped_museum.pk,
                                                               evidence=pdf("签到表.pdf")))
    entry = LedgerEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ledger:detail", args=[entry.pk])
    assert (entry.helper, entry.helped, entry.confirmation) == (world.helper_museum, world.helped_museum, "pending")
    assert entry.people_trained == 25 and evidence_file(entry).file.name.endswith(".pdf")
    assert "签到表" not in evidence_file(entry).file.name  # stored under a random name
    assert evidence_file(entry).original_name == "签到表.pdf" and evidence_file(entry).added_by == world.helper_staff


def test_the_helped_museum_records_help_it_received(world, login):
    login(world.helped_staff).post(reverse("ledger:create"), form_data(our_side="helped",
                                                                       counterpart=world.helper_museum.pk))
    entry = LedgerEntry.objects.get()
    assert (entry.helper, entry.helped, entry.recorded_side) == (world.helper_museum, world.helped_museum, "helped")


def test_a_chosen_pairing_names_the_parties_and_an_open_pairing_is_found_otherwise(world, login):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2028, 12, 31))
    client = login(world.helped_admin)
    client.post(reverse("ledger:create"), form_data(our_side="helped", pairing=pairing.pk))
    client.post(reverse("ledger:create"), form_data(our_side="helped", counterpart=world.helper_museum.pk,
                                                     kind="讲座"))
    assert list(LedgerEntry.objects.values_list("kind", "pairing_id", "helper_id").order_by("kind")) == [
        ("培训", pairing.pk, world.helper_museum.pk), ("讲座", pairing.pk, world.helper_museum.pk)]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"date": "2099-01-01"}, "date", "不能晚于今天"),
    ({"evidence_link": ""}, "evidence", "请上传佐证材料或填写佐证链接"),
    ({"counterpart": ""}, "counterpart", "请选择对方博物馆"),
    ({"people_trained": "-1"}, "people_trained", ""),
])
def test_the_form_refuses_bad_entries(world, login, overrides, field, message):
    data = form_data(counterpart=world.helped_museum.pk) | overrides
    response = login(world.helper_staff).post(reverse("ledger:create"), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not LedgerEntry.objects.exists()


def test_an_evidence_file_of_another_kind_is_refused(world, login):
    upload = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html")
    response = login(world.helper_staff).post(reverse("ledger:create"),
                                              form_data(counterpart=world.helped_museum.pk, evidence=upload))
    assert response.status_code == 400 and "只接受" in " ".join(response.context["form"].errors["evidence"])


def test_the_association_names_both_museums_and_its_entry_counts(world, login):
    data = form_data(helper=world.helper_museum.pk, helped=world.helped_museum.pk)
    login(world.admin).post(reverse("ledger:create"), data)
    assert LedgerEntry.objects.get().confirmation == Confirmation.CONFIRMED


def test_supervisors_and_experts_cannot_record(world, login):
    assert login(world.province_supervisor).get(reverse("ledger:create")).status_code == 403
    assert login(world.expert).get(reverse("ledger:create")).status_code == 403


def test_a_mistyped_year_is_refused_not_charted(world):
    import datetime

    from django.core.exceptions import ValidationError

    from bangfu.ledger.services import ledger_record

    with pytest.raises(ValidationError, match="请检查年份"):
        ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=datetime.date(202, 5, 1), description="年份写错", evidence_link="https://x.org")


def test_confirming_an_entry_clears_the_please_confirm_notices(world, django_capture_on_commit_callbacks):
    import datetime

    from bangfu.ledger.services import ledger_confirm, ledger_record
    from bangfu.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        entry = ledger_record(by=world.helper_admin, helper=world.helper_museum, helped=world.helped_museum,
                              area="people", kind="讲座", date=datetime.date.today(), description="讲座",
                              people_trained=30, evidence_link="https://example.org/x")
    assert Notification.objects.filter(key=f"ledger-confirm-{entry.pk}").unread().exists()
    ledger_confirm(entry=entry, by=world.helped_admin, accept=True)
    assert not Notification.objects.filter(key=f"ledger-confirm-{entry.pk}").unread().exists()


# --- telling the truth about who was told, and naming pairings ------------------------------------------------


def test_an_entry_for_a_museum_without_accounts_says_nobody_could_be_told(world, login):
    lonely = make_museum("古县博物馆", county="141025")
    client = login(world.helper_staff)
    response = client.post(reverse("ledger:create"), form_data(counterpart=lonely.pk), follow=True)
    entry = LedgerEntry.objects.get()
    assert entry.confirmation == Confirmation.PENDING
    said = [str(m) for m in response.context["messages"]]
    assert said == ["已登记。该馆尚无平台账号，无人收到确认通知；请联系协会代为确认。"]
    assert 'data-testid="nobody-told"' in response.content.decode()
    assert not Notification.objects.exists()
    other = client.post(reverse("ledger:create"), form_data(counterpart=world.helped_museum.pk, kind="讲座"),
                        follow=True)
    said = [str(m) for m in other.context["messages"]]
    assert said == ["已登记。对方博物馆确认后，这条记录计入台账统计；已通知对方。"]
    assert 'data-testid="nobody-told"' not in other.content.decode()


def test_the_export_names_the_pairing_by_its_museums(world, login):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2028, 12, 31))
    record(world, pairing=pairing)
    record(world, kind="讲座")
    sheet, notes = read_export(login(world.admin).get(reverse("ledger:export"), {"pairing": pairing.pk}))
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[rows[0].index("所属结对")] for r in rows[1:-1]] == ["山西博物院 — 安泽县博物馆"]
    assert ("结对", "山西博物院 — 安泽县博物馆") in list(notes.iter_rows(values_only=True))
    page = login(world.admin).get(reverse("ledger:list"), {"pairing": pairing.pk}).content.decode()
    assert "结对：山西博物院 — 安泽县博物馆" in page


def test_the_pairing_filter_names_a_pairing_only_to_those_who_may_see_it(world, login):
    pairing = pairing_create(by=world.admin, helper=world.helper_museum, helped=world.helped_museum,
                             start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2028, 12, 31))
    for person in (world.outsider, world.expert, world.city_supervisor):
        client = login(person)
        page = client.get(reverse("ledger:list"), {"pairing": pairing.pk}).content.decode()
        assert "结对：无此结对" in page and "山西博物院 — 安泽县博物馆" not in page
        _, notes = read_export(client.get(reverse("ledger:export"), {"pairing": pairing.pk}))
        assert ("结对", "（无此结对）") in list(notes.iter_rows(values_only=True))


def test_only_someone_who_may_record_help_records_it_through_the_service(world):
    """The service checks who records (`ledger.add_entry`), so no page, API call or command can skip it."""
    world.helper_staff.is_active = False
    world.helper_staff.save(update_fields=["is_active"])
    for person in (world.helper_staff, world.expert, world.province_supervisor):
        with pytest.raises(PermissionDenied):
            record(world, by=person)
    assert not LedgerEntry.objects.exists()
    with pytest.raises(PermissionDenied):  # nobody: automated writes name the system account
        ledger_record(by=None, helper=world.helper_museum, helped=world.helped_museum, area="people", kind="培训",
                      date=DAY, description="文物修复培训班", days=1)
    assert record(world, by=system_user()).confirmation == Confirmation.CONFIRMED  # the system (a command)
