"""The ledger's concepts are written once and read the same everywhere: the five quantities (their fields, labels and
units), Chinese dates, the two ways an entry ends, and the limit of a description."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse
from django.utils import timezone

from bangfu.agreements import reminders
from bangfu.agreements import services as agreement_services
from bangfu.agreements.forms import CompleteForm, TaskForm
from bangfu.agreements.models import AgreementTask
from bangfu.api.api import api
from bangfu.core import dates
from bangfu.ledger import forms as ledger_forms
from bangfu.ledger import selectors
from bangfu.ledger import services as ledger_services
from bangfu.ledger.forms import CorrectForm, EntryForm, LimitsForm
from bangfu.ledger.models import DAYS, MONEY_YUAN, QUANTITIES, QUANTITY_FIELDS, LedgerEntry
from bangfu.ledger.services import ledger_record

from .factories import make_agreement

pytestmark = pytest.mark.django_db


def test_every_module_reads_the_one_list_of_quantity_fields():
    assert agreement_services.QUANTITY_FIELDS is QUANTITY_FIELDS and ledger_services.QUANTITY_FIELDS is QUANTITY_FIELDS
    assert ledger_forms.QUANTITY_FIELDS is QUANTITY_FIELDS
    assert [key for key, *_ in selectors.MEASURES[1:]] == QUANTITY_FIELDS
    for quantity in QUANTITIES:
        for model in (LedgerEntry, AgreementTask):
            assert model._meta.get_field(quantity.name).verbose_name == quantity.heading


def test_a_quantity_has_the_same_name_in_every_form_column_card_and_message(world, login):
    due = timezone.localdate() + datetime.timedelta(days=30)
    task = make_agreement(world, tasks=[{"title": "讲解员培训", "due_date": due}]).tasks.get()
    entry = ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                          kind="培训", date=datetime.date(2026, 3, 10), description="培训班", days=2)
    forms = [EntryForm(user=world.admin), CorrectForm(instance=entry), TaskForm(people=[]),
             CompleteForm(task=task)]
    for form in forms:
        assert form.fields["days"].label == "帮扶天数（天）" and form.fields["money_yuan"].label == "投入金额（元）"
    assert LimitsForm().fields["days"].label == "帮扶天数上限（天）"
    cards = login(world.admin).get(reverse("ledger:list")).context["cards"]
    assert ("days", "帮扶天数", "天", 2) in cards
    schema = api.get_openapi_schema()["components"]["schemas"]["LedgerEntryOut"]["properties"]
    assert schema["days"]["description"] == DAYS.heading and schema["money_yuan"]["description"] == MONEY_YUAN.heading
    with pytest.raises(ValidationError, match="帮扶天数不能超过 3,650 天"):
        ledger_record(by=world.admin, helper=world.helper_museum, helped=world.helped_museum, area="people",
                      kind="培训", date=datetime.date(2026, 3, 10), description="培训班", days=4000)
    assert entry.quantity_summary == "帮扶天数 2 天"


def test_chinese_dates_are_written_by_the_one_cn_date():
    assert ledger_services.cn_date is dates.cn_date and reminders.cn_date is dates.cn_date
    assert agreement_services.cn_date is dates.cn_date


def test_voiding_and_withdrawing_are_one_view():
    assert resolve("/ledger/1/void/").func is resolve("/ledger/1/withdraw/").func
