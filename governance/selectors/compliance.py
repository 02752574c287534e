"""The compliance view's figures (R-CA-1, R-MI-4, R-FU-1, R-QU-1..2, R-AG-6, R-NO-5): per bureau, unit and
month, quarter or year, counted in SQL by grouped queries (GROUP BY bureau, unit, type, month with
conditional counts), a fixed number of them whatever the number of bureaus, units, meetings or periods
shown: the city view asks for all bureaus at once. Pure arithmetic (`cadence_periods`) is separated from
the reads."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import Trunc
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
from governance.selectors.due_dates import WorkdayCounter


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


# Functions adding figures to the grid, from any app: f(*, bureau_ids, meeting_types, first, last, today,
# counter, add). `add(bureau_id, unit_id, day, **counts)` adds counts to the cell that `day` falls in for
# that unit (its bureau's row when the unit is not shown); `counter` is the page's one WorkdayCounter,
# already covering the year and a year back. Each source answers in a fixed number of grouped queries.
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


def _month(name: str) -> Trunc:
    """The first day of the (local) month of a date or datetime field, grouped on in SQL."""
    return Trunc(name, "month", output_field=DateField())


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _Grid:
    """The rows of several bureaus, filled from grouped rows (bureau, unit, day, counts)."""

    def __init__(self, bureaus: list[Bureau], units: list[Unit], cols: list[Column]) -> None:
        self.cols = cols
        self.rows: dict[int, dict[str, Row]] = {b.pk: {"bureau": Row("bureau", "全局", None)} for b in bureaus}
        self.code_of = {}
        for unit in units:
            self.rows[unit.bureau_id][unit.code] = Row(unit.code, unit.name, unit)
            self.code_of[unit.pk] = unit.code
        for rows in self.rows.values():
            for row in rows.values():
                row.cells = {c.key: Cell() for c in cols}

    def cell(self, bureau_id: int, unit_id: int | None, day: datetime.date) -> Cell | None:
        if isinstance(day, datetime.datetime):  # a month truncated by the database may come back as a timestamp
            day = day.date()
        key = _column_of(day, self.cols)
        rows = self.rows.get(bureau_id)
        if key is None or rows is None:
            return None
        # A unit no longer shown (inactive) counts in its bureau's row, as before.
        return rows.get(self.code_of.get(unit_id, "bureau"), rows["bureau"]).cells[key]

    def add(self, bureau_id: int, unit_id: int | None, day: datetime.date, **counts: int) -> None:
        target = self.cell(bureau_id, unit_id, day)
        if target is not None:
            for name, n in counts.items():
                setattr(target, name, getattr(target, name) + (n or 0))


def compliance(*, bureau: Bureau, year: int, granularity: str = "month", today: datetime.date | None = None
               ) -> tuple[list[Column], list[Row]]:
    """Every figure of one bureau's compliance view (see `compliance_of_bureaus`)."""
    cols, grids = compliance_of_bureaus(bureaus=[bureau], year=year, granularity=granularity, today=today)
    return cols, grids[bureau.pk]


def compliance_of_bureaus(*, bureaus: list[Bureau], year: int, granularity: str = "month",
                          today: datetime.date | None = None) -> tuple[list[Column], dict[int, list[Row]]]:
    """Every figure of the compliance view of each of `bureaus` (the city view: all of them side by side),
    counted in SQL by grouped queries (per bureau, unit, type and month), about ten queries whatever the
    number of bureaus, units, meetings or periods."""
    today = today or timezone.localdate()
    cols = columns(year, granularity)
    first, last = cols[0].start, cols[-1].end
    ids = [b.pk for b in bureaus]
    units = list(Unit.objects.filter(bureau_id__in=ids, active=True).order_by("bureau_id", "order", "name"))
    grid = _Grid(bureaus, units, cols)
    meeting_types = list(MeetingType.objects.filter(bureau_id__in=ids))
    # One calendar read for the page: the year, a year back (a due date lies after the meeting) and
    # far enough ahead for the longest minutes deadline.
    longest = max([t.minutes_deadline_workdays or 0 for t in meeting_types] + [0])
    counter = WorkdayCounter()
    cal = counter.calendar(first - datetime.timedelta(days=370), last + datetime.timedelta(days=3 * longest + 30))
    grouped = _grouped_counts(bureau_ids=ids, meeting_types=meeting_types, bureaus=bureaus, first=first, last=last,
                              today=today)
    # PostgreSQL returns a period truncated inside a CASE as a timestamp (the CASE has no converter).
    held = {(a, b, d.date() if isinstance(d, datetime.datetime) else d): n
            for source, a, b, d, n, _n in grouped if source == HELD}
    others = [row for row in grouped if row[0] != HELD]
    _cadence(grid=grid, bureaus=bureaus, units=units, meeting_types=meeting_types, held=held, first=first, last=last,
             today=today, cal=cal)

    # Figures other apps add (the minutes app: on time or late, R-MI-4).
    for contribute in FIGURE_SOURCES:
        contribute(bureau_ids=ids, meeting_types=meeting_types, first=first, last=last, today=today,
                   counter=counter, add=grid.add)

    for source, bureau_id, unit_id, month, n1, n2 in others:
        if source == ACTIONS:  # R-FU-1, R-FU-3: open and overdue, by due date and owning unit
            grid.add(bureau_id, unit_id, month, actions_open=n1, actions_overdue=n2)
        elif source == REFUSALS:  # R-QU-1, R-QU-2
            grid.add(bureau_id, unit_id, month, quorum_refusals=n1)
        else:  # R-AG-6 flags, R-NO-5 absences
            grid.add(bureau_id, unit_id, month, flags=n1, absences=n2)
    return cols, {pk: list(rows.values()) for pk, rows in grid.rows.items()}


