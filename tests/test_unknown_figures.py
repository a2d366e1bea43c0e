"""A museum's unknown annual visitors (0 in the national directory: not reported) read as unknown, not "0.0 万"."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from bangfu.museums.models import Museum

from .factories import make_museum

pytestmark = pytest.mark.django_db


def test_the_museum_page_says_unknown_visitors_are_unknown(client, world):
    body = client.get(reverse("museums:detail", args=[world.helped_museum.pk])).content.decode()
    assert world.helped_museum.visitors_10k == 0
    assert 'data-testid="visitors"><span class="text-secondary" title="名录中未填报">未知</span>' in body
    assert "0.0" not in body


def test_known_visitors_are_shown_in_wan_or_as_people(client, db):
    big = make_museum("八路军太行纪念馆", visitors_10k=Decimal("69.6605"))
    small = make_museum("某县文物陈列馆", visitors_10k=Decimal("0.04"))
    assert 'data-testid="visitors">69.7万</div>' in client.get(
        reverse("museums:detail", args=[big.pk])).content.decode()
    assert 'data-testid="visitors">400</div>' in client.get(
        reverse("museums:detail", args=[small.pk])).content.decode()


def test_the_directory_shows_a_dash_for_unknown_visitors(client, db):
    make_museum("安泽县博物馆")
    make_museum("八路军太行纪念馆", visitors_10k=Decimal("69.6605"))
    body = client.get(reverse("museums:directory")).content.decode()
    assert "69.7万" in body and 'title="未知（名录中未填报）">—</span>' in body and "0.0 万" not in body


def test_the_export_leaves_unknown_visitors_empty_and_reads_back_the_same(login, world):
    make_museum("八路军太行纪念馆", visitors_10k=Decimal("69.6605"))
    response = login(world.admin).get(reverse("museums:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    col = header.index("参观人数（万人次）")
    rows = [r + (None,) * (len(header) - len(r)) for r in rows]  # read-only mode drops trailing empty cells
    by_name = {r[header.index("博物馆名称")]: r[col] for r in rows}
    assert by_name["安泽县博物馆"] is None
    assert Decimal(str(by_name["八路军太行纪念馆"])) == Decimal("69.6605")
    assert Museum.objects.get(name="安泽县博物馆").annual_visitors is None
