"""The GB/T 9704-2012 layout every official document shares, the meeting notice and the attendance sheet
(docs/architecture.md, Documents), and any Unicode input. No database: snapshots are plain values."""

from __future__ import annotations

import dataclasses
import datetime
import re

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.documents.attendance import AttendanceRow, render_attendance_docx
from governance.documents.gbt9704 import (
    CHAR_SPACE,
    CONDENSE,
    LINE_PITCH,
    TEXT_WIDTH,
    DocumentError,
)
from governance.documents.notice import render_notice_docx
from governance.documents.text import clean_text
from minutes.documents import render_minutes_docx
from tests.docx_helpers import (
    all_xml,
    assert_gb9704_page,
    assert_title,
    body_texts,
    east_asia,
    make_attendance,
    make_minutes,
    make_notice,
    make_topic,
    open_docx,
    paragraph_with,
)


@pytest.mark.parametrize(
    "render, snapshot",
    [(render_minutes_docx, make_minutes), (render_notice_docx, make_notice), (render_attendance_docx, make_attendance)],
)
def test_every_document_is_a4_with_gb9704_margins_grid_and_page_numbers(render, snapshot):
    data = render(snapshot())
    document = open_docx(data)
    assert_gb9704_page(document)
    # "— 1 —": a PAGE field between two dashes, in odd and even footers.
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert footer.paragraphs[0].text == "— 1 —"
        assert east_asia(footer.paragraphs[0].runs[0]) == "宋体"
        assert footer.paragraphs[0].runs[0].font.size.pt == 14


def test_line_pitch_and_char_space_give_22_lines_of_28_characters():
    """579 twips x 22 fits 225 mm; 28 grid cells of 16 pt + charSpace/4096 pt fit 156 mm, and so do 28
    condensed 三号 characters (the paragraphs are off the character grid, see governance.documents.gbt9704)."""
    assert LINE_PITCH * 22 <= Mm(225).twips < LINE_PITCH * 23
    assert abs(TEXT_WIDTH / 20 - Mm(156).pt) < 0.5
    pitch_pt = 16 + CHAR_SPACE / 4096
    assert pitch_pt * 28 <= TEXT_WIDTH / 20 < pitch_pt * 29
    character_pt = 16 + CONDENSE / 20
    assert character_pt * 28 <= TEXT_WIDTH / 20 < character_pt * 29


def test_normal_style_is_sanhao_fangsong_with_east_asian_font():
    document = open_docx(render_minutes_docx(make_minutes()))
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
    # Exact 28.95 pt lines; condensed characters instead of snapping to the character grid.
    assert normal.paragraph_format.line_spacing.twips == LINE_PITCH
    assert normal.element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(CONDENSE)


def test_clean_text_removes_xml_illegal_characters_only():
    dirty = "a\x00b\x01\x08\x0b\x0c\x0e\x1fc\ufffe\uffffd\ud800e\udfff"
    assert clean_text(dirty) == "abcde"
    assert clean_text("行一\n行二\t😀𠀀") == "行一\n行二\t😀𠀀"
    assert clean_text("\ud83d\ude00") == "😀"  # a surrogate pair given as two code points
    assert clean_text(None) == ""
    assert clean_text(3) == "3"


def test_control_characters_are_stripped_and_emoji_kept_everywhere():
    dirty = "决定\x00事项\x07😀\ud800𠀀\ufffe"
    minutes = make_minutes(
        title="纪要\x0b标题",
        number="外贸处纪\x1f〔2026〕第3号",
        present=["陈\x00处长"],
        summary=dirty,
        topics=[make_topic(title=dirty, decision=dirty, dissent=dirty)],
        distribution=["局\x0c长"],
    )
    data = render_minutes_docx(minutes)
    texts = body_texts(open_docx(data))
    assert texts[0] == "纪要标题"
    assert texts[1] == "外贸处纪〔2026〕第3号"
    assert "出席：陈处长" in texts
    assert "一、决定事项😀𠀀" in texts
    assert "决定事项😀𠀀" in texts
    assert "分送：局长。" in texts
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", all_xml(data))


