"""Minutes of a division affairs meeting, walked in a real browser by its people (docs/rules.md, R-MI, issue 4).

The recorder drafts the minutes from a closed 外贸处 处务会 and edits them -> the chair approves: the
minutes are numbered (R-MI-2), locked, sent to the leaders and circulated (R-MI-4) -> two leaders read
them, one on a phone, and the page shows who has and has not (R-MI-5) -> the Supervision Office signs
for the filing, raises a query, the division answers, the office completes its review (R-MI-7) -> a
correction is a second approved version while the first stays readable as it was (R-MI-3) -> the
official document (.docx) carries the number. Screenshots land in test-artifacts/e2e/.

The meeting itself is held through the services (tests/minutes/conftest.py's make_closed_da); every
step on the minutes goes through the screens.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_meeting_flow import assert_fits, assert_styled, submit
from tests.minutes.conftest import make_closed_da

pytestmark = pytest.mark.e2e

NUMBER = re.compile(r"^外贸处纪〔\d{4}〕第1号$")
MINUTES_TITLE = "外贸处处务会纪要"
FUNDS = "外贸发展专项资金划拨方案"
OLD_DECISION = "同意按方案划拨。"  # decided at the meeting (make_closed_da)
DRAFT_DECISION = "同意按方案划拨，由综合科于本月底前办理拨付手续。"
CORRECTED_DECISION = "同意按方案划拨，由综合科于下月十日前办理拨付手续，报分管局领导备案。"
SUMMARY = "处长陈处长主持会议，刘科员因出差请假。会议研究了专项资金划拨和赴港招商两项议题。"
QUERY = "第1项决定未写明资金额度及拨付依据，请补充说明。"
ANSWER = "资金额度按局党组批复的年度预算执行，拨付依据为《外贸发展专项资金管理办法》第八条。"
REVIEW_NOTE = "答复清楚，同意备案。"
CORRECTION_REASON = "拨付时限记录有误，按会议原意更正"


def minutes_status(page: Page):
    return page.get_by_test_id("minutes-status")


def doc(page: Page):
    """The minutes text itself (the 公文-styled article), not the page around it."""
    return page.locator("article.minutes-doc")


def recipient_row(page: Page, name: str):
    return page.get_by_test_id("recipient").filter(has_text=name)


def edit_draft(page: Page, *, summary: str | None, decision: str) -> None:
    """修改草稿 -> the edit form -> 保存草稿; back on the minutes page."""
    page.get_by_role("link", name="修改草稿").click()
    expect(page.get_by_role("heading", name="修改纪要草稿")).to_be_visible()
    fieldset = page.locator("fieldset").filter(has_text=FUNDS)
    expect(fieldset.locator("legend")).to_contain_text("通过")
    if summary is not None:
        page.get_by_label("会议概况").fill(summary)
    fieldset.get_by_label("决定事项").fill(decision)
    submit(page, page.get_by_role("button", name="保存草稿"))
    expect(page.locator(".messages")).to_contain_text("草稿已保存")


def docx_text(path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def test_division_minutes_drafted_approved_read_filed_queried_and_corrected(
        transactional_db, official_calendar, presets, open_session, artifacts):
    """R-MI-1..5, R-MI-7 through the screens: draft, approve and number, read receipts, filing and query, correction."""
    meeting = make_closed_da(presets)  # 外贸处: head chairs and records; staff on leave; one topic passed

    # 1. The recorder (head) opens the closed meeting and starts the minutes from its record (R-MI-1).
    head = open_session("head")
    page = head.page
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("已结束")
    assert_styled(page)
    head.shot("m01-recorder-closed-meeting-before-minutes")
    submit(page, page.get_by_role("button", name="起草纪要"))
    expect(page).to_have_url(re.compile(r"/minutes/\d+/$"))
    minutes_url = page.url
    expect(page.locator(".messages")).to_contain_text("已根据会议记录生成纪要草稿")
    expect(minutes_status(page)).to_have_text("起草中")
    expect(page.get_by_test_id("minutes-number")).to_have_text("审定后编号")
    expect(doc(page)).to_contain_text(MINUTES_TITLE)
    expect(doc(page)).to_contain_text("主持人：陈处长")
    expect(doc(page)).to_contain_text("请假：刘科员")
    expect(doc(page)).to_contain_text(OLD_DECISION)
    expect(doc(page)).to_contain_text("组织赴港招商")  # the deferred topic is recorded too
    head.shot("m02-recorder-draft-from-meeting-record")

    # 2. 修改草稿: a 会议概况 and a fuller decision; then 提交主持人审定.
    edit_draft(page, summary=SUMMARY, decision=DRAFT_DECISION)
    expect(doc(page)).to_contain_text(SUMMARY)
    expect(doc(page)).to_contain_text(DRAFT_DECISION)
    head.shot("m03-recorder-draft-edited")
    submit(page, page.get_by_role("button", name="提交主持人审定"))
    expect(page.locator(".messages")).to_contain_text("已提交审定")
    expect(minutes_status(page)).to_have_text("待审定")
    expect(page.get_by_role("link", name="修改草稿")).to_have_count(0)  # submitted: no longer editable

    # 3. The chair (the head, for a 处务会) approves: numbered, distributed and filed (R-MI-2, R-MI-4).
    submit(page, page.get_by_test_id("approve-minutes"))
    expect(page.locator(".messages")).to_contain_text("纪要已审定")
    number_cell = page.get_by_test_id("minutes-number")
    expect(number_cell).to_have_text(NUMBER)
    number = number_cell.inner_text().strip()
    expect(page.locator(".doc-number")).to_have_text(number)
    expect(minutes_status(page)).to_have_text("已报备")
    expect(page.locator("dl.compact")).to_contain_text("已向监察室报备")
    expect(page.get_by_role("link", name="修改草稿")).to_have_count(0)  # approved: locked (R-MI-3)
    readers = page.get_by_test_id("recipient")
    expect(readers).to_have_count(5)  # principal leader, leader in charge, discipline secretary, the two staff
    for name, reason in (("王书记", "党组书记"), ("李副局长", "分管领导"), ("孙书记", "纪委书记"),
                         ("陈处长", "本会成员传阅"), ("刘科员", "本会成员传阅")):
        expect(recipient_row(page, name)).to_contain_text(reason)
        expect(recipient_row(page, name)).to_contain_text("未阅")
    head.shot("m04-chair-approved-numbered-distributed")

    # 4. The leader in charge reads them on a phone from 消息 and acknowledges (R-MI-5).
    deputy = open_session("deputy", phone=True)
    phone = deputy.page
    phone.get_by_role("link", name=re.compile("^消息")).click()
    notice = phone.locator("article.note").filter(has_text=f"请阅纪要：{number}")
    expect(notice).to_have_count(1)
    notice.get_by_role("link").click()
    expect(phone).to_have_url(minutes_url)
    expect(doc(phone)).to_contain_text(DRAFT_DECISION)
    expect(phone.get_by_role("link", name="修改草稿")).to_have_count(0)
    expect(phone.get_by_test_id("approve-minutes")).to_have_count(0)
    assert_styled(phone)
    assert_fits(phone, "minutes page on a phone")
    deputy.shot("m05a-phone-leader-reading-minutes")
    submit(phone, phone.get_by_role("button", name="确认已阅"))
    expect(phone.locator(".messages")).to_contain_text("已确认阅知")
    expect(phone.get_by_role("button", name="确认已阅")).to_have_count(0)
    expect(recipient_row(phone, "李副局长")).to_contain_text("已阅")
    assert_fits(phone, "minutes page on a phone after acknowledging")
    deputy.shot("m05b-phone-leader-acknowledged")

    # 5. The discipline secretary finds them under 纪要 (marked 待阅) and acknowledges.
    discipline = open_session("discipline")
    dpage = discipline.page
    dpage.get_by_role("link", name="纪要", exact=True).click()
    row = dpage.locator("table.list tbody tr").filter(has_text=number)
    expect(row).to_contain_text("待阅")
    row.get_by_role("link", name="外贸处处务会").click()
    expect(dpage).to_have_url(minutes_url)
    submit(dpage, dpage.get_by_role("button", name="确认已阅"))
    expect(dpage.locator(".messages")).to_contain_text("已确认阅知")

    # 6. The recorder sees who has read them and who has not.
    page.reload()
    expect(page.locator("#readers h2")).to_contain_text("已阅 2 / 5")
    for name in ("李副局长", "孙书记"):
        expect(recipient_row(page, name).locator(".att")).to_have_text("已阅")
    for name in ("王书记", "陈处长", "刘科员"):
        expect(recipient_row(page, name).locator(".att")).to_have_text("未阅")
    head.shot("m06-recorder-read-receipts")

    # 7. The Supervision Office: 纪要 -> 报备审阅 -> the minutes; 签收报备, then a query (R-MI-7).
    supervisor = open_session("supervisor")
    spage = supervisor.page
    spage.get_by_role("link", name="纪要", exact=True).click()
    spage.get_by_role("link", name="报备审阅").click()
    expect(spage.get_by_role("heading", name="纪要报备审阅")).to_be_visible()
    filed = spage.get_by_test_id("filed").filter(has_text=number)
    expect(filed).to_contain_text("已报备")
    supervisor.shot("m07a-supervisor-filed-minutes-list")
    filed.get_by_role("link", name="外贸处处务会").click()
    expect(spage).to_have_url(minutes_url)
    expect(spage.get_by_role("button", name="确认已阅")).to_have_count(0)  # filed with, not a recipient
    submit(spage, spage.get_by_role("button", name="签收报备"))
    expect(spage.locator(".messages")).to_contain_text("已签收")
    expect(spage.get_by_role("button", name="签收报备")).to_have_count(0)
    expect(spage.locator("dl.compact")).to_contain_text("签收")
    expect(spage.locator("#queries")).to_contain_text("暂无质询")
    spage.locator("#queries").get_by_label("提出质询").fill(QUERY)
    submit(spage, spage.get_by_role("button", name="发送质询"))
    expect(spage.locator(".messages")).to_contain_text("质询已发出")
    expect(spage.get_by_test_id("query")).to_have_count(1)
    expect(spage.get_by_test_id("query").first).to_contain_text(QUERY)
    supervisor.shot("m07b-supervisor-signed-and-queried")

    # 8. Completing the review is refused while the query is unanswered.
    with spage.expect_navigation(wait_until="load"):
        spage.get_by_role("button", name="完成审阅").click()
    expect(spage.locator(".messages .msg-error")).to_contain_text("质询尚未答复")
    expect(minutes_status(spage)).to_have_text("已报备")

    # 9. The division (the head, chair and recorder) answers in the same thread.
    page.reload()
    thread = page.get_by_test_id("query")
    expect(thread).to_have_count(1)
    expect(thread.first).to_contain_text(QUERY)
    page.locator("#queries").get_by_label("答复质询").fill(ANSWER)
    submit(page, page.get_by_role("button", name="发送答复"))
    expect(page.locator(".messages")).to_contain_text("已答复")
    expect(page).to_have_url(re.compile(r"#queries$"))
    expect(thread).to_have_count(2)
    expect(thread.nth(0)).to_contain_text("郑监察")
    expect(thread.nth(1)).to_contain_text("陈处长（答复）")
    expect(thread.nth(1)).to_contain_text(ANSWER)
    head.shot("m08-recorder-answered-query")

    # 10. The Supervision Office completes its review.
    spage.reload()
    expect(spage.get_by_test_id("query")).to_have_count(2)
    spage.get_by_placeholder("审阅意见").fill(REVIEW_NOTE)
    submit(spage, spage.get_by_role("button", name="完成审阅"))
    expect(spage.locator(".messages")).to_contain_text("已完成审阅")
    expect(minutes_status(spage)).to_have_text("已审阅")
    expect(spage.locator("dl.compact")).to_contain_text("审阅")
    expect(spage.locator("dl.compact")).to_contain_text(REVIEW_NOTE)
    expect(spage.get_by_role("button", name="完成审阅")).to_have_count(0)
    supervisor.shot("m09-supervisor-review-complete")

    # 11. A correction: a second version, edited, submitted and approved again (R-MI-3).
    page.goto(minutes_url)
    page.locator("details").filter(has_text="提出更正").locator("summary").click()
    page.get_by_placeholder("更正理由").fill(CORRECTION_REASON)
    submit(page, page.get_by_role("button", name="建立更正版本"))
    expect(page.locator(".messages")).to_contain_text("已建立更正版本")
    expect(page.locator("dl.compact")).to_contain_text("第 2 版 · 起草中")
    expect(page.locator("dl.compact")).to_contain_text(f"更正理由：{CORRECTION_REASON}")
    head.shot("m10a-recorder-correction-started")
    edit_draft(page, summary=None, decision=CORRECTED_DECISION)
    expect(doc(page)).to_contain_text(CORRECTED_DECISION)
    expect(doc(page)).to_contain_text(SUMMARY)  # carried over from the first version
    submit(page, page.get_by_role("button", name="提交主持人审定"))
    submit(page, page.get_by_test_id("approve-minutes"))
    expect(page.locator(".messages")).to_contain_text("纪要已审定")
    expect(page.get_by_test_id("minutes-number")).to_have_text(number)  # a correction keeps its number
    expect(page.locator("dl.compact")).to_contain_text("第 2 版 · 已审定")
    links = page.get_by_test_id("rev-link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_text("第1版（已审定）")
    expect(links.nth(1)).to_have_text("第2版（已审定）")
    expect(links.nth(1)).to_have_attribute("aria-current", "page")
    expect(doc(page)).to_contain_text(CORRECTED_DECISION)
    expect(doc(page)).not_to_contain_text(DRAFT_DECISION)
    # A correction must be read again: the receipts are reset for the new version.
    expect(recipient_row(page, "李副局长").locator(".att")).to_have_text("未阅")
    head.shot("m10b-recorder-correction-approved-version-2")

    # 12. The first version, through its link, still reads as it was approved.
    with page.expect_navigation(wait_until="load"):
        links.nth(0).click()
    expect(page).to_have_url(re.compile(r"\?rev=1$"))
    expect(page.locator("dl.compact")).to_contain_text("第 1 版 · 已审定")
    expect(doc(page)).to_contain_text(DRAFT_DECISION)
    expect(doc(page)).not_to_contain_text(CORRECTED_DECISION)
    expect(page.get_by_test_id("rev-link").nth(0)).to_have_attribute("aria-current", "page")
    head.shot("m11-recorder-version-1-unchanged")

    # 13. The official document of version 1, downloaded through the page, carries the number.
    with page.expect_download() as info:
        page.get_by_role("link", name="下载公文（.docx）").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"{number}-v1.docx", download.suggested_filename
    path = artifacts / "m12-minutes-v1.docx"
    download.save_as(path)
    text = docx_text(path)
    assert number in text, text[:500]
    assert DRAFT_DECISION in text and CORRECTED_DECISION not in text
    assert FUNDS in text

    # ... and the leader, back on the phone, reads the corrected version and acknowledges it again.
    phone.goto(minutes_url)
    expect(doc(phone)).to_contain_text(CORRECTED_DECISION)
    expect(phone.get_by_test_id("rev-link")).to_have_count(2)
    submit(phone, phone.get_by_role("button", name="确认已阅"))
    assert_fits(phone, "corrected minutes on a phone")
    deputy.shot("m13-phone-leader-reads-correction")

    for session in (head, deputy, discipline, supervisor):
        assert not session.errors, session.errors
