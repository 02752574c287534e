"""Days as ranges of moments: a filter on a datetime column by day is `col >= first 00:00 and
col < the day after last 00:00` (local time), which an index on the column serves; `col__date`
(a cast of every row) and `col__year` never are."""

from __future__ import annotations

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_range(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments of the days `first`..`last`: `[since, until)`."""
    return day_start(first), day_start(last + datetime.timedelta(days=1))


def within(path: str, first: datetime.date | None, last: datetime.date | None) -> dict:
    """Filter keywords for the datetime at `path` on the days `first`..`last` (either may be None)."""
    where = {}
    if first is not None:
        where[f"{path}__gte"] = day_start(first)
    if last is not None:
        where[f"{path}__lt"] = day_start(last + datetime.timedelta(days=1))
    return where


def month_range(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of a month, for a filter on a date column by month."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)
