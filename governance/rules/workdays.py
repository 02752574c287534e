"""Working-day arithmetic on China's official calendar (R-MI-4) as pure functions: no ORM, no clock.

A working day is Monday to Friday unless the calendar lists the date as an exception: a weekday
holiday (放假) or a weekend make-up workday (调休上班). A year whose official schedule is not loaded
simply has no exceptions, so Monday-Friday applies there; every result says which such years it
passed through, so callers can warn that the deadline may be wrong.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_ONE_DAY = datetime.timedelta(days=1)


class WorkdayOverflow(ValueError):
    """The count runs past the first or last date Python can represent (year 1 or 9999)."""


@dataclass(frozen=True)
class WorkCalendar:
    """R-MI-4: the official calendar as plain values.

    `exceptions` maps a date to whether it is a working day, for dates that differ from Monday-Friday;
    `known_years` are the years whose official schedule (国务院办公厅放假安排) has been loaded.
    """

    exceptions: Mapping[datetime.date, bool] = field(default_factory=dict)
    known_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Copy and freeze: a caller that later mutates its dict must not change a calendar in use.
        object.__setattr__(self, "exceptions", MappingProxyType(dict(self.exceptions)))
        object.__setattr__(self, "known_years", frozenset(self.known_years))

    def is_workday(self, day: datetime.date) -> bool:
        """R-MI-4: a listed exception wins; otherwise Monday to Friday are working days."""
        listed = self.exceptions.get(day)
        if listed is not None:
            return listed
        return day.weekday() < 5

    def is_known_year(self, year: int) -> bool:
        """R-MI-4: has the official schedule for `year` been loaded?"""
        return year in self.known_years


@dataclass(frozen=True)
class WorkdayResult:
    """The date found, and the years on the way whose schedule was unknown (Monday-Friday assumed)."""

    date: datetime.date
    fallback_years: tuple[int, ...] = ()

    @property
    def assumed_weekdays(self) -> bool:
        """True when part of the count assumed Monday-Friday because a year's schedule was missing."""
        return bool(self.fallback_years)


def _step(day: datetime.date, direction: int) -> datetime.date:
    try:
        return day + _ONE_DAY if direction > 0 else day - _ONE_DAY
    except OverflowError as exc:
        raise WorkdayOverflow(f"working-day count runs past the representable date range from {day}") from exc


def _fallback_years(first: datetime.date, last: datetime.date, cal: WorkCalendar) -> tuple[int, ...]:
    # The days examined are contiguous, so every year between the first and the last was passed through.
    low, high = min(first.year, last.year), max(first.year, last.year)
    return tuple(year for year in range(low, high + 1) if not cal.is_known_year(year))


def add_workdays(start: datetime.date, n: int, cal: WorkCalendar) -> WorkdayResult:
    """R-MI-4: the n-th working day after `start` (before it, for negative n).

    `start` itself is never counted: the meeting day is day zero, so "within 3 working days after the
    meeting" ends on add_workdays(meeting_day, 3). n=0 returns `start` unchanged, working day or not.
    Raises WorkdayOverflow only if the count would run past year 9999 (or before year 1).
    """
    if n == 0:
        return WorkdayResult(date=start)
    direction = 1 if n > 0 else -1
    remaining = abs(n)
    day = start
    first_examined: datetime.date | None = None
    while remaining:
        day = _step(day, direction)
        if first_examined is None:
            first_examined = day
        if cal.is_workday(day):
            remaining -= 1
    assert first_examined is not None  # n != 0, so the loop ran at least once
    return WorkdayResult(date=day, fallback_years=_fallback_years(first_examined, day, cal))


def workdays_between(a: datetime.date, b: datetime.date, cal: WorkCalendar) -> int:
    """R-MI-4: the signed number of working days from `a` to `b`; how late (or early) `b` is after `a`.

    For a <= b it counts the working days in (a, b]: a deadline `a` met on `b` is that many working
    days late. For b < a it is minus the working days in [b, a), which makes it the exact inverse of
    add_workdays: workdays_between(d, add_workdays(d, n, cal).date, cal) == n for every n.
    """
    if a == b:
        return 0
    if a < b:
        low, high = a + _ONE_DAY, b
    else:
        low, high = b, a - _ONE_DAY
    count = 0
    day = low
    while True:
        if cal.is_workday(day):
            count += 1
        if day == high:
            break
        day += _ONE_DAY
    return count if a < b else -count


def unknown_years_between(a: datetime.date, b: datetime.date, cal: WorkCalendar) -> tuple[int, ...]:
    """R-MI-4: the years whose days workdays_between(a, b) counted with Monday-Friday assumed."""
    if a == b:
        return ()
    if a < b:
        return _fallback_years(a + _ONE_DAY, b, cal)
    return _fallback_years(b, a - _ONE_DAY, cal)
