"""会议纪要 as .docx, laid out per GB/T 9704 (`governance.documents.gbt9704`).

`render_minutes_docx` takes a `MinutesSnapshot`, plain values that `minutes.selectors.minutes_snapshot`
built with R-CO-1 applied, so it needs no database and can never leak what the snapshot left out. The
renderer applies R-CO-1 again (defence in depth): a withheld topic prints only its placeholder, whatever
text it carries. The strings are Chinese literals on purpose: an official document's language is fixed,
it is not UI text to translate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from governance.documents.gbt9704 import (
    FONT_HEADING_2,
    GREY,
    WITHHELD_PLACEHOLDER,
    Writer,
    check_snapshot,
    new_document,
    to_bytes,
)
from governance.documents.text import TRAILING_PUNCT, cn_date, names_of, one_line, paragraphs_of, sentence

__all__ = ["MinutesSnapshot", "TopicEntry", "render_minutes_docx"]


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


def render_minutes_docx(snapshot: MinutesSnapshot) -> bytes:
    """会议纪要 as .docx (R-MI-2 number, R-MI-4 分送/报备, R-VO-4 dissent, R-CO-1 withheld topics)."""
    check_snapshot(snapshot, MinutesSnapshot, "会议纪要")
    s = snapshot
    title = one_line(s.title) or "会议纪要"
    issuing_unit = one_line(s.issuing_unit)
    document = new_document(title=title, author=issuing_unit, when=s.approved_on or s.held_on)
    w = Writer(document)

    w.title(title)
    number = one_line(s.number)
    if number:  # 发文字号, R-MI-2
        w.centred(number)
    revision = s.revision if isinstance(s.revision, int) else 1
    if revision > 1:  # R-MI-3: the n-th correction of the original (revision 2 is the first)
        reason = one_line(s.correction_reason)
        w.centred(f"（第{revision - 1}次修订：{reason}）" if reason else f"（第{revision - 1}次修订）")
    if s.draft:
        w.centred("（草稿）", font=FONT_HEADING_2, color=GREY)
    w.blank()

    if s.held_on:
        w.labelled("时间", cn_date(s.held_on))
    for label, value in (("地点", s.place), ("主持人", s.chair), ("记录人", s.recorder)):
        if one_line(value):
            w.labelled(label, one_line(value))
    for label, names, always in (
        ("出席", s.present, True),
        ("请假", s.on_leave, True),
        ("缺席", s.absent, True),
        ("列席", s.invitees, False),
    ):
        listed = names_of(names)
        if listed or always:
            w.labelled(label, "、".join(listed) or "无")

    summary = paragraphs_of(s.summary)
    if summary:
        w.blank()
        for line in summary:
            w.body(line)

    topics = list(s.topics or ())
    if topics:
        w.body("会议研究了以下事项：")
        for number_, topic in enumerate(topics, start=1):
            _minutes_topic(w, number_, topic)

    distribution = "，".join(n for n in (name.rstrip(TRAILING_PUNCT) for name in names_of(s.distribution)) if n)
    filed_with = one_line(s.filed_with).rstrip(TRAILING_PUNCT)
    lines = []
    if distribution:
        lines.append(("分送", distribution + "。"))
    if filed_with:
        lines.append(("报备", filed_with + "。"))
    if lines:
        printed_on = "" if s.draft else cn_date(s.approved_on)
        w.colophon(lines, printed_by=issuing_unit if printed_on else "", printed_on=printed_on)
    return to_bytes(document)


def _minutes_topic(w: Writer, number: int, topic: TopicEntry) -> None:
    if getattr(topic, "withheld", True):  # R-CO-1: nothing of it but the placeholder, whatever it carries
        w.heading_1(number, WITHHELD_PLACEHOLDER)
        return
    w.heading_1(number, one_line(topic.title))
    w.texts(topic.decision)
    votes = (topic.votes_for or 0, topic.votes_against or 0, topic.votes_abstain or 0)
    if any(votes):
        w.body("表决结果：赞成{}票，反对{}票，弃权{}票。".format(*votes))
    outcome = one_line(topic.outcome)
    if outcome and outcome != "通报":
        w.body(f"审议结果：{sentence(outcome)}")
    w.labelled_texts("不同意见", topic.dissent)  # R-VO-4: recorded as written, complete
