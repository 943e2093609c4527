"""Malformed input never becomes a server error: every URL pattern, as every persona, with
malformed values in each path parameter, in every query parameter and in the body of every form.

The pages say which names they take: the walk reads each page's forms (each field with the
value the page fills in) and its links' query strings, and adds the fields of every form class
of the project (views read input only through forms: the last test checks it). Two walks,
bounded so that together they take about half a minute:
- every persona, every URL: one query string and one body where every name has a malformed
  value (a different one for each name);
- every URL as the first persona that gets past its door (`DOOR_ORDER`): each path parameter
  with the values its converter lets through (a `<uuid:…>` lets none through but a well-formed
  id of nothing), the names its links send with each malformed value in turn; then each form of
  its page sent back filled in, with the fields of one kind (dates, numbers, choices, text…)
  set to each malformed value of that kind, so the value reaches the checks behind the form.
A refusal is a 4xx, or the page again or a redirect with a message; a 5xx, or an exception
escaping the view, fails the test with the request that caused it. Each URL's writes are rolled
back, so every URL meets the records as the access matrix made them.
"""

import ast
import copy
import datetime
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from conftest import PERSONAS
from oae.common.tests.test_access_matrix import ADMIN_NAMESPACE, MATRIX, all_url_patterns
from oae.common.tests.test_access_matrix import ctx as ctx  # the matrix's data, reused

# Values a view could trip on; each caused a 500 once.
MALFORMED = [
    "x",  # not an id, a number or a date
    "\x00",  # NUL: PostgreSQL refuses it in text
    "²",  # a Unicode digit: str.isdigit() says yes, int() says no
    "9" * 25,  # larger than any database integer
    "-1",
    "0001-01-01",  # the first day of the calendar: the week before it does not exist
    "9999-12-31",  # the last day: the day after it does not exist
    "2026-02-30",  # well formed, not a day
    "00000000-0000-0000-0000-000000000000",  # a well-formed id of nothing
]
# What each kind of form field is sent instead of what the page filled in.
MALFORMED_BY_KIND = {
    "date": ["0001-01-01", "9999-12-31", "2026-02-30"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59", "x"],
    "time": ["24:00", "x"],
    "number": ["9" * 25, "²", "-1", "1e400"],
    "hidden": ["x", "9" * 25, "²"],
    "select": ["x", "9" * 25, "²"],
    "radio": ["x", "9" * 25, "²"],
    "text": ["\x00", "a" * 400],
}
_PATH_VALUES = {
    "uuid": ["00000000-0000-0000-0000-000000000000"],
    "int": ["9" * 25, "0"],
    "slug": ["x", "9" * 25],
    "str": ["x", "\x00", "²", "9" * 25, "0001-01-01", "x.y"],
    # Ours (oae/common/converters.py): the extremes each lets through.
    "number": ["9" * 9, "0"],
    "year": ["0001", "9999"],
    "ine": ["00000", "99999"],
    "token": ["x", "a" * 200, "a:b.c"],
    "document": ["pdf", "xlsx"],
    "tableformat": ["csv", "xlsx"],
    "kind": ["service", "procedure", "process", "guide"],  # oae/catalogue/converters.py
}
# Whose walk opens each URL: the first of these who gets past its door (not signed in, not
# allowed: a redirect, 403 or 404). Managers may do most in an office, coordinators in the
# network, citizens with their own results, anonymous visitors on public pages.
DOOR_ORDER = [
    "manager_a",
    "coordinator",
    "advisor_a",
    "citizen",
    "anonymous",
    "auditor",
    "readonly_a",
    "advisor_b",
]
_REFUSED = {302, 403, 404}
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_FILE_FIELDS = {"file", "evidence", "upload"}


@dataclass
class _Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)

    def body(self) -> dict:
        data: dict[str, list[str]] = {}
        for name, kind, value in self.fields:
            if not kind.endswith("?"):
                data.setdefault(name, []).append(value)
        return data

    def filled(self) -> "_Form":
        """The form with its empty fields given a plausible value (tomorrow at ten, one, "x"),
        so that the one malformed field is what the view has to deal with."""
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        plausible = {
            "date": tomorrow.isoformat(),
            "datetime-local": f"{tomorrow.isoformat()}T10:00",
            "time": "10:00",
            "number": "1",
            "email": "x@example.org",
            "text": "x",
        }
        answered = {name for name, kind, _value in self.fields if kind == "radio"}
        fields = []
        for name, kind, value in self.fields:
            if kind == "radio?" and name not in answered:  # the first choice of a question
                answered.add(name)
                kind = "radio"
            fields.append((name, kind, value or plausible.get(kind, "")))
        return _Form(self.action, self.method, fields)