def test_notice_and_attendance_survive_control_characters():
    notice = render_notice_docx(make_notice(title="处务\x00会议😀", members=["陈\x01处长"], notes=["\x02注意"]))
    texts = body_texts(open_docx(notice))
    assert texts[0].replace("\n", "") == "关于召开处务会议😀的通知"
    assert "1．注意" in texts
    row = AttendanceRow("陈\x00处长😀", "成员", "外贸\ud800处", "出席", "08:\x1f55")
    sheet = open_docx(render_attendance_docx(make_attendance(title="会议\x0c", rows=[row])))
    assert [c.text for c in sheet.tables[0].rows[1].cells] == ["1", "陈处长😀", "成员", "外贸处", "出席", "08:55", ""]


# Any code point at all, surrogates and noncharacters included.
any_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, names=st.lists(any_text, max_size=4))
def test_any_unicode_renders_in_every_document(text, names):
    """Whatever a user typed, the three documents render, reopen and hold only XML-legal text."""
    topic = make_topic(title=text, decision=text, dissent=text, outcome=text)
    minutes = make_minutes(
        title=text, number=text, place=text, chair=text, present=names, summary=text, topics=[topic],
        distribution=names, filed_with=text, correction_reason=text, revision=2,
    )  # fmt: skip
    notice = make_notice(title=text, place=text, members=names, topics=names, notes=[text])
    sheet = make_attendance(title=text, rows=[AttendanceRow(text, text, text, text, text)])
    for data in (render_minutes_docx(minutes), render_notice_docx(notice), render_attendance_docx(sheet)):
        open_docx(data)
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", all_xml(data))


def test_wrong_snapshot_is_refused_with_a_chinese_reason():
    with pytest.raises(DocumentError, match="会议纪要"):
        render_minutes_docx(make_notice())
    assert issubclass(DocumentError, ValueError)


def test_empty_lists_and_fields_still_render():
    minutes = make_minutes(
        number="", place="", recorder="", present=[], on_leave=[], absent=[], invitees=[], summary="",
        topics=[], distribution=[], filed_with="", approved_on=None,
    )  # fmt: skip
    texts = body_texts(open_docx(render_minutes_docx(minutes)))
    assert "出席：无" in texts
    assert not any(text.startswith(("分送", "报备", "会议研究了")) for text in texts)
    notice = make_notice(members=[], invitees=[], topics=[], notes=[], place="", chair="", issued_on=None)
    assert "特此通知。" in body_texts(open_docx(render_notice_docx(notice)))
    undated = body_texts(open_docx(render_notice_docx(make_notice(starts_at=None))))
    assert "经研究，决定召开外贸处2026年第3次处务会议。现将有关事项通知如下：" in undated
    assert not any(text.startswith("一、会议时间") for text in undated)
    day_only = body_texts(open_docx(render_notice_docx(make_notice(starts_at=datetime.date(2026, 3, 5)))))
    assert "一、会议时间：2026年3月5日（星期四）。" in day_only
    assert len(open_docx(render_attendance_docx(make_attendance(rows=[]))).tables[0].rows) == 1


