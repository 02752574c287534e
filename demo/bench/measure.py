"""The key pages measured as their personas see them, each beside a floor measured in the same run.

A page is requested through `django.test.Client` (the whole middleware, a session made by
`force_login`) on the bench urlconf (`demo.bench.urls`: the product's URLs and `__bench/floor/`, a
trivial login-required view). Requests alternate page, floor, page, floor, so both see the same
machine; each request's queries are counted with `CaptureQueriesContext`.

`PAGES` is the registry: a page is one `page(name, persona, url)` line, `url` a function of the
dataset's `Objects` (real ids, found in the database) returning a path. The city view is two lines: the overview and one bureau, as the city's overseer.
"""

from __future__ import annotations

import contextlib
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from governance.models import Appointment, Bureau, CalendarFeed, Meeting, MeetingStatus, Post, Unit, UnitKind

BENCH_URLCONF = "demo.bench.urls"


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: Callable[[Objects], str]


PAGES: list[Page] = []


def page(name: str, persona: str, url: Callable[[Objects], str]) -> None:
    """Register a key page: its name, the persona who uses it and how to find its URL."""
    PAGES.append(Page(name, persona, url))


@dataclass
class Objects:
    """The people and records the pages are opened on: from the first benchmark bureau."""

    bureau: Bureau
    personas: dict[str, object]  # persona -> user
    meeting: Meeting
    minutes_id: int
    unit: Unit
    year: int
    feed_token: str


def _q(url: str, **params) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}" if params else url


page("dashboard", "director", lambda o: reverse("home"))
page("dashboard", "clerk", lambda o: reverse("home"))
page("meeting_list", "clerk", lambda o: reverse("meeting_list"))
page("meeting_detail", "clerk", lambda o: reverse("meeting_detail", args=[o.meeting.pk]))
page("approval_queue", "director", lambda o: reverse("approval_queue"))
page("minutes_list", "division_head", lambda o: reverse("minutes_list"))
page("minutes_detail", "director", lambda o: reverse("minutes_detail", args=[o.minutes_id]))
page("supervision_list", "supervisor", lambda o: reverse("minutes_supervision"))
page("compliance", "supervisor", lambda o: reverse("compliance"))
page("ledgers", "clerk", lambda o: reverse("ledgers"))
page("ledger_export_unit_year", "clerk", lambda o: _q(reverse("ledger_export", args=["xlsx"]), unit=o.unit.code,
                                                      start=f"{o.year}-01-01", end=f"{o.year}-12-31"))
page("search", "clerk", lambda o: _q(reverse("search"), q="议题"))
page("calendar", "staff", lambda o: reverse("calendar_month"))
page("ical_feed", "staff", lambda o: reverse("calendar_feed", args=[o.feed_token]))
page("city", "city", lambda o: reverse("city"))
page("city_bureau", "city", lambda o: reverse("city_bureau", args=[o.bureau.pk]))


