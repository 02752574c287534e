"""Follow-up of a party group decision, walked in a real browser by its people (docs/rules.md, R-FU, issue 6).

The clerk turns a passed decision into a tracked action for 外贸处 with the leader in charge (R-FU-1)
-> the division head reports progress -> the action falls overdue and the deadline sweep escalates it
(R-FU-3, R-CA-2) -> the Supervision Office sees it counted in the compliance view and follows the figure
to the action list -> the next party group meeting, scheduled through the screens, gets the progress
report topic listing it (R-FU-2) -> the ledgers export as Excel with the action and both meetings.
Screenshots land in test-artifacts/e2e/.

The first meeting is held through the services (tests/governance/test_followup.py's run_pg); time
passing is stood in for by the sweep run with a later date and by moving the due date back (see
step 4); every other step goes through the screens.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_meeting_flow import PG, assert_fits, assert_styled, schedule_pg, submit, topic, topic_status
from tests.governance.test_followup import run_pg

pytestmark = pytest.mark.e2e

DECISION_TOPIC = "政策文件"  # run_pg's passed topic
ACTION_TITLE = "印发《外贸稳增长若干措施》并组织各外贸企业落实"
PROGRESS = "已完成文件起草，正在征求各区商务部门意见，预计下周报局党组。"
NEXT_PLACE = "机关三楼第二会议室"


def action_row(page: Page, title: str):
    return page.get_by_test_id("action").filter(has_text=title)


def test_party_group_decision_followed_up_overdue_in_compliance_reported_back_and_exported(
        transactional_db, official_calendar, presets, open_session, artifacts):
    """R-FU-1, R-FU-2, R-FU-3, R-CA-2 through the screens; the compliance view and the ledgers' Excel."""
    from governance.models import Action, ActionStatus, Alert, Breach, BreachKind, Meeting
    from governance.services.sweep import sweep

    meeting, decided = run_pg(presets)  # a closed party group meeting, one topic passed
    assert decided.title == DECISION_TOPIC

    # 1. The clerk opens the closed meeting and turns the passed decision into an action (R-FU-1).
    clerk = open_session("clerk")
    page = clerk.page
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("已结束")
    expect(topic_status(page, DECISION_TOPIC)).to_have_text("通过")
    assert_styled(page)
    clerk.shot("f01-clerk-closed-meeting-passed-decision")
    topic(page, DECISION_TOPIC).get_by_role("link", name="交办督办事项").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/actions/new/\?topic={decided.pk}$"))
    expect(page.get_by_role("heading", name="交办决定事项")).to_be_visible()
    expect(page.locator("body")).to_contain_text(f"决定：{DECISION_TOPIC}")
    expect(page.get_by_label("督办事项")).to_have_value("同意印发，由外贸处牵头落实。")  # prefilled with the decision
    page.get_by_label("督办事项").fill(ACTION_TITLE)
    page.get_by_label("责任处室").select_option(label="外贸处")
    page.get_by_label("分管局领导").select_option(label="李副局长")
    page.get_by_label("完成期限（工作日）").fill("1")
    clerk.shot("f02-clerk-action-form-filled")
    submit(page, page.get_by_role("button", name="交办", exact=True))
    expect(page).to_have_url(re.compile(r"/actions/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("已交办")
    action = Action.objects.get(meeting=meeting)
    assert action.title == ACTION_TITLE and action.topic_id == decided.pk
    assert action.owner_unit == presets.trade and action.leader == presets.deputy
    assert action.coordinator == presets.office and action.status == ActionStatus.OPEN
    assert action.due > timezone.localdate()  # one working day from today
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACTION_TITLE)
    expect(page.get_by_test_id("action-status")).to_have_text("待办")
    facts = page.locator("dl.compact")
    expect(facts).to_contain_text("外贸处")
    expect(facts).to_contain_text("李副局长")
    expect(facts).to_contain_text("办公室")  # the General Office coordinates a bureau decision
    expect(facts).to_contain_text(action.due.isoformat())
    clerk.shot("f03-clerk-action-assigned")

    # 2. The head of 外贸处 finds it under 督办 and reports progress.
    head = open_session("head")
    hpage = head.page
    hpage.get_by_role("link", name="督办", exact=True).click()
    expect(hpage).to_have_url(re.compile(r"/actions/$"))
    row = action_row(hpage, ACTION_TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("外贸处")
    expect(row).to_contain_text("待办")
    row.get_by_role("link", name=ACTION_TITLE).click()
    expect(hpage).to_have_url(re.compile(rf"/actions/{action.pk}/$"))
    expect(hpage.get_by_role("button", name="核实办结")).to_have_count(0)  # the coordinator verifies, not the owner
    hpage.get_by_label("报告进展").fill(PROGRESS)
    submit(hpage, hpage.get_by_role("button", name="提交", exact=True))
    expect(hpage.locator(".messages")).to_contain_text("已报告进展")
    expect(hpage.get_by_test_id("action-status")).to_have_text("办理中")
    expect(hpage.locator(".query")).to_contain_text(PROGRESS)
    expect(hpage.locator(".query")).to_contain_text("陈处长")
    head.shot("f04-head-progress-reported")

    # 3. The clerk, as coordinator, sees the report and may verify (not done here: it is to fall overdue).
    page.reload()
    expect(page.locator(".query")).to_contain_text(PROGRESS)
    expect(page.get_by_role("button", name="核实办结")).to_be_visible()

    # 4. Time passes (test setup standing in for it): the sweep runs three days after the due date and
    #    escalates the unfinished action to its owner, the leader in charge and the coordinator (R-CA-2),
    #    recording a breach (R-FU-3).
    action.refresh_from_db()
    report = sweep(today=action.due + datetime.timedelta(days=3))
    assert Breach.objects.filter(kind=BreachKind.ACTION_OVERDUE, subject=f"action:{action.pk}").count() == 1, \
        report.lines
    escalated = set(Alert.objects.filter(subject=f"action:{action.pk}", kind="escalation")
                    .values_list("recipient__username", flat=True))
    assert {"head", "deputy", "clerk"} <= escalated, (escalated, report.lines)
    # The screens compare the due date with the real today, so move it into the past as well (the
    # compliance view counts an action overdue when its due date is in the shown year and before today).
    past_due = timezone.localdate() - datetime.timedelta(days=2)
    Action.objects.filter(pk=action.pk).update(due=past_due)
    action.refresh_from_db()

    # The leader in charge has the escalation under 消息.
    deputy = open_session("deputy")
    dpage = deputy.page
    dpage.get_by_role("link", name=re.compile("^消息")).click()
    expect(dpage.locator("article.note").filter(has_text="【逾期督办】").filter(has_text=ACTION_TITLE)).to_have_count(1)
    deputy.shot("f05-leader-escalation-in-messages")

    # 5. The Supervision Office opens 合规 and sees the overdue action counted in 外贸处's row.
    supervisor = open_session("supervisor")
    spage = supervisor.page
    spage.get_by_role("link", name="合规", exact=True).click()
    expect(spage).to_have_url(re.compile(r"/compliance/$"))
    expect(spage.get_by_role("heading", level=1)).to_contain_text("合规情况")
    assert_styled(spage)
    # The view opens on this year; choosing the due date's year keeps the test true in early January too.
    spage.get_by_label("年度").select_option(str(past_due.year))
    submit(spage, spage.get_by_role("button", name="查看"))
    expect(spage.get_by_role("heading", level=1)).to_contain_text(str(past_due.year))
    expect(spage.locator("svg.chart text").filter(has_text="外贸处")).to_have_count(1)
    trade = spage.get_by_test_id("compliance").locator("tr[data-unit=trade]")
    expect(trade.locator("th")).to_have_text("外贸处")
    cell_link = trade.get_by_test_id("actions")
    expect(cell_link).to_have_count(1)  # one month column holds the due date
    expect(cell_link).to_have_text(re.compile(r"^督 \d+/\d+$"))
    open_count, overdue_count = map(int, re.search(r"督 (\d+)/(\d+)", cell_link.inner_text()).groups())
    assert open_count >= 1 and overdue_count >= 1, cell_link.inner_text()
    expect(cell_link.locator("xpath=ancestor::td")).to_have_class(re.compile(r"\bbad\b"))
    expect(spage.get_by_test_id("compliance").locator("tr[data-unit=invest]").get_by_test_id("actions")).to_have_count(0)
    supervisor.shot("f06a-supervisor-compliance-desktop")
    spage.locator("section.card").filter(has=spage.locator("svg.chart")).screenshot(
        path=str(artifacts / "f06b-supervisor-compliance-chart.png"))
    spage.locator("section.table-wrap").screenshot(path=str(artifacts / "f06c-supervisor-compliance-table.png"))

    # ... follows the figure to the records: the action list filtered to 外贸处's overdue actions.
    cell_link.click()
    expect(spage).to_have_url(re.compile(rf"/actions/\?state=overdue&unit=trade&month={past_due:%Y-%m}$"))
    expect(spage.get_by_label("状态")).to_have_value("overdue")
    row = action_row(spage, ACTION_TITLE)
    expect(row).to_have_count(1)
    expect(row.locator(".tag.warn")).to_have_text("已逾期")
    expect(row).to_contain_text(past_due.isoformat())
    supervisor.shot("f07-supervisor-overdue-actions")
    row.get_by_role("link", name=ACTION_TITLE).click()
    expect(spage.get_by_test_id("overdue")).to_have_text("已逾期")
    expect(spage.locator(".query")).to_contain_text(PROGRESS)
    expect(spage.get_by_label("报告进展")).to_have_count(0)  # the Supervision Office watches; it does not report

    # ... and on a phone the compliance view stays usable: the wide table scrolls inside its wrapper.
    phone_session = open_session("supervisor", phone=True)
    phone = phone_session.page
    phone.goto(f"/compliance/?year={past_due.year}")
    expect(phone.get_by_test_id("compliance").locator("tr[data-unit=trade]").get_by_test_id("actions")) \
        .to_have_text(re.compile(r"^督 \d+/[1-9]\d*$"))
    assert_fits(phone, "compliance view (the table scrolls inside .table-wrap)")
    wrap_overflow = phone.evaluate("""() => { const w = document.querySelector('section.table-wrap');
        return [w.scrollWidth, w.clientWidth, getComputedStyle(w).overflowX]; }""")
    assert wrap_overflow[2] == "auto", wrap_overflow
    phone_session.shot("f08-phone-supervisor-compliance")

    # 6. The clerk schedules the next party group meeting: it opens with the progress report (R-FU-2).
    next_id, next_starts = schedule_pg(clerk, days=10, hour=15, place=NEXT_PLACE, invitee=None)
    assert next_id != meeting.pk
    report_topic = page.locator("article[data-testid=topic]").filter(has_text="此前决定事项落实情况汇报")
    expect(report_topic).to_have_count(1)
    expect(report_topic.locator("h3")).to_contain_text("此前决定事项落实情况汇报（1 项未办结，0 项已办结）")
    expect(report_topic.locator("h3 .status")).to_have_text("已提出")
    expect(report_topic).to_contain_text(ACTION_TITLE)
    expect(report_topic).to_contain_text(f"{ACTION_TITLE}｜外贸处｜{past_due.isoformat()}｜已逾期")
    clerk.shot("f09-clerk-next-meeting-progress-report-topic")

    # 7. The Supervision Office exports the ledgers (台账) as Excel.
    spage.get_by_role("link", name="台账", exact=True).click()
    expect(spage).to_have_url(re.compile(r"/ledgers/$"))
    # The registers open on this calendar year; the period is set to the years the records fall in (the
    # same as the default except around New Year, when the meetings or the due date cross into another).
    first_day = datetime.date(past_due.year, 1, 1)
    last_day = datetime.date(next_starts.year, 12, 31)
    spage.get_by_label("自").fill(first_day.isoformat())
    spage.get_by_label("至").fill(last_day.isoformat())
    submit(spage, spage.get_by_role("button", name="筛选"))
    expect(spage.locator("#meetings h2")).to_contain_text("共 2 条")
    expect(spage.locator("#actions")).to_contain_text(ACTION_TITLE)
    supervisor.shot("f10-supervisor-ledgers")
    with spage.expect_download() as info:
        spage.get_by_test_id("export-xlsx").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    path = artifacts / "f11-ledgers.xlsx"
    download.save_as(path)

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    assert {"会议台账", "纪要台账", "督办台账"} <= set(book.sheetnames), book.sheetnames
    actions = [row for row in book["督办台账"].iter_rows(values_only=True)]
    assert actions[0][0] == "督办事项", actions[0]
    mine = [r for r in actions[1:] if r[0] == ACTION_TITLE]
    assert len(mine) == 1, actions
    assert mine[0][3] == "外贸处" and mine[0][5] == "李副局长" and mine[0][6] == "办公室", mine[0]
    assert mine[0][7] == past_due.isoformat() and mine[0][8] == "已逾期", mine[0]
    meetings = [row for row in book["会议台账"].iter_rows(values_only=True)]
    headers = list(meetings[0])
    kind, starts = headers.index("会议类型"), headers.index("开始时间")
    party = [r for r in meetings[1:] if r[kind] == PG.split("（")[0]]
    first = Meeting.objects.get(pk=meeting.pk)
    assert sorted(r[starts] for r in party) == sorted(
        timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M") for m in (first, Meeting.objects.get(pk=next_id))
    ), party
    assert len(party) == 2, party
    assert next_starts.strftime("%Y-%m-%d %H:%M") in [r[starts] for r in party]

    for session in (clerk, head, deputy, supervisor, phone_session):
        assert not session.errors, session.errors
