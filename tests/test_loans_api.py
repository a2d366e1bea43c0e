"""The loans API: a request with a token of the borrower's staff (201, or 422 naming the rule), one loan with every
field the contract names (outsiders 404), the list of visible loans in a fixed number of queries, and every workflow
step as an action (404 unknown action, 403 the wrong side, 422 an illegal move)."""

import json

import pytest

from bangfu.api.services import token_create
from bangfu.loans import services as s
from bangfu.loans.models import LoanStatus
from bangfu.objects.models import ObjectGrade

from .loans_helpers import days, make_object, request, to_status, today

pytestmark = pytest.mark.django_db
LOANS = "/api/loans"


_TOKENS: dict[int, str] = {}


def bearer(user) -> dict:
    """One token per user and test (a user may hold only a few live tokens)."""
    if user.pk not in _TOKENS or not user.api_tokens.exists():
        _TOKENS[user.pk] = token_create(user=user, name="脚本")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {_TOKENS[user.pk]}"}


def post(client, user, url, body=None):
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json",
                       **bearer(user))


def body_for(world, objects, **fields):
    return {"lender_id": world.helper_museum.pk, "objects": [o.pk for o in objects], "purpose": "基本陈列改陈",
            "venue": "安泽县博物馆二号展厅", "start": days(30).isoformat(), "end": days(120).isoformat(), **fields}


def test_the_borrowers_staff_request_a_loan_and_get_the_record_with_every_field_of_the_contract(client, world):
    first = make_object(world.helper_museum, name="鸟尊", grade=ObjectGrade.FIRST)
    other = make_object(world.helper_museum, name="玉璧")
    response = post(client, world.helped_staff, LOANS, body_for(world, [first, other], opening=days(35).isoformat(),
                                                             exhibition_title="晋国霸业"))
    assert response.status_code == 201, response.content
    got = response.json()
    assert set(got) >= {"id", "status", "status_label", "lender_id", "borrower_id", "kind", "purpose", "venue",
                        "start", "end", "opening", "objects", "required_filings", "next_actions", "warnings"}
    assert {k: got[k] for k in ("status", "status_label", "lender_id", "borrower_id", "kind", "opening")} == {
        "status": "requested", "status_label": "待审查藏品", "lender_id": world.helper_museum.pk,
        "borrower_id": world.helped_museum.pk, "kind": "loan", "opening": days(35).isoformat()}
    assert [(o["name"], o["grade"], o["review"], o["expert_verdict"], o["returned_on"]) for o in got["objects"]] == [
        ("鸟尊", "一级", "pending", "", None), ("玉璧", "二级", "pending", "", None)]
    assert {"id", "object_id"} <= set(got["objects"][0]) and got["objects"][0]["object_id"] == first.pk
    assert [(f["authority"], f["name"], f["kind"], f["label"], f["done"]) for f in got["required_filings"]] == [
        ("competent", "主管部门", "filing", "报主管部门备案", False),
        ("national", "国家文物局", "filing", "报国家文物局备案", False)]
    assert got["next_actions"] == ["withdraw"] and got["warnings"] == []
    lender_view = client.get(f"{LOANS}/{got['id']}", **bearer(world.helper_staff)).json()
    assert lender_view["next_actions"] == ["review_item", "finish_review", "decline"]


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"has_record": False}, "objects", "第五十八条"),
    ({"condition": "under_treatment"}, "objects", "修复中”，不得出借"),
])
def test_a_request_a_rule_refuses_is_a_422_naming_the_rule(client, world, fields, field, words):
    response = post(client, world.helped_staff, LOANS, body_for(world, [make_object(world.helper_museum, **fields)]))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and words in errors[0]["message"]


def test_a_loan_over_the_term_and_an_unknown_lender_are_named_by_their_fields(client, world):
    obj = make_object(world.helper_museum)
    response = post(client, world.helped_staff, LOANS, body_for(world, [obj], end=days(30 + 1200).isoformat()))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "end", "message": response.json()["errors"][0]["message"]}]
    assert "借展期限不得超过36个月" in response.json()["errors"][0]["message"]
    assert "第五十六条" in response.json()["errors"][0]["message"]
    response = post(client, world.helped_staff, LOANS, body_for(world, [obj], lender_id=999999))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "lender_id"


def test_the_api_never_names_an_object_the_lender_does_not_offer(client, world):
    secret = make_object(world.helper_museum, name="未开放的秘藏", offered=False)
    theirs = make_object(world.outsider.museum, name="别馆的铜鼎")
    for obj in (secret, theirs):
        response = post(client, world.helped_staff, LOANS, body_for(world, [obj]))
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "objects", "message": "所选藏品不存在或未开放借展。"}]
        assert obj.name not in response.content.decode()


def test_the_chained_cap_is_refused_through_the_api_too(client, world):
    obj = make_object(world.helper_museum, grade=ObjectGrade.FIRST)
    start = days(30)
    request(world, [obj], start=start, end=s.term_end(start, 36), by=world.outsider)
    later = s.add_months(start, 36)
    response = post(client, world.helped_staff, LOANS, body_for(world, [obj], start=later.isoformat(),
                                                             end=days(2000).isoformat()))
    assert response.status_code == 422 and "累计借展期限不得超过36个月" in response.json()["errors"][0]["message"]


