"""The crawl: every page of the access matrix, as every role, with its normal query parameters and with hostile
ones, and again with HTML and control characters stored in every free-text field of every record of the scene.

For each page and role the answer is a page (200) or a refusal (a redirect to the login page, 403, 404, 405 —
which one is the access matrix's business), never a server error; a page has no template error (an unknown
variable renders a marker that must not appear), no unescaped HTML from the query string or the database, and an
export opens (Excel with openpyxl, Word with python-docx, JSON with json).

The pages are the access matrix's (MATRIX in tests/test_access_matrix.py and tests/access_*.py, built on the same
scene): a module that adds its pages and its scene there is crawled here without further work, its records spoilt
too. The query parameters a page reads are found in the page itself (its forms' fields and its own links) and in
a fixed list of the usual names.

The crawl shares one scene per module (built once, rolled back at the end; each request's changes roll back after
it) and sends a bounded number of requests: for each role that sees a page, its own GET forms submitted as they
are, then each hostile kind spread over all the parameters at once; for each role refused, one request with every
hostile value. A request that fails is retried with halves of its parameters to name the culprits.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import json
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection, models, transaction
from django.test import Client, override_settings

from .factories import build_world
from .test_access_matrix import MATRIX, POST_ONLY, build_scene

# Everyone the platform knows, by the world's attribute (None: an anonymous visitor).
ROLES = ("admin", "province_supervisor", "helper_admin", "helper_staff", "helped_admin", "helped_staff", "expert",
         "outsider", None)

# Query parameters pages commonly read; each page adds its forms' fields and its own links' parameters.
COMMON_PARAMS = ("page", "q", "city", "county", "grade", "year", "quarter", "area", "helper", "helped", "status",
                 "sort", "order", "format", "offset", "limit", "role", "region", "ownership", "type", "show", "v",
                 "view", "next", "template", "museum", "kind", "side", "confirmation")

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never come back unescaped in an HTML page.
UNESCAPED = ("<script>alert(1)", "<img src=x onerror")
HOSTILE = {
    "Unicode 数字": ["²", "٣", "１２"],
    "超大数字": ["99999999999999999999", "9223372036854775808", "-1", "1e308", "NaN"],
    "控制字符": ["a\x00b\x0bc\x1fd"],
    "超长字符串": ["9" * 10_000, "长" * 10_000],
    "HTML": [SCRIPT + IMG],
}
# Stored values: no NUL, which PostgreSQL text cannot hold (the input validators keep every control character out).
STORED_CONTROL = "\x0b\x1f\x08"
STORED_HTML = (SCRIPT + IMG, IMG)  # the long one, or the short one for short fields

INVALID_VARIABLE = "@@invalid-template-variable@@"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Known:
    """A defect the crawl finds today that another branch fixes: remove the entry once the fix is merged."""

    pages: tuple[str, ...]
    problem: str  # a regular expression searched in the failure's description
    reason: str
    vendor: str | None = None  # only on this database ("sqlite", "postgresql")

    def matches(self, failure: Failure) -> bool:
        return (failure.page in self.pages and re.search(self.problem, failure.problem) is not None
                and self.vendor in (None, connection.vendor))


INT_PAGES = ("museums:directory", "museums:points", "museums:export", "pairings:list", "pairings:lines",
             "ledger:list", "ledger:export", "experts:directory", "agreements:print", "agreements:docx")
SEARCH_PAGES = ("museums:directory", "museums:points", "museums:export", "pairings:list", "pairings:lines",
                "ledger:list", "ledger:export", "experts:directory", "accounts:users", "history")
KNOWN_FAILURES: list[Known] = []  # a defect found and not yet fixed: Known(pages, problem regex, reason)


@dataclass
class Failure:
    page: str
    role: str
    request: str
    url: str
    problem: str

    def __str__(self):
        url = self.url if len(self.url) < 160 else self.url[:157] + "…"
        return f"{self.page} as {self.role}, {self.request}: {url}\n    {self.problem}"


def _close_generators(exc: BaseException):
    """Close the generators left in the frames an exception went through. A view that failed while reading a
    queryset.iterator() leaves a PostgreSQL server-side cursor open; the garbage collector would close it at some
    later moment, inside another query on the same connection, where psycopg then waits for its own lock forever
    (in production: a worker that hangs on its next request)."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if inspect.isgenerator(value):
                with contextlib.suppress(Exception):
                    value.close()
        tb = tb.tb_next


