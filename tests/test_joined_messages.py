"""Several messages shown together read as one sentence: joined by "；" without "。；", and a refusal says only
what is wrong (an over-long objection is not also told to state an objection)."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from bangfu.core.validation import join_messages
from bangfu.ledger.services import ledger_record

pytestmark = pytest.mark.django_db


def test_messages_are_joined_without_doubled_punctuation():
    assert join_messages(["不能超过 300 个字（现在是 400 个）。", "不能包含控制字符。"]) == (
        "不能超过 300 个字（现在是 400 个）；不能包含控制字符。")
    assert join_messages(["请填写此项。"]) == "请填写此项。"
    assert join_messages([]) == ""


def test_the_template_filter_joins_and_escapes():
    html = Template("{% load bf %}{{ errors|messages }}").render(Context({"errors": ["<b>坏</b>。", "再试。"]}))
    assert html == "&lt;b&gt;坏&lt;/b&gt;；再试。"


def test_no_template_joins_messages_with_a_bare_semicolon():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "bangfu"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html")
                 if 'join:"；"' in p.read_text(encoding="utf-8") and "museums" not in p.parts]
    assert offenders == []


@pytest.fixture
def entry(world):
    today = timezone.localdate()
    return ledger_record(by=world.helper_staff, helper=world.helper_museum, helped=world.helped_museum,
                         area="people", kind="培训", date=today - datetime.timedelta(days=3), description="讲解员培训",
                         people_trained=20, evidence_link="https://example.org/photos")


@pytest.mark.parametrize(("objection", "expected", "absent"), [
    ("太" * 400, "不能超过 300 个字（现在是 400 个）。", "请说明异议"),
    ("日期不对\x07", "控制字符", "请说明异议"),
    ("   ", "请说明异议（例如：日期、人数或内容与实际不符）。", "不能超过"),
])
def test_an_objection_is_refused_for_what_is_wrong_with_it_only(world, entry, login, objection, expected, absent):
    response = login(world.helped_admin).post(reverse("ledger:confirm", args=[entry.pk]),
                                              {"decision": "object", "objection": objection})
    assert response.status_code == 400
    errors = response.context["confirm_form"].errors["objection"]
    assert len(errors) == 1 and expected in errors[0] and absent not in errors[0]
    assert "。；" not in response.content.decode()
