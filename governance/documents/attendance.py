"""签到表 as .docx, laid out per GB/T 9704 (`governance.documents.gbt9704`): title, time and place, and
a ruled table, one row per participant, with a blank 签名 column to sign by hand.

`render_attendance_docx` takes an `AttendanceSnapshot` of plain values, so it needs no database. The
strings are Chinese literals on purpose: an official document's language is fixed, it is not UI text to
translate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Twips

from .gbt9704 import (
    FONT_BODY,
    FONT_HEADING_1,
    SIZE_SMALL_4,
    TEXT_WIDTH,
    Writer,
    add_run,
    check_snapshot,
    el,
    line_spacing,
    new_document,
    to_bytes,
)
from .text import cn_datetime, one_line

__all__ = ["AttendanceRow", "AttendanceSnapshot", "render_attendance_docx"]


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


# (header, width in mm): 156 mm in all, the width of the text block. With 1 mm cell margins a column
# of 20 mm holds four 小4号 characters (4 x 4.23 mm), one of 45 mm ten.
_ATTENDANCE_COLUMNS = (
    ("序号", 11),
    ("姓名", 20),
    ("身份", 12),
    ("单位/职务", 45),
    ("出席情况", 20),
    ("签到时间", 20),
    ("签名", 28),
)
_CELL_MARGIN = round(1 * 1440 / 25.4)
_SIGNATURE_ROW_HEIGHT = round(11 * 1440 / 25.4)  # room for a hand signature


def render_attendance_docx(snapshot: AttendanceSnapshot) -> bytes:
    """签到表 as .docx: title, time and place, and a ruled table with a blank 签名 column."""
    check_snapshot(snapshot, AttendanceSnapshot, "签到表")
    s = snapshot
    title = f"{one_line(s.title) or '会议'}签到表"
    bureau = one_line(s.bureau)
    document = new_document(title=title, author=bureau, when=s.starts_at)
    w = Writer(document)
    w.title(title)
    w.blank()
    if s.starts_at:
        w.labelled("时间", cn_datetime(s.starts_at), indent=0)
    place = one_line(s.place)
    if place:
        w.labelled("地点", place, indent=0)

    rows = list(s.rows or ())
    table = document.add_table(rows=1 + len(rows), cols=len(_ATTENDANCE_COLUMNS))
    _format_table(table)
    widths = [round(mm * 1440 / 25.4) for _, mm in _ATTENDANCE_COLUMNS]
    widths[-1] += TEXT_WIDTH - sum(widths)  # rounding remainder to the signature column
    for index, width in enumerate(widths):
        table.columns[index].width = Twips(width)
        for cell in table.columns[index].cells:
            cell.width = Twips(width)

    header = table.rows[0]
    header.height = Twips(round(9 * 1440 / 25.4))
    _repeat_header(header)
    for cell, (text, _) in zip(header.cells, _ATTENDANCE_COLUMNS, strict=True):
        _cell_text(cell, text, font=FONT_HEADING_1)
    for number, (row, entry) in enumerate(zip(table.rows[1:], rows, strict=True), start=1):
        row.height = Twips(_SIGNATURE_ROW_HEIGHT)
        _cant_split(row)
        values = (str(number), entry.name, entry.role, entry.unit_or_post, entry.status, entry.signed_at, "")
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _cell_text(cell, one_line(value), align_left=index == 3)
    return to_bytes(document)


def _format_table(table) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblPr = table._tbl.tblPr
    for old in tblPr.findall(qn("w:tblBorders")):
        tblPr.remove(old)
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", val="single", sz=4, space=0, color="000000"))
    # w:tblBorders precedes w:shd, w:tblLayout, w:tblCellMar, w:tblLook in w:tblPr.
    tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
    margins = el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(el(f"w:{side}", w=_CELL_MARGIN, type="dxa"))
    tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    width = tblPr.find(qn("w:tblW"))
    if width is None:
        width = el("w:tblW")
        tblPr.insert_element_before(width, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                    "w:tblLayout", "w:tblCellMar", "w:tblLook")  # fmt: skip
    width.set(qn("w:w"), str(TEXT_WIDTH))
    width.set(qn("w:type"), "dxa")


def _repeat_header(row) -> None:
    """The header row repeats on every page of a long list."""
    trPr = row._tr.get_or_add_trPr()
    trPr.append(el("w:tblHeader"))
    _cant_split(row)


def _cant_split(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    trPr.insert(0, el("w:cantSplit"))


def _cell_text(cell, text: str, *, font: str = FONT_BODY, align_left: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if align_left else WD_ALIGN_PARAGRAPH.CENTER
    line_spacing(paragraph, None)
    if text:
        add_run(paragraph, text, font=font, size=SIZE_SMALL_4)
