"""Ledgers (台账) of meetings, minutes and actions and their Excel export, with R-CO-1 applied in one
place: a confidential topic's content is replaced for whoever may not read it.

Rows are read with `.iterator()` in chunks and written by openpyxl's write-only workbook, so a whole
bureau's year exports in constant memory. The minutes register is contributed by the minutes app
(`register_source`), so governance reads nothing of minutes."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from governance.documents import spreadsheet
from governance.models import Action, ActionKind, ActionStatus, Meeting, MeetingStatus, Topic, TopicStatus
from governance.permissions import readable_confidential, visible_actions, visible_meetings
from governance.selectors.due_dates import WorkdayCounter, attach_notice_late
from governance.selectors.org import display_name
from governance.selectors.periods import within

WITHHELD = "（保密事项）"


def labels(choices) -> dict[str, str]:
    """A choice's labels in the current language, translated once for a whole register."""
    return {value: str(label) for value, label in choices.choices}


def person_fields(path: str) -> tuple[str, ...]:
    """What `display_name` reads of the user at `path`, for `only()`."""
    return (f"{path}__username", f"{path}__first_name", f"{path}__last_name", f"{path}__person__name")


def stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass
class Register:
    """One register: its rows are made by `make_rows(offset, limit)` (limit None: every row, a chunk
    at a time, the same handful of queries per chunk whatever the number of rows)."""

    title: str
    headers: list[str]
    make_rows: Callable[[int, int | None], Iterator[list]]
    count: int

    def rows(self, limit: int | None = None, offset: int = 0) -> Iterator[list]:
        return self.make_rows(offset, limit)


CHUNK = 500


def chunks(qs, offset: int, limit: int | None, size: int = CHUNK) -> Iterator[list]:
    """The rows of the ordered `qs` from `offset` (`limit` of them, or all), in lists of at most `size`."""
    if limit is not None:
        yield list(qs[offset:offset + limit])
        return
    chunk = []
    for row in (qs[offset:] if offset else qs).iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class LedgerQuery:
    """What a ledger is asked for: whose, which bureau, unit and type, which dates, and R-CO-1's answer
    for this reader (computed once for every register)."""

    user: object
    bureau: object
    unit: str
    type: str
    start: datetime.date
    end: datetime.date
    whole_bureau: bool
    today: datetime.date
    readable_meetings: set[int]
    granted: set[int]
    unit_id: int | None = None  # the unit and the type asked for, by id (0: no such unit or type)
    type_id: int | None = None

    def narrow(self, qs, *, unit: str, type: str, date: str = "", moment: str = ""):  # noqa: A002
        """`qs` filtered by this query's days, unit and meeting type, given each one's field path (the
        unit's and the type's foreign key columns, so an index on (unit, date) serves): `date` for a date
        column, `moment` for a datetime column (a range of moments, never a cast of every row)."""
        if moment:
            qs = qs.filter(**within(moment, self.start, self.end))
        else:
            qs = qs.filter(**{f"{date}__gte": self.start, f"{date}__lte": self.end})
        if self.unit:
            qs = qs.filter(**{unit: self.unit_id})
        if self.type:
            qs = qs.filter(**{type: self.type_id})
        return qs


# Registers in the order their sheets appear: (order, key, builder). The minutes app adds its own.
REGISTER_SOURCES: list[tuple[int, str, Callable[[LedgerQuery], Register]]] = []


def register_source(order: int, key: str):
    """Add a register to the ledgers (and to their exports) from any app; a builder that returns None
    leaves its register out for that reader."""
    def add(fn: Callable[[LedgerQuery], Register]):
        REGISTER_SOURCES.append((order, key, fn))
        REGISTER_SOURCES.sort(key=lambda s: s[0])
        return fn
    return add


def registers(*, user, bureau, unit: str, type: str, start: datetime.date, end: datetime.date,  # noqa: A002
              whole_bureau: bool) -> dict[str, Register]:
    """Every register for `user` (or, for the Supervision Office, the whole bureau)."""
    from governance.models import MeetingType, Unit

    readable_meetings, granted = readable_confidential(user)
    unit_id = (Unit.objects.filter(bureau=bureau, code=unit).values_list("pk", flat=True).first() or 0) if unit else None
    type_id = (MeetingType.objects.filter(bureau=bureau, code=type).values_list("pk", flat=True).first() or 0) \
        if type else None
    q = LedgerQuery(user=user, bureau=bureau, unit=unit, type=type, start=start, end=end, whole_bureau=whole_bureau,
                    today=timezone.localdate(), readable_meetings=readable_meetings, granted=granted,
                    unit_id=unit_id, type_id=type_id)
    built = {key: fn(q) for _order, key, fn in REGISTER_SOURCES}
    return {key: register for key, register in built.items() if register is not None}  # None: not for this reader


