"""The minutes document (docs/architecture.md, Documents): title and number line, R-MI-2 numbering,
R-MI-4 分送/报备 lines, R-VO-4 dissent, R-CO-1 withheld topics, and the LibreOffice conversion."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

import docx
import pytest
from docx.oxml.ns import qn

from governance.documents.gbt9704 import (
    CONDENSE,
    WITHHELD_PLACEHOLDER,
)
from minutes.documents import MinutesSnapshot, render_minutes_docx
from tests.docx_helpers import (
    SECRET,
    all_xml,
    assert_title,
    body_texts,
    east_asia,
    make_minutes,
    make_topic,
    open_docx,
    paragraph_with,
    rule_weight,
)


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


def test_a_20000_character_decision_renders():
    decision = ("会议认为，" + "推进外贸高质量发展需要统筹资金、政策和服务。" * 40 + "\n") * 25
    decision = decision[:20000]
    data = render_minutes_docx(make_minutes(topics=[make_topic(decision=decision)]))
    document = open_docx(data)
    rendered = "".join(text for text in body_texts(document) if text.startswith("会议认为"))
    assert len(rendered) > 19000


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
