"""The .docx renderers (STYLE.md §9): GB/T 9704-2012 layout, R-MI-2 numbering, R-MI-4 分送/报备,
R-VO-4 dissent, R-CO-1 withheld topics, and any Unicode input. No database: snapshots are plain values."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import shutil
import subprocess
import time
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.documents.attendance import AttendanceRow, AttendanceSnapshot, render_attendance_docx
from governance.documents.gbt9704 import (
    CHAR_SPACE,
    CONDENSE,
    LINE_PITCH,
    TEXT_WIDTH,
    WITHHELD_PLACEHOLDER,
    DocumentError,
)
from governance.documents.notice import NoticeSnapshot, render_notice_docx
from governance.documents.text import clean_text
from minutes.documents import MinutesSnapshot, TopicEntry, render_minutes_docx

SECRET = "拟任命张三为副处长SECRET-7f3a"


# --- factories -----------------------------------------------------------------------------------


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


# --- helpers -------------------------------------------------------------------------------------


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


# --- page layout (GB/T 9704-2012) ----------------------------------------------------------------


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


# --- 会议纪要 -------------------------------------------------------------------------------------


def test_minutes_title_is_erhao_xiaobiaosong_centred():
    document = open_docx(render_minutes_docx(make_minutes()))
    assert_title(document.paragraphs[0], "外贸处2026年第3次处务会议纪要")


def test_minutes_body_runs_are_sanhao_fangsong():
    document = open_docx(render_minutes_docx(make_minutes()))
    body = paragraph_with(document, "会议同意专项资金分配方案")
    assert body.paragraph_format.first_line_indent is not None  # 左空二字
    for run in body.runs:
        assert run.font.size.pt == 16
        assert east_asia(run) == "仿宋_GB2312"
        assert run._element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(CONDENSE)
    heading = paragraph_with(document, "一、关于2026年度外贸发展专项资金")
    assert {east_asia(run) for run in heading.runs} == {"黑体"}
    assert {run.font.size.pt for run in heading.runs} == {16}


def test_minutes_number_line_is_centred_under_the_title():
    """R-MI-2: the issuing unit's number, e.g. 外贸处纪〔2026〕第3号, right under the title."""
    document = open_docx(render_minutes_docx(make_minutes()))
    number = document.paragraphs[1]
    assert number.text == "外贸处纪〔2026〕第3号"
    assert number.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(number.runs[0]) == "仿宋_GB2312"


def test_draft_minutes_have_no_number_line_but_a_draft_mark():
    """R-MI-2: a draft has no number yet; it says （草稿） instead."""
    document = open_docx(render_minutes_docx(make_minutes(number="", draft=True, approved_on=None)))
    texts = body_texts(document)
    assert texts[1] == "（草稿）"
    assert not any("〔" in text for text in texts)


def test_revised_minutes_say_which_correction_and_why():
    """R-MI-3: revision 2 is the first correction of the approved minutes."""
    document = open_docx(render_minutes_docx(make_minutes(revision=2, correction_reason="更正表决票数")))
    assert body_texts(document)[2] == "（第1次修订：更正表决票数）"
    first = open_docx(render_minutes_docx(make_minutes()))
    assert not any("修订" in text for text in body_texts(first))


def test_minutes_list_time_place_chair_recorder_and_attendance():
    document = open_docx(render_minutes_docx(make_minutes()))
    texts = body_texts(document)
    for line in (
        "时间：2026年3月5日",
        "地点：局机关301会议室",
        "主持人：陈处长",
        "记录人：刘科员",
        "出席：陈处长、王副处长、刘科员、赵科员、孙科员",
        "请假：钱科员（出差）",
        "缺席：无",
        "列席：李副局长",
    ):
        assert line in texts
    label = paragraph_with(document, "出席：").runs[0]
    assert label.text == "出席：" and east_asia(label) == "黑体"  # GB/T 9704 §10.3
    # Summary split on blank lines, then the topics.
    assert "2026年3月5日，外贸处召开2026年第3次处务会议。" in texts
    assert "会议传达学习了局党组有关会议精神。" in texts
    assert "会议研究了以下事项：" in texts


