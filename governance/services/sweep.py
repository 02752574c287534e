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
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.documents.text import one_line
from governance.models import (
    Alert,
    AlertKind,
    Breach,
)
from governance.rules.deadlines import alert_kind
from governance.selectors import workdays as workcal
from governance.selectors.deadlines import SOURCES, Due
from governance.services.common import notify

log = logging.getLogger("governance.deadlines")


@dataclass
class SweepReport:
    today: datetime.date
    due_items: int = 0
    recorded: int = 0
    sent: int = 0
    breaches: int = 0
    lines: list[str] = field(default_factory=list)


def _record(item: Due, kind: str, recipients: Iterable, report: SweepReport) -> None:
    """Record one alert per recipient; the unique constraint makes a second one impossible. The title is
    one line cut to its column (a meeting's 200-character title makes a longer reminder)."""
    title = one_line((_("【提醒】") if kind == AlertKind.REMINDER else _("【逾期督办】")) + item.title)[:200]
    for person in {p.pk: p for p in recipients if p is not None}.values():
        try:
            with transaction.atomic():
                Alert.objects.create(subject=item.subject, deadline=item.deadline, kind=kind, recipient=person,
                                     due=item.due, bureau_id=item.bureau_id, url=item.url[:300], title=title)
        except IntegrityError:
            continue  # recorded by an earlier (or concurrent) sweep
        report.recorded += 1
        report.lines.append(f"{kind} {item.subject} → {person.get_username()}")


def _breach(item: Due, report: SweepReport) -> None:
    try:
        with transaction.atomic():
            Breach.objects.create(kind=item.breach, subject=item.subject, bureau_id=item.bureau_id, unit_id=item.unit_id,
                                  meeting_type_id=item.meeting_type_id, due=item.due,
                                  description=one_line(item.title)[:300])
    except IntegrityError:
        return
    report.breaches += 1
    report.lines.append(f"breach {item.breach} {item.subject}")


def derive(today: datetime.date, report: SweepReport) -> None:
    """Phase 1: record every alert and breach that is due today and not yet recorded."""
    remind = settings.DEADLINE_REMIND_WORKDAYS
    cal = workcal.load_calendar(today - datetime.timedelta(days=40), today + datetime.timedelta(days=40))
    for fn in SOURCES:
        for item in fn(today):
            report.due_items += 1
            kind = item.kind or alert_kind(today=today, due=item.due, remind_workdays=remind, cal=cal)
            if kind == AlertKind.REMINDER:
                _record(item, kind, item.act_by, report)
            elif kind == AlertKind.ESCALATION:
                _record(item, kind, (*item.act_by, *item.escalate_to), report)
                if item.breach:
                    _breach(item, report)


def dispatch(report: SweepReport, *, batch: int = 100, pause: Callable[[], None] | None = None) -> None:
    """Phase 2: send what is recorded and unsent. The in-app message and the `sent_at` stamp are
    written in one transaction, so a sweep killed here leaves the alert unsent, never half-sent;
    rows locked by a concurrent sweep are skipped, not sent twice."""
    while True:
        with transaction.atomic():
            alerts = list(Alert.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
                          .select_related("recipient").order_by("pk")[:batch])
            if not alerts:
                return
            for alert in alerts:
                notify(recipients=[alert.recipient], kind=f"alert_{alert.kind}", title=alert.title, body=alert.body,
                       url=alert.url)
                alert.sent_at = timezone.now()
                alert.save(update_fields=["sent_at"])
                report.sent += 1
                if pause:
                    pause()


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
