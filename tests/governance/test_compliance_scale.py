"""The compliance view counts in SQL (R-CA-1, R-MI-4, R-FU-1): its page costs the same number of
queries with two units and meetings as with six, at most twelve beyond the floor of every request."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Action, Post
from tests.factories import UnitFactory, make_person
from tests.governance.test_compliance import (
    D,
    held,
    sent,
    year,  # noqa: F401  (the hand-counted fixture)
)

# The page's own queries, beyond the floor every signed-in request costs through the middleware (the
# session read, the account, its administrator role, the session's save: measured on the keepalive).
PAGE_QUERIES = 12


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code in (200, 204)
    return len(q)


def _page_queries(client) -> int:
    return _queries(client, reverse("compliance") + "?year=2026&by=month")


def _more_units_and_meetings(bureau, count: int) -> None:
    """`count` more divisions, each with its head, two division meetings (one with minutes sent) and an action."""
    for i in range(count):
        unit = UnitFactory(bureau=bureau.bureau, code=f"more{i}", name=f"扩展处{i}")
        head = make_person(bureau.bureau, f"more_head{i}", f"扩展处长{i}", Post.UNIT_HEAD, unit=unit)
        first = held(bureau, "DA", D(2026, 8, 10 + i), unit=unit, actor=head)
        sent(bureau, first, D(2026, 8, 20 + i), head)
        second = held(bureau, "DA", D(2026, 9, 10 + i), unit=unit, actor=head)
        Action.objects.create(meeting=second, title=f"落实{i}", owner=head, owner_unit=unit, created_by=head,
                              coordinator=bureau.office, due=datetime.date(2026, 10, 1 + i), due_workdays=5)


def test_r_ca_1_compliance_page_queries_do_not_grow_with_units_or_meetings(client, year):  # noqa: F811
    client.force_login(year.supervisor)
    few = _page_queries(client)
    _more_units_and_meetings(year, 4)
    many = _page_queries(client)
    floor = _queries(client, reverse("keepalive"))
    print(f"compliance page queries: {few} with 2 divisions, {many} with 6; floor {floor}")
    assert many == few
    assert many - floor <= PAGE_QUERIES
