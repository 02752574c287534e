"""When a deadline raises a reminder or an escalation, and the cadence periods (R-CA-1, R-CA-2).

Pure functions: no ORM, no clock; `today` and the working-day calendar are passed in.
"""

from __future__ import annotations

import datetime

from .workdays import WorkCalendar, add_workdays


def alert_kind(*, today: datetime.date, due: datetime.date, remind_workdays: int, cal: WorkCalendar) -> str | None:
    """R-CA-2: "reminder" from `remind_workdays` working days before the due day through the due
    day itself, "escalation" once it has passed, None before the reminder window opens."""
    if today > due:
        return "escalation"
    opens = add_workdays(due, -remind_workdays, cal).date if remind_workdays > 0 else due
    return "reminder" if today >= opens else None


def period_of(day: datetime.date, cadence: str) -> tuple[datetime.date, datetime.date]:
    """R-CA-1: the cadence period containing `day`, first and last day inclusive."""
    if cadence == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if cadence == "month":
        start = day.replace(day=1)
    elif cadence == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif cadence == "year":
        start = day.replace(month=1, day=1)
    else:
        raise ValueError(f"no period for cadence {cadence!r}")
    months = {"month": 1, "quarter": 3, "year": 12}[cadence]
    month_index = start.month - 1 + months
    following = start.replace(year=start.year + month_index // 12, month=month_index % 12 + 1)
    return start, following - datetime.timedelta(days=1)


def previous_period(day: datetime.date, cadence: str) -> tuple[datetime.date, datetime.date]:
    start, _ = period_of(day, cadence)
    return period_of(start - datetime.timedelta(days=1), cadence)


def period_label(start: datetime.date, cadence: str) -> str:
    """A stable key for a period: 2026-W47, 2026-11, 2026-Q4, 2026."""
    if cadence == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if cadence == "month":
        return f"{start.year}-{start.month:02d}"
    if cadence == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def expected_day(start: datetime.date, end: datetime.date, weekday: int | None, cal: WorkCalendar
                 ) -> datetime.date | None:
    """R-CA-1: the day a period's meeting is due. With no fixed weekday, the period's last working day;
    with one (周一早会: `weekday` 0), that weekday, or when it is a holiday the next working day in the
    period (the seed names only the weekday; moving to the next working day is ours). None when the
    period has no working day left for it (the Spring Festival week): no meeting is due in it."""
    if weekday is None:
        day = end
        while day >= start:
            if cal.is_workday(day):
                return day
            day -= datetime.timedelta(days=1)
        return None
    day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    while day <= end:
        if cal.is_workday(day):
            return day
        day += datetime.timedelta(days=1)
    return None


def cadence_due(*, today: datetime.date, cadence: str, held: int, minimum: int, remind_days: int,
                due: datetime.date | None = None) -> tuple[str | None, datetime.date]:
    """R-CA-1 for the current period: "reminder" when its due day (`due`, the period's last day when not
    given) is within `remind_days` days and fewer than `minimum` meetings are held or scheduled in it."""
    _, end = period_of(today, cadence)
    due = due or end
    if held >= minimum:
        return None, due
    return ("reminder" if (due - today).days <= remind_days else None), due
