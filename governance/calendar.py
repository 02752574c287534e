"""The official working-day calendar in the database (R-MI-4): selectors, the deadline service, the loader.

The arithmetic lives in `governance.rules.workdays`; this module only fetches the exceptions a
computation needs and writes the chinesecalendar data. Admin amendments always win: rows with
source "admin" are never touched by the loader, and a year an admin has taken over (its
`CalendarYear.source` is "admin") is left alone entirely.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

import chinese_calendar
from django.db import router, transaction
from django.utils.translation import gettext as _

from .models import CalendarDay as _CalendarDay
from .models import CalendarSource
from .models import CalendarYear as _CalendarYear
from .rules import workdays as rules
from .rules.workdays import WorkCalendar, WorkdayResult

logger = logging.getLogger("governance.calendar")

# The change reason the loader's writes carry in the history (simple-history reads `_change_reason`).
_SYNC_REASON = "chinesecalendar 同步"


# --- reads -----------------------------------------------------------------------------------------

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
    if result.fallback_years:
        logger.warning(
            "%s",
            _("工作日计算经过 %(years)s 年，该年放假安排尚未载入，已按周一至周五计算：%(start)s 起 %(n)s 个工作日为 %(date)s。")
            % {"years": _join_years(result.fallback_years), "start": start, "n": n, "date": result.date},
        )
    return result


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


# --- the chinesecalendar data ----------------------------------------------------------------------

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


def sync_from_chinesecalendar(
    years: Iterable[int] | None = None,
    *,
    CalendarDay: Any = None,  # noqa: N803  (model classes; a migration passes its historical ones)
    CalendarYear: Any = None,  # noqa: N803
    using: str | None = None,
) -> dict[str, Any]:
    """Load the chinesecalendar schedules for `years` (default: all it has); idempotent, admin rows win.

    Returns counts: days created / updated / unchanged / removed (library rows it no longer lists) /
    kept_admin, years_created, and the years synced, skipped as admin-owned, or unknown to the package.
    """
    day_model = CalendarDay or _CalendarDay
    year_model = CalendarYear or _CalendarYear
    db = using or router.db_for_write(day_model)
    supported = chinesecalendar_years()
    wanted = sorted(set(supported if years is None else years))
    counts: dict[str, Any] = {
        "created": 0, "updated": 0, "unchanged": 0, "removed": 0, "kept_admin": 0, "years_created": 0,
        "years": [], "admin_years": [], "unsupported_years": [y for y in wanted if y not in supported],
    }
    wanted = [y for y in wanted if y in supported]
    if not wanted:
        return counts
    note = _("chinesecalendar %(version)s 数据") % {"version": chinese_calendar.__version__}

    with transaction.atomic(using=db):
        year_rows = {row.year: row for row in year_model.objects.using(db).select_for_update().filter(year__in=wanted)}
        # An admin who took a year over (entered it by hand, or deleted a library day) owns all of it.
        admin_years = {y for y, row in year_rows.items() if row.source == CalendarSource.ADMIN}
        synced = [y for y in wanted if y not in admin_years]
        counts["admin_years"], counts["years"] = sorted(admin_years), synced
        if not synced:
            return counts

        existing = {
            row.date: row
            for row in day_model.objects.using(db).select_for_update().filter(
                date__range=(datetime.date(synced[0], 1, 1), datetime.date(synced[-1], 12, 31)))
            if row.date.year in synced
        }
        library = chinesecalendar_exceptions(synced)
        # Row by row, not bulk: simple-history records only what goes through save() and delete().
        for day, (is_workday, name) in sorted(library.items()):
            row = existing.get(day)
            if row is None:
                row = day_model(date=day, is_workday=is_workday, name=name, source=CalendarSource.CHINESECALENDAR)
                row._change_reason = _SYNC_REASON
                row.save(using=db)
                counts["created"] += 1
            elif row.source == CalendarSource.ADMIN:
                counts["kept_admin"] += 1
            elif (row.is_workday, row.name) == (is_workday, name):
                counts["unchanged"] += 1
            else:
                row.is_workday, row.name = is_workday, name
                row._change_reason = _SYNC_REASON
                row.save(using=db, update_fields=["is_workday", "name"])
                counts["updated"] += 1
        # A newer package may have corrected a day; drop library rows it no longer lists.
        for day, row in existing.items():
            if day not in library and row.source == CalendarSource.CHINESECALENDAR:
                row._change_reason = _SYNC_REASON
                row.delete(using=db)
                counts["removed"] += 1

        for year in synced:
            if year not in year_rows:
                row = year_model(year=year, source=CalendarSource.CHINESECALENDAR, note=note)
                row._change_reason = _SYNC_REASON
                row.save(using=db)
                counts["years_created"] += 1
    return counts


def take_over_year(year: int) -> bool:
    """Mark a loaded year as admin-owned so that the loader never rewrites it; True if it changed.

    Deleting a library day leaves no row to protect, so without this a later sync would restore it.
    """
    row = _CalendarYear.objects.filter(year=year).first()
    if row is None or row.source == CalendarSource.ADMIN:
        return False
    row.source = CalendarSource.ADMIN
    row._change_reason = _("管理员修改了该年的节假日")
    row.save(update_fields=["source"])
    return True