def test_notice_title_addressees_items_and_signature():
    document = open_docx(render_notice_docx(make_notice()))
    assert_title(document.paragraphs[0], "关于召开外贸处2026年第3次处务会议的通知")
    texts = body_texts(document)
    assert "陈处长、王副处长、刘科员、李副局长：" in texts
    assert "经研究，定于2026年3月5日（星期四）上午9:00召开外贸处2026年第3次处务会议。现将有关事项通知如下：" in texts
    assert "一、会议时间：2026年3月5日（星期四）上午9:00。" in texts
    assert "二、会议地点：局机关301会议室。" in texts
    assert "三、会议主持：陈处长。" in texts
    assert "四、参会人员" in texts
    assert "（一）会议成员：陈处长、王副处长、刘科员。" in texts
    assert "（二）列席人员：李副局长。" in texts
    assert "五、会议议题" in texts
    assert "1．关于2026年度外贸发展专项资金分配方案的议题" in texts
    assert "2．（保密议题）" in texts
    assert "六、有关要求" in texts
    assert "1．请参会人员提前10分钟到场。" in texts
    assert "特此通知。" in texts
    # Issuer and date at the bottom right.
    unit, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (unit.text, date.text) == ("外贸处", "2026年3月2日")
    assert unit.alignment == date.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    sub = paragraph_with(document, "（一）会议成员")
    assert east_asia(sub.runs[0]) == "楷体_GB2312"
    time_line = paragraph_with(document, "一、会议时间")
    assert [east_asia(run) for run in time_line.runs] == ["黑体", "仿宋_GB2312"]
    # The signature keeps with the closing line: never alone on a page.
    assert paragraph_with(document, "特此通知").paragraph_format.keep_with_next
    assert unit.paragraph_format.keep_with_next


def test_long_title_wraps_in_balanced_lines():
    """GB/T 9704 §7.3.1: a long title is cut evenly, upper line no shorter, a number kept whole."""
    document = open_docx(render_notice_docx(make_notice()))
    lines = document.paragraphs[0].text.split("\n")
    assert lines == ["关于召开外贸处2026年", "第3次处务会议的通知"]
    assert len(document.paragraphs[0].runs) == 2


def test_notice_time_of_day():
    afternoon = body_texts(open_docx(render_notice_docx(make_notice(starts_at=datetime.datetime(2026, 3, 7, 14, 30)))))
    assert "一、会议时间：2026年3月7日（星期六）下午2:30。" in afternoon
    evening = body_texts(open_docx(render_notice_docx(make_notice(starts_at=datetime.datetime(2026, 3, 9, 19, 5)))))
    assert "一、会议时间：2026年3月9日（星期一）晚上7:05。" in evening


def test_attendance_sheet_table_has_a_row_per_person_and_a_blank_signature_column():
    document = open_docx(render_attendance_docx(make_attendance()))
    assert_title(document.paragraphs[0], "外贸处2026年第3次处务会议签到表")
    texts = body_texts(document)
    assert "时间：2026年3月5日（星期四）上午9:00" in texts
    assert "地点：局机关301会议室" in texts
    table = document.tables[0]
    assert len(table.columns) == 7
    assert len(table.rows) == 4
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "姓名",
        "身份",
        "单位/职务",
        "出席情况",
        "签到时间",
        "签名",
    ]
    assert [c.text for c in table.rows[1].cells] == ["1", "陈处长", "成员", "外贸处处长", "出席", "08:55", ""]
    assert [c.text for c in table.rows[2].cells] == ["2", "钱科员", "成员", "外贸处科员", "请假", "", ""]
    assert table.rows[3].cells[0].text == "3"
    assert all(row.cells[6].text == "" for row in table.rows[1:])
    # Ruled on every side, header repeated on each page, columns exactly the text width.
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert abs(sum(column.width.mm for column in table.columns) - 156) < 0.5
    assert east_asia(table.rows[0].cells[0].paragraphs[0].runs[0]) == "黑体"
    assert east_asia(table.rows[1].cells[1].paragraphs[0].runs[0]) == "仿宋_GB2312"


def test_long_attendance_list_renders():
    rows = [AttendanceRow(f"人员{n}", "成员", "外贸处", "待签到") for n in range(1, 61)]
    table = open_docx(render_attendance_docx(make_attendance(rows=rows))).tables[0]
    assert len(table.rows) == 61 and table.rows[60].cells[0].text == "60"


def test_snapshots_are_frozen_so_renderers_cannot_change_them():
    minutes = make_minutes()
    render_minutes_docx(minutes)
    with pytest.raises(dataclasses.FrozenInstanceError):
        minutes.title = "x"  # type: ignore[misc]