def _summary(exc: BaseException) -> str:
    """The exception and the innermost frames of the project's own code."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/bangfu/" in f.filename]
    where = " ← ".join(f"{Path(f.filename).relative_to(settings.BASE_DIR)}:{f.lineno} {f.name}"
                       for f in reversed(frames[-3:]))
    return f"{type(exc).__name__}: {str(exc)[:200]}" + (f" at {where}" if where else "")


class PageParser(HTMLParser):
    """The forms (method, action, fields) and links of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self.hx_targets: set[str] = set()
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("hx-target", "").startswith("#"):
            self.hx_targets.add(a["hx-target"][1:])
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append({"get": method == "get" or "hx-get" in a, "action": a.get("hx-get") or a.get("action"),
                               "fields": []})
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("input", "select", "textarea") and a.get("name") and self.forms:
            entry = {"name": a["name"], "tag": tag, "type": (a.get("type") or "text").lower(),
                     "value": a.get("value") or "", "checked": "checked" in a, "options": []}
            self.forms[-1]["fields"].append(entry)
            if tag == "select":
                self._select = entry
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _normal_query(form: dict) -> dict:
    """A GET form submitted as a person would: its values as they stand, each select on its first real option."""
    query = {}
    for f in form["fields"]:
        if f["type"] in ("submit", "button", "file", "reset") or f["name"] == "csrfmiddlewaretoken":
            continue
        if f["type"] in ("checkbox", "radio"):
            if f["checked"]:
                query[f["name"]] = f["value"] or "on"
        elif f["tag"] == "select":
            chosen = [v for v, selected in f["options"] if selected and v]
            real = [v for v, _ in f["options"] if v]
            query[f["name"]] = (chosen or real or [""])[0]
        else:
            query[f["name"]] = f["value"]
    return query


def _spread(params: list[str], values: list[str]) -> Iterable[dict]:
    """len(values) queries, together giving every parameter every value."""
    for shift in range(len(values)):
        yield {p: values[(i + shift) % len(values)] for i, p in enumerate(params)}