def test_only_museum_staff_request_and_a_token_is_needed(client, world):
    body = body_for(world, [make_object(world.helper_museum)])
    assert post(client, world.admin, LOANS, body).status_code == 403
    assert client.post(LOANS, json.dumps(body), content_type="application/json").status_code == 401


def test_outsiders_get_404_and_the_two_sides_the_association_and_the_supervisor_see_the_loan(client, world):
    loan = request(world, [make_object(world.helper_museum)])
    url = f"{LOANS}/{loan.pk}"
    assert client.get(url, **bearer(world.outsider)).status_code == 404
    assert client.get(url, **bearer(world.outsider_admin)).status_code == 404
    assert client.get(url, **bearer(world.expert)).status_code == 404
    for user in (world.helper_staff, world.helped_staff, world.admin, world.province_supervisor):
        assert client.get(url, **bearer(user)).json()["id"] == loan.pk
    assert post(client, world.outsider, f"{url}/actions/withdraw", {"reason": "x"}).status_code == 404


def test_the_list_shows_the_loans_the_user_sees_with_side_and_status_filters(client, world):
    out = request(world, [make_object(world.helper_museum)])
    other = request(world, [make_object(world.helper_museum)], by=world.outsider)
    mine = client.get(LOANS, **bearer(world.helped_staff)).json()
    assert mine["count"] == 1 and mine["items"][0]["id"] == out.pk and mine["items"][0]["object_count"] == 1
    lender = client.get(LOANS, {"side": "out"}, **bearer(world.helper_staff)).json()
    assert {i["id"] for i in lender["items"]} == {out.pk, other.pk}
    assert client.get(LOANS, {"side": "in"}, **bearer(world.helper_staff)).json()["count"] == 0
    assert client.get(LOANS, {"status": "closed"}, **bearer(world.admin)).json()["count"] == 0
    assert client.get(LOANS, {"status": "nonsense"}, **bearer(world.admin)).status_code == 422


