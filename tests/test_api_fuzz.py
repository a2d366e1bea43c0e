"""The API fuzzed from its own OpenAPI schema: schemathesis generates requests for every operation of
/api/openapi.json (valid and invalid ones, boundary values first) and sends them in-process to the WSGI
application, anonymously, with a personal token and with a revoked one. Every answer is checked: no server error,
a documented status code, a body and headers as documented, invalid input refused.

Seeded and bounded: the generation is derandomized (the same requests on every run) with a fixed number of examples
per operation, so the whole file takes well under a minute; a new operation is fuzzed without further work.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import FailureGroup

from bangfu.api.services import token_create, token_revoke
from bangfu.experts.services import expert_create
from bangfu.museums.services import museum_set_areas, museum_update

from .factories import division, make_museum, make_user

MAX_EXAMPLES = 60  # per operation and identity, besides the schema's boundary values

# The values that broke the pages (tests/test_crawl.py), offered to every integer and string parameter now and then:
# schema-valid ones in positive cases (an offset beyond 64 bits is a valid offset), the others in negative ones.
HOSTILE_INTEGERS = [2**63, -(2**63) - 1, 10**20, 2**31, -1]
HOSTILE_STRINGS = ["²", "１４０１００", "9223372036854775808", "1e308", "a\x00b", "\x0b", "<script>alert(1)</script>",
                   "长" * 60]
CONFIG = schemathesis.Config.from_dict({
    "dictionaries": {"hostile-integers": {"values": HOSTILE_INTEGERS},
                     "hostile-strings": {"values": HOSTILE_STRINGS}},
    "parameters": {"query.q": {"dictionary": "hostile-strings", "probability": 0.3}},  # the free-text searches
    # Rules no OpenAPI schema can state, answered with a field-by-field 422 like the pages': a post's date not before
    # today, a sub-type that exists, is active and belongs to the area, regions and museums that exist.
    "operations": [{"include-path": "/api/exchange/posts", "include-method": "POST",
                    "checks": {"positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "422"]}}},
                   # A gateway's batch: an item that breaks the item schema is refused on its own in the 200 answer
                   # (the good items are kept), and a bare list is taken for {"readings": […]} — by design.
                   {"include-path": "/api/environment/readings", "include-method": "POST",
                    "checks": {"negative_data_rejection": {"enabled": False}}}],
    "generation": {
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,  # the same requests on every run
        "database": "none",
        "with-security-parameters": False,  # credentials are the test's to choose: none, or the user's token
        "dictionaries": {"integer": {"dictionary": "hostile-integers", "probability": 0.25},
                         "string": {"dictionary": "hostile-strings", "probability": 0.25}},
    },
})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)


@dataclass(frozen=True)
class Known:
    """A defect the fuzzer finds today that another branch fixes: remove the entry once the fix is merged."""

    failure: str  # the schemathesis failure's class name
    message: str  # a regular expression searched in its message
    reason: str
    operation: str = ""  # a regular expression searched in "METHOD /path"
    query: Callable[[dict], bool] | None = None  # a test on the request's query parameters
    vendor: str | None = None  # only on this database ("sqlite", "postgresql")

    def matches(self, failure, case) -> bool:
        return (type(failure).__name__ == self.failure and re.search(self.message, failure.message) is not None
                and re.search(self.operation, f"{case.method} {case.path}") is not None
                and (self.query is None or self.query(case.query or {}))
                and self.vendor in (None, connection.vendor))


def _values(query: dict) -> list[str]:
    return [str(v) for value in query.values() for v in (value if isinstance(value, list) else [value])]


def _beyond_64_bits(query: dict) -> bool:
    return any(re.fullmatch(r"-?\d+", v) and abs(int(v)) >= 2**63 for v in _values(query))


def _nul(query: dict) -> bool:
    return any("\x00" in v for v in _values(query))


PUBLIC = "the schema does not mark the public endpoints as public"
KNOWN_FAILURES: list[Known] = []  # a defect found and not yet fixed: Known(check, message regex, reason, …)


SEEN: set[tuple] = set()  # known failures already reported


def _known(failure, case) -> str | None:
    return next((k.reason for k in KNOWN_FAILURES if k.matches(failure, case)), None)


@pytest.fixture
def bearer_tokens(db) -> dict:
    """What the API lists — museums with places, needs and offers and a branch, an expert — and a user's live token
    and revoked token."""
    shanbo = make_museum("山西博物院", short_name="晋博", city="140100", county="140109", grade="一级",
                         contact_person="王老师", phone="0351-8789555", visitors_10k=300, collections=500000)
    anze = make_museum("安泽县博物馆", county="141026", grade="三级", visitors_10k=2, collections=3000)
    make_museum("大同市民俗博物馆", city="140200", ownership="非国有", collections=100)
    branch = make_museum("山西博物院青铜博物馆", city="140100", county="140109")
    museum_update(museum=branch, by=None, data={"head": shanbo})
    museum_set_areas(museum=shanbo, by=None, kind="offer",
                     items={"conservation": {"text": "青铜器修复", "capacity": 3}})
    museum_set_areas(museum=anze, by=None, kind="need", items={"exhibition": {"text": "基本陈列改造"}})
    expert_create(by=None, name="冯雅琴", organisation="山西考古研究院", areas=["conservation"],
                  regions=[division("140100")], museum=shanbo, phone="13800000000")
    user = make_user("museum_staff", museum=anze, username="gateway")
    token_create(user=user, name="备用令牌")  # token ids are small: the fuzzer revokes one now and then (204)
    revoked, raw_revoked = token_create(user=user, name="已撤销的令牌")
    token_revoke(token=revoked, by=user)
    return {"token": token_create(user=user, name="温湿度网关")[1], "revoked token": raw_revoked}


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests go through the WSGI handler, which closes the database connection at the end of each request when
    it finds it inside a transaction — the test's. Django's own test client disconnects that handler; so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("identity", ["anonymous", "token", "revoked token"])
@schema.parametrize()
@settings(deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_api_answer_is_as_documented(case, identity, bearer_tokens, wsgi_in_test_transaction):
    # The in-process client does not decompress what GZipMiddleware sends; a real client would.
    headers = {"Accept-Encoding": "identity"}
    if identity in bearer_tokens:
        headers["Authorization"] = f"Bearer {bearer_tokens[identity]}"
    # Each example from the same database state, whatever the one before changed or broke (on PostgreSQL a failed
    # query aborts the whole transaction).
    savepoint = transaction.savepoint()
    try:
        case.call_and_validate(headers=headers)
    except FailureGroup as group:
        unknown = [f for f in group.exceptions if not _known(f, case)]
        for failure in group.exceptions:
            if (reason := _known(failure, case)) and (reason, case.path) not in SEEN:
                SEEN.add((reason, case.path))
                warnings.warn(f"known failure ({reason}): {case.method} {case.path}", stacklevel=1)
        if unknown:
            raise FailureGroup(unknown, group.message) from None
    finally:
        transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(False)  # back at a good savepoint, whatever a failed request marked
