"""R-CA-2 at scale: the sweep reads its deadlines in the same number of queries whatever their number,
and a sweep with nothing new writes nothing (no alert re-inserted, no message sent again)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Action, Alert, Breach, Meeting, MeetingType, Notification, Topic, TopicStatus
from governance.services import scheduling
from governance.services.sweep import SweepReport, derive, sweep

WRITES = ("INSERT", "UPDATE", "DELETE")


def add_deadlines(presets, n: int) -> None:
    """`n` closed division meetings without minutes, each with a passed decision never assigned and an
    overdue action of the division (its head acts, the General Office follows up), and `n` division
    meetings next week whose notice has not gone out: 4n deadlines, bulk-inserted as setup."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    planned = scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, place="会议室",
                                          starts_at=timezone.localtime() + datetime.timedelta(days=3))
    fields = [f.attname for f in Meeting._meta.concrete_fields if f.attname != "id"]
    copy = {f: getattr(planned, f) for f in fields}
    Meeting.objects.bulk_create([Meeting(**{**copy, "title": f"处务会{i}"}) for i in range(n - 1)])
    held = timezone.now() - datetime.timedelta(days=30)
    closed = Meeting.objects.bulk_create([Meeting(**{**copy, "title": f"已开处务会{i}", "status": "closed",
                                                     "starts_at": held, "held_at": held}) for i in range(n)])
    category = da.categories.first()
    Topic.objects.bulk_create([Topic(meeting=m, category=category, title=f"议题{m.pk}", proposer=presets.head,
                                     status=TopicStatus.PASSED) for m in closed])
    Action.objects.bulk_create([Action(meeting=m, title=f"事项{m.pk}", owner_unit=presets.trade, leader=presets.deputy,
                                       coordinator=presets.office, due=timezone.localdate() - datetime.timedelta(days=5),
                                       created_by=presets.head) for m in closed])


def _track_cadence(presets):
    presets.bureau.cadence_since = timezone.localdate() - datetime.timedelta(days=120)
    presets.bureau.save()


def _selects(queries) -> int:
    return sum(1 for q in queries if not q["sql"].lstrip().upper().startswith(WRITES))


def test_r_ca_2_the_sweep_reads_3_or_30_times_the_deadlines_in_the_same_queries(presets, django_assert_max_num_queries):
    """R-CA-2: what a sweep reads (deadlines, calendar, the people who act, the keys already recorded)
    takes the same queries for 12 deadlines as for 120; only the inserts grow, by batch."""
    _track_cadence(presets)
    counts = {}
    for n in (3, 27):  # 3 meetings of each kind, then 30
        add_deadlines(presets, n)
        with CaptureQueriesContext(connection) as first:
            report = SweepReport(today=timezone.localdate())
            derive(report.today, report)
        assert report.recorded and report.breaches
        assert sweep().sent == report.recorded  # the messages go out
        with django_assert_max_num_queries(30) as steady:
            again = sweep()
        assert again.recorded == again.breaches == again.sent == 0
        counts[n] = (_selects(first.captured_queries), len(steady.captured_queries))
    assert counts[3] == counts[27], counts


def test_r_ca_2_a_second_sweep_writes_nothing_and_sends_nothing_again(presets):
    """R-CA-2: every alert and breach recorded and sent by the first sweep; the second inserts and
    updates no row (no duplicate-key error in the database's log) and sends no message."""
    _track_cadence(presets)
    add_deadlines(presets, 5)
    first = sweep()
    assert first.recorded == Alert.objects.count() == first.sent > 0
    assert first.breaches == Breach.objects.count() > 0
    assert len(first.lines) == first.recorded + first.breaches
    messages = Notification.objects.count()
    with CaptureQueriesContext(connection) as second:
        report = sweep()
    writes = [q["sql"] for q in second.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert (report.recorded, report.breaches, report.sent, report.lines) == (0, 0, 0, [])
    assert report.due_items == first.due_items
    assert Notification.objects.count() == messages
    assert not Alert.objects.filter(sent_at__isnull=True).exists()
