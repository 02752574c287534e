"""The deadline sweep (R-CA-1, R-CA-2, R-MI-4, R-NO-1, R-NO-4): derive from the database what is due
soon and what is overdue, record each reminder and escalation before sending it (a unique row), then
send what is recorded and unsent. Nothing is held in the broker: a sweep that is killed, repeated or
run twice at once ends with every alert sent exactly once.

Deadline sources are plain functions registered with `@source`; follow-up actions and rectification
measures plug in the same way.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import calendar as workcal
from .models import (
    Alert,
    AlertKind,
    Breach,
    BreachKind,
    Briefing,
    Bureau,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
    Scope,
    Unit,
    UnitKind,
)
from .rules.deadlines import alert_kind, cadence_due, period_label, previous_period
from .services.common import notify

log = logging.getLogger("governance.deadlines")
User = get_user_model()


@dataclass(frozen=True)
class Due:
    """One deadline as a sweep sees it."""

    subject: str  # unique and stable: "minutes:12", "cadence:DA:unit:5:2026-10"
    deadline: str  # minutes / notice / briefing / cadence / action ...
    bureau_id: int
    due: datetime.date
    title: str
    url: str = ""
    act_by: tuple = ()  # reminded before
    escalate_to: tuple = ()  # told after
    breach: str | None = None
    kind: str | None = None  # set by the source when it knows (cadence); else from the calendar
    unit_id: int | None = None
    meeting_type_id: int | None = None


SOURCES: list[Callable[[datetime.date], Iterable[Due]]] = []


def source(fn: Callable[[datetime.date], Iterable[Due]]):
    """Register a deadline source: a function of `today` yielding `Due` items still unmet."""
    SOURCES.append(fn)
    return fn


def _supervision(bureau_id: int, today: datetime.date) -> tuple:
    from .selectors import office_staff

    return tuple(office_staff(bureau=Bureau(pk=bureau_id), kind=UnitKind.SUPERVISION_OFFICE, on=today))


LOOKBACK = datetime.timedelta(days=400)


@source
def minutes_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-MI-4: minutes not distributed N working days after the meeting."""
    meetings = (Meeting.objects.filter(meeting_type__minutes_deadline_workdays__isnull=False,
                                       status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
                                       starts_at__gte=timezone.now() - LOOKBACK)
                .filter(Q(minutes__isnull=True) | Q(minutes__distributed_at__isnull=True))
                .select_related("meeting_type", "recorder", "convener", "unit"))
    for m in meetings:
        held_on = timezone.localtime(m.held_at or m.starts_at).date()
        due = workcal.add_workdays(held_on, m.meeting_type.minutes_deadline_workdays).date
        yield Due(subject=f"minutes:{m.pk}", deadline="minutes", bureau_id=m.bureau_id, due=due,
                  title=_("%(m)s的纪要须于 %(d)s 前分送") % {"m": m.title, "d": due.isoformat()},
                  url=reverse("meeting_detail", args=[m.pk]), act_by=tuple(u for u in (m.recorder,) if u),
                  escalate_to=(m.convener, *_supervision(m.bureau_id, today)), breach=BreachKind.MINUTES_LATE,
                  unit_id=m.unit_id, meeting_type_id=m.meeting_type_id)


@source
def notice_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-NO-1: a notice must go out the type's lead time before the meeting."""
    open_states = [MeetingStatus.AGENDA_OPEN, MeetingStatus.AGENDA_SUBMITTED, MeetingStatus.AGENDA_APPROVED]
    meetings = (Meeting.objects.filter(status__in=open_states, notice_sent_at__isnull=True,
                                       starts_at__gte=timezone.now() - datetime.timedelta(days=7))
                .select_related("meeting_type", "scheduled_by", "recorder", "convener"))
    for m in meetings:
        on = timezone.localtime(m.starts_at).date()
        due = workcal.add_workdays(on, -m.meeting_type.notice_lead_workdays).date if m.meeting_type.notice_lead_workdays else on
        yield Due(subject=f"notice:{m.pk}", deadline="notice", bureau_id=m.bureau_id, due=due,
                  title=_("%(m)s的会议通知须于 %(d)s 前发出") % {"m": m.title, "d": due.isoformat()},
                  url=reverse("meeting_detail", args=[m.pk]),
                  act_by=tuple({u.pk: u for u in (m.scheduled_by, m.recorder) if u}.values()),
                  escalate_to=(m.convener,), breach=BreachKind.NOTICE_LATE, unit_id=m.unit_id,
                  meeting_type_id=m.meeting_type_id)


@source
def briefing_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-NO-4: absent members are briefed within the type's deadline."""
    for b in (Briefing.objects.filter(briefed_at__isnull=True)
              .select_related("participant__meeting__recorder", "participant__meeting__chair",
                              "participant__person__person")):
        m = b.participant.meeting
        person = b.participant.person
        name = person.person.name if hasattr(person, "person") else person.get_username()
        yield Due(subject=f"briefing:{b.pk}", deadline="briefing", bureau_id=m.bureau_id, due=b.due,
                  title=_("须于 %(d)s 前向 %(who)s 传达%(m)s的决定") % {"d": b.due.isoformat(), "who": name, "m": m.title},
                  url=reverse("meeting_detail", args=[m.pk]) + "#briefings",
                  act_by=tuple(u for u in (m.recorder,) if u), escalate_to=(m.chair,),
                  breach=BreachKind.BRIEFING_LATE, unit_id=m.unit_id, meeting_type_id=m.meeting_type_id)


def _scopes(t: MeetingType) -> list[Unit | None]:
    if t.scope == Scope.BUREAU:
        return [None]
    return list(Unit.objects.filter(bureau=t.bureau, kind__in=t.unit_kinds, active=True))


