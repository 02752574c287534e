"""What is due (R-CA-1, R-CA-2, R-MI-4, R-NO-1, R-NO-4, R-FU-1, R-FU-3, R-FU-4): deadline sources derive
from the database what is due soon and what is overdue. Sources are plain functions registered
with `@source`; the sweep (governance.services.sweep) records and sends what they yield."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    AlertKind,
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
from governance.rules.deadlines import cadence_due, expected_day, period_label, period_of, previous_period
from governance.selectors import workdays as workcal
from governance.selectors.confidential import public_action_title, public_title
from governance.selectors.due_dates import WorkdayCounter, attach_briefing_due, meeting_end_day, minutes_due
from governance.selectors.periods import within

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
    from governance.selectors.org import office_staff

    return tuple(office_staff(bureau=Bureau(pk=bureau_id), kind=UnitKind.SUPERVISION_OFFICE, on=today))


LOOKBACK = datetime.timedelta(days=400)


@source
def minutes_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-MI-4: minutes not distributed N working days after the meeting ended (结束后)."""
    meetings = (Meeting.objects.filter(meeting_type__minutes_deadline_workdays__isnull=False,
                                       status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED],
                                       starts_at__gte=timezone.now() - LOOKBACK)
                .filter(Q(minutes__isnull=True) | Q(minutes__distributed_at__isnull=True))
                .select_related("meeting_type", "recorder", "convener", "unit"))
    meetings = list(meetings)
    counter = WorkdayCounter()
    counter.prepare([meeting_end_day(m) for m in meetings],
                    max((m.meeting_type.minutes_deadline_workdays for m in meetings), default=0))
    for m in meetings:
        due = minutes_due(m, counter).date  # from the meeting's end, on the calendar as it is now
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
    """R-NO-4: absent members are briefed within the type's deadline after the meeting ended."""
    briefings = (Briefing.objects.filter(briefed_at__isnull=True)
                 .select_related("participant__meeting__recorder", "participant__meeting__chair",
                                 "participant__meeting__meeting_type", "participant__person__person"))
    for b in attach_briefing_due(briefings):
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
    """R-CA-1: each type's cadence per scope: a reminder while the period's due day (its fixed weekday,
    `cadence_weekday`, or its last working day) nears without a meeting; a breach (escalated to the
    convener and the Supervision Office) once it ended without. A period with no working day for the
    meeting (the Spring Festival week) is due nothing."""
    remind_days = settings.CADENCE_REMIND_DAYS
    for t in MeetingType.objects.filter(active=True).exclude(cadence=Cadence.NONE).select_related("bureau"):
        since = t.bureau.cadence_since
        if since is None:
            continue  # the bureau has not started tracking its cadence
        from governance.selectors.roles import holders

        for unit in _scopes(t):
            scope_key = f"unit:{unit.pk}" if unit else "bureau"
            where = {"meeting_type": t, "unit": unit}
            conveners = tuple(holders(bureau=t.bureau, post=t.convener_post, on=today, unit=unit, scope=t.scope))
            # The current period: remind while its due day nears without enough meetings held or planned.

            start, end = period_of(today, t.cadence)
            expected = expected_day(start, end, t.cadence_weekday, workcal.load_calendar(start, end))
            planned = Meeting.objects.filter(**where, **within("starts_at", start, end)) \
                .exclude(status=MeetingStatus.CANCELLED).count()
            kind, due = cadence_due(today=today, cadence=t.cadence, held=planned, minimum=t.cadence_min_count,
                                    remind_days=remind_days, due=expected)
            label = period_label(start, t.cadence)
            name = f"{unit.name}{t.name}" if unit else t.name
            if kind and expected is not None:  # a period with no working day for it is due nothing
                yield Due(subject=f"cadence:{t.code}:{scope_key}:{label}", deadline="cadence", bureau_id=t.bureau_id,
                          due=due, kind=AlertKind.REMINDER, act_by=conveners, unit_id=unit.pk if unit else None,
                          meeting_type_id=t.pk, url=reverse("meeting_new") + f"?type={t.pk}",
                          title=_("%(name)s本周期（%(p)s）尚未召开，须于 %(d)s 前召开") % {
                              "name": name, "p": label, "d": due.isoformat()})
            # The period just ended: a breach if it ended without a meeting held.
            p_start, p_end = previous_period(today, t.cadence)
            if p_start < since or expected_day(p_start, p_end, t.cadence_weekday,
                                               workcal.load_calendar(p_start, p_end)) is None:
                continue  # not tracked yet, or a period with no working day (the Spring Festival week)
            held = Meeting.objects.filter(**where, **within("starts_at", p_start, p_end),
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
    from governance.models import Action, ActionStatus
    from governance.selectors.followup import answerable_for, unit_heads

    for a in (Action.objects.exclude(status=ActionStatus.DONE)
              .select_related("owner", "owner_unit__bureau", "leader", "coordinator", "meeting", "topic__category")):
        owners = [a.owner] if a.owner else unit_heads(a.owner_unit, today)
        coordinators = answerable_for(a.coordinator, on=today)
        yield Due(subject=f"action:{a.pk}", deadline="action", bureau_id=a.meeting.bureau_id, due=a.due,
                  title=_("督办事项“%(t)s”须于 %(d)s 前完成") % {"t": public_action_title(a), "d": a.due.isoformat()},
                  url=reverse("action_detail", args=[a.pk]), act_by=tuple(owners),
                  escalate_to=tuple(p for p in (a.leader, *coordinators) if p), breach=BreachKind.ACTION_OVERDUE,
                  unit_id=a.owner_unit_id, meeting_type_id=a.meeting.meeting_type_id)


@source
def unassigned_decision_deadlines(today: datetime.date) -> Iterable[Due]:
    """R-FU-1, R-FU-3: a passed decision of a type whose decisions are followed up becomes an action
    within DECISION_ASSIGN_WORKDAYS working days after the meeting: the recorder is reminded, then the
    chair, the coordinating office and the Supervision Office are told; a breach is recorded."""
    from governance.selectors.followup import answerable_for, coordinator_for, unassigned_decisions

    for topic in unassigned_decisions().filter(meeting__starts_at__gte=timezone.now() - LOOKBACK):
        m = topic.meeting
        held_on = timezone.localtime(m.held_at or m.starts_at).date()
        due = workcal.add_workdays(held_on, settings.DECISION_ASSIGN_WORKDAYS).date
        coordinators = tuple(answerable_for(coordinator_for(m), on=today))
        yield Due(subject=f"decision:{topic.pk}", deadline="decision", bureau_id=m.bureau_id, due=due,
                  title=_("%(m)s通过的决定事项“%(t)s”须于 %(d)s 前交办督办") % {
                      "m": m.title, "t": public_title(topic), "d": due.isoformat()},
                  url=reverse("meeting_detail", args=[m.pk]) + f"#topic-{topic.pk}",
                  act_by=tuple(u for u in (m.recorder,) if u),
                  escalate_to=(m.chair, *coordinators, *_supervision(m.bureau_id, today)),
                  breach=BreachKind.DECISION_UNTRACKED, unit_id=m.unit_id, meeting_type_id=m.meeting_type_id)
