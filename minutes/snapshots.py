"""Plain snapshots of what a document shows (STYLE.md §9): built by selectors with R-CO-1 applied, so
a renderer can never leak what the snapshot left out, and renderers are testable without a database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TopicEntry:
    """One topic as the minutes record it. A confidential topic the reader may not see arrives
    with `withheld=True` and empty text: the renderer prints a placeholder."""

    order: int
    title: str
    category: str
    outcome: str  # 通过 / 未通过 / 暂缓表决 / 通报
    decision: str = ""
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    dissent: str = ""
    withheld: bool = False


@dataclass(frozen=True)
class MinutesSnapshot:
    bureau: str
    issuing_unit: str
    number: str  # e.g. 外贸处纪〔2026〕第3号; empty for a draft
    title: str
    meeting_type: str
    held_on: datetime.date
    place: str
    chair: str
    recorder: str
    present: list[str]
    on_leave: list[str]
    absent: list[str]
    invitees: list[str]
    summary: str
    topics: list[TopicEntry]
    distribution: list[str]  # 分送: names or posts
    filed_with: str = ""  # 报备: e.g. 局监察室
    revision: int = 1
    correction_reason: str = ""
    approved_on: datetime.date | None = None
    draft: bool = False


@dataclass(frozen=True)
class NoticeSnapshot:
    bureau: str
    issuing_unit: str
    title: str
    meeting_type: str
    starts_at: datetime.datetime
    place: str
    chair: str
    members: list[str]
    invitees: list[str]
    topics: list[str]  # a withheld confidential topic is given as "（保密议题）"
    notes: list[str] = field(default_factory=list)
    issued_on: datetime.date | None = None


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    role: str  # 成员 / 列席
    unit_or_post: str
    status: str  # 出席 / 请假 / 无故缺席 / 待签到
    signed_at: str = ""


@dataclass(frozen=True)
class AttendanceSnapshot:
    bureau: str
    title: str
    starts_at: datetime.datetime
    place: str
    rows: list[AttendanceRow]
