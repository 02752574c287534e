"""The compliance view's figures (R-CA-1, R-MI-4, R-FU-1, R-QU-1..2, R-AG-6, R-NO-5): per unit and per month,
quarter or year, counted from the records in a fixed number of queries, whatever the number of
units or periods shown. Pure arithmetic (`cadence_periods`) is separated from the reads."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from governance.models import (
    Action,
    ActionStatus,
    Breach,
    BreachKind,
    Bureau,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
    QuorumRefusal,
    Scope,
    Unit,
)
from governance.rules.deadlines import expected_day, period_label, period_of
from governance.selectors import workdays as workcal
from governance.selectors.periods import within


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    start: datetime.date
    end: datetime.date


def columns(year: int, granularity: str) -> list[Column]:
    """The months, quarters or the year of `year`."""
    if granularity == "year":
        return [Column(str(year), f"{year}年", datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    step = 3 if granularity == "quarter" else 1
    out = []
    for month in range(1, 13, step):
        start, end = period_of(datetime.date(year, month, 1), "quarter" if step == 3 else "month")
        label = f"第{(month - 1) // 3 + 1}季度" if step == 3 else f"{month}月"
        out.append(Column(period_label(start, "quarter" if step == 3 else "month"), label, start, end))
    return out


def cadence_periods(cadence: str, first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """R-CA-1: the cadence periods that start on or after `first` and end on or before `last`."""
    periods = []
    start, end = period_of(first, cadence)
    if start < first:
        start, end = period_of(end + datetime.timedelta(days=1), cadence)
    while end <= last:
        periods.append((start, end))
        start, end = period_of(end + datetime.timedelta(days=1), cadence)
    return periods


@dataclass
class Cell:
    due: int = 0  # cadence periods that ended in this column
    missed: int = 0
    held: int = 0
    minutes_on_time: int = 0
    minutes_late: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    quorum_refusals: int = 0
    flags: int = 0
    absences: int = 0  # R-NO-5: unexcused absences where the type forbids them

    @property
    def met(self) -> int:
        return self.due - self.missed


@dataclass
class Row:
    key: str  # unit code, or "bureau"
    label: str
    unit: Unit | None
    cells: dict[str, Cell] = field(default_factory=dict)

    def total(self) -> Cell:
        total = Cell()
        for cell in self.cells.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(cell, name))
        return total


# Functions adding figures to the grid: f(*, bureau, first, last, today, cell) where cell(unit_id, day)
# is the Cell that day falls in for that unit (None outside the year). The minutes app adds its own.
FIGURE_SOURCES: list[Callable[..., None]] = []


def figure_source(fn: Callable[..., None]) -> Callable[..., None]:
    """Add figures to the compliance grid from any app."""
    FIGURE_SOURCES.append(fn)
    return fn


def _column_of(day: datetime.date, cols: list[Column]) -> str | None:
    for col in cols:
        if col.start <= day <= col.end:
            return col.key
    return None


def compliance(*, bureau: Bureau, year: int, granularity: str = "month", today: datetime.date | None = None
               ) -> tuple[list[Column], list[Row]]:
    """Every figure of the compliance view, in seven queries."""
    today = today or timezone.localdate()
    cols = columns(year, granularity)
    first, last = cols[0].start, cols[-1].end
    units = list(Unit.objects.filter(bureau=bureau, active=True).order_by("order", "name"))
    rows = {"bureau": Row("bureau", "全局", None)}
    for unit in units:
        rows[unit.code] = Row(unit.code, unit.name, unit)
    by_pk = {u.pk: u.code for u in units}
    for row in rows.values():
        row.cells = {c.key: Cell() for c in cols}

    def cell(unit_id, day) -> Cell | None:
        key = _column_of(day, cols)
        row = rows.get(by_pk.get(unit_id, "bureau")) if unit_id else rows["bureau"]
        return row.cells[key] if key and row else None

    # Cadence (R-CA-1): periods that ended by today, met or missed, counted where they end.
    types = list(MeetingType.objects.filter(bureau=bureau, active=True).exclude(cadence=Cadence.NONE))
    held = defaultdict(list)
    for type_id, unit_id, starts_at in (Meeting.objects.filter(
            bureau=bureau, **within("starts_at", first - datetime.timedelta(days=7), last),
            status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED]).values_list("meeting_type_id", "unit_id", "starts_at")):
        held[(type_id, unit_id)].append(timezone.localtime(starts_at).date())
    since = bureau.cadence_since
    cal = workcal.load_calendar(first - datetime.timedelta(days=7), last + datetime.timedelta(days=7))
    # A bureau that has not started tracking its cadence (no start date) is reminded, never judged.
    for t in types if since else []:
        scopes = [None] if t.scope == Scope.BUREAU else [u for u in units if u.kind in t.unit_kinds]
        for unit in scopes:
            dates = held[(t.pk, unit.pk if unit else None)]
            for start, end in cadence_periods(t.cadence, max(first, since), min(last, today - datetime.timedelta(days=1))):
                target = cell(unit.pk if unit else None, end)
                if target is None or expected_day(start, end, t.cadence_weekday, cal) is None:
                    continue  # R-CA-1: a period with no working day for the meeting is due nothing
                count = sum(1 for d in dates if start <= d <= end)
                target.due += 1
                target.held += count
                if count < t.cadence_min_count:
                    target.missed += 1

    # Figures other apps add (the minutes app: on time or late, R-MI-4).
    for contribute in FIGURE_SOURCES:
        contribute(bureau=bureau, first=first, last=last, today=today, cell=cell)

    # Actions (R-FU-1, R-FU-3): open and overdue, by due date and owning unit.
    for unit_id, due, status in Action.objects.filter(meeting__bureau=bureau, due__gte=first, due__lte=last) \
            .values_list("owner_unit_id", "due", "status"):
        target = cell(unit_id, due)
        if target and status != ActionStatus.DONE:
            target.actions_open += 1
            if due < today:
                target.actions_overdue += 1

    # Quorum refusals (R-QU-1, R-QU-2) and R-AG-6 flags.
    for unit_id, at in QuorumRefusal.objects.filter(meeting__bureau=bureau, **within("at", first, last)) \
            .values_list("meeting__unit_id", "at"):
        target = cell(unit_id, timezone.localtime(at).date())
        if target:
            target.quorum_refusals += 1
    for kind, unit_id, due in Breach.objects.filter(
            bureau=bureau, kind__in=[BreachKind.MANDATORY_BYPASSED, BreachKind.UNEXCUSED_ABSENCE], due__gte=first,
            due__lte=last).values_list("kind", "unit_id", "due"):
        target = cell(unit_id, due)
        if target and kind == BreachKind.MANDATORY_BYPASSED:
            target.flags += 1
        elif target:
            target.absences += 1
    return cols, list(rows.values())
