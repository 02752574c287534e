"""Hostile input never gives a server error and never half-saves (issue 11, item 10).

Over the world of tests/world.py (one of everything a URL can point at), as five signed-in people of
the bureau and the security and audit administrators:

- every URL of the resolver is asked with odd path values (ids past 64 bits, NUL, Unicode, long
  strings) and with every query parameter the code reads, set to fixed edge values and then to
  values hypothesis draws (arbitrary Unicode, NUL and control characters, huge values, wrong types,
  dates out of range);
- every form a persona is shown on any page (harvested from the HTML, with its real action URL,
  hidden fields and choices) is posted the same way, each field in turn and all fields together;
  forms that need a file get one with a hostile name and content.

Each POST runs inside a savepoint that is rolled back afterwards, so every example starts from the
same world; inside it, a request that was refused (a 4xx, a form shown again, or an error message)
must leave every table as it was: nothing half-saved.

The examples are bounded and derandomized, so a run is repeatable and takes about the same time on
SQLite and PostgreSQL; the module's summary line says how many requests each part sent."""

from __future__ import annotations

import html.parser
import re
import sys
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_admin
from tests.world import build_world, converters, fill, patterns, sample_paths

pytestmark = pytest.mark.django_db

PERSONAS = ("clerk", "head", "secretary", "supervisor", "staff")   # and the security and audit administrators

# Values that broke something once somewhere: empty, signs, numbers past 32 and 64 bits and past a
# float, wrong types, NUL and control characters, bidi and zero-width characters, emoji, a 100 kB
# string, dates of year 1 and 9999 and impossible ones, markup, SQL, paths, a formula, a header.
EDGES = [
    "", " ", "0", "-1", "1", "2147483648", "9223372036854775808", "99999999999999999999999", "1.5",
    "1e400", "NaN", "abc", "\x00", "a\x00b", "\x01\x08\x0b\x1b\x7f\x9f", "\u202e\u200b\ufeff",
    "😀" * 20, "x" * 100_000, "0001-01-01", "9999-12-31", "2026-02-30", "10000-01-01T00:00", "2026-13",
    "<script>alert(1)</script>", "' OR '1'='1", "../../../etc/passwd", '=HYPERLINK("http://x")',
    "a\r\nBcc: x@example.com",
]
# Path segments: ids past SQLite's and PostgreSQL's integers, and strings a converter lets through.
ODD_INTS = ["0", "2147483648", "9223372036854775808", "99999999999999999999999"]
ODD_STRS = ["%00", "a%00b", "%E2%80%AE%F0%9F%98%80", "x" * 300, "..", "%0D%0A"]

# Values hypothesis draws: an edge, any text (surrogates excepted: they cannot be sent as UTF-8),
# any integer, any date or datetime, or several values for one name.
VALUE = st.one_of(
    st.sampled_from(EDGES),
    st.text(max_size=40),
    st.integers().map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
)
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))

GET_EXAMPLES = 5      # random examples per URL and persona
POST_EXAMPLES = 20    # random examples per form

# Tables a refused request may still write: the session, the audit trail (a refusal is audited),
# the lockout records of the login.
MAY_CHANGE_WHEN_REFUSED = {"django_session", "audit_auditevent", "axes_accessattempt", "axes_accessfailurelog",
                           "axes_accesslog", "governance_usersession"}


# --- the forms a page shows -------------------------------------------------------------------------

@dataclass
class Form:
    action: str
    persona: str
    fields: dict[str, list[str]] = field(default_factory=dict)   # name -> the values the page offers
    files: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.action, tuple(sorted(self.fields)), tuple(self.files))


class FormParser(html.parser.HTMLParser):
    """The POST forms of a page: their action, every named field with the values the page offers
    (hidden and default values, each option of a select, each checkbox or radio value, each
    submit button's value) and the file fields."""

    def __init__(self, page: str, persona: str):
        super().__init__(convert_charrefs=True)
        self.page, self.persona = page, persona
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            action = urllib.parse.urljoin(self.page, a.get("action") or self.page)
            self.form = Form(action=action.split("#")[0], persona=self.persona) if method == "post" else None
            if self.form:
                self.forms.append(self.form)
            return
        if self.form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            if a.get("type") == "file":
                self.form.files.append(name)
            else:
                self.form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button":
            self.form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self.select = name
            self.form.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            self.form.fields[self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.form.fields.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea][-1] += data


