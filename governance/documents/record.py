"""会议记录 (the meeting record, R-MI-8) as .docx per GB/T 9704 (`governance.documents.gbt9704`): the
title, time, place, chair and recorder, then each topic with who spoke and the substance, as typed.
For the archive package (R-MI-9); built from a `RecordSnapshot` of plain values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .gbt9704 import Writer, check_snapshot, new_document, to_bytes
from .text import cn_datetime

__all__ = ["RecordSection", "RecordSnapshot", "render_record_docx"]


@dataclass(frozen=True)
class RecordSection:
    heading: str
    entries: tuple[tuple[str, str], ...]  # (speaker, substance)


@dataclass(frozen=True)
class RecordSnapshot:
    title: str
    bureau: str
    starts_at: datetime.datetime
    place: str
    chair: str
    recorder: str
    sections: tuple[RecordSection, ...]


def render_record_docx(snapshot: RecordSnapshot) -> bytes:
    check_snapshot(snapshot, RecordSnapshot, "RecordSnapshot")
    document = new_document(title=f"{snapshot.title}记录", author=snapshot.bureau, when=snapshot.starts_at.date())
    w = Writer(document)
    w.title(f"{snapshot.title}记录")
    w.blank()
    w.lead("时间", cn_datetime(snapshot.starts_at))
    w.lead("地点", snapshot.place)
    w.lead("主持人", snapshot.chair or "—")
    w.lead("记录人", snapshot.recorder or "—")
    for number, section in enumerate(snapshot.sections, start=1):
        w.heading_1(number, section.heading)
        if not section.entries:
            w.body("（无记录）")
        for speaker, text in section.entries:
            w.body(f"{speaker}：{text}" if speaker else text)
    return to_bytes(document)
