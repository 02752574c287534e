"""Pages on every list (templates/_pagination.html, governance.views.pages.paginate): hostile `?page=`
values answer a page, never a 500; a page costs the same queries whatever the number of rows; the
ledgers and their export the same at 2 and at 10 meetings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import MeetingType, Notification
from governance.views.pages import page_number
from minutes.services import drafting

HOSTILE = ["abc", "-1", "0", "1.5", "9" * 30, "9" * 5000, "\x00", "２", "1e3", " 2 ", "", "%", "1;DROP TABLE x"]


def test_page_numbers_from_anything():
    assert [page_number(v) for v in ("1", "2", " 3 ", None, "", "x", "-2", "0", "1.5", "２", "1e3")] == \
        [1, 2, 3, 1, 1, 1, 1, 1, 1, 1, 1]
    assert page_number("9" * 5000) == page_number("9" * 10) == 10**9  # past the end: the paginator answers the last


LISTS = ["minutes_list", "minutes_supervision", "archive_packages", "action_list", "case_list", "notifications",
         "ledgers"]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_a_page_whatever_page_says(client, presets, name):
    client.force_login(presets.supervisor)
    for value in HOSTILE:
        response = client.get(reverse(name), {"page": value})
        assert response.status_code == 200, (name, value)
        assert 'data-testid="pager"' in response.content.decode()


def test_the_audit_list_and_search_answer_a_page_whatever_page_says(client, presets):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    auditor = UserFactory(username="auditor")
    auditor.user_permissions.add(Permission.objects.get(content_type__app_label="audit", codename="view_auditevent"))
    client.force_login(auditor)
    for value in HOSTILE:
        assert client.get(reverse("audit_events"), {"page": value}).status_code == 200
    client.force_login(presets.head)
    for value in HOSTILE:
        assert client.get(reverse("search"), {"q": "会议", "page": value}).status_code == 200
    client.force_login(presets.supervisor)
    for kind in ("quorum", "cadence_missed"):
        for value in HOSTILE:
            assert client.get(reverse("compliance_records"), {"kind": kind, "page": value}).status_code == 200


def inbox(user, n):
    Notification.objects.bulk_create([Notification(recipient=user, kind="test", title=f"消息{i}") for i in range(n)])


def test_a_page_past_the_end_is_the_last_page_and_links_carry_the_filters(client, presets):
    inbox(presets.staff, 65)  # 30 a page: 3 pages
    client.force_login(presets.staff)
    response = client.get(reverse("notifications"), {"page": "99"})
    page = response.context["page"]
    assert page.number == 3 and len(page.object_list) == 5 and page.paginator.count == 65
    body = response.content.decode()
    assert 'rel="first"' in body and 'rel="prev"' in body and 'rel="next"' not in body
    assert "共 65 条" in body
    response = client.get(reverse("action_list"), {"state": "overdue", "page": "1"})
    assert response.context["page"].query == "state=overdue"


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as q:
        response = client.get(url, params)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(q)


def test_a_page_costs_the_same_queries_on_a_long_list(client, presets):
    inbox(presets.staff, 3)
    client.force_login(presets.staff)
    short = queries(client, reverse("notifications"))
    inbox(presets.staff, 200)
    assert queries(client, reverse("notifications")) == short
    assert queries(client, reverse("notifications"), page="5") == short


def filed_minutes(presets, n: int, start: int = 0):
    """`n` division affairs meetings of 外贸处 held in 2026, their minutes approved, sent and filed."""
    from governance.models import Meeting
    from governance.services import scheduling

    t = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    for i in range(start, start + n):
        m = scheduling.schedule_meeting(actor=presets.head, meeting_type=t, unit=presets.trade, place="会议室",
                                        starts_at=timezone.localtime() + datetime.timedelta(days=1))
        when = timezone.make_aware(datetime.datetime(2026, 1 + i % 11, 1 + i, 9))
        Meeting.objects.filter(pk=m.pk).update(status="closed", starts_at=when, held_at=when, ended_at=when)
        revision = drafting.start_minutes(actor=presets.head, meeting=Meeting.objects.get(pk=m.pk))
        drafting.submit_revision(actor=presets.head, revision=revision)
        drafting.approve_revision(actor=presets.head, revision=revision)  # numbered, sent and filed (R-MI-2..7)


@pytest.mark.parametrize(("persona", "name", "params"), [
    ("supervisor", "minutes_list", {}),
    ("head", "minutes_list", {}),
    ("supervisor", "minutes_supervision", {}),
    ("supervisor", "minutes_supervision", {"start": "2026-01-01", "end": "2026-12-31", "timeliness": "late"}),
    ("supervisor", "ledgers", {"start": "2026-01-01", "end": "2026-12-31"}),
    ("supervisor", "ledgers", {"start": "2026-01-01", "end": "2026-12-31", "unit": "trade"}),
    ("head", "ledgers", {"start": "2026-01-01", "end": "2026-12-31"}),
    ("supervisor", "search", {"q": "处务会"}),
])
def test_lists_and_ledgers_cost_the_same_queries_at_2_and_10_meetings(client, presets, persona, name, params):
    client.force_login(getattr(presets, persona))
    filed_minutes(presets, 2)
    url = reverse(name)
    client.get(url, params)  # the session's first request does its own bookkeeping once
    two = queries(client, url, **params)
    filed_minutes(presets, 8, start=2)
    response = client.get(url, params)
    if name != "ledgers":
        assert response.context["page"].total >= 10
    assert queries(client, url, **params) == two


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_unit_year_ledger_export_costs_the_same_queries_at_2_and_10_meetings(client, presets, fmt,
                                                                               django_assert_max_num_queries):
    client.force_login(presets.supervisor)
    params = {"start": "2026-01-01", "end": "2026-12-31", "unit": "trade", "register": "meetings"}
    filed_minutes(presets, 2)
    client.get(reverse("ledgers"))  # the session's first request does its own bookkeeping once
    two = queries(client, reverse("ledger_export", args=[fmt]), **params)
    filed_minutes(presets, 8, start=2)
    with django_assert_max_num_queries(two):
        response = client.get(reverse("ledger_export", args=[fmt]), params)
        body = response.content if fmt == "xlsx" else b"".join(response.streaming_content)
    if fmt == "xlsx":
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        assert len(list(book["会议台账"].iter_rows())) == 11 and len(list(book["纪要台账"].iter_rows())) == 11
