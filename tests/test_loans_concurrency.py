"""The chained cap holds when two museums ask for the same 一级文物 at the same moment: `loan_request` locks the
objects' rows (SELECT … FOR UPDATE) before it adds up their loans, so the second request waits for the first to
commit, counts again and is refused. As in tests/test_pairing_concurrency.py: own connections, real commits."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bangfu.loans import services as s
from bangfu.loans.models import Loan

from .factories import ensure_divisions, make_museum, make_user
from .loans_helpers import days, make_object
from .test_pairing_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _reload_divisions_afterwards(django_db_blocker):
    """A transactional test empties every table when it ends; the other tests expect the divisions loaded."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


def test_two_requests_racing_for_the_last_months_of_a_first_grade_object_are_not_both_accepted():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory test database is shared between threads (see test_pairing_concurrency)")
    ensure_divisions()
    lender = make_museum("山西博物院", city="140100", grade="一级")
    obj = make_object(lender, grade="一级", name="晋侯鸟尊")
    start = days(30)
    first = make_user("museum_staff", museum=make_museum("县博物馆甲", county="141026"), username="race_a")
    s.loan_request(by=first, lender=lender, objects=[obj], purpose="展览", venue="展厅", start=start,
                   end=s.term_end(start, 24))
    later = s.add_months(start, 24)
    racers = [make_user("museum_staff", museum=make_museum(f"县博物馆{i}", county="141026"), username=f"race_{i}")
              for i in range(2)]
    results = race([lambda u=u: s.loan_request(by=u, lender=lender, objects=[obj], purpose="展览", venue="展厅",
                                               start=later, end=s.term_end(later, 12)) for u in racers])
    accepted = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(accepted) == 1 and len(refused) == 1, results
    assert any(w in " ".join(refused[0].messages) for w in ("累计借展期限", "期限重叠"))
    assert s.object_loan_days(obj) == s.cap_days(start, 36)
