"""The compliance view (R-CA-1, R-MI-4, R-FU-1, R-QU-1..2, R-AG-6), ledgers and search (R-CO-1),
checked against hand-counted fixtures; query counts do not grow with units or months."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import Meeting, MeetingType
from governance.selectors.compliance import cadence_periods, compliance
from governance.services import agenda, scheduling
from minutes.models import Minutes
from minutes.selectors import attach_due
from minutes.services import drafting

D = datetime.date
TODAY = D(2026, 11, 21)


def held(presets, code, day, *, unit=None, actor=None):
    t = MeetingType.objects.get(bureau=presets.bureau, code=code)
    m = scheduling.schedule_meeting(actor=actor or presets.clerk, meeting_type=t, unit=unit, place="会议室",
                             starts_at=timezone.localtime() + datetime.timedelta(days=1))
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Meeting.objects.filter(pk=m.pk).update(status="closed", starts_at=when, held_at=when)
    return Meeting.objects.get(pk=m.pk)


def sent(presets, meeting, on: D, chair):
    """Minutes drafted and approved (the services compute the due date), sent on `on`."""
    revision = drafting.start_minutes(actor=chair, meeting=meeting)
    drafting.submit_revision(actor=chair, revision=revision)
    drafting.approve_revision(actor=chair, revision=revision)
    when = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    Minutes.objects.filter(pk=revision.minutes_id).update(distributed_at=when)
    return Minutes.objects.get(pk=revision.minutes_id)


@pytest.fixture
def year(presets):
    """Hand-counted: 外贸处 missed July, met August (minutes on time) and September (its minutes due on the
    make-up Saturday 10 October and sent on Monday 12th: late), missed October; 外资处 met every month;
    the party group met in Q3."""
    MeetingType.objects.filter(bureau=presets.bureau).exclude(code__in=["DA", "PG"]).update(active=False)
    presets.bureau.cadence_since = D(2026, 7, 1)
    presets.bureau.save()
    aug = held(presets, "DA", D(2026, 8, 14), unit=presets.trade, actor=presets.head)
    sent(presets, aug, D(2026, 8, 19), presets.head)
    sep = held(presets, "DA", D(2026, 9, 30), unit=presets.trade, actor=presets.head)
    late = sent(presets, sep, D(2026, 10, 12), presets.head)
    assert attach_due([late])[0].due == D(2026, 10, 10)
    for month in (7, 8, 9, 10):
        held(presets, "DA", D(2026, month, 20), unit=presets.invest, actor=presets.other_head)
    held(presets, "PG", D(2026, 8, 20))
    return presets


def cells(rows, key):
    return next(r for r in rows if r.key == key).cells


def test_r_ca_1_r_mi_4_hand_counted_months(year):
    """R-CA-1, R-MI-4."""
    cols, rows = compliance(bureau=year.bureau, year=2026, granularity="month", today=TODAY)
    trade = cells(rows, "trade")
    assert (trade["2026-07"].due, trade["2026-07"].missed) == (1, 1)
    assert (trade["2026-08"].due, trade["2026-08"].missed, trade["2026-08"].minutes_on_time) == (1, 0, 1)
    assert (trade["2026-09"].due, trade["2026-09"].missed) == (1, 0)
    assert (trade["2026-10"].missed, trade["2026-10"].minutes_late, trade["2026-10"].minutes_on_time) == (1, 1, 0)
    assert trade["2026-11"].due == 0  # November has not ended
    assert trade["2026-06"].due == 0  # before the bureau started tracking
    invest = cells(rows, "invest")
    assert sum(c.missed for c in invest.values()) == 0 and sum(c.due for c in invest.values()) == 4
    bureau = cells(rows, "bureau")
    assert (bureau["2026-09"].due, bureau["2026-09"].missed) == (1, 0)  # Q3 ends in September, met


def test_r_ca_1_quarter_view_sums_the_same_records(year):
    """R-CA-1."""
    cols, rows = compliance(bureau=year.bureau, year=2026, granularity="quarter", today=TODAY)
    trade = cells(rows, "trade")
    assert (trade["2026-Q3"].due, trade["2026-Q3"].missed, trade["2026-Q3"].minutes_on_time) == (3, 1, 1)
    assert (trade["2026-Q4"].missed, trade["2026-Q4"].minutes_late) == (1, 1)
    assert (cells(rows, "bureau")["2026-Q3"].due, cells(rows, "bureau")["2026-Q3"].missed) == (1, 0)


def test_r_ca_1_cadence_periods_within_a_range():
    """R-CA-1."""
    assert cadence_periods("quarter", D(2026, 7, 1), D(2026, 11, 20)) == [(D(2026, 7, 1), D(2026, 9, 30))]
    assert len(cadence_periods("week", D(2026, 11, 2), D(2026, 11, 22))) == 3
    assert cadence_periods("month", D(2026, 7, 15), D(2026, 8, 31)) == [(D(2026, 8, 1), D(2026, 8, 31))]


def test_compliance_page_figures_link_to_records_and_access_is_limited(client, year):
    client.force_login(year.supervisor)
    body = client.get(reverse("compliance") + "?year=2026").content.decode()
    assert "kind=cadence_missed&unit=trade&start=2026-07-01&end=2026-07-31" in body
    assert "<svg" in body
    client.force_login(year.staff)
    assert client.get(reverse("compliance")).status_code == 403
    assert client.get(reverse("compliance_records") + "?kind=cadence_missed").status_code == 403


def test_compliance_query_count_does_not_grow_with_units_or_months(client, year):
    client.force_login(year.supervisor)

    def count(url):
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    months = count(reverse("compliance") + "?year=2026&by=month")
    assert count(reverse("compliance") + "?year=2026&by=year") == months
    from tests.factories import UnitFactory

    for i in range(6):
        UnitFactory(bureau=year.bureau, code=f"extra{i}", name=f"新增处{i}")
    assert count(reverse("compliance") + "?year=2026&by=month") == months


def test_ledgers_export_to_excel_and_csv_with_the_right_rows(client, year):
    client.force_login(year.supervisor)
    response = client.get(reverse("ledger_export", args=["xlsx"]) + "?start=2026-01-01&end=2026-12-31")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["会议台账", "纪要台账", "督办台账", "责任追究台账"]  # the Supervision Office oversees cases (R-FU-8)
    meetings = list(book["会议台账"].iter_rows(values_only=True))
    assert meetings[0][:3] == ("会议名称", "会议类型", "处室/单位") and len(meetings) == 1 + Meeting.objects.count()
    minutes = list(book["纪要台账"].iter_rows(values_only=True))
    assert {row[7] for row in minutes[1:]} == {"按期", "逾期"}
    response = client.get(reverse("ledger_export", args=["csv"]) + "?register=minutes&unit=trade&start=2026-01-01&end=2026-12-31")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "编号" and len(rows) == 3


def test_ledger_page_query_count_flat(client, year):
    client.force_login(year.supervisor)

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("ledgers") + "?start=2026-01-01&end=2026-12-31").status_code == 200
        return len(q)

    few = count()
    for month in (1, 2, 3, 4, 5):
        held(year, "DA", D(2026, month, 20), unit=year.invest, actor=year.other_head)
    assert count() == few


def test_division_staff_ledger_holds_only_what_they_may_see(client, year):
    client.force_login(year.other_staff)
    response = client.get(reverse("ledger_export", args=["xlsx"]) + "?start=2026-01-01&end=2026-12-31")
    rows = list(load_workbook(io.BytesIO(response.content))["会议台账"].iter_rows(values_only=True))[1:]
    assert rows and {r[2] for r in rows} == {"外资处"}


@pytest.fixture
def secret(presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=timezone.localtime() + datetime.timedelta(days=3),
                             place="会议室", invitees=[presets.supervisor])
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="personnel"),
                      title="关于QX-7723同志的任职", summary="拟任QX-7723为副处长")
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="policy"), title="政策文件QX-0000")
    return m


@pytest.mark.parametrize(("persona", "finds"), [("deputy", True), ("clerk", True), ("supervisor", False),
                                                 ("staff", False), ("outsider", False)])
def test_r_co_1_search_never_finds_a_confidential_topic_for_those_who_may_not_read_it(client, presets, secret,
                                                                                      persona, finds):
    """R-CO-1."""
    client.force_login(getattr(presets, persona))
    body = client.get(reverse("search") + "?q=QX-7723").content.decode()
    # The query itself is echoed in the form; the topic's own title is the tell.
    assert ("关于QX-7723同志的任职" in body) is finds
    assert ('data-testid="topic-hit"' in body) is finds
    if persona == "supervisor":  # an invitee still finds the meeting's ordinary topic
        assert "政策文件QX-0000" in client.get(reverse("search") + "?q=QX-0000").content.decode()


def test_search_needs_two_characters(client, presets):
    client.force_login(presets.staff)
    assert "至少输入两个字" in client.get(reverse("search") + "?q=x").content.decode()


def test_r_ca_1_no_cadence_figures_before_the_bureau_tracks_its_cadence(year):
    """R-CA-1: a bureau without a tracking start date is reminded, never judged."""
    year.bureau.cadence_since = None
    year.bureau.save()
    cols, rows = compliance(bureau=year.bureau, year=2026, granularity="month", today=TODAY)
    assert sum(c.due for row in rows for c in row.cells.values()) == 0
    assert cells(rows, "trade")["2026-10"].minutes_late == 1  # the other figures stand