def find_objects() -> Objects:
    """The personas and records of the first benchmark bureau (docs: who does what)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    bureau = Bureau.objects.filter(code__startswith="bench").order_by("pk").first()
    today = timezone.localdate()
    on = Appointment.objects.on(today).filter(bureau=bureau)

    def holder(post, **where):
        return User.objects.get(pk=on.filter(post=post, **where).order_by("person_id").values_list(
            "person_id", flat=True)[0])

    office = Unit.objects.get(bureau=bureau, kind=UnitKind.GENERAL_OFFICE)
    supervision = Unit.objects.get(bureau=bureau, kind=UnitKind.SUPERVISION_OFFICE)
    division = Unit.objects.filter(bureau=bureau, kind=UnitKind.DIVISION).order_by("order").first()
    personas = {
        "director": holder(Post.DIRECTOR),
        "clerk": holder(Post.UNIT_STAFF, unit=office),
        "supervisor": holder(Post.UNIT_STAFF, unit=supervision),
        "division_head": holder(Post.UNIT_HEAD, unit=division),
        "staff": holder(Post.UNIT_STAFF, unit=division),
    }
    meeting = (Meeting.objects.filter(bureau=bureau, unit=None, status=MeetingStatus.CLOSED, minutes__isnull=False,
                                      minutes__sequence__isnull=False, meeting_type__code="DO")
               .order_by("-starts_at").first()
               or Meeting.objects.filter(bureau=bureau, minutes__sequence__isnull=False).order_by("-starts_at").first())
    personas["city"] = _city_overseer(bureau, personas["supervisor"])
    staff = personas["staff"]
    feed = CalendarFeed.objects.filter(person=staff).first() or CalendarFeed.objects.create(
        person=staff, token=secrets.token_urlsafe(32))
    return Objects(bureau=bureau, personas=personas, meeting=meeting, minutes_id=meeting.minutes.pk, unit=division,
                   year=today.year - 1, feed_token=feed.token)


def _city_overseer(bureau, person):
    """The city's overseer (issue 14: the city view): the benchmark's bureaus in one city, and the first
    bureau's Supervision Office officer granted its oversight by a security administrator, through the
    service the security screen uses."""
    from governance.models import City, CityOversight
    from governance.services.admin_roles import grant_city_oversight

    city = bureau.city or City.objects.get_or_create(code="bench-city", defaults={"name": "基准市"})[0]
    Bureau.objects.filter(code__startswith="bench", city__isnull=True).update(city=city)
    if not CityOversight.objects.filter(city=city, person=person, revoked_at__isnull=True).exists():
        from django.contrib.auth import get_user_model

        from governance.models import AdminRole, AdminRoleAssignment
        from governance.services.admin_roles import assign_role

        security, made = get_user_model().objects.get_or_create(username="bench-secadmin")
        if not AdminRoleAssignment.objects.filter(user=security, revoked_at__isnull=True).exists():
            assign_role(actor=None, user=security, role=AdminRole.SECURITY, reason="基准测试")
        grant_city_oversight(actor=security, city=city, person=person, reason="基准测试：市级合规监督")
    return person


def _client(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


@contextlib.contextmanager
def counting():
    """Count every statement sent to the database (no log kept: a sweep sends tens of thousands)."""
    box = [0]

    def wrapper(execute, sql, params, many, context):
        box[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def _one(client: Client, url: str) -> tuple[float, int, int]:
    connection.queries_log.clear()  # CaptureQueriesContext counts within a log of at most 9000
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, secure=True)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
    return elapsed * 1000, len(queries), response.status_code


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_pages(objects: Objects, *, n: int, say=print, only: set[str] | None = None) -> list[dict]:
    """Each page beside the floor, interleaved, `n` times after one warm-up request of each."""
    results = []
    floor_url = "/__bench/floor/"
    with override_settings(ROOT_URLCONF=BENCH_URLCONF):
        from django.urls import clear_url_caches

        clear_url_caches()
        try:
            for p in PAGES:
                if only and p.name not in only:
                    continue
                user = objects.personas[p.persona]
                client = _client(user)
                url = p.url(objects)
                _one(client, url), _one(client, floor_url)
                times, floors, counts, statuses = [], [], [], set()
                for _ in range(n):
                    ms, count, status = _one(client, url)
                    times.append(ms)
                    counts.append(count)
                    statuses.add(status)
                    floors.append(_one(client, floor_url)[0])
                floor = statistics.median(floors)
                result = {"page": p.name, "persona": p.persona, "url": url, "status": sorted(statuses),
                          "queries": max(counts), "queries_min": min(counts),
                          "median_ms": round(statistics.median(times), 2), "p95_ms": round(_p95(times), 2),
                          "floor_median_ms": round(floor, 2), "floor_p95_ms": round(_p95(floors), 2),
                          "ratio": round(statistics.median(times) / floor, 1) if floor else None}
                results.append(result)
                say(f"  {p.name} ({p.persona}): {result['queries']} 次查询，中位 {result['median_ms']} ms")
        finally:
            clear_url_caches()
    return results


def measure_docx(objects: Objects, *, n: int, topics: int = 30) -> dict:
    """One minutes .docx of `topics` topics through the selector that snapshots, beside plain python-docx
    building the same paragraphs."""
    import io

    import docx

    from minutes.documents import render_minutes_docx
    from minutes.models import Minutes, RevisionStatus
    from minutes.selectors import minutes_snapshot

    minutes = Minutes.objects.select_related("meeting__meeting_type", "meeting__bureau", "issuing_unit").get(
        pk=objects.minutes_id)
    revision = minutes.revisions.filter(status=RevisionStatus.APPROVED).order_by("-number").first()
    items = revision.body or [{"title": "议题", "decision": "同意。", "outcome": "通过"}]
    revision.body = [dict(items[i % len(items)], confidential=False) for i in range(topics)]  # not saved
    reader = objects.personas["director"]

    def product():
        return render_minutes_docx(minutes_snapshot(reader, minutes, revision))

    snap = minutes_snapshot(reader, minutes, revision)

    def plain():
        d = docx.Document()
        d.add_heading(snap.title, 0)
        d.add_paragraph(f"{snap.number}  {snap.held_on}  {snap.place}")
        d.add_paragraph("出席：" + "、".join(snap.present))
        d.add_paragraph(snap.summary)
        for t in snap.topics:
            d.add_paragraph(f"{t.order}. {t.title}")
            d.add_paragraph(t.decision)
            d.add_paragraph(f"赞成 {t.votes_for} 票，反对 {t.votes_against} 票，弃权 {t.votes_abstain} 票。")
        d.add_paragraph("分送：" + "；".join(snap.distribution))
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()

    product(), plain()
    a, b = [], []
    for _ in range(n):
        started = time.perf_counter()
        product()
        a.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        plain()
        b.append((time.perf_counter() - started) * 1000)
    with counting() as queries:
        product()
    return {"topics": topics, "median_ms": round(statistics.median(a), 2), "plain_median_ms": round(statistics.median(b), 2),
            "ratio": round(statistics.median(a) / statistics.median(b), 2), "queries": queries[0]}

