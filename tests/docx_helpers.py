"""Snapshots and readers for the .docx tests: plain-value snapshot makers, a reader of the XML, and the
GB/T 9704-2012 page checks every official document must pass."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
from docx.oxml.ns import qn

from governance.documents.attendance import AttendanceRow, AttendanceSnapshot
from governance.documents.gbt9704 import (
    CHAR_SPACE,
    LINE_PITCH,
)
from governance.documents.notice import NoticeSnapshot
from minutes.documents import MinutesSnapshot, TopicEntry

SECRET = "拟任命张三为副处长SECRET-7f3a"


def make_topic(**overrides) -> TopicEntry:
    values = dict(
        order=1,
        title="关于2026年度外贸发展专项资金分配方案的议题",
        category="三重一大",
        outcome="通过",
        decision="会议同意专项资金分配方案，由综合科按程序报局党组审定。",
        votes_for=5,
        votes_against=0,
        votes_abstain=0,
    )
    values.update(overrides)
    return TopicEntry(**values)


def make_minutes(**overrides) -> MinutesSnapshot:
    values = dict(
        bureau="测试商务局",
        issuing_unit="外贸处",
        number="外贸处纪〔2026〕第3号",
        title="外贸处2026年第3次处务会议纪要",
        meeting_type="处务会议",
        held_on=datetime.date(2026, 3, 5),
        place="局机关301会议室",
        chair="陈处长",
        recorder="刘科员",
        present=["陈处长", "王副处长", "刘科员", "赵科员", "孙科员"],
        on_leave=["钱科员（出差）"],
        absent=[],
        invitees=["李副局长"],
        summary="2026年3月5日，外贸处召开2026年第3次处务会议。\n\n会议传达学习了局党组有关会议精神。",
        topics=[make_topic()],
        distribution=["局主要负责人", "分管局领导", "局纪检组长", "本处全体人员"],
        filed_with="局监察室",
        approved_on=datetime.date(2026, 3, 6),
    )
    values.update(overrides)
    return MinutesSnapshot(**values)


def make_notice(**overrides) -> NoticeSnapshot:
    values = dict(
        bureau="测试商务局",
        issuing_unit="外贸处",
        title="外贸处2026年第3次处务会议",
        meeting_type="处务会议",
        starts_at=datetime.datetime(2026, 3, 5, 9, 0),
        place="局机关301会议室",
        chair="陈处长",
        members=["陈处长", "王副处长", "刘科员"],
        invitees=["李副局长"],
        topics=["关于2026年度外贸发展专项资金分配方案的议题", "（保密议题）"],
        notes=["请参会人员提前10分钟到场。", "因故不能参会的，请提前向处长请假。"],
        issued_on=datetime.date(2026, 3, 2),
    )
    values.update(overrides)
    return NoticeSnapshot(**values)


def make_attendance(**overrides) -> AttendanceSnapshot:
    values = dict(
        bureau="测试商务局",
        title="外贸处2026年第3次处务会议",
        starts_at=datetime.datetime(2026, 3, 5, 9, 0),
        place="局机关301会议室",
        rows=[
            AttendanceRow("陈处长", "成员", "外贸处处长", "出席", "08:55"),
            AttendanceRow("钱科员", "成员", "外贸处科员", "请假"),
            AttendanceRow("李副局长", "列席", "分管局领导", "出席", "08:58"),
        ],
    )
    values.update(overrides)
    return AttendanceSnapshot(**values)


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_xml(data: bytes) -> str:
    """Every XML part of the package (document, footers, styles, core properties ...) as one string."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8") for name in package.namelist() if name.endswith((".xml", ".rels"))
        )


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def east_asia(run) -> str | None:
    rPr = run._element.rPr
    fonts = rPr.find(qn("w:rFonts")) if rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def paragraph_with(document, prefix: str):
    matches = [p for p in document.paragraphs if p.text.startswith(prefix)]
    assert matches, f"no paragraph starts with {prefix!r}: {body_texts(document)}"
    return matches[0]


def assert_gb9704_page(document) -> None:
    section = document.sections[0]
    assert abs(section.page_width.mm - 210) < 0.5
    assert abs(section.page_height.mm - 297) < 0.5
    for actual, expected in (
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(actual.mm - expected) < 0.5, (actual.mm, expected)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == str(LINE_PITCH)
    assert grid.get(qn("w:charSpace")) == str(CHAR_SPACE)


def assert_title(paragraph, text: str) -> None:
    assert paragraph.text.replace("\n", "") == text  # a long title is cut into lines by w:br
    assert paragraph.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    for run in paragraph.runs:
        assert run.font.size.pt == 22
        assert east_asia(run) == "方正小标宋简体"


def rule_weight(paragraph) -> int | None:
    """The width (1/8 pt) of a 版记 rule: an empty paragraph with a top border."""
    if paragraph.text or paragraph._p.pPr is None or paragraph._p.pPr.find(qn("w:pBdr")) is None:
        return None
    return int(paragraph._p.pPr.find(qn("w:pBdr")).find(qn("w:top")).get(qn("w:sz")))
