"""The deadline sweep (R-CA-1, R-CA-2): record each reminder and escalation that the deadline sources
(governance.selectors.deadlines) say is due before sending it (a unique row), then send what is
recorded and unsent. Nothing is held in the broker: a sweep that is killed, repeated or run twice at
once ends with every alert sent exactly once."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.documents.text import one_line
from governance.models import (
    Alert,
    AlertKind,
    Breach,
)
from governance.rules.deadlines import alert_kind
from governance.selectors.deadlines import SOURCES, Due
from governance.selectors.sweep_lookups import SweepLookups
from governance.services.common import notify_many

log = logging.getLogger("governance.deadlines")


@dataclass
class SweepReport:
    today: datetime.date
    due_items: int = 0
    recorded: int = 0
    sent: int = 0
    breaches: int = 0
    lines: list[str] = field(default_factory=list)


# Existing keys are read for this many subjects at a time (bound parameters: SQLite allows 32,766).
CHUNK = 5000


def _chunks(values: list) -> Iterable[list]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def _title(item: Due, kind: str) -> str:
    """The alert's title: one line cut to its column (a meeting's 200-character title makes a longer reminder)."""
    return one_line((_("【提醒】") if kind == AlertKind.REMINDER else _("【逾期督办】")) + item.title)[:200]


def _recorded_alerts(subjects: list[str]) -> set[tuple]:
    return {key for chunk in _chunks(subjects)
            for key in Alert.objects.filter(subject__in=chunk).values_list("subject", "kind", "recipient_id", "due")}


def _recorded_breaches(subjects: list[str]) -> set[tuple]:
    return {key for chunk in _chunks(subjects)
            for key in Breach.objects.filter(subject__in=chunk).values_list("kind", "subject")}


def derive(today: datetime.date, report: SweepReport) -> None:
    """Phase 1: record every alert and breach that is due today and not yet recorded: one alert per
    deadline, kind and recipient, one breach per deadline (the unique constraints). The keys already
    recorded are read in one query for every subject due, and only the missing rows are inserted, in
    one statement each, ON CONFLICT DO NOTHING: a steady-state sweep writes nothing, and a concurrent
    sweep that recorded the same row first is no error (that row is then counted by both)."""
    remind = settings.DEADLINE_REMIND_WORKDAYS
    ctx = SweepLookups(today)
    cal = ctx.counter.calendar(today - datetime.timedelta(days=40), today + datetime.timedelta(days=40))
    # What to record, by unique key: the rows are built only for the keys not yet recorded.
    alerts: dict[tuple, tuple[Due, str]] = {}
    breaches: dict[tuple, Due] = {}
    for fn in SOURCES:
        for item in fn(today, ctx):
            report.due_items += 1
            kind = item.kind or alert_kind(today=today, due=item.due, remind_workdays=remind, cal=cal)
            if kind == AlertKind.REMINDER:
                recipients = item.act_by
            elif kind == AlertKind.ESCALATION:
                recipients = (*item.act_by, *item.escalate_to)
                if item.breach:
                    breaches.setdefault((item.breach, item.subject), item)
            else:
                continue
            for person in recipients:
                if person is not None:
                    alerts.setdefault((item.subject, kind, person.pk, item.due), (item, person.get_username()))
    subjects = sorted({key[0] for key in alerts} | {key[1] for key in breaches})
    known = _recorded_alerts(subjects) if alerts else set()
    new_alerts = [(key, found) for key, found in alerts.items() if key not in known]
    known = _recorded_breaches(subjects) if breaches else set()
    new_breaches = [(key, breach) for key, breach in breaches.items() if key not in known]
    # In key order, so that two sweeps at once take the unique index's locks in the same order.
    Alert.objects.bulk_create([
        Alert(subject=subject, deadline=item.deadline, kind=kind, recipient_id=recipient, due=due,
              bureau_id=item.bureau_id, url=item.url[:300], title=_title(item, kind))
        for (subject, kind, recipient, due), (item, _who) in sorted(new_alerts, key=lambda x: x[0])],
        ignore_conflicts=True)
    Breach.objects.bulk_create([
        Breach(kind=kind, subject=subject, bureau_id=item.bureau_id, unit_id=item.unit_id,
               meeting_type_id=item.meeting_type_id, due=item.due, description=one_line(item.title)[:300])
        for (kind, subject), item in sorted(new_breaches, key=lambda x: x[0])], ignore_conflicts=True)
    for (subject, kind, _recipient, _due), (_item, who) in new_alerts:
        report.recorded += 1
        report.lines.append(f"{kind} {subject} → {who}")
    for (kind, subject), _item in new_breaches:
        report.breaches += 1
        report.lines.append(f"breach {kind} {subject}")


def dispatch(report: SweepReport, *, batch: int = 100, pause: Callable[[], None] | None = None) -> None:
    """Phase 2: send what is recorded and unsent. The in-app message and the `sent_at` stamp are
    written in one transaction, so a sweep killed here leaves the alert unsent, never half-sent;
    rows locked by a concurrent sweep are skipped, not sent twice. A batch is sent in three statements:
    the messages inserted at once, the alerts stamped at once."""
    while True:
        with transaction.atomic():
            alerts = list(Alert.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
                          .order_by("pk")[:batch])
            if not alerts:
                return
            if pause:
                for _alert in alerts:
                    pause()
            notify_many([{"recipient_id": a.recipient_id, "kind": f"alert_{a.kind}", "title": a.title, "body": a.body,
                          "url": a.url} for a in alerts])
            Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(sent_at=timezone.now())
            report.sent += len(alerts)


def sweep(*, today: datetime.date | None = None, pause: Callable[[], None] | None = None) -> SweepReport:
    """Run one sweep: derive, then dispatch, then hand unsent e-mail to the channels again."""
    today = today or timezone.localdate()
    if pause is None and settings.SWEEP_DISPATCH_PAUSE:
        # Only for the kill-the-worker test: widen the window in which a sweep is half done.
        import time

        def pause() -> None:
            time.sleep(settings.SWEEP_DISPATCH_PAUSE)

    report = SweepReport(today=today)
    derive(today, report)
    dispatch(report, pause=pause)
    from governance.services.common import redeliver_pending

    redeliver_pending(older_than=datetime.timedelta(minutes=2))
    log.info("sweep %s: %s due, %s recorded, %s sent, %s breaches", today, report.due_items, report.recorded,
             report.sent, report.breaches)
    return report