def harvest(world, clients) -> list[Form]:
    """Every distinct POST form any persona is shown on any page, once (the first persona who sees it)."""
    seen: dict[tuple, Form] = {}
    for persona, client in clients.items():
        for _name, path in sample_paths(world):
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = FormParser(path, persona)
            parser.feed(response.content.decode())
            for form in parser.forms:
                if form.action.rstrip("/").endswith(("/accounts/logout", "/i18n/setlang")):
                    continue  # signing out and the language switch end the persona's session or setting
                seen.setdefault(form.key, form)
    return list(seen.values())


# --- what the code reads ----------------------------------------------------------------------------

def query_names() -> list[str]:
    """Every query parameter a view reads (request.GET in the source) and every field of a GET form."""
    root = Path(__file__).resolve().parent.parent
    names = set()
    for app in ("governance", "minutes", "audit", "meetings_site"):
        for path in (root / app).rglob("*.py"):
            names |= set(re.findall(r"GET(?:\.get|\.getlist)?[(\[]\"(\w+)\"", path.read_text(encoding="utf-8")))
            names |= set(re.findall(r"parse_\w+\(request\.GET, \"(\w+)\"", path.read_text(encoding="utf-8")))
    for path in (root / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form(?![^>]*method=\"post\")[^>]*>(.*?)</form>", text, flags=re.S | re.I):
            names |= set(re.findall(r"name=\"(\w+)\"", form))
    return sorted(names)


# --- the checks -------------------------------------------------------------------------------------

class Errors:
    """The server errors seen, with what was sent, from Django's got_request_exception signal."""

    def __init__(self):
        self.seen: list[str] = []
        self.last: BaseException | None = None

    def __call__(self, sender, request=None, **kwargs):
        self.last = sys.exc_info()[1]

    def check(self, response, what: str):
        if response.status_code >= 500:
            self.seen.append(f"{response.status_code} {what}: {self.last!r}")
        self.last = None


def table_counts() -> dict[str, int]:
    """Rows in every table of the project's models, in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)} - MAY_CHANGE_WHEN_REFUSED)
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def refused(response) -> bool:
    """The request was turned down: a 4xx, the form shown again, or an error or warning message."""
    if 400 <= response.status_code < 500 or response.status_code == 200:
        return True
    request = getattr(response, "wsgi_request", None)
    if request is None:
        return False
    storage = get_messages(request)  # only this request's messages: earlier ones wait, unread, in the cookie
    return any(m.level >= message_levels.ERROR for m in getattr(storage, "_queued_messages", []))


def read(response) -> None:
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def ensure_signed_in(client, person, response) -> None:
    """A request that rotated or ended the session (a password change) signs the persona in again."""
    from django.conf import settings as django_settings

    if django_settings.SESSION_COOKIE_NAME in response.cookies:
        client.force_login(person)


# --- the test ---------------------------------------------------------------------------------------

@pytest.fixture
def fuzz_settings(settings):
    settings.RATELIMIT_ENABLE = False   # the limits have their own tests; here they would stop the walk
    settings.AXES_ENABLED = False
    return settings


def test_hostile_input_never_gives_a_server_error_nor_half_saves(presets, fuzz_settings):
    world = build_world(presets)
    people = {name: getattr(presets, name) for name in PERSONAS}
    people["secadmin"], people["auditadmin"] = make_admin("secadmin", "security"), make_admin("auditadmin", "audit")
    clients = {}
    for name, person in people.items():
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(person)
    errors = Errors()
    got_request_exception.connect(errors)
    sent = Counter()
    half_saved: list[str] = []
    try:
        walk_paths(world, clients, errors, sent)
        walk_queries(world, clients, people, errors, sent)
        forms = harvest(world, clients)
        for form in forms:
            post_form(form, clients[form.persona], people[form.persona], errors, sent, half_saved)
    finally:
        got_request_exception.disconnect(errors)
    per_form = sent["post"] / max(len(forms), 1)
    print(f"\nfuzz: {sent['path']} odd paths, {sent['get']} queries over {len(sample_paths(world)) // 2} URLs, "
          f"{sent['post']} posts over {len(forms)} forms ({per_form:.0f} per form), {len(errors.seen)} server errors")
    assert not errors.seen, "\n".join(errors.seen[:40])
    assert not half_saved, "\n".join(half_saved[:40])
    assert len(forms) >= 55, sorted(f.action for f in forms)


def walk_paths(world, clients, errors, sent) -> None:
    """Every route with each converter in turn replaced by an odd value, as the clerk and the staff."""
    for name, route, _callback in sorted(patterns()):
        slots = converters(route)
        for kind, kwarg, _segment in slots:
            for odd in ODD_INTS if kind == "int" else ODD_STRS:
                values = {k: ("1" if kd == "int" else "x") for kd, k, _ in slots}
                path = fill(route, {**values, kwarg: odd})
                for persona in ("clerk", "staff"):
                    for method in ("get", "post"):
                        response = getattr(clients[persona], method)(path)
                        read(response)
                        sent["path"] += 1
                        errors.check(response, f"{method.upper()} {path} ({name}) as {persona}")


def walk_queries(world, clients, people, errors, sent) -> None:
    """Every URL with every query parameter the code reads: each edge value in every parameter as the
    clerk, then random parameter sets as each persona."""
    names = query_names()
    paths = sample_paths(world)[::2]
    for url_name, path in paths:
        if url_name == "logout":
            continue
        for edge in EDGES:
            response = clients["clerk"].get(path, {n: edge for n in names})
            read(response)
            sent["get"] += 1
            errors.check(response, f"GET {path} ({url_name}) all={edge[:30]!r} as clerk")

        for persona, client in clients.items():
            ask_random(client, persona, url_name, path, names, errors, sent)


def ask_random(client, persona, url_name, path, names, errors, sent) -> None:
    @settings(max_examples=GET_EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(query=st.dictionaries(st.sampled_from(names), VALUES, max_size=6))
    def ask(query):
        response = client.get(path, query)
        read(response)
        sent["get"] += 1
        errors.check(response, f"GET {path} ({url_name}) {query!r:.300} as {persona}")

    ask()


def post_form(form: Form, client, person, errors, sent, half_saved) -> None:
    """The form with every field set to each edge value, then random mixes of the page's own values
    and hostile ones; each inside a rolled-back savepoint."""
    names = list(form.fields)
    own = {name: (values or [""])[0] for name, values in form.fields.items()}

    def send(data: dict, upload_name: str = "材料.pdf", content: bytes = b"%PDF-1.4 x %%EOF") -> None:
        payload = dict(data)
        for name in form.files:
            payload[name] = SimpleUploadedFile(upload_name, content)
        what = f"POST {form.action} {dict((k, str(v)[:40]) for k, v in data.items())!r:.400} as {form.persona}"
        with transaction.atomic():
            before = table_counts()
            response = client.post(form.action, payload)
            read(response)
            sent["post"] += 1
            errors.check(response, what)
            if response.status_code < 500 and refused(response):
                after = table_counts()
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                if changed:
                    half_saved.append(f"{what}: refused ({response.status_code}) but changed {changed}")
            transaction.set_rollback(True)
        ensure_signed_in(client, person, response)

    for edge in EDGES:
        send({name: edge for name in names}, upload_name=edge[:200] or "x", content=edge.encode()[:1000])
    for name in names:  # one field hostile, the rest as the page offers them
        for edge in ("", "\x00", "9223372036854775808", "x" * 100_000):
            send({**own, name: edge})

    @settings(max_examples=POST_EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries({}, optional={
        name: st.one_of(st.sampled_from(form.fields[name] or [""]), VALUES) for name in names}),
        upload=st.text(max_size=30))
    def mixed(data, upload):
        send(data, upload_name=upload or "x")

    mixed()