def test_minutes_topic_shows_decision_votes_and_dissent():
    """R-VO-4: the vote counts and the differing opinion, complete and as written."""
    dissent = "王副处长认为分配方案向大企业倾斜，建议提高中小企业比例。\n赵科员同意王副处长意见。"
    minutes = make_minutes(topics=[make_topic(votes_for=3, votes_against=2, votes_abstain=1, dissent=dissent)])
    texts = body_texts(open_docx(render_minutes_docx(minutes)))
    assert "表决结果：赞成3票，反对2票，弃权1票。" in texts
    assert "审议结果：通过。" in texts
    assert "不同意见：王副处长认为分配方案向大企业倾斜，建议提高中小企业比例。" in texts
    assert "赵科员同意王副处长意见。" in texts


def test_topic_without_votes_has_no_vote_line():
    minutes = make_minutes(topics=[make_topic(outcome="通报", votes_for=0, decision="会议听取了情况通报。")])
    texts = body_texts(open_docx(render_minutes_docx(minutes)))
    assert not any(text.startswith(("表决结果", "审议结果", "不同意见")) for text in texts)


def test_topics_are_numbered_in_chinese():
    topics = [make_topic(order=n, title=f"议题{n}") for n in range(1, 13)]
    texts = body_texts(open_docx(render_minutes_docx(make_minutes(topics=topics))))
    assert "一、议题1" in texts and "十、议题10" in texts and "十二、议题12" in texts


def test_withheld_topic_prints_only_a_placeholder_and_never_its_content():
    """R-CO-1 defence in depth: even if a withheld topic still carries text, none of it is rendered."""
    leaky = make_topic(
        order=2,
        title=SECRET,
        category=SECRET,
        outcome="通过",
        decision=SECRET + "的决定",
        votes_for=4,
        votes_against=1,
        dissent=SECRET + "的不同意见",
        withheld=True,
    )
    minutes = make_minutes(topics=[make_topic(), leaky, make_topic(order=3, title="第三个议题")])
    data = render_minutes_docx(minutes)
    texts = body_texts(open_docx(data))
    assert f"二、{WITHHELD_PLACEHOLDER}" in texts
    assert "三、第三个议题" in texts
    xml = all_xml(data)
    assert SECRET not in xml
    assert "SECRET-7f3a" not in xml
    # Nothing of the withheld topic between its placeholder and the next topic: not even its vote.
    start = texts.index(f"二、{WITHHELD_PLACEHOLDER}")
    assert texts[start + 1] == "三、第三个议题"


def rule_weight(paragraph) -> int | None:
    """The width (1/8 pt) of a 版记 rule: an empty paragraph with a top border."""
    if paragraph.text or paragraph._p.pPr is None or paragraph._p.pPr.find(qn("w:pBdr")) is None:
        return None
    return int(paragraph._p.pPr.find(qn("w:pBdr")).find(qn("w:top")).get(qn("w:sz")))


def test_distribution_and_filing_lines_in_the_colophon():
    """R-MI-4: 分送 the principal leader, the leader in charge, the discipline secretary and the staff;
    报备 the Supervision Office; the ruled 版记 block closes the document."""
    document = open_docx(render_minutes_docx(make_minutes()))
    paragraphs = document.paragraphs
    texts = body_texts(document)
    start = texts.index("分送：局主要负责人，分管局领导，局纪检组长，本处全体人员。")
    distribution, filing, printed = paragraphs[start], paragraphs[start + 1], paragraphs[start + 3]
    assert filing.text == "报备：局监察室。"
    assert printed.text == "外贸处\t2026年3月6日印发"
    # Heavy rule above and below the block, thin rule above the 印发 line (GB/T 9704 §7.4.1).
    assert rule_weight(paragraphs[start - 1]) == 8
    assert rule_weight(paragraphs[start + 2]) == 6
    assert rule_weight(paragraphs[start + 4]) == 8
    assert len(paragraphs) == start + 5  # nothing after the block
    for line in (distribution, filing, printed):
        assert {run.font.size.pt for run in line.runs} == {14}  # 4号
        assert {east_asia(run) for run in line.runs} == {"仿宋_GB2312"}
    # The block is kept on one page.
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[start - 1 : start + 4])


def test_no_filing_line_without_filed_with():
    """R-MI-4: filing is configurable per type; without it there is no 报备 line."""
    document = open_docx(render_minutes_docx(make_minutes(filed_with="", approved_on=None)))
    texts = body_texts(document)
    assert texts[-2] == "分送：局主要负责人，分管局领导，局纪检组长，本处全体人员。"
    assert not any(text.startswith(("报备", "外贸处\t")) for text in texts)
    assert rule_weight(document.paragraphs[-3]) == 8 and rule_weight(document.paragraphs[-1]) == 8


