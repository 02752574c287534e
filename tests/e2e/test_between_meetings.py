"""Re-study after deferral (R-VO-5), consultation before a party group topic (R-AG-9) and escalation
between meetings (R-AG-10) in a real browser: the office records what the regulations ask on the
topic itself, and the approver can table it only then. Screenshots in test-artifacts/e2e/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_meeting_flow import submit, submit_expecting_refusal, topic

pytestmark = pytest.mark.e2e


def test_r_vo_5_the_office_consults_every_member_then_the_secretary_tables_the_deferred_topic(
        transactional_db, official_calendar, presets, open_session):
    from tests.governance.test_restudy import deferred_then_carried

    p = presets
    _, carried = deferred_then_carried(p)
    clerk = open_session("clerk")
    page = clerk.page
    page.goto(f"/meetings/{carried.meeting_id}/#topic-{carried.pk}")
    row = topic(page, "机关绩效考核办法")
    expect(row.get_by_test_id("consultation")).to_contain_text("已征求 0/4")
    for name in ("王书记", "孙书记", "李副局长", "赵副局长"):
        row = topic(page, "机关绩效考核办法")
        row.get_by_label("成员").select_option(label=name)
        row.get_by_label("意见").fill(f"{name}：同意再研究后提交。")
        submit(page, row.get_by_role("button", name="登记意见"))
    expect(topic(page, "机关绩效考核办法").get_by_test_id("consultation")).to_contain_text("已征求 4/4")
    clerk.shot("b01-clerk-every-member-consulted")
    sec = open_session("secretary")
    spage = sec.page
    spage.goto(f"/meetings/{carried.meeting_id}/")
    submit(spage, topic(spage, "机关绩效考核办法").get_by_role("button", name="列入议程"))
    expect(topic(spage, "机关绩效考核办法").locator("h3 .status")).to_have_text("列入议程")
    for session in (clerk, sec):
        assert not session.errors, session.errors


def test_r_ag_9_an_important_topic_waits_for_the_units_consulted(transactional_db, official_calendar, presets,
                                                                 open_session):
    from tests.governance.test_unit_opinions import important_topic

    p = presets
    meeting, important = important_topic(p)
    sec = open_session("secretary")
    spage = sec.page
    spage.goto(f"/meetings/{meeting.pk}/")
    reason = submit_expecting_refusal(spage, topic(spage, "机关绩效考核办法").get_by_role("button", name="列入议程"))
    assert "征求意见的处室" in reason
    clerk = open_session("clerk")
    page = clerk.page
    page.goto(f"/meetings/{meeting.pk}/#topic-{important.pk}")
    row = topic(page, "机关绩效考核办法")
    expect(row.get_by_test_id("unit-opinions")).to_contain_text("尚未登记")
    row.get_by_label("处室/单位").select_option(label="外贸处")
    row.get_by_label("意见").fill("同意，建议增加考核结果运用的规定。")
    submit(page, row.get_by_role("button", name="登记意见"))
    expect(topic(page, "机关绩效考核办法").get_by_test_id("unit-opinions")).to_contain_text("外贸处")
    clerk.shot("b02-clerk-unit-consulted")
    spage.reload()
    submit(spage, topic(spage, "机关绩效考核办法").get_by_role("button", name="列入议程"))
    expect(topic(spage, "机关绩效考核办法").locator("h3 .status")).to_have_text("列入议程")
    assert not clerk.errors, clerk.errors


def test_r_ag_10_a_division_submits_a_matter_and_the_party_group_finds_it_on_its_agenda(
        transactional_db, official_calendar, presets, open_session):
    from governance.models import MeetingType, Topic
    from governance.services import scheduling
    from tests.minutes.conftest import make_closed_da
    from tests.world import soon

    p = presets
    da = make_closed_da(p)
    head = open_session("head")
    page = head.page
    page.goto(f"/meetings/{da.pk}/")
    row = topic(page, "外贸发展专项资金划拨方案")
    submit(page, row.get_by_role("button", name="报请局党组研究决定"))
    expect(topic(page, "外贸发展专项资金划拨方案").get_by_test_id("escalated")).to_contain_text("待列入议程")
    head.shot("b03-head-matter-submitted")
    pg = MeetingType.objects.get(bureau=p.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(10), place="第一会议室")
    carried = Topic.objects.get(escalated_from__meeting=da)
    clerk = open_session("clerk")
    cpage = clerk.page
    cpage.goto(f"/meetings/{meeting.pk}/#topic-{carried.pk}")
    link = topic(cpage, "外贸发展专项资金划拨方案").get_by_test_id("escalated-from")
    expect(link).to_contain_text(da.title)
    clerk.shot("b04-clerk-party-group-agenda-with-the-matter")
    # The General Office may not open 外贸处's own meeting: the origin is named, without a link to a 404.
    expect(link.get_by_role("link")).to_have_count(0)
    head.page.reload()  # the head sees where his matter went (he may not open the party group meeting either)
    expect(topic(head.page, "外贸发展专项资金划拨方案").get_by_test_id("escalated")).to_contain_text(meeting.title)
    for session in (head, clerk):
        assert not session.errors, session.errors
