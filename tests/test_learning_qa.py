"""Defects found by walking the learning record's pages (review round of issue 11): each test is what would have
caught one."""

import datetime

import pytest
from django.urls import reverse

from bangfu.learning.services import hours_record

pytestmark = pytest.mark.django_db


def test_the_hours_column_heading_does_not_break_into_one_character_per_line_on_a_phone(world, login):
    hours_record(person=world.helped_staff, source_type="training.class", source_id=1, source_label="培训班",
                 title="县级博物馆文物保护专项业务培训班", hours=18, date=datetime.date.today())
    page = login(world.helped_staff).get(reverse("learning:me")).content.decode()
    assert '<th class="text-end text-nowrap">学时</th>' in page


def test_the_hours_heading_of_the_overview_does_not_wrap_either(world, login):
    page = login(world.admin).get(reverse("learning:hours")).content.decode()
    assert '<th class="text-end text-nowrap">学时</th>' in page