def test_the_list_takes_the_same_queries_however_many_loans(client, world, django_assert_max_num_queries):
    headers = bearer(world.helped_staff)
    request(world, [make_object(world.helper_museum)])
    client.get(LOANS, **headers)
    with django_assert_max_num_queries(8) as few:
        client.get(LOANS, **headers)
    for _ in range(12):
        request(world, [make_object(world.helper_museum), make_object(world.helper_museum)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LOANS, **headers).json()["count"] == 13


def test_unknown_actions_are_404_the_wrong_side_403_and_an_illegal_move_422(client, world):
    loan = request(world, [make_object(world.helper_museum)])
    url = f"{LOANS}/{loan.pk}/actions"
    assert post(client, world.helper_staff, f"{url}/fly").status_code == 404
    assert post(client, world.helped_staff, f"{url}/finish_review").status_code == 403
    assert post(client, world.admin, f"{url}/decline", {"reason": "x"}).status_code == 403
    response = post(client, world.helper_staff, f"{url}/dispatch", {"date": today().isoformat()})
    assert response.status_code == 422 and "不能改为“运输途中”" in response.json()["detail"]
    response = post(client, world.helper_staff, f"{url}/review_item", {"item_id": loan.items.get().pk})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "fit"


def test_a_loan_walks_from_request_to_close_through_the_actions(client, world):
    a = make_object(world.helper_museum, name="鸟尊", grade=ObjectGrade.FIRST)
    b = make_object(world.helper_museum, name="玉璧")
    loan_id = post(client, world.helped_staff, LOANS, body_for(world, [a, b], start=days(15).isoformat())).json()["id"]
    url = f"{LOANS}/{loan_id}/actions"
    lender, borrower = world.helper_staff, world.helped_staff
    got = client.get(f"{LOANS}/{loan_id}", **bearer(lender)).json()
    ia, ib = (o["id"] for o in got["objects"])
    day = today().isoformat()

    def act(user, action, body=None, status="", code=200):
        response = post(client, user, f"{url}/{action}", body)
        assert response.status_code == code, response.content
        if status:
            assert response.json()["status"] == status
        return response.json()

    act(lender, "review_item", {"item_id": ia, "fit": True})
    act(lender, "review_item", {"item_id": ib, "fit": True})
    got = act(lender, "finish_review", status="expert_review")
    assert [o["expert_verdict"] for o in got["objects"]] == ["pending", ""]
    act(lender, "expert_review", {"experts": "张三", "date": day, "opinion": "适宜",
                                  "verdicts": [{"item_id": ia, "fit": True}]}, status="facility_review")
    act(lender, "facility_review", {"security": "监控", "fire": "灭火", "climate": "恒温恒湿", "note": "通过"},
        status="filing")
    act(borrower, "file", {"authority": "competent", "kind": "filing", "document_number": "晋文物〔2026〕1号",
                           "date": day}, status="filing")
    got = act(lender, "file", {"authority": "national", "kind": "filing", "document_number": "文物博函〔2026〕2号",
                               "date": day}, status="agreement")
    assert all(f["done"] for f in got["required_filings"])
    act(borrower, "sign", {"number": "JZ-1", "signed_on": day}, status="transport")
    act(borrower, "transport", {"insurer": "人保", "policy_number": "P-1", "insured_amount": "2000000.00",
                                "courier": "文物运输", "crates": 2}, status="transport")
    for item in (ia, ib):
        act(lender, "condition_check", {"item_id": item, "direction": "outgoing", "condition": "good",
                                        "checked_on": day, "examiner": "王"})
    act(lender, "dispatch", {"date": day}, status="dispatched")
    act(borrower, "receive", {"date": day}, status="on_loan")
    got = act(borrower, "condition_check", {"item_id": ia, "direction": "incoming", "condition": "fair",
                                            "checked_on": day, "examiner": "李", "new_damage": True})
    assert got["objects"][0]["differs"] is True
    got = act(lender, "return", {"item_ids": [ia], "date": day}, status="returning")
    assert got["objects"][0]["returned_on"] == day and got["objects"][1]["returned_on"] is None
    act(lender, "condition_check", {"item_id": ib, "direction": "incoming", "condition": "good", "checked_on": day,
                                    "examiner": "王"})
    act(lender, "return", {"date": day}, status="returned")
    got = act(lender, "close", status="closed")
    assert got["next_actions"] == []


def test_decline_withdraw_and_cancel_need_a_reason(client, world):
    loan = request(world, [make_object(world.helper_museum)])
    response = post(client, world.helped_staff, f"{LOANS}/{loan.pk}/actions/withdraw")
    assert response.status_code == 422 and response.json()["errors"] == [
        {"field": "reason", "message": "撤回必须说明原因。"}]
    assert post(client, world.helped_staff, f"{LOANS}/{loan.pk}/actions/withdraw",
                {"reason": "展览取消"}).json()["status"] == "withdrawn"


def test_an_overdue_loan_warns_in_the_record(client, world):
    loan = request(world, [make_object(world.helper_museum)], start=days(-100), end=days(-5), today=days(-120))
    to_status(world, loan, LoanStatus.ON_LOAN)
    got = client.get(f"{LOANS}/{loan.pk}", **bearer(world.helped_staff)).json()
    assert any("逾期5天" in w for w in got["warnings"])
    assert client.get(LOANS, {"overdue": "true"}, **bearer(world.admin)).json()["count"] == 1


@pytest.mark.parametrize("value", ["展览\x00取消", "\u202e取消", 12345678901234567890])
def test_bad_input_in_an_action_is_a_422_beside_its_field_never_a_500(client, world, value):
    loan = request(world, [make_object(world.helper_museum)])
    response = post(client, world.helped_staff, f"{LOANS}/{loan.pk}/actions/withdraw", {"reason": value})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    response = post(client, world.helper_staff, f"{LOANS}/{loan.pk}/actions/review_item",
                    {"item_id": 10**30, "fit": True})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "item_id"
    response = post(client, world.helped_staff, LOANS, body_for(world, [make_object(world.helper_museum)],
                                                             start="２０２７-０１-０１"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "start"


def test_the_api_refuses_the_other_sides_second_condition_report_as_the_page_does(client, world):
    loan = request(world, [make_object(world.helper_museum)])
    to_status(world, loan, LoanStatus.ON_LOAN)
    item = loan.items.get()
    body = {"item_id": item.pk, "direction": "incoming", "checked_on": today().isoformat(), "examiner": "李"}
    assert post(client, world.helped_staff, f"{LOANS}/{loan.pk}/actions/condition_check",
                {**body, "condition": "poor"}).status_code == 200
    response = post(client, world.helper_staff, f"{LOANS}/{loan.pk}/actions/condition_check",
                    {**body, "condition": "good", "examiner": "王"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "direction"
    assert "归还点交记录已登记" in response.json()["errors"][0]["message"]
    got = client.get(f"{LOANS}/{loan.pk}", **bearer(world.helper_staff)).json()
    assert got["objects"][0]["incoming_condition"] == "poor" and got["objects"][0]["differs"] is True


def test_the_api_refuses_to_dispatch_an_object_found_poor_at_the_outgoing_report(client, world):
    loan = request(world, [make_object(world.helper_museum, name="彩绘陶壶")])
    to_status(world, loan, LoanStatus.AGREEMENT)
    s.loan_sign(loan=loan, by=world.helped_staff, number="JZ-1", signed_on=today())
    s.loan_set_transport(loan=loan, by=world.helped_staff, insurer="人保", policy_number="P-1",
                         insured_amount=None, courier="运输公司", crates=1)
    s.loan_condition_check(item=loan.items.get(), by=world.helper_staff, direction="outgoing",
                           condition="under_treatment", checked_on=today(), examiner="王")
    response = post(client, world.helper_staff, f"{LOANS}/{loan.pk}/actions/dispatch", {"date": today().isoformat()})
    assert response.status_code == 422
    assert "）出馆点交时保存状态为“修复中”，不得出借" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.TRANSPORT
