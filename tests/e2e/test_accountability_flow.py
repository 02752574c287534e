"""Accountability (责任追究, R-FU-8) in a real browser, as its people would do it.

An action from a party group decision falls overdue and the sweep records the breach -> the Supervision
Office's head finds it under 合规 -> 责任追究, follows it to the records and opens a case on it (the
responsible person suggested from the action) -> records the finding -> the discipline secretary, on
his phone, finds it under 问责 and decides the measure -> the division head responsible reads the
decision. Screenshots land in test-artifacts/e2e/ (desktop 1280 px and phone 390 px)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_meeting_flow import assert_fits, assert_styled, submit
from tests.governance.test_followup import run_pg

pytestmark = pytest.mark.e2e

FACTS = "外贸处未在期限内印发落实文件，也未报告延期理由。"
FINDING = "属拖延执行党组会议决定，情节较轻。"
DECISION = "对外贸处主要负责人进行诫勉谈话，限期五个工作日内办结。"


def test_r_fu_8_supervision_opens_a_case_and_the_discipline_secretary_decides_on_his_phone(
        transactional_db, official_calendar, presets, open_session):
    from governance.models import AccountabilityCase, Breach, BreachKind, CaseStatus, Notification
    from governance.services import followup
    from governance.services.sweep import sweep

    meeting, decided = run_pg(presets)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=decided, title="印发并组织落实",
                                    owner=presets.head, owner_unit=presets.trade, leader=presets.deputy,
                                    due_workdays=1)
    sweep(today=action.due + datetime.timedelta(days=3))  # time passes: the breach is recorded (R-FU-3)
    breach = Breach.objects.get(kind=BreachKind.ACTION_OVERDUE, subject=f"action:{action.pk}")

    # 1. The Supervision Office's head: 合规 -> the accountability card -> the overdue actions' records.
    sup = open_session("supervisor")
    page = sup.page
    page.get_by_role("link", name="合规", exact=True).click()
    card = page.get_by_test_id("cases")
    expect(card).to_contain_text("本年度没有案件。")
    card.get_by_role("link", name="决定事项逾期未落实").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("决定事项逾期未落实")
    row = page.get_by_test_id("record").filter(has_text="印发并组织落实")
    expect(row).to_have_count(1)
    assert_styled(page)
    sup.shot("a01-supervision-overdue-records")
    row.get_by_test_id("open-case").click()
    expect(page).to_have_url(re.compile(rf"/accountability/new/\?breach={breach.pk}$"))
    expect(page.get_by_label("责任人")).to_have_value(str(presets.head.pk))  # the action's owner, suggested
    expect(page.get_by_label("责任处室/单位")).to_have_value(str(presets.trade.pk))
    expect(page.get_by_test_id("clause")).to_contain_text("责任追究")
    page.get_by_label("基本事实").fill(FACTS)
    sup.shot("a02-supervision-case-form")
    submit(page, page.get_by_role("button", name="立案", exact=True))
    case = AccountabilityCase.objects.get()
    expect(page).to_have_url(re.compile(rf"/accountability/{case.pk}/$"))
    expect(page.get_by_test_id("case-status")).to_have_text("已立案")
    expect(page.locator("dl.compact")).to_contain_text(FACTS)
    expect(page.locator("dl.compact")).to_contain_text("陈处长")
    assert Notification.objects.filter(recipient=presets.head, kind="case_opened").exists()

    # 2. The finding; the decision is not the Supervision Office's to make.
    expect(page.get_by_role("button", name="作出决定")).to_have_count(0)
    page.get_by_role("textbox").last.fill(FINDING)
    submit(page, page.get_by_role("button", name="提交认定意见"))
    expect(page.get_by_test_id("case-status")).to_have_text("已认定，待决定")
    expect(page.get_by_test_id("finding")).to_contain_text(FINDING)
    sup.shot("a03-supervision-finding-recorded")

    # 3. The discipline secretary on his phone: his inbox names the case; 问责 lists it; he decides.
    dis = open_session("discipline", phone=True)
    phone = dis.page
    assert Notification.objects.filter(recipient=presets.discipline, kind="case_found").exists()
    phone.goto("/accountability/")
    listed = phone.get_by_test_id("case")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("已认定，待决定")
    assert_fits(phone, "case list on a phone")
    dis.shot("a04-discipline-phone-case-list")
    listed.get_by_role("link").first.click()
    expect(phone).to_have_url(re.compile(rf"/accountability/{case.pk}/$"))
    phone.get_by_label("处理措施").select_option(label="诫勉谈话")
    phone.get_by_label("处理决定").fill(DECISION)
    assert_fits(phone, "case detail on a phone")
    dis.shot("a05-discipline-phone-deciding")
    submit(phone, phone.get_by_role("button", name="作出决定"))
    expect(phone.locator(".messages")).to_contain_text("处理决定已作出：诫勉谈话")
    expect(phone.get_by_test_id("case-status")).to_have_text("已作出处理")
    expect(phone.get_by_test_id("decision")).to_contain_text(DECISION)
    dis.shot("a06-discipline-phone-decided")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.measure == "admonition" and case.decided_by == presets.discipline

    # 4. The division head reads the decision about him; he has no case list of his own to browse.
    head = open_session("head")
    hpage = head.page
    hpage.goto(f"/accountability/{case.pk}/")
    expect(hpage.get_by_test_id("decision")).to_contain_text("诫勉谈话")
    expect(hpage.get_by_role("button", name="作出决定")).to_have_count(0)
    expect(hpage.get_by_role("link", name="问责", exact=True)).to_have_count(0)
    head.shot("a07-head-reads-decision")
    for session in (sup, dis, head):
        assert not session.errors, session.errors