HELD, ACTIONS, REFUSALS, BREACHES = 1, 2, 3, 4


def _judged_types(meeting_types, tracked: dict) -> list:
    """The types whose cadence is judged: active, with a cadence, in a bureau that tracks it (a bureau
    that has not started tracking its cadence, no start date, is reminded, never judged)."""
    return [t for t in meeting_types if t.active and t.cadence != Cadence.NONE and t.bureau_id in tracked]


def _grouped_counts(*, bureau_ids, meeting_types, bureaus, first, last, today) -> list[tuple]:
    """One query (UNION ALL of four grouped counts), rows (source, a, b, month or period, n1, n2):
    HELD (type, unit, cadence period start, meetings held, 0), ACTIONS (bureau, owning unit, month due,
    open, overdue), REFUSALS (bureau, unit, month, quorum refusals, 0), BREACHES (bureau, unit, month
    due, R-AG-6 flags, R-NO-5 unexcused absences)."""
    zero = Value(0, output_field=IntegerField())

    def tag(qs, source: int, **columns):
        return qs.annotate(source=Value(source, output_field=IntegerField())).values("source", **columns)

    end = _aware(last + datetime.timedelta(days=1))
    parts = []
    types = _judged_types(meeting_types, {b.pk: b.cadence_since for b in bureaus if b.cadence_since})
    if types:
        period = Case(*[When(meeting_type__cadence=c, then=Trunc("starts_at", c, output_field=DateField()))
                        for c in sorted({t.cadence for t in types})], output_field=DateField())
        parts.append(tag(Meeting.objects.filter(meeting_type__in=[t.pk for t in types], starts_at__gte=_aware(first),
                                                starts_at__lt=end, status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED]),
                         HELD, a=F("meeting_type_id"), b=F("unit_id"), d=period)
                     .annotate(n1=Count("pk"), n2=zero))
    parts.append(tag(Action.objects.filter(meeting__bureau_id__in=bureau_ids, due__gte=first, due__lte=last)
                     .exclude(status=ActionStatus.DONE), ACTIONS, a=F("meeting__bureau_id"), b=F("owner_unit_id"),
                     d=_month("due"))
                 .annotate(n1=Count("pk"), n2=Count("pk", filter=Q(due__lt=today))))
    parts.append(tag(QuorumRefusal.objects.filter(meeting__bureau_id__in=bureau_ids, at__gte=_aware(first), at__lt=end),
                     REFUSALS, a=F("meeting__bureau_id"), b=F("meeting__unit_id"), d=_month("at"))
                 .annotate(n1=Count("pk"), n2=zero))
    parts.append(tag(Breach.objects.filter(bureau_id__in=bureau_ids, due__gte=first, due__lte=last,
                                           kind__in=[BreachKind.MANDATORY_BYPASSED, BreachKind.UNEXCUSED_ABSENCE]),
                     BREACHES, a=F("bureau_id"), b=F("unit_id"), d=_month("due"))
                 .annotate(n1=Count("pk", filter=Q(kind=BreachKind.MANDATORY_BYPASSED)),
                           n2=Count("pk", filter=Q(kind=BreachKind.UNEXCUSED_ABSENCE))))
    parts = [p.order_by().values_list("source", "a", "b", "d", "n1", "n2") for p in parts]
    return list(parts[0].union(*parts[1:], all=True))


def _cadence(*, grid: _Grid, bureaus, units, meeting_types, held, first, last, today, cal) -> None:
    """R-CA-1: the cadence periods that ended by today, met or missed, counted where they end, from the
    meetings held per type, unit and cadence period (`held`, counted in SQL)."""
    tracked = {b.pk: b.cadence_since for b in bureaus if b.cadence_since}
    types = _judged_types(meeting_types, tracked)
    by_bureau = defaultdict(list)
    for unit in units:
        by_bureau[unit.bureau_id].append(unit)
    for t in types:
        scopes = [None] if t.scope == Scope.BUREAU else [u for u in by_bureau[t.bureau_id] if u.kind in t.unit_kinds]
        periods = cadence_periods(t.cadence, max(first, tracked[t.bureau_id]), min(last, today - datetime.timedelta(days=1)))
        # R-CA-1: a period with no working day for the meeting is due nothing.
        periods = [(start, end) for start, end in periods if expected_day(start, end, t.cadence_weekday, cal) is not None]
        for unit in scopes:
            unit_id = unit.pk if unit else None
            for start, end in periods:
                count = held.get((t.pk, unit_id, start), 0)
                grid.add(t.bureau_id, unit_id, end, due=1, held=count, missed=int(count < t.cadence_min_count))
