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

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from governance.models import Action, ActionStatus, Meeting, TopicStatus
from governance.permissions import readable_confidential, visible_actions, visible_meetings
from governance.selectors.org import display_name

WITHHELD = "（保密事项）"


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass
class Register:
    title: str
    headers: list[str]
    make_rows: Callable[[int | None], Iterator[list]]
    count: int

    def rows(self, limit: int | None = None) -> Iterator[list]:
        return self.make_rows(limit)


def registers(*, user, bureau, unit: str, type: str, start: datetime.date, end: datetime.date,  # noqa: A002
              whole_bureau: bool) -> dict[str, Register]:
    from minutes.models import Minutes
    from minutes.permissions import visible_minutes


    meetings = Meeting.objects.filter(bureau=bureau) if whole_bureau else visible_meetings(user).filter(bureau=bureau)
    meetings = meetings.filter(starts_at__date__gte=start, starts_at__date__lte=end)
    minutes = Minutes.objects.filter(meeting__bureau=bureau) if whole_bureau else visible_minutes(user)
    minutes = minutes.filter(meeting__starts_at__date__gte=start, meeting__starts_at__date__lte=end)
    actions = Action.objects.filter(meeting__bureau=bureau) if whole_bureau else visible_actions(user)
    actions = actions.filter(due__gte=start, due__lte=end)
    if unit:
        meetings = meetings.filter(unit__code=unit)
        minutes = minutes.filter(meeting__unit__code=unit)
        actions = actions.filter(owner_unit__code=unit)
    if type:
        meetings = meetings.filter(meeting_type__code=type)
        minutes = minutes.filter(meeting__meeting_type__code=type)
        actions = actions.filter(meeting__meeting_type__code=type)
    today = timezone.localdate()
    readable_meetings, granted = readable_confidential(user)

    def meeting_rows(limit):
        qs = (meetings.select_related("meeting_type", "unit", "chair__person", "recorder__person")
              .annotate(n_topics=Count("topics", filter=~Q(topics__status__in=[TopicStatus.WITHDRAWN, TopicStatus.REJECTED])))
              .order_by("starts_at", "pk"))
        for m in (qs[:limit] if limit else qs.iterator(chunk_size=500)):
            yield [m.title, m.meeting_type.name, m.unit.name if m.unit else "全局", _stamp(m.starts_at), m.place,
                   display_name(m.chair), display_name(m.recorder), m.get_status_display(), m.n_topics,
                   "是" if m.notice_late else "否"]

    def minutes_rows(limit):
        qs = minutes.select_related("meeting__meeting_type", "meeting__unit", "issuing_unit").order_by("meeting__starts_at", "pk")
        for mn in (qs[:limit] if limit else qs.iterator(chunk_size=500)):
            on_time = ""
            if mn.due and mn.distributed_at:
                on_time = "按期" if timezone.localtime(mn.distributed_at).date() <= mn.due else "逾期"
            elif mn.due and mn.due < today:
                on_time = "逾期未分送"
            yield [mn.number, mn.meeting.title, mn.meeting.meeting_type.name,
                   mn.meeting.unit.name if mn.meeting.unit else "全局",
                   timezone.localtime(mn.meeting.starts_at).date().isoformat(), mn.due.isoformat() if mn.due else "",
                   _stamp(mn.distributed_at), on_time, _stamp(mn.filed_at), _stamp(mn.reviewed_at),
                   _stamp(mn.archived_at), mn.get_status_display()]

    def action_rows(limit):
        qs = actions.select_related("meeting", "topic__category", "owner__person", "owner_unit", "leader__person",
                                    "coordinator").order_by("due", "pk")
        for a in (qs[:limit] if limit else qs.iterator(chunk_size=500)):
            confidential = a.topic_id and a.topic.category.confidential
            readable = not confidential or a.meeting_id in readable_meetings or a.topic_id in granted
            overdue = a.status != ActionStatus.DONE and a.due < today
            yield [a.title if readable else WITHHELD, a.get_kind_display(), a.meeting.title,
                   a.owner_unit.name if a.owner_unit else "", display_name(a.owner), display_name(a.leader), a.coordinator.name,
                   a.due.isoformat(), "已逾期" if overdue else a.get_status_display(), _stamp(a.done_at)]

    return {
        "meetings": Register(_("会议台账"), ["会议名称", "会议类型", "处室/单位", "开始时间", "地点", "主持人", "记录人",
                                          "状态", "议题数", "通知逾期"], meeting_rows, meetings.count()),
        "minutes": Register(_("纪要台账"), ["编号", "会议名称", "会议类型", "处室/单位", "会议日期", "分送期限", "分送时间",
                                          "是否按期", "报备时间", "审阅时间", "归档时间", "状态"], minutes_rows, minutes.count()),
        "actions": Register(_("督办台账"), ["督办事项", "类别", "来源会议", "责任处室", "责任人", "分管领导", "协调督办",
                                          "完成期限", "状态", "办结时间"], action_rows, actions.count()),
    }


def workbook(regs: dict[str, Register]) -> bytes:
    """One sheet per register, Chinese headers, written row by row (write-only mode)."""
    book = Workbook(write_only=True)
    for register in regs.values():
        sheet = book.create_sheet(register.title)
        header = []
        for text in register.headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in register.rows():
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
