"""The official working-day calendar as the database holds it (R-MI-4): the reads.

The arithmetic lives in `governance.rules.workdays`; this module only fetches the exceptions a
computation needs. The loader that writes the chinesecalendar data is governance.services.workdays."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

import chinese_calendar
from django.utils.translation import gettext as _

from governance.models import CalendarDay as _CalendarDay
from governance.models import CalendarYear as _CalendarYear
from governance.rules import workdays as rules
from governance.rules.workdays import WorkCalendar, WorkdayResult

logger = logging.getLogger("governance.calendar")


def load_calendar(start: datetime.date, end: datetime.date) -> WorkCalendar:
    """R-MI-4: the exceptions between `start` and `end` (inclusive) and the known years they touch."""
    if end < start:
        start, end = end, start
    exceptions = dict(_CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))
    known = _CalendarYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True)
    return WorkCalendar(exceptions=exceptions, known_years=frozenset(known))


def known_years() -> list[int]:
    """Years whose official schedule is loaded, ascending."""
    return sorted(_CalendarYear.objects.values_list("year", flat=True))


def uncovered_years(years: Iterable[int]) -> list[int]:
    """Those of `years` whose schedule is not loaded (deadlines there assume Monday-Friday), ascending."""
    wanted = set(years)
    if not wanted:
        return []
    loaded = set(_CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return sorted(wanted - loaded)


def _window(start: datetime.date, n: int, span: int) -> tuple[datetime.date, datetime.date]:
    # Clamp at the ends of the date range instead of overflowing; the rule reports a real overflow.
    if n >= 0:
        return start, datetime.date.fromordinal(min(start.toordinal() + span, datetime.date.max.toordinal()))
    return datetime.date.fromordinal(max(start.toordinal() - span, 1)), start


def add_workdays(start: datetime.date, n: int) -> WorkdayResult:
    """R-MI-4: the n-th working day after `start` (before it for negative n) on the official calendar.

    Logs a warning when the count passed through a year whose schedule is not loaded.
    """
    # Even across Spring Festival n working days fit in about 1.5n calendar days; 3n + 30 is generous.
    # An admin could still enter a long run of holidays, so widen until the result lies inside the
    # loaded window: the days counted lie between `start` and the result, so then all of them were loaded.
    span = abs(n) * 3 + 30
    while True:
        low, high = _window(start, n, span)
        result = rules.add_workdays(start, n, load_calendar(low, high))
        if low <= result.date <= high:
            break
        span *= 2
    warn_fallback(start, n, result)
    return result


def warn_fallback(start: datetime.date, n: int, result: WorkdayResult) -> None:
    """Log a warning when a count passed through a year whose schedule is not loaded."""
    if result.fallback_years:
        logger.warning(
            "%s",
            _("工作日计算经过 %(years)s 年，该年放假安排尚未载入，已按周一至周五计算：%(start)s 起 %(n)s 个工作日为 %(date)s。")
            % {"years": _join_years(result.fallback_years), "start": start, "n": n, "date": result.date},
        )


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """R-MI-4: signed working days from `a` to `b` (see rules.workdays_between); warns on unknown years."""
    cal = load_calendar(a, b)
    unknown = rules.unknown_years_between(a, b, cal)
    if unknown:
        logger.warning(
            "%s",
            _("工作日计算经过 %(years)s 年，该年放假安排尚未载入，已按周一至周五计算：%(a)s 至 %(b)s。")
            % {"years": _join_years(unknown), "a": a, "b": b},
        )
    return rules.workdays_between(a, b, cal)


def _join_years(years: Iterable[int]) -> str:
    return "、".join(str(year) for year in years)


def chinesecalendar_years() -> range:
    """The years the installed chinesecalendar package has official schedules for."""
    dates = [*chinese_calendar.holidays, *chinese_calendar.workdays]
    return range(min(dates).year, max(dates).year + 1)


def _holiday_name(value: str) -> str:
    # The package stores English names; its Holiday enum carries the official Chinese one.
    try:
        return chinese_calendar.Holiday(value).chinese
    except ValueError:
        return value


def chinesecalendar_exceptions(years: Iterable[int]) -> dict[datetime.date, tuple[bool, str]]:
    """R-MI-4: {date: (is_workday, Chinese name)} for the days of `years` that differ from Monday-Friday.

    The package also lists weekend days inside a holiday; those are rest days anyway, and only
    exceptions are stored, so they are left out (as would be a weekday "make-up workday").
    """
    wanted = set(years)
    result: dict[datetime.date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.year in wanted and day.weekday() < 5:
            result[day] = (False, _holiday_name(name))
    for day, name in chinese_calendar.workdays.items():
        if day.year in wanted and day.weekday() >= 5:
            result[day] = (True, _holiday_name(name))
    return result
