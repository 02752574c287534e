"""Allowed state transitions of meetings and topics (docs/architecture.md, Workflows), and the timing rules around them.

Pure functions: no ORM, no clock. A refusal is a human reason (Chinese), never a bare False.
"""

from __future__ import annotations

import datetime

from .wording import _
from .workdays import WorkCalendar, workdays_between

MEETING_TRANSITIONS: dict[str, set[str]] = {
    "draft": {"agenda_open", "cancelled"},
    "agenda_open": {"agenda_submitted", "cancelled"},
    "agenda_submitted": {"agenda_approved", "agenda_open", "cancelled"},
    "agenda_approved": {"notice_sent", "agenda_open", "cancelled"},
    "notice_sent": {"held", "cancelled"},
    "held": {"closed"},
    "closed": set(),
    "cancelled": set(),
}

TOPIC_TRANSITIONS: dict[str, set[str]] = {
    "proposed": {"accepted", "returned", "rejected", "withdrawn"},
    "returned": {"proposed", "withdrawn"},
    "accepted": {"discussing", "deferred", "noted", "returned"},
    "discussing": {"passed", "not_passed", "deferred", "noted"},
    "rejected": set(),
    "withdrawn": set(),
    "passed": set(),
    "not_passed": set(),
    "deferred": set(),
    "noted": set(),
}

MEETING_LABELS = {
    "draft": "草稿", "agenda_open": "征集议题", "agenda_submitted": "议程待审定", "agenda_approved": "议程已审定",
    "notice_sent": "已通知", "held": "已召开", "closed": "已结束", "cancelled": "已取消",
}
TOPIC_LABELS = {
    "proposed": "已提出", "accepted": "列入议程", "returned": "退回补充材料", "rejected": "不予列入",
    "discussing": "研究中", "passed": "通过", "not_passed": "未通过", "deferred": "暂缓表决",
    "noted": "通报（不表决）", "withdrawn": "已撤回",
}


def meeting_transition_refusal(current: str, target: str) -> str | None:
    """docs/architecture.md, Workflows: why a meeting cannot move from `current` to `target`, or None when it can."""
    if target in MEETING_TRANSITIONS.get(current, set()):
        return None
    return _("会议当前状态为“%(current)s”，不能变为“%(target)s”。") % {
        "current": _(MEETING_LABELS.get(current, current)), "target": _(MEETING_LABELS.get(target, target))}


def topic_transition_refusal(current: str, target: str) -> str | None:
    """docs/architecture.md, Workflows: why a topic cannot move from `current` to `target`, or None when it can."""
    if target in TOPIC_TRANSITIONS.get(current, set()):
        return None
    return _("议题当前状态为“%(current)s”，不能变为“%(target)s”。") % {
        "current": _(TOPIC_LABELS.get(current, current)), "target": _(TOPIC_LABELS.get(target, target))}


def notice_is_late(*, notified_on: datetime.date, meeting_on: datetime.date, lead_workdays: int,
                   cal: WorkCalendar) -> bool:
    """R-NO-1: a notice is late when fewer than `lead_workdays` working days lie between the day it
    went out and the meeting day (the meeting day counts: notice on Monday for Tuesday is one day)."""
    if lead_workdays <= 0:
        return notified_on > meeting_on
    return workdays_between(notified_on, meeting_on, cal) < lead_workdays


def materials_refusal(*, important: bool, materials_required: bool, material_count: int) -> str | None:
    """R-AG-4: an important topic needs written materials before it goes on the agenda."""
    if important and materials_required and material_count == 0:
        return _("重要议题须先提交书面材料，方可列入议程。")
    return None
