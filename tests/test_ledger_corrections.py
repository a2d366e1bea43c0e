"""Mistakes in the ledger: the association voids or corrects an entry with a reason (audited, shown on the entry,
void entries out of every total); the side that recorded an entry withdraws it after an objection."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.core.models import AuditEntry
from bangfu.ledger.models import Confirmation, LedgerEntry
from bangfu.ledger.selectors import chart_data, totals
from bangfu.ledger.services import ledger_confirm, ledger_correct, ledger_record, ledger_void, ledger_withdraw
from bangfu.notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def record(world, *, by=None, **fields):
    values = {"area": "people", "kind": "培训", "date": DAY, "description": "文物修复培训班"} | fields
    if not set(fields) & {"people_trained", "days", "object_count", "visitors", "money_yuan"}:
        values["days"] = 1  # a manual entry counts something
    return ledger_record(by=by or world.admin, helper=world.helper_museum, helped=world.helped_museum, **values)


@pytest.fixture
def entries(world):
    """Two confirmed entries (30 and 9,999 people: the second a slip) and a pending one."""
    world.good = record(world, people_trained=30)
    world.slip = record(world, people_trained=9_999, kind="讲座", by=world.helper_staff)
    ledger_confirm(entry=world.slip, by=world.helped_admin, accept=True)
    world.pending = record(world, by=world.helper_staff, people_trained=5, kind="挂职")
    return world


# --- voiding -------------------------------------------------------------------------------------------------


def test_a_void_entry_leaves_every_total_but_stays_visible(entries, login):
    ledger_void(entry=entries.slip, by=entries.admin, reason="人数多输了位数，已另行登记")
    entries.slip.refresh_from_db()
    assert entries.slip.confirmation == Confirmation.VOID and entries.slip.ended_by == entries.admin
    assert entries.slip.end_reason == "人数多输了位数，已另行登记" and entries.slip.ended_at is not None
    visible = LedgerEntry.objects.all()
    assert totals(visible)["people_trained"] == 35 and totals(visible)["entries"] == 2
    assert sum(chart_data(visible)["areas"]["people_trained"]) == 35
    client = login(entries.admin)
    assert client.get(reverse("ledger:list")).context["totals"]["people_trained"] == 30
    everything = client.get(reverse("ledger:list"), {"state": "all"})
    assert everything.context["totals"]["people_trained"] == 35
    assert entries.slip in everything.context["page"].object_list
    void = client.get(reverse("ledger:list"), {"state": "void"})
    assert list(void.context["page"].object_list) == [entries.slip] and "已作废" in void.content.decode()
    detail = client.get(reverse("ledger:detail", args=[entries.slip.pk])).content.decode()
    assert 'data-testid="ended"' in detail and "人数多输了位数" in detail and entries.admin.display_name in detail


def test_the_export_lists_a_void_entry_but_leaves_it_out_of_the_totals(entries, login):
    ledger_void(entry=entries.slip, by=entries.admin, reason="重复登记")
    response = login(entries.admin).get(reverse("ledger:export"), {"state": "all"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["帮扶台账"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 3 and "已作废" in [r[header.index("状态")] for r in body]
    assert "重复登记" in [r[header.index("作废/撤回理由")] for r in body]
    assert total[header.index("培训人数（人次）")] == 35 and total[1].startswith("2 条")


def test_voiding_is_the_associations_needs_a_reason_and_is_audited(entries):
    with pytest.raises(PermissionDenied):
        ledger_void(entry=entries.slip, by=entries.helper_admin, reason="我们登记错了")
    with pytest.raises(ValidationError, match="请说明作废的理由"):
        ledger_void(entry=entries.slip, by=entries.admin, reason="  ")
    ledger_void(entry=entries.slip, by=entries.admin, reason="重复登记")
    audit = AuditEntry.objects.get(action="作废台账")
    assert audit.note == "重复登记" and audit.changes == {"状态": ["已确认", "已作废"]}
    with pytest.raises(ValidationError, match="已作废"):
        ledger_void(entry=entries.slip, by=entries.admin, reason="再来一次")


def test_both_museums_hear_that_an_entry_was_voided(entries):
    ledger_void(entry=entries.slip, by=entries.admin, reason="重复登记")
    told = set(Notification.objects.filter(key=f"ledger-void-{entries.slip.pk}")
               .values_list("user__username", flat=True))
    assert told == {"helper_admin", "helped_admin", "helper_staff"}  # both admins and the recorder


def test_voiding_through_the_page(entries, login):
    client = login(entries.admin)
    page = client.get(reverse("ledger:detail", args=[entries.slip.pk])).content.decode()
    assert reverse("ledger:void", args=[entries.slip.pk]) in page
    form = client.get(reverse("ledger:void", args=[entries.slip.pk]))
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    empty = client.post(reverse("ledger:void", args=[entries.slip.pk]), {"reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["form"].errors
    done = client.post(reverse("ledger:void", args=[entries.slip.pk]), {"reason": "重复登记"})
    assert done.status_code == 302
    entries.slip.refresh_from_db()
    assert entries.slip.confirmation == Confirmation.VOID


def test_the_parties_may_not_void_and_an_outsider_does_not_see_the_page(entries, login):
    url = reverse("ledger:void", args=[entries.slip.pk])
    assert login(entries.helper_admin).get(url).status_code == 403
    assert login(entries.helper_admin).post(url, {"reason": "x"}).status_code == 403
    assert login(entries.province_supervisor).get(url).status_code == 403
    assert login(entries.outsider).post(url, {"reason": "x"}).status_code == 404
    detail = login(entries.helper_admin).get(reverse("ledger:detail", args=[entries.slip.pk])).content.decode()
    assert url not in detail and 'data-testid="void"' not in detail
    entries.slip.refresh_from_db()
    assert entries.slip.confirmation == Confirmation.CONFIRMED


# --- correcting ----------------------------------------------------------------------------------------------


def test_the_association_corrects_an_entry_with_a_reason_shown_on_it(entries, login):
    ledger_correct(entry=entries.slip, by=entries.admin, reason="按签到表更正", people_trained=99, kind="讲座")
    entries.slip.refresh_from_db()
    assert entries.slip.people_trained == 99 and entries.slip.corrected_by == entries.admin
    audit = AuditEntry.objects.get(action="更正台账")
    assert audit.changes == {"培训人数（人次）": [9_999, 99]} and audit.note == "按签到表更正"
    body = login(entries.helped_staff).get(reverse("ledger:detail", args=[entries.slip.pk])).content.decode()
    assert 'data-testid="corrected"' in body and "按签到表更正" in body and "9999 → 99" in body
    assert Notification.objects.filter(key__startswith=f"ledger-corrected-{entries.slip.pk}").count() == 3


def test_a_correction_meets_the_same_rules_as_recording(entries):
    with pytest.raises(ValidationError, match="培训人数不能超过"):
        ledger_correct(entry=entries.slip, by=entries.admin, reason="x", people_trained=999_999_999)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        ledger_correct(entry=entries.slip, by=entries.admin, reason="x", date=datetime.date(2099, 1, 1))
    with pytest.raises(ValidationError, match="请说明更正的理由"):
        ledger_correct(entry=entries.slip, by=entries.admin, reason="", people_trained=99)
    with pytest.raises(PermissionDenied):
        ledger_correct(entry=entries.slip, by=entries.helped_admin, reason="x", people_trained=99)
    entries.slip.refresh_from_db()
    assert entries.slip.people_trained == 9_999


def test_correcting_through_the_page_shows_errors_beside_the_fields(entries, login):
    client = login(entries.admin)
    url = reverse("ledger:correct", args=[entries.slip.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields} | {"people_trained": "99999", "reason": "核对"}
    data["date"] = entries.slip.date.isoformat()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "培训人数不能超过" in " ".join(response.context["form"].errors["people_trained"])
    response = client.post(url, data | {"people_trained": "99"})
    assert response.status_code == 302
    entries.slip.refresh_from_db()
    assert entries.slip.people_trained == 99
    assert login(entries.helper_admin).get(url).status_code == 403


def test_a_description_has_one_limit_whether_recorded_or_corrected(entries, login):
    too_long = "培" * 2001
    with pytest.raises(ValidationError) as refused:
        record(entries, description=too_long)
    assert "description" in refused.value.message_dict
    with pytest.raises(ValidationError):
        ledger_correct(entry=entries.slip, by=entries.admin, reason="x", description=too_long)
    client = login(entries.admin)
    url = reverse("ledger:correct", args=[entries.slip.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields} | {"description": too_long, "reason": "核对"}
    data["date"] = entries.slip.date.isoformat()
    response = client.post(url, data)
    assert response.status_code == 400
    assert "不能超过 2000 个字" in " ".join(response.context["form"].errors["description"])
    entries.slip.refresh_from_db()
    assert entries.slip.description == "文物修复培训班"


# --- withdrawing ---------------------------------------------------------------------------------------------


def test_the_recorder_withdraws_an_entry_the_other_side_objected_to(entries, login):
    ledger_confirm(entry=entries.pending, by=entries.helped_admin, accept=False, objection="没有这次挂职")
    client = login(entries.helper_admin)  # the same museum as the recorder
    assert reverse("ledger:withdraw", args=[entries.pending.pk]) in client.get(
        reverse("ledger:detail", args=[entries.pending.pk])).content.decode()
    response = client.post(reverse("ledger:withdraw", args=[entries.pending.pk]), {"reason": "记错了馆"})
    assert response.status_code == 302
    entries.pending.refresh_from_db()
    assert entries.pending.confirmation == Confirmation.WITHDRAWN and entries.pending.end_reason == "记错了馆"
    told = set(Notification.objects.filter(key=f"ledger-withdrawn-{entries.pending.pk}")
               .values_list("user__username", flat=True))
    assert told == {"helped_admin", "helped_staff"}
    assert totals(LedgerEntry.objects.all())["entries"] == 2
    with pytest.raises(ValidationError, match="已撤回"):
        ledger_confirm(entry=entries.pending, by=entries.helped_admin, accept=True)


def test_only_the_recording_side_withdraws_and_only_an_unconfirmed_entry(entries, login):
    with pytest.raises(PermissionDenied):
        ledger_withdraw(entry=entries.pending, by=entries.helped_admin)
    with pytest.raises(PermissionDenied):
        ledger_withdraw(entry=entries.pending, by=entries.admin)  # the association voids instead
    with pytest.raises(ValidationError, match="已确认"):
        ledger_withdraw(entry=entries.slip, by=entries.helper_staff)
    assert login(entries.helped_staff).get(reverse("ledger:withdraw", args=[entries.pending.pk])).status_code == 403
    entries.pending.refresh_from_db()
    assert entries.pending.confirmation == Confirmation.PENDING