def test_draft_minutes_have_no_printing_line():
    texts = body_texts(open_docx(render_minutes_docx(make_minutes(number="", draft=True))))
    assert not any(text.endswith("印发") for text in texts)
    assert "报备：局监察室。" in texts


def test_distribution_punctuation_is_not_doubled():
    document = open_docx(render_minutes_docx(make_minutes(distribution=["局长。", "处长，"], filed_with="局监察室。")))
    texts = body_texts(document)
    assert "分送：局长，处长。" in texts
    assert "报备：局监察室。" in texts


# --- Unicode and size ----------------------------------------------------------------------------


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


def test_a_20000_character_decision_renders():
    decision = ("会议认为，" + "推进外贸高质量发展需要统筹资金、政策和服务。" * 40 + "\n") * 25
    decision = decision[:20000]
    data = render_minutes_docx(make_minutes(topics=[make_topic(decision=decision)]))
    document = open_docx(data)
    rendered = "".join(text for text in body_texts(document) if text.startswith("会议认为"))
    assert len(rendered) > 19000


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


# --- 会议通知 -------------------------------------------------------------------------------------


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


# --- 签到表 ---------------------------------------------------------------------------------------


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


# --- LibreOffice rendering -----------------------------------------------------------------------


def sample_minutes() -> MinutesSnapshot:
    """A realistic DA meeting of 外贸处: three topics, one with dissent, one withheld (R-CO-1)."""
    return make_minutes(
        summary=(
            "2026年3月5日上午，外贸处在局机关301会议室召开2026年第3次处务会议。会议由陈处长主持，"
            "应到会成员6人，实到5人，符合议事规则规定的人数要求。分管局领导李副局长列席会议。\n\n"
            "会议传达学习了局党组2026年第2次会议精神，通报了1至2月全市外贸进出口运行情况，"
            "并对下一阶段稳外贸工作作出部署。"
        ),
        topics=[
            make_topic(
                order=1,
                decision=(
                    "会议审议了综合科提交的《2026年度外贸发展专项资金分配方案（送审稿）》，"
                    "同意按照“稳存量、扩增量、促转型”的原则安排专项资金3200万元，其中支持中小外贸企业开拓"
                    "国际市场1500万元，支持外贸新业态发展1000万元，支持外贸公共服务平台建设700万元。"
                ),
                votes_for=4,
                votes_against=1,
                votes_abstain=0,
                dissent=(
                    "王副处长认为，外贸新业态项目的绩效目标不够明确，建议将支持外贸新业态发展的资金压减至"
                    "800万元，调增部分用于中小外贸企业开拓国际市场。"
                ),
            ),
            make_topic(order=2, title="", decision="", withheld=True),
            make_topic(
                order=3,
                title="关于开展2026年度外贸企业走访服务活动的议题",
                outcome="通过",
                decision=(
                    "会议同意于3月至6月开展外贸企业走访服务活动，由处领导带队，分组走访重点外贸企业60家，"
                    "收集企业困难诉求，建立问题清单，实行销号管理。"
                ),
                votes_for=5,
            ),
        ],
    )


def convert_to_pdf(data: bytes, tmp_path, name: str):
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return tmp_path / f"{name}.pdf"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_minutes_convert_to_pdf_with_libreoffice(tmp_path):
    """The minutes open in a real word processor: LibreOffice lays them out as a PDF of 1-3 pages."""
    started = time.monotonic()
    pdf = convert_to_pdf(render_minutes_docx(sample_minutes()), tmp_path, "minutes")
    assert time.monotonic() - started < 120
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert 1 <= pages <= 3
        size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
        assert abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2  # A4
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        text = re.sub(r"\s+", "", text)  # pdftotext spaces out characters laid on the grid
        assert "外贸处纪〔2026〕第3号" in text
        assert "—1—" in text
        assert "报备：局监察室。" in text
        assert SECRET not in text


def test_snapshots_are_frozen_so_renderers_cannot_change_them():
    minutes = make_minutes()
    render_minutes_docx(minutes)
    with pytest.raises(dataclasses.FrozenInstanceError):
        minutes.title = "x"  # type: ignore[misc]