@source
def cadence_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-CA-1: each type's cadence per scope: a reminder while the period is ending without a
    meeting; a breach (escalated to the convener and the Supervision Office) once it ended without."""
    remind_days = settings.CADENCE_REMIND_DAYS
    for t in MeetingType.objects.filter(active=True).exclude(cadence=Cadence.NONE).select_related("bureau"):
        since = t.bureau.cadence_since
        if since is None:
            continue  # the bureau has not started tracking its cadence
        from .services.meetings import holders

        for unit in _scopes(t):
            scope_key = f"unit:{unit.pk}" if unit else "bureau"
            where = {"meeting_type": t, "unit": unit}
            conveners = tuple(holders(bureau=t.bureau, post=t.convener_post, on=today, unit=unit, scope=t.scope))
            # The current period: remind while it is ending without enough meetings held or planned.
            from .rules.deadlines import period_of

            start, end = period_of(today, t.cadence)
            planned = Meeting.objects.filter(**where, starts_at__date__gte=start, starts_at__date__lte=end) \
                .exclude(status=MeetingStatus.CANCELLED).count()
            kind, due = cadence_due(today=today, cadence=t.cadence, held=planned, minimum=t.cadence_min_count,
                                    remind_days=remind_days)
            label = period_label(start, t.cadence)
            name = f"{unit.name}{t.name}" if unit else t.name
            if kind:
                yield Due(subject=f"cadence:{t.code}:{scope_key}:{label}", deadline="cadence", bureau_id=t.bureau_id,
                          due=due, kind=AlertKind.REMINDER, act_by=conveners, unit_id=unit.pk if unit else None,
                          meeting_type_id=t.pk, url=reverse("meeting_new") + f"?type={t.pk}",
                          title=_("%(name)s本周期（%(p)s）尚未召开，须于 %(d)s 前召开") % {
                              "name": name, "p": label, "d": due.isoformat()})
            # The period just ended: a breach if it ended without a meeting held.
            p_start, p_end = previous_period(today, t.cadence)
            if p_start < since:
                continue
            held = Meeting.objects.filter(**where, starts_at__date__gte=p_start, starts_at__date__lte=p_end,
                                          status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED]).count()
            if held < t.cadence_min_count:
                p_label = period_label(p_start, t.cadence)
                yield Due(subject=f"cadence:{t.code}:{scope_key}:{p_label}", deadline="cadence", bureau_id=t.bureau_id,
                          due=p_end, kind=AlertKind.ESCALATION, breach=BreachKind.CADENCE_MISSED,
                          escalate_to=(*conveners, *_supervision(t.bureau_id, today)), unit_id=unit.pk if unit else None,
                          meeting_type_id=t.pk, url=reverse("meeting_list") + f"?type={t.code}",
                          title=_("%(name)s在 %(p)s 未按规定召开（应至少 %(n)s 次，实际 %(h)s 次）") % {
                              "name": name, "p": p_label, "n": t.cadence_min_count, "h": held})


@source
def action_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-FU-1, R-FU-3, R-FU-4: actions and rectification measures not done by their due date."""
    from .models import Action, ActionStatus
    from .services.followup import answerable_for, unit_heads

    for a in (Action.objects.exclude(status=ActionStatus.DONE)
              .select_related("owner", "owner_unit__bureau", "leader", "coordinator", "meeting")):
        owners = [a.owner] if a.owner else unit_heads(a.owner_unit, today)
        coordinators = answerable_for(a.coordinator, on=today)
        yield Due(subject=f"action:{a.pk}", deadline="action", bureau_id=a.meeting.bureau_id, due=a.due,
                  title=_("督办事项“%(t)s”须于 %(d)s 前完成") % {"t": a.title, "d": a.due.isoformat()},
                  url=reverse("action_detail", args=[a.pk]), act_by=tuple(owners),
                  escalate_to=tuple(p for p in (a.leader, *coordinators) if p), breach=BreachKind.ACTION_OVERDUE,
                  unit_id=a.owner_unit_id, meeting_type_id=a.meeting.meeting_type_id)


@dataclass
class SweepReport:
    today: datetime.date
    due_items: int = 0
    recorded: int = 0
    sent: int = 0
    breaches: int = 0
    lines: list[str] = field(default_factory=list)


def _record(item: Due, kind: str, recipients: Iterable, report: SweepReport) -> None:
    """Record one alert per recipient; the unique constraint makes a second one impossible."""
    for person in {p.pk: p for p in recipients if p is not None}.values():
        try:
            with transaction.atomic():
                Alert.objects.create(subject=item.subject, deadline=item.deadline, kind=kind, recipient=person,
                                     due=item.due, bureau_id=item.bureau_id, url=item.url,
                                     title=(_("【提醒】") if kind == AlertKind.REMINDER else _("【逾期督办】")) + item.title)
        except IntegrityError:
            continue  # recorded by an earlier (or concurrent) sweep
        report.recorded += 1
        report.lines.append(f"{kind} {item.subject} → {person.get_username()}")


def _breach(item: Due, report: SweepReport) -> None:
    try:
        with transaction.atomic():
            Breach.objects.create(kind=item.breach, subject=item.subject, bureau_id=item.bureau_id, unit_id=item.unit_id,
                                  meeting_type_id=item.meeting_type_id, due=item.due, description=item.title[:300])
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
    from .services.common import redeliver_pending

    redeliver_pending(older_than=datetime.timedelta(minutes=2))
    log.info("sweep %s: %s due, %s recorded, %s sent, %s breaches", today, report.due_items, report.recorded,
             report.sent, report.breaches)
    return report