@register_source(10, "meetings")
def meeting_register(q: LedgerQuery) -> Register:
    meetings = Meeting.objects.filter(bureau=q.bureau) if q.whole_bureau else visible_meetings(q.user).filter(bureau=q.bureau)
    meetings = q.narrow(meetings, moment="starts_at", unit="unit_id", type="meeting_type_id")

    def meeting_rows(offset, limit):
        qs = (meetings.select_related("meeting_type", "unit", "chair__person", "recorder__person")
              .only("title", "place", "starts_at", "status", "notice_sent_at", "meeting_type__name",
                    "meeting_type__notice_lead_workdays", "unit__name", *person_fields("chair"), *person_fields("recorder"))
              .order_by("starts_at", "pk"))
        counter = WorkdayCounter()  # R-NO-1: the notice verdict as the calendar now stands
        status = labels(MeetingStatus)
        for chunk in chunks(qs, offset, limit):
            # Counted for the rows of this chunk only, in one query (not an annotation over the whole register).
            n_topics = dict(Topic.objects.filter(meeting_id__in=[m.pk for m in chunk])
                            .exclude(status__in=[TopicStatus.WITHDRAWN, TopicStatus.REJECTED])
                            .values("meeting_id").annotate(n=Count("pk")).values_list("meeting_id", "n").order_by())
            for m in attach_notice_late(chunk, counter):  # one calendar read for the chunk at most
                yield [m.title, m.meeting_type.name, m.unit.name if m.unit else "全局", stamp(m.starts_at), m.place,
                       display_name(m.chair), display_name(m.recorder), status[m.status], n_topics.get(m.pk, 0),
                       "是" if m.notice_late else "否"]

    return Register(_("会议台账"), ["会议名称", "会议类型", "处室/单位", "开始时间", "地点", "主持人", "记录人",
                                 "状态", "议题数", "通知逾期"], meeting_rows, meetings.count())


@register_source(30, "actions")
def action_register(q: LedgerQuery) -> Register:
    actions = Action.objects.filter(meeting__bureau=q.bureau) if q.whole_bureau else visible_actions(q.user)
    actions = q.narrow(actions, date="due", unit="owner_unit_id", type="meeting__meeting_type_id")

    def action_rows(offset, limit):
        qs = actions.select_related("meeting", "topic__category", "owner__person", "owner_unit", "leader__person",
                                    "coordinator").order_by("due", "pk")
        kinds, states = labels(ActionKind), labels(ActionStatus)
        for a in (row for chunk in chunks(qs, offset, limit) for row in chunk):
            confidential = a.topic_id and a.topic.category.confidential
            readable = not confidential or a.meeting_id in q.readable_meetings or a.topic_id in q.granted
            overdue = a.status != ActionStatus.DONE and a.due < q.today
            yield [a.title if readable else WITHHELD, kinds[a.kind], a.meeting.title,
                   a.owner_unit.name if a.owner_unit else "", display_name(a.owner), display_name(a.leader), a.coordinator.name,
                   a.due.isoformat(), "已逾期" if overdue else states[a.status], stamp(a.done_at)]

    return Register(_("督办台账"), ["督办事项", "类别", "来源会议", "责任处室", "责任人", "分管领导", "协调督办",
                                 "完成期限", "状态", "办结时间"], action_rows, actions.count())


@register_source(40, "cases")
def case_register(q: LedgerQuery) -> Register:
    """R-FU-8: the accountability cases the reader may open (the Supervision Office, the discipline and
    party secretaries see the bureau's; anyone else only the cases about themselves)."""
    from governance.selectors.accountability import may_list_cases, visible_cases

    cases = visible_cases(q.user).filter(bureau=q.bureau)
    if not may_list_cases(q.user) and not cases.exists():
        return None  # neither overseeing cases nor the subject of one: no such sheet
    cases = q.narrow(cases, moment="opened_at", unit="responsible_unit_id", type="breach__meeting_type_id")

    def case_rows(offset, limit):
        qs = cases.select_related("breach", "responsible__person", "responsible_unit", "opened_by__person",
                                  "decided_by__person").order_by("opened_at", "pk")
        for c in (row for chunk in chunks(qs, offset, limit) for row in chunk):
            yield [c.number, c.breach.get_kind_display() if c.breach_id else _("决定事项逾期未落实"),
                   c.responsible_unit.name, display_name(c.responsible), stamp(c.opened_at), display_name(c.opened_by),
                   c.get_status_display(), c.get_measure_display() if c.measure else ("不予追究" if c.decided_at else ""),
                   display_name(c.decided_by), stamp(c.decided_at)]

    return Register(_("责任追究台账"), ["案件编号", "事由", "责任处室", "责任人", "立案时间", "立案人", "状态",
                                   "处理措施", "决定人", "决定时间"], case_rows, cases.count())


def workbook(regs: dict[str, Register]) -> bytes:
    """One sheet per register, Chinese headers, written row by row (write-only mode); every cell goes
    through `governance.documents.spreadsheet` (no formula, no character Excel refuses)."""
    book = Workbook(write_only=True)
    for register in regs.values():
        sheet = book.create_sheet(register.title)
        header = []
        for text in register.headers:
            cell = WriteOnlyCell(sheet, value=spreadsheet.cell(text))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in register.rows():
            sheet.append(spreadsheet.row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