def _bisect(params: dict, reproduces) -> dict:
    """The parameters that each cause the failure alone, found by halving (about 2·log₂ n requests for one)."""
    if len(params) == 1:
        return params
    items = list(params.items())
    found = {}
    for part in (dict(items[: len(items) // 2]), dict(items[len(items) // 2:])):
        if reproduces(part):
            found |= _bisect(part, reproduces)
    return found


def _gist(problem: str) -> str:
    """A problem without the values quoted in it: the same defect met with another value is reported once."""
    return re.sub(r"'[^']*'|\d{5,}", "…", problem)


def _with_query(url: str, query: dict) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}" if query else url


class Crawler:
    def __init__(self, scene, clients: dict, *, matrix: dict = MATRIX, post_only: set = POST_ONLY):
        self.scene = scene
        self.clients = clients
        self.matrix = matrix
        self.post_only = post_only
        self.failures: list[Failure] = []
        self.seen: set[tuple] = set()
        self.culprits: dict[str, str] = {}  # problem → the parameters that cause it

    # --- one request --------------------------------------------------------------------------------------

    def probe(self, role, url: str, **headers) -> tuple[object | None, list[str]]:
        """The response (None if the view raised) and what is wrong with it. Each request starts from the scene as
        built: what it changed, or broke (on PostgreSQL a failed query aborts the transaction), is rolled back."""
        savepoint = transaction.savepoint()
        try:
            response = self.clients[role].get(url, **headers)
            # Reading a streamed answer to its end closes it, as the test client arranges (closing it here would
            # close the database connection too).
            response.body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as exc:  # the test client re-raises what the view raised: a 500 for a visitor
            _close_generators(exc)
            return None, [f"500 {_summary(exc)}"]
        finally:
            transaction.savepoint_rollback(savepoint)
            transaction.set_rollback(False)  # back at a good savepoint, whatever a failed request marked
        problems = [f"{response.status_code} answered"] if response.status_code >= 500 else []
        if response.status_code == 200:
            problems += self.check_body(response, response.body)
        return response, problems

    def check_body(self, response, content: bytes) -> list[str]:
        kind = response.get("Content-Type", "").split(";")[0].strip()
        try:
            if kind == "text/html":
                text = content.decode()
                problems = [f"unescaped {raw!r} in the page" for raw in UNESCAPED if raw in text]
                where = text.find(INVALID_VARIABLE)
                if where >= 0:
                    context = " ".join(text[max(0, where - 80):where].split())
                    problems.append(f"template error: an unknown variable is shown after …{context}")
                return problems
            if kind == "application/json":
                json.loads(content)
            elif kind == XLSX:
                from openpyxl import load_workbook

                workbook = load_workbook(io.BytesIO(content), read_only=True)
                for sheet in workbook.worksheets:
                    for _ in sheet.iter_rows(values_only=True):
                        pass
                workbook.close()
            elif kind == DOCX:
                from docx import Document

                document = Document(io.BytesIO(content))
                for table in document.tables:
                    _ = [cell.text for row in table.rows for cell in row.cells]
        except Exception as exc:
            return [f"{kind} does not open: {_summary(exc)}"]
        return []

    def fetch(self, page: str, role, label: str, url: str, params: dict | None = None, **headers):
        """Request `url` (with `params`) and record what is wrong, once per page and role: a problem the page has
        anyway is not blamed on the parameters. A request with several parameters that fails is retried with one
        at a time to name the culprits."""
        full = _with_query(url, params or {})
        response, problems = self.probe(role, full, **headers)
        problems = [p for p in problems if (role, _gist(p)) not in self.seen]
        if problems and params and len(params) > 1:
            key = _gist(problems[0])
            if key not in self.culprits:
                def reproduces(part: dict) -> bool:
                    return any(_gist(p) == key for p in self.probe(role, _with_query(url, part), **headers)[1])

                culprits = _bisect(params, reproduces)
                self.culprits[key] = ", ".join(f"{k}={v[:24]!r}" for k, v in culprits.items()) or "参数组合"
            label = f"{label}, {self.culprits[key]}"
        for problem in problems:
            self.seen.add((role, _gist(problem)))
            self.failures.append(Failure(page, role or "anonymous", label, full, problem))
        return response

    # --- one page -------------------------------------------------------------------------------------------

    def crawl(self, page: str, *, hostile: bool) -> list[Failure]:
        url = self.matrix[page][0](self.scene)
        seeing = []  # (role, parser) for each role that gets the page
        for role in ROLES:
            response = self.fetch(page, role, "正常参数", url)
            if page in self.post_only:
                continue  # a GET on a POST-only address: only that it does not fail
            if response is None or response.status_code != 200:
                if hostile:  # refused: one request carrying every hostile value, to be refused the same way
                    values = [v for kind in HOSTILE.values() for v in kind]
                    self.fetch(page, role, "全部恶意参数", url, next(_spread(self._params(url, None), values)))
                continue
            parser = None
            if response.get("Content-Type", "").startswith("text/html"):
                parser = PageParser()
                parser.feed(response.body.decode())
                self._normal(page, role, url, parser)
            seeing.append((role, parser))
        if hostile and seeing:
            # Each hostile kind as few requests as give every parameter every value, spread over the roles that see
            # the page, and at least one for each of them.
            for kind, values in HOSTILE.items():
                for shift in range(max(len(values), len(seeing))):
                    role, parser = seeing[shift % len(seeing)]
                    params = self._params(url, parser)
                    query = {p: values[(i + shift) % len(values)] for i, p in enumerate(params)}
                    self.fetch(page, role, f"恶意参数：{kind}", url, query)
        return self.failures

    def _normal(self, page: str, role, url: str, parser: PageParser):
        """The page's GET forms submitted as they stand, its links to itself, its htmx fragments."""
        path = urlsplit(url).path
        for form in parser.forms:
            action = form["action"] or path
            if form["get"] and action.startswith("/"):
                self.fetch(page, role, "页面表单", action, _normal_query(form))
        own_links = sorted({href for href in parser.links if href.startswith(f"{path}?")})[:2]
        for href in own_links:
            self.fetch(page, role, "页面链接", href)
        for target in sorted(parser.hx_targets)[:1]:
            self.fetch(page, role, f"htmx 片段 #{target}", url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target)

    def _params(self, url: str, parser: PageParser | None) -> list[str]:
        names = set(COMMON_PARAMS)
        if parser is not None:
            path = urlsplit(url).path
            names |= {f["name"] for form in parser.forms for f in form["fields"]}
            for href in parser.links:
                if href.startswith(f"{path}?"):
                    names |= {pair.split("=")[0] for pair in urlsplit(href).query.split("&") if pair}
        names.discard("csrfmiddlewaretoken")
        return sorted(names)


# --- hostile stored values ---------------------------------------------------------------------------------


# Text fields the code writes for itself (or that identify an account): left as they are.
INTERNAL_FIELDS = {"password", "username", "email", "key", "key_hash", "key_hint", "url", "source_type",
                   "recorded_side", "pinyin", "pinyin_initials", "location_basis"}


def _text_fields(obj) -> list[str]:
    """The free-text fields of a record: what a user (or an import) fills in."""
    return [f.name for f in obj._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.editable and not f.choices and not f.unique
            and f.name not in INTERNAL_FIELDS
            and not (f.name == "link" and getattr(obj, "file", None))]  # an attachment is a file or a link, not both


def _spoil(obj):
    """Append HTML and control characters to the record's free-text fields, written straight to the database as
    data stored before the validators (or brought in by an import) would be."""
    values = {}
    for name in _text_fields(obj):
        limit = obj._meta.get_field(name).max_length or 10_000
        payload = next((p for p in STORED_HTML if len(p) + len(STORED_CONTROL) < limit), "")
        current = getattr(obj, name) or ""
        values[name] = current[: limit - len(payload) - len(STORED_CONTROL)] + payload + STORED_CONTROL
    type(obj).objects.filter(pk=obj.pk).update(**values)


def store_hostile_values(scene):
    """Every record of the scene (the world's museums and people, and what each module's scene added) spoilt."""
    for value in vars(scene).values():
        if isinstance(value, models.Model):
            _spoil(value)
    for goal in scene.agreement.goals.all():
        _spoil(goal)


# --- the tests ------------------------------------------------------------------------------------------------


class InvalidVariable(str):
    """What an unknown template variable renders as: empty and false like Django's default, so `{% if %}` and
    `|default` keep working, but a marker when it reaches the page itself."""

    def __str__(self):
        return INVALID_VARIABLE

    __html__ = __str__


def _strict_templates() -> list[dict]:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"] |= {"debug": True, "string_if_invalid": InvalidVariable("")}
    return templates


@pytest.fixture(scope="module")
def crawl_scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's scene and a signed-in client per role, built once for the module inside a transaction that is
    rolled back after its last test (each test runs in a savepoint of its own inside it)."""
    changed = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("crawl-media"), TEMPLATES=_strict_templates())
    changed.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            scene = build_scene(build_world())
            clients = {}
            for role in ROLES:
                clients[role] = Client()
                if role:
                    clients[role].force_login(getattr(scene, role),
                                              backend="bangfu.accounts.backends.AccountBackend")
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            changed.disable()
            raise
    yield scene, clients
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    changed.disable()


def _verdict(failures: list[Failure]):
    unknown = [f for f in failures if not any(k.matches(f) for k in KNOWN_FAILURES)]
    if unknown:
        pytest.fail(f"{len(unknown)} problem(s):\n" + "\n".join(map(str, unknown)), pytrace=False)
    if failures:
        reasons = sorted({k.reason for f in failures for k in KNOWN_FAILURES if k.matches(f)})
        pytest.xfail("; ".join(reasons))


PAGES = sorted(MATRIX)


@pytest.mark.parametrize("page", PAGES)
def test_every_role_gets_the_page_or_a_refusal_whatever_the_query_string(page, crawl_scene, db):
    scene, clients = crawl_scene
    _verdict(Crawler(scene, clients).crawl(page, hostile=True))


@pytest.mark.parametrize("page", PAGES)
def test_stored_html_and_control_characters_are_shown_escaped_and_exported(page, crawl_scene, db):
    scene, clients = crawl_scene
    store_hostile_values(scene)
    _verdict(Crawler(scene, clients).crawl(page, hostile=False))


def test_the_crawler_sees_unescaped_html_unknown_variables_and_broken_exports():
    """The checks themselves: what they must catch, and what they must let through."""
    from django.http import HttpResponse
    from django.template import engines

    crawler = Crawler(scene=None, clients={})
    page = HttpResponse(f"<p>{IMG}</p>")
    assert crawler.check_body(page, page.content) == ["unescaped '<img src=x onerror' in the page"]
    escaped = HttpResponse("<p>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>")
    assert crawler.check_body(escaped, escaped.content) == []
    broken = HttpResponse(b"PK not a workbook", content_type=XLSX)
    assert crawler.check_body(broken, broken.content)[0].startswith(f"{XLSX} does not open")
    with override_settings(TEMPLATES=_strict_templates()):
        template = engines["django"].from_string(
            '{{ missing|default:"无" }}{% if missing %}有{% endif %}<input value="{{ missing }}">')
        text = template.render({})
    assert text.startswith("无<input") and INVALID_VARIABLE in text
    page = HttpResponse(text)
    assert crawler.check_body(page, page.content) == [
        'template error: an unknown variable is shown after …无<input value="']


def test_the_hostile_stored_values_reach_the_pages_escaped(crawl_scene, db):
    scene, clients = crawl_scene
    store_hostile_values(scene)
    page = clients[None].get(MATRIX["museums:detail"][0](scene)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
