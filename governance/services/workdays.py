"""The working-day calendar's loader (R-MI-4): writes the chinesecalendar data into the database.

Admin amendments always win: rows with source "admin" are never touched by the loader, and a year an
admin has taken over (its `CalendarYear.source` is "admin") is left alone entirely."""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterable
from typing import Any

import chinese_calendar
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Action, ActionStatus, CalendarSource
from governance.models import CalendarDay as _CalendarDay
from governance.models import CalendarYear as _CalendarYear
from governance.selectors.due_dates import WorkdayCounter
from governance.selectors.workdays import chinesecalendar_exceptions, chinesecalendar_years

logger = logging.getLogger("governance.calendar")


_loading = threading.local()

# The change reason the loader's writes carry in the history (simple-history reads `_change_reason`).
_SYNC_REASON = "chinesecalendar 同步"


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

    _loading.active = True  # one refresh of the follow-up due dates at the end, not one per day
    try:
        _load(counts, wanted, day_model, year_model, db, note)
    finally:
        _loading.active = False
    if CalendarDay is None and (counts["created"] or counts["updated"] or counts["removed"] or counts["years_created"]):
        refresh_action_due_dates()
    return counts


def _load(counts, wanted, day_model, year_model, db, note) -> None:
    with transaction.atomic(using=db):
        year_rows = {row.year: row for row in year_model.objects.using(db).select_for_update().filter(year__in=wanted)}
        # An admin who took a year over (entered it by hand, or deleted a library day) owns all of it.
        admin_years = {y for y, row in year_rows.items() if row.source == CalendarSource.ADMIN}
        synced = [y for y in wanted if y not in admin_years]
        counts["admin_years"], counts["years"] = sorted(admin_years), synced
        if not synced:
            return

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


def refresh_action_due_dates() -> int:
    """R-FU-1, R-FU-3: an open action's due date is N working days from the day it was assigned, on the
    calendar as it stands now: after an administrator amends the calendar, each one that moved is
    saved again (with its history), so the list, the page, the registers, the compliance view and
    the sweep, which all read it, agree. Returns how many moved."""
    actions = list(Action.objects.exclude(status=ActionStatus.DONE).filter(due_workdays__isnull=False))
    counter = WorkdayCounter()
    starts = [timezone.localtime(a.created_at).date() for a in actions]
    counter.prepare(starts, max((a.due_workdays for a in actions), default=0))
    moved = 0
    for action, start in zip(actions, starts, strict=True):
        due = counter.add(start, action.due_workdays).date
        if due != action.due:
            action.due = due
            action._change_reason = _("放假安排变更，完成期限重算为 %(d)s") % {"d": due.isoformat()}
            action.save(update_fields=["due"])
            moved += 1
    return moved


def on_calendar_changed(sender, **kwargs) -> None:
    """Receiver of every saved or deleted calendar row (the admin's form, a shell): the stored follow-up
    due dates are counted again on the calendar as it now stands, in the same transaction (R-FU-3).
    The loader refreshes once when it is done instead of once per day."""
    if not getattr(_loading, "active", False):
        refresh_action_due_dates()
