"""Deadlines derived from the working-day calendar as it stands now (R-MI-4, R-NO-1, R-NO-4).

No deadline that counts working days is stored: it is computed when it is read, from the meeting's
end (结束后) and the calendar in the database at that moment. So when an administrator enters a
holiday later (for a year chinesecalendar did not know), the minutes page, the on-time verdict, the
compliance view, the Supervision Office's filter and the sweep all move together.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance.rules import workdays as rules
from governance.rules.workdays import WorkCalendar, WorkdayResult
from governance.rules.workflow import notice_is_late
from governance.selectors.workdays import load_calendar, warn_fallback


def meeting_end_day(meeting) -> datetime.date:
    """R-MI-4, R-NO-4: the day the meeting ended (结束后), as recorded when it was closed; before it
    is closed, the planned end, else the day it was held or scheduled."""
    at = meeting.ended_at or meeting.ends_at or meeting.held_at or meeting.starts_at
    return timezone.localtime(at).date()


class WorkdayCounter:
    """Counts working days for many deadlines on one read of the calendar (a list page, a register,
    the sweep): the window loaded widens when a count reaches beyond it."""

    def __init__(self) -> None:
        self._low: datetime.date | None = None
        self._high: datetime.date | None = None
        self._cal = WorkCalendar()

    def _cover(self, low: datetime.date, high: datetime.date) -> None:
        if self._low is not None and self._low <= low and high <= self._high:
            return
        low = low if self._low is None else min(low, self._low)
        high = high if self._high is None else max(high, self._high)
        self._low, self._high, self._cal = low, high, load_calendar(low, high)

    def prepare(self, starts: list[datetime.date], n: int) -> None:
        """Load once the window that counting `n` working days from each of `starts` needs (one read for a page)."""
        if starts:
            self._cover(min(starts), max(starts) + datetime.timedelta(days=abs(n) * 3 + 30))

    def calendar(self, low: datetime.date, high: datetime.date) -> WorkCalendar:
        """The calendar covering `low`..`high` (read again only when the window must widen)."""
        self._cover(min(low, high), max(low, high))
        return self._cal

    def add(self, start: datetime.date, n: int) -> WorkdayResult:
        """R-MI-4: the n-th working day after `start` on the calendar as the database holds it now."""
        span = abs(n) * 3 + 30
        while True:
            low = start if n >= 0 else start - datetime.timedelta(days=span)
            high = start + datetime.timedelta(days=span) if n >= 0 else start
            self._cover(low, high)
            result = rules.add_workdays(start, n, self._cal)
            if self._low <= result.date <= self._high:
                warn_fallback(start, n, result)
                return result
            span *= 2


def minutes_due(meeting, counter: WorkdayCounter | None = None) -> WorkdayResult | None:
    """R-MI-4: the last day for the minutes to be sent: the type's N working days after the meeting
    ended (处务会结束后3个工作日内); None when the type sets no deadline."""
    n = meeting.meeting_type.minutes_deadline_workdays
    if n is None:
        return None
    return (counter or WorkdayCounter()).add(meeting_end_day(meeting), n)


def briefing_due(meeting, counter: WorkdayCounter | None = None) -> datetime.date:
    """R-NO-4: the last day to brief an absent member: the type's N working days after the meeting ended."""
    return (counter or WorkdayCounter()).add(meeting_end_day(meeting),
                                             meeting.meeting_type.briefing_deadline_workdays).date


def attach_briefing_due(briefings, counter: WorkdayCounter | None = None) -> list:
    """R-NO-4: set `due` on each briefing (its participant's meeting and type selected) as of now."""
    counter = counter or WorkdayCounter()
    briefings = list(briefings)
    longest = max((b.participant.meeting.meeting_type.briefing_deadline_workdays for b in briefings), default=0)
    counter.prepare([meeting_end_day(b.participant.meeting) for b in briefings], longest)
    for b in briefings:
        b.due = briefing_due(b.participant.meeting, counter)
    return briefings


def notice_late(meeting, counter: WorkdayCounter | None = None) -> bool | None:
    """R-NO-1: whether the notice went out later than the type's lead time before the meeting, on the
    calendar as it stands now; None while no notice has gone out."""
    if meeting.notice_sent_at is None:
        return None
    sent, on = timezone.localtime(meeting.notice_sent_at).date(), timezone.localtime(meeting.starts_at).date()
    cal = (counter or WorkdayCounter()).calendar(sent, on)
    return notice_is_late(notified_on=sent, meeting_on=on, lead_workdays=meeting.meeting_type.notice_lead_workdays,
                          cal=cal)


def attach_notice_late(meetings, counter: WorkdayCounter | None = None) -> list:
    """R-NO-1: set `notice_late` on each meeting (its type selected) as the calendar now stands."""
    counter = counter or WorkdayCounter()
    meetings = list(meetings)
    days = [timezone.localtime(d).date() for m in meetings for d in (m.notice_sent_at, m.starts_at) if d]
    if days:
        counter.calendar(min(days), max(days))
    for m in meetings:
        m.notice_late = notice_late(m, counter)
    return meetings
