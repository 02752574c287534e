"""The deadline sweep (governance.services.sweep.sweep) measured twice, its first run and a
steady-state run, beside one raw SQL query that selects the same deadlines the sources yield
(governance/selectors/deadlines.py): undistributed minutes, unsent notices, unbriefed absentees,
open actions, decisions never assigned, and the cadence scopes (type x unit) that are checked."""

from __future__ import annotations

import datetime
import time
from unittest import mock

from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from governance.models import Action, Briefing, Bureau, Meeting, MeetingType, Participant, Topic, Unit
from minutes.models import Minutes

from .measure import counting


def raw_deadlines_sql() -> str:
    m, t, mi = Meeting._meta.db_table, MeetingType._meta.db_table, Minutes._meta.db_table
    b, a, tp = Briefing._meta.db_table, Action._meta.db_table, Topic._meta.db_table
    u, bu, p = Unit._meta.db_table, Bureau._meta.db_table, Participant._meta.db_table
    return f"""
SELECT 'minutes' AS source, m.id, m.bureau_id FROM {m} m JOIN {t} t ON t.id = m.meeting_type_id
  LEFT JOIN {mi} mi ON mi.meeting_id = m.id
  WHERE t.minutes_deadline_workdays IS NOT NULL AND m.status IN ('held', 'closed') AND m.starts_at >= %(lookback)s
    AND (mi.id IS NULL OR mi.distributed_at IS NULL)
UNION ALL
SELECT 'notice', m.id, m.bureau_id FROM {m} m
  WHERE m.status IN ('agenda_open', 'agenda_submitted', 'agenda_approved') AND m.notice_sent_at IS NULL
    AND m.starts_at >= %(week)s
UNION ALL
SELECT 'briefing', b.id, m.bureau_id FROM {b} b JOIN {p} p
  ON p.id = b.participant_id JOIN {m} m ON m.id = p.meeting_id WHERE b.briefed_at IS NULL
UNION ALL
SELECT 'action', a.id, m.bureau_id FROM {a} a JOIN {m} m ON m.id = a.meeting_id WHERE a.status <> 'done'
UNION ALL
SELECT 'decision', tp.id, m.bureau_id FROM {tp} tp JOIN {m} m ON m.id = tp.meeting_id
  JOIN {t} t ON t.id = m.meeting_type_id
  WHERE tp.status = 'passed' AND NOT tp.for_information AND t.follow_up_tracked AND m.status IN ('held', 'closed')
    AND m.starts_at >= %(lookback)s AND NOT EXISTS (SELECT 1 FROM {a} a WHERE a.topic_id = tp.id)
UNION ALL
SELECT 'cadence', t.id, t.bureau_id FROM {t} t JOIN {bu} bu ON bu.id = t.bureau_id
  LEFT JOIN {u} u ON t.scope = 'unit' AND u.bureau_id = t.bureau_id AND u.active
    AND CAST(t.unit_kinds AS TEXT) LIKE '%%"' || u.kind || '"%%'
  WHERE t.active AND t.cadence <> 'none' AND bu.cadence_since IS NOT NULL AND (t.scope = 'bureau' OR u.id IS NOT NULL)
"""


def raw_deadlines() -> tuple[float, int]:
    now = timezone.now()
    params = {"lookback": now - datetime.timedelta(days=400), "week": now - datetime.timedelta(days=7)}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(raw_deadlines_sql(), params)
        rows = cursor.fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def measure_sweep(*, runs: int = 2) -> dict:
    """Run the sweep `runs` times (first, then steady state), timed and query-counted, and the raw query."""
    from governance.services.sweep import sweep

    out = {"runs": []}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
            mock.patch("governance.services.common._queue_emails", lambda ids: None):
        for i in range(runs):
            with counting() as queries:
                started = time.perf_counter()
                report = sweep()
                seconds = time.perf_counter() - started
            out["runs"].append({"run": "first" if i == 0 else "steady", "ms": round(seconds * 1000, 1),
                                "queries": queries[0], "due_items": report.due_items, "recorded": report.recorded,
                                "sent": report.sent, "breaches": report.breaches})
    raw_ms, raw_rows = raw_deadlines()
    raw_ms = min(raw_ms, raw_deadlines()[0])
    out["raw_sql"] = {"ms": round(raw_ms, 2), "rows": raw_rows, "queries": 1}
    steady = out["runs"][-1]["ms"]
    out["steady_over_raw"] = round(steady / raw_ms, 1) if raw_ms else None
    return out
