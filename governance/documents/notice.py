"""会议通知 as .docx, laid out per GB/T 9704 (`governance.documents.gbt9704`).

`render_notice_docx` takes a `NoticeSnapshot`, plain values that a selector built with R-CO-1 applied
(a confidential topic the reader may not see arrives as "（保密议题）"), so it needs no database and can
never leak what the snapshot left out. The strings are Chinese literals on purpose: an official
document's language is fixed, it is not UI text to translate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .gbt9704 import FONT_HEADING_2, Writer, check_snapshot, new_document, to_bytes
from .text import cn_date, cn_datetime, cn_number, names_of, one_line, paragraphs_of, sentence

__all__ = ["NoticeSnapshot", "render_notice_docx"]


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


def render_notice_docx(snapshot: NoticeSnapshot) -> bytes:
    """会议通知 as .docx: title, addressees, time, place, participants, topics, notes, issuer and date."""
    check_snapshot(snapshot, NoticeSnapshot, "会议通知")
    s = snapshot
    meeting = one_line(s.title) or one_line(s.meeting_type) or "会议"
    title = f"关于召开{meeting}的通知"
    issuing_unit = one_line(s.issuing_unit)
    document = new_document(title=title, author=issuing_unit, when=s.issued_on or s.starts_at)
    w = Writer(document)

    w.title(title)
    w.blank()
    members, invitees = names_of(s.members), names_of(s.invitees)
    addressees = [*members, *(name for name in invitees if name not in members)]
    if addressees:  # 主送: flush left, ending in a full-width colon
        w.body("、".join(addressees) + "：", indent=False)
    when = cn_datetime(s.starts_at)
    w.body(
        f"经研究，定于{when}召开{meeting}。现将有关事项通知如下："
        if when
        else f"经研究，决定召开{meeting}。现将有关事项通知如下："
    )

    sections = 0

    def heading(text: str) -> None:
        nonlocal sections
        sections += 1
        w.heading_1(sections, text)

    items = [("会议时间", when + "。")] if when else []
    place, chair = one_line(s.place), one_line(s.chair)
    if place:
        items.append(("会议地点", sentence(place)))
    if chair:
        items.append(("会议主持", sentence(chair)))
    for label, text in items:
        sections += 1
        w.lead(f"{cn_number(sections)}、{label}", text)
    if members or invitees:
        heading("参会人员")
        groups = [(label, names) for label, names in (("会议成员", members), ("列席人员", invitees)) if names]
        for index, (label, names) in enumerate(groups, start=1):
            w.lead(f"（{cn_number(index)}）{label}", "、".join(names) + "。", font=FONT_HEADING_2)
    topics = names_of(s.topics)
    if topics:
        heading("会议议题")
        for index, topic in enumerate(topics, start=1):
            w.body(f"{index}．{topic}")
    notes = [line for note in s.notes or () for line in paragraphs_of(note)]
    if notes:
        heading("有关要求")
        for index, note in enumerate(notes, start=1):
            w.body(f"{index}．{note}")
    # The signature never stands alone on a page (GB/T 9704 §7.3.5.4): it keeps with the last line.
    w.body("特此通知。", keep=True)
    w.blank(keep=True)
    w.signature(issuing_unit, cn_date(s.issued_on))
    return to_bytes(document)