class _Page(HTMLParser):
    """A page's forms (each field with the value the page fills in) and, for each path its
    links lead to, the names in their query strings."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.forms: list[_Form] = []
        self.queries: dict[str, set[str]] = {}
        self._form: _Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        values = {key: value or "" for key, value in attrs}
        for attribute in ("href", "hx-get"):
            if "?" in values.get(attribute, ""):
                target = urlsplit(urljoin(self.url, values[attribute]))
                names = self.queries.setdefault(target.path, set())
                names.update(key for key, _ in parse_qsl(target.query))
        if tag == "form":
            action = urljoin(self.url, values.get("action") or self.url)
            self._form = _Form(action, values.get("method", "get").upper())
            self.forms.append(self._form)
        elif self._form is not None and (values.get("name") or tag == "option"):
            self._field(tag, values)

    def _field(self, tag, values):
        fields, name = self._form.fields, values.get("name", "")
        if tag == "button" or (tag == "input" and values.get("type") in {"submit", "button"}):
            fields.append((name, "hidden", values.get("value", "")))
        elif tag == "input" and values.get("type") != "file":
            kind = values.get("type", "text")
            if kind not in {"checkbox", "radio"}:
                fields.append((name, kind, values.get("value", "")))
            else:  # "radio?": a choice the page leaves unticked
                ticked = "checked" in values
                fields.append((name, kind if ticked else f"{kind}?", values.get("value", "on")))
        elif tag == "select":
            self._select = name
            fields.append((name, "select", ""))
        elif tag == "option" and self._select and ("selected" in values or not fields[-1][2]):
            # The option the page selects, else the first that is not empty.
            fields[-1] = (self._select, "select", values.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            fields.append((name, "text", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[-1] = (self._textarea, "text", data)


def _form_classes(base=forms.BaseForm):
    for cls in base.__subclasses__():
        if cls.__module__.startswith("oae."):
            yield cls
        yield from _form_classes(cls)


def _declared_names() -> set[str]:
    return {name for cls in _form_classes() for name in cls.base_fields}


def _patterns(ctx):
    """(a working URL, each persona's status for it) for every URL pattern but the admin
    site's: every persona is sent to the sign-in page before an admin view reads anything
    (see the access matrix)."""
    for key, namespace, _route in all_url_patterns():
        if namespace != ADMIN_NAMESPACE:
            _label, build, expected = MATRIX[key][0]
            yield build(ctx), dict(zip(PERSONAS, expected, strict=True))


def _malformed_paths(url):
    """The URL with one path parameter at a time replaced by each value its converter lets
    through (a regular-expression route, such as allauth's: any text)."""
    path = urlsplit(url).path
    match = resolve(path)
    route = "/" + match.route
    for target in _CONVERTER.finditer(route):
        for value in _PATH_VALUES[target["converter"] or "str"]:
            if "(?P" in route:
                given = quote(str(match.kwargs[target["name"]]), safe="")
                yield path.replace(given, quote(value, safe=""), 1)
                continue

            def fill(found, target=target, value=value):
                chosen = value if found.start() == target.start() else match.kwargs[found["name"]]
                return quote(str(chosen), safe="")

            yield _CONVERTER.sub(fill, route)


def _bad_files():
    return {
        name: SimpleUploadedFile("x.pdf", b"%PDF-\x00\xff not a document") for name in _FILE_FIELDS
    }


def _form_variants(form: _Form):
    """The form as the page filled it in, then with the fields of one kind at a time set to
    each malformed value of that kind (a form rarely has two fields of a kind, so the others
    stay valid and the value reaches the checks behind the form)."""
    yield form.body()
    form = form.filled()
    yield form.body()
    kinds = {kind for _name, kind, _value in form.fields}
    for kind in sorted(kinds & set(MALFORMED_BY_KIND)):
        for value in MALFORMED_BY_KIND[kind]:
            changed = [(n, k, value if k == kind else v) for n, k, v in form.fields]
            yield _Form(form.action, form.method, changed).body()


class _Walk:
    def __init__(self, client):
        self.client = client
        self.errors: list[str] = []

    def send(self, method: str, url: str, body=None) -> None:
        try:
            if method == "GET":
                response = self.client.get(url, body)
            else:
                response = self.client.post(url, body or {})
        except Exception as error:  # noqa: BLE001 - the test reports whatever escaped the view
            self.errors.append(
                f"{method} {url[:150]} {_short(body)}: {type(error).__name__}: {error}"
            )
            return
        if response.status_code >= 500:
            self.errors.append(f"{method} {url[:150]} {_short(body)}: {response.status_code}")


def _short(body) -> str:
    if not body:
        return ""
    return str({k: (str(v)[:30]) for k, v in body.items()})[:300]


@contextmanager
def _as_before(client):
    """Each URL starts from the fixtures as they were: a POST may erase, close or sign out, so
    its writes are rolled back (the session's row with them) and the client's cookies restored."""
    cookies = copy.deepcopy(client.cookies)
    files = copy.deepcopy(default_storage._root)  # the test settings' in-memory storage
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    client.cookies = cookies
    default_storage._root = files


def _on_our_site(url: str) -> bool:
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return True


def _page(client, url) -> _Page | None:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    page = _Page(url)
    page.feed(response.content.decode())
    return page


def _names(pages) -> list[str]:
    """Every name a form of the project declares or a page sends."""
    names = _declared_names()
    for page in pages:
        names = names.union(*page.queries.values())
        names |= {name for form in page.forms for name, _kind, _value in form.fields}
    return sorted(names)


def _query_names(pages) -> dict[str, set[str]]:
    """For each path, the names the pages send it in a query string (links, GET forms)."""
    found: dict[str, set[str]] = {}
    for page in pages:
        for path, names in page.queries.items():
            found.setdefault(path, set()).update(names)
        for form in page.forms:
            if form.method == "GET":
                path = urlsplit(form.action).path
                found.setdefault(path, set()).update(n for n, _k, _v in form.fields)
    return found


def _rotated(names, offset: int) -> dict:
    """Every name with a malformed value, a different one for each name."""
    return {name: MALFORMED[(i + offset) % len(MALFORMED)] for i, name in enumerate(names)}


def _signed_in(people, persona) -> Client:
    client = Client()
    if people[persona] is not None:
        client.force_login(people[persona])
    return client


@pytest.mark.django_db
def test_every_persona_gets_no_server_error_from_malformed_paths_queries_and_bodies(ctx, people):
    """Each persona, each URL: one query string and one body where every name has a malformed
    value (a POST only where the persona gets past the door, or for a URL that takes only
    POST)."""
    patterns = list(_patterns(ctx))
    names = _names([])
    errors = []
    for offset, persona in enumerate(PERSONAS):
        client = _signed_in(people, persona)
        walk = _Walk(client)
        for url, statuses in patterns:
            status = statuses[persona]
            with _as_before(client):
                if status != 405:
                    walk.send("GET", url, _rotated(names, offset))
                if status not in _REFUSED:
                    walk.send("POST", url, _rotated(names, offset + 1) | _bad_files())
        errors += [f"{persona}: {error}" for error in walk.errors]
    assert errors == [], "\n".join(errors)


def _door_opener(clients, url, statuses) -> str | None:
    """The first persona of `DOOR_ORDER` the URL lets in; for a URL that takes only POST, the
    first whose empty POST is not refused."""
    for persona in DOOR_ORDER:
        if statuses[persona] == 200:
            return persona
        if statuses[persona] == 405:
            with _as_before(clients[persona]):
                response = clients[persona].post(url)
            refused = response.status_code in {403, 404} or (
                response.status_code == 302
                and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
            )
            if not refused:
                return persona
    return None


def _distinct_forms(pages):
    """Each form once (the language switcher is on every page), on our site."""
    seen = set()
    for persona, page in pages:
        for form in page.forms:
            key = (urlsplit(form.action).path, form.method, tuple(n for n, _k, _v in form.fields))
            if key not in seen and _on_our_site(form.action):
                seen.add(key)
                yield persona, form


@pytest.mark.django_db
def test_each_url_and_form_gets_no_server_error_from_any_malformed_value(ctx, people):
    """Each URL as the first persona it lets in: each path parameter with the values its
    converter lets through, every name of its query strings set to each malformed value in
    turn; then each form its page shows, sent back as filled in, with the fields of one kind
    at a time malformed, and with every other name of the project malformed."""
    clients = {persona: _signed_in(people, persona) for persona in PERSONAS}
    walks = {persona: _Walk(client) for persona, client in clients.items()}
    openers = [
        (url, statuses, _door_opener(clients, url, statuses)) for url, statuses in _patterns(ctx)
    ]
    pages = [(persona, _page(clients[persona], url)) for url, _s, persona in openers if persona]
    pages = [(persona, page) for persona, page in pages if page]
    query_names = _query_names(page for _persona, page in pages)
    names = _names(page for _persona, page in pages)
    for url, statuses, persona in openers:
        if persona is None:
            continue
        asked = query_names.get(urlsplit(url).path)
        with _as_before(clients[persona]):
            for path in _malformed_paths(url):
                walks[persona].send("POST" if statuses[persona] == 405 else "GET", path)
            for value in MALFORMED if asked else ():
                walks[persona].send("GET", url, dict.fromkeys(asked, value))
    for persona, form in _distinct_forms(pages):
        with _as_before(clients[persona]):
            for body in _form_variants(form):
                walks[persona].send(form.method, form.action, body)
            # The form as filled in, and every other name of the project malformed.
            extra = _rotated(names, len(form.fields)) | form.filled().body()
            walks[persona].send(form.method, form.action, extra)
    errors = [f"{persona}: {error}" for persona, walk in walks.items() for error in walk.errors]
    assert errors == [], "\n".join(errors)


# The requests of the review that answered with a server error ---------------------------------

_NOBODY = "00000000-0000-0000-0000-000000000000"
# (persona, method, URL (names of the matrix's records in braces), body, status expected)
REVIEWED = [
    ("advisor_a", "GET", "/staff/cases/new/?person=x", None, 400),
    ("advisor_a", "GET", f"/staff/cases/new/?person={_NOBODY}", None, 404),
    ("advisor_a", "GET", "/staff/agenda/book/?case=x", None, 400),
    ("advisor_a", "GET", "/eines/?person=x", None, 400),
    ("advisor_a", "GET", "/staff/people/%00/", None, 400),
    ("advisor_a", "GET", "/staff/people/?search=%00", None, 400),
    ("anonymous", "GET", "/accounts/confirm-email/%00/", None, 400),
    ("advisor_a", "GET", "/staff/agenda/?advisor=²", None, 400),
    ("advisor_a", "GET", "/staff/cases/?advisor=²", None, 400),
    ("advisor_a", "GET", "/staff/cases/?advisor=" + "9" * 25, None, 400),
    ("advisor_a", "GET", "/staff/people/?page=" + "9" * 25, None, 400),
    ("advisor_a", "GET", "/staff/cases/?page=" + "9" * 25, None, 400),
    ("advisor_a", "GET", "/staff/agenda/?week=0001-01-01", None, 400),
    ("advisor_a", "GET", "/staff/agenda/?week=9999-12-31", None, 400),
    ("coordinator", "GET", "/staff/audit/?date_to=9999-12-31", None, 200),  # the form says why
    ("coordinator", "GET", "/staff/tools/parameters/?year=²", None, 400),
    ("coordinator", "GET", "/staff/tools/legal-forms/?year=²", None, 400),
    ("coordinator", "GET", "/staff/catalogue/versions/" + "9" * 25 + "/", None, 404),
    ("advisor_a", "POST", "/staff/cases/{case_a}/steps/no-such-step/tick/", {"item": "0"}, 302),
    ("advisor_a", "POST", "/staff/cases/{case_a}/steps/acollida/done/", {"version": "abc"}, 302),
    ("advisor_a", "POST", "/staff/cases/tasks/{task_a}/done/", {"done": "1", "next": "x"}, 302),
    ("coordinator", "POST", "/staff/catalogue/service/crear/history/", {"revision": "9" * 25}, 400),
    (
        "anonymous",
        "POST",
        "/eines/autodiagnosi/",
        {"q-strategy-1": "²", "q-strategy-2": "9" * 25},
        200,
    ),
    (
        "advisor_a",
        "POST",
        "/staff/agenda/book/",
        {"date": "9999-12-31", "starts": "23:59", "minutes": "60", "channel": "phone"},
        200,
    ),
]


@pytest.mark.django_db
def test_the_requests_that_failed_in_the_review_are_answered(ctx, people):
    """Each answers with a refusal (a 4xx, or the page again or a redirect with a message)."""
    ids = {name: ctx[name].public_id for name in ("case_a", "task_a")}
    clients = {persona: _signed_in(people, persona) for persona in PERSONAS}
    answered = []
    for persona, method, url, body, _expected in REVIEWED:
        client = clients[persona]
        with _as_before(client):
            target = url.format(**ids)
            if method == "GET":
                response = client.get(target)
            else:
                response = client.post(target, body)
            answered.append(response.status_code)
    assert answered == [expected for *_request, expected in REVIEWED]


# Views read the query string and the body only through forms ---------------------------------

ROOT = Path(__file__).resolve().parents[3]
_READS = {"get", "getlist", "lists", "items", "values", "dict", "pop"}


def _is_request_input(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr in {"GET", "POST"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


def _raw_input_reads(source: str) -> list[int]:
    """Lines where a view reads `request.GET` or `request.POST` itself (`.get(…)`, `[…]`, `in`)
    instead of handing it to a form."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _READS and _is_request_input(node.func.value):
                found.add(node.lineno)
        elif isinstance(node, ast.Subscript) and _is_request_input(node.value):
            found.add(node.lineno)
        elif isinstance(node, ast.Compare) and any(map(_is_request_input, node.comparators)):
            found.add(node.lineno)
    return sorted(found)


def test_views_read_query_strings_and_bodies_only_through_forms():
    """A form (`oae.common.input.parsed`, or a form the page shows) reads every parameter, so
    a malformed one is a 400 or a form error, and the walks above know its name."""
    views = [
        path
        for path in (ROOT / "oae").rglob("*views.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in views
        for line in _raw_input_reads(path.read_text())
    ]
    assert found == []


def test_the_input_check_finds_raw_reads():
    source = (
        "def page(request):\n"
        "    a = request.GET.get('page')\n"
        "    b = request.POST['next']\n"
        "    c = 'x' in request.GET\n"
        "    return Form(request.GET), Form(request.POST or None)\n"
    )
    assert _raw_input_reads(source) == [2, 3, 4]
