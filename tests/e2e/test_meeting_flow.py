"""The main path of a party group meeting, walked in a real browser as its people would (docs/architecture.md, Workflows and Who does what).

Clerk schedules and gathers topics -> the secretary approves on a phone -> notice -> leave asked and
granted -> sign-in (htmx) -> quorum, the personnel topic refused below two thirds (R-QU-2) -> votes and
the members-based passing threshold (R-VO-2) -> deferral (R-VO-3) -> the topic carried to the next
meeting with its history (R-AG-7). Screenshots land in test-artifacts/e2e/.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

PG = "局党组会议（PG）"
POLICY = "研究决定方针政策性规定和以局名义起草下发的重要文件"
PERSONNEL = "研究决定本局科及科以下干部的任免、调动和交流"
ORDINARY_TITLE = "关于印发《外贸稳增长若干措施》的请示"
PERSONNEL_TITLE = "关于外贸处副科长人选的建议"
PLACE = "机关三楼第一会议室"
NEXT_PLACE = "机关三楼第二会议室"
BRAND_RED = "rgb(159, 29, 32)"  # --brand in static/css/site.css: proves the stylesheet was served


# --- helpers ---------------------------------------------------------------------------------------------

def local_input(days: int, hour: int, minute: int = 0) -> tuple[str, datetime.datetime]:
    """A datetime-local value `days` ahead in the site's zone (Asia/Shanghai), and the aware datetime."""
    when = (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=hour, minute=minute, second=0,
                                                                         microsecond=0)
    return when.strftime("%Y-%m-%dT%H:%M"), when


def submit(page: Page, button: Locator) -> None:
    """Click a button that posts a form and wait for the page the server redirects to; a refusal
    shown as an error message fails here with its text rather than later as a timeout."""
    with page.expect_navigation(wait_until="load"):
        button.click()
    errors = page.locator(".messages .msg-error")
    if errors.count():
        raise AssertionError(f"refused: {errors.all_inner_texts()}")


def submit_expecting_refusal(page: Page, button: Locator) -> str:
    with page.expect_navigation(wait_until="load"):
        button.click()
    error = page.locator(".messages .msg-error")
    expect(error).to_have_count(1)
    return error.inner_text()


def assert_styled(page: Page) -> None:
    """The stylesheet and htmx were served by the live server and allowed by the CSP."""
    expect(page.locator(".topbar")).to_have_css("background-color", BRAND_RED)
    assert page.evaluate("() => typeof window.htmx === 'object'"), "htmx did not load"


def assert_fits(page: Page, what: str) -> None:
    """Nothing pushes the page wider than the screen (no sideways scrolling on a phone)."""
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner + 1, f"{what}: page is {scroll}px wide on a {inner}px screen"


def topic(page: Page, title: str) -> Locator:
    return page.locator("article[data-testid=topic]").filter(has_text=title)


def topic_status(page: Page, title: str) -> Locator:
    return topic(page, title).locator("h3 .status")


def vote_row(page: Page, title: str, name: str) -> Locator:
    return topic(page, title).get_by_test_id("votes").locator("tr").filter(has_text=name)


def meeting_status(page: Page) -> Locator:
    return page.get_by_test_id("status")


def person_row(page: Page, name: str) -> Locator:
    return page.locator("#attendance tbody tr").filter(has_text=name)


def schedule_pg(session, *, days: int, hour: int, place: str, invitee: str | None) -> tuple[int, datetime.datetime]:
    """Through 首页 -> 安排会议: a party group meeting; returns its id and start."""
    page = session.page
    page.goto("/")
    page.get_by_role("link", name="安排会议").first.click()
    expect(page).to_have_url(re.compile(r"/meetings/new/$"))
    expect(page.get_by_role("heading", name="安排会议")).to_be_visible()
    page.select_option("#id_meeting_type", label=PG)
    value, when = local_input(days, hour)
    page.fill("#id_starts_at", value)
    page.fill("#id_place", place)
    if invitee:
        page.select_option("#id_invitees", label=[invitee])
    with page.expect_navigation(wait_until="load"):
        page.locator("form.form").get_by_role("button", name="安排会议").click()
    assert not page.locator("form.form .error").count(), page.locator("form.form .error").all_inner_texts()
    match = re.search(r"/meetings/(\d+)/$", page.url)
    assert match, f"not on a meeting page: {page.url}"
    expect(page.locator(".messages")).to_contain_text("会议已安排")
    expect(meeting_status(page)).to_have_text("征集议题")
    expect(page.locator("dl.compact")).to_contain_text(when.strftime("%Y-%m-%d %H:%M"))
    expect(page.locator("dl.compact")).to_contain_text(place)
    return int(match.group(1)), when


def propose(page: Page, *, category: str, title: str, summary: str) -> None:
    """The 提出议题 form at the foot of the agenda (folded once the agenda has a topic)."""
    form = page.locator("details.propose")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    page.select_option("#id_category", label=category)
    page.fill("#id_title", title)
    page.fill("#id_summary", summary)
    submit(page, form.get_by_role("button", name="提出", exact=True))
    expect(page.locator(".messages")).to_contain_text("议题已提出")
    expect(topic_status(page, title)).to_have_text("已提出")


# --- the main path -----------------------------------------------------------------------------------------

def test_party_group_meeting_from_scheduling_to_deferred_topic_carried_over(transactional_db, presets, open_session):
    """R-AG-1, R-NO-1..3, R-QU-1..4, R-VO-1..3, R-AG-7 through the screens, on desktop and a phone."""
    clerk = open_session("clerk")
    page = clerk.page

    # 1. The clerk schedules a party group meeting with the Supervision Office head invited (列席).
    meeting_id, starts = schedule_pg(clerk, days=3, hour=9, place=PLACE, invitee="郑监察")
    assert_styled(page)
    expect(person_row(page, "郑监察")).to_contain_text("列席")
    for name in ("王书记", "李副局长", "赵副局长", "孙书记"):
        expect(person_row(page, name)).to_contain_text("成员")
    expect(page.get_by_test_id("quorum")).to_contain_text("应到 4 人")
    clerk.shot("01-clerk-scheduled-party-group-meeting")

    # 2. The clerk proposes an ordinary and a personnel topic, then submits the agenda.
    propose(page, category=POLICY, title=ORDINARY_TITLE, summary="拟以局名义印发，征求各处室意见后形成。")
    propose(page, category=PERSONNEL, title=PERSONNEL_TITLE, summary="经民主推荐，拟提名一名同志。")
    expect(topic(page, PERSONNEL_TITLE)).to_contain_text("保密")
    submit(page, page.get_by_role("button", name="提交议程审定"))
    expect(meeting_status(page)).to_have_text("议程待审定")
    clerk.shot("02-clerk-agenda-submitted")

    # 3. The party secretary approves on a phone: 待我审批 -> the meeting -> each topic -> the agenda.
    secretary = open_session("secretary", phone=True)
    phone = secretary.page
    phone.get_by_role("link", name="待我审批").click()
    expect(phone.get_by_role("heading", name="待我审批")).to_be_visible()
    assert_styled(phone)
    assert_fits(phone, "approval queue")
    secretary.shot("03a-phone-secretary-approval-queue")
    phone.locator("article.card h3 a").filter(has_text="局党组会议").click()
    expect(phone).to_have_url(re.compile(rf"/meetings/{meeting_id}/"))
    expect(phone.get_by_test_id("approve-agenda")).to_be_visible()
    assert_fits(phone, "meeting page with the approval box")
    secretary.shot("03b-phone-secretary-reviewing-agenda")
    for title in (ORDINARY_TITLE, PERSONNEL_TITLE):
        submit(phone, topic(phone, title).get_by_role("button", name="列入议程"))
        expect(topic_status(phone, title)).to_have_text("列入议程")
    submit(phone, phone.get_by_test_id("approve-agenda"))
    expect(meeting_status(phone)).to_have_text("议程已审定")
    expect(phone.locator(".messages")).to_contain_text("议程已审定")
    assert_fits(phone, "meeting page after approval")
    secretary.shot("03c-phone-secretary-agenda-approved")

    # 4. The clerk sends the notice; a member finds it under 消息.
    page.reload()
    expect(meeting_status(page)).to_have_text("议程已审定")
    submit(page, page.get_by_role("button", name="发出会议通知"))
    expect(meeting_status(page)).to_have_text("已通知")
    expect(page.locator("dl.compact")).to_contain_text("通知时间")

    deputy2 = open_session("deputy2")
    member = deputy2.page
    expect(member.get_by_test_id("unread")).to_be_visible()
    member.get_by_role("link", name=re.compile("^消息")).click()
    expect(member.get_by_role("heading", name="消息", exact=True)).to_be_visible()
    notice = member.locator("article.note").filter(has_text="会议通知：局党组会议")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(f"时间：{starts:%Y-%m-%d %H:%M}")
    expect(notice).to_contain_text(f"地点：{PLACE}")
    expect(notice).to_contain_text("身份：成员")
    expect(notice).to_contain_text(ORDINARY_TITLE)
    # R-CO-1: a stored and mailed notice names a personnel topic by the placeholder, even for a member,
    # who reads the title on the meeting page.
    expect(notice).not_to_contain_text(PERSONNEL_TITLE)
    expect(notice).to_contain_text("保密议题")
    deputy2.shot("04-member-notice-in-messages")

    # 5. Deputy2 asks leave from the notice's meeting page; the secretary grants it from the queue.
    notice.get_by_role("link", name=re.compile("会议通知")).click()
    expect(member).to_have_url(re.compile(rf"/meetings/{meeting_id}/"))
    member.get_by_placeholder("请假事由").fill("赴省商务厅参加外贸形势分析会")
    submit(member, member.get_by_role("button", name="请假", exact=True))
    expect(member.locator("#people")).to_contain_text("我的请假：待批准")
    deputy2.shot("05a-member-leave-asked")

    phone.get_by_role("link", name="待我审批").click()
    leave = phone.locator("article.card").filter(has_text="赵副局长")
    expect(leave).to_contain_text("赴省商务厅参加外贸形势分析会")
    submit(phone, leave.get_by_role("button", name="准假", exact=True))
    expect(phone.get_by_text("没有待批准的请假。")).to_be_visible()
    assert_fits(phone, "approval queue after granting leave")
    secretary.shot("05b-phone-secretary-leave-granted")
    member.reload()
    expect(member.locator("#people")).to_contain_text("我的请假：已准假")

    # 6. Sign-in: the htmx panel is swapped in place (no page load), then the meeting starts.
    page.reload()
    expect(person_row(page, "赵副局长").locator(".att")).to_have_text("请假")
    page.evaluate("() => { window.__samePage = true; }")
    for name in ("王书记", "李副局长", "郑监察"):
        row = person_row(page, name)
        expect(row.locator(".att")).to_have_text("待签到")
        row.get_by_role("button", name="签到").click()
        expect(person_row(page, name).locator(".att")).to_have_text("出席")
    assert page.evaluate("() => window.__samePage === true"), "sign-in reloaded the page instead of swapping the panel"
    quorum = page.get_by_test_id("quorum")
    expect(quorum).to_contain_text("须半数以上成员到会：应到 4 人，需 2 人，实到 2 人")  # the invitee not counted (R-QU-4)
    expect(quorum).to_contain_text("已达到")
    expect(person_row(page, "孙书记").locator(".att")).to_have_text("待签到")
    clerk.shot("06-clerk-signed-in-quorum-met")
    submit(page, page.get_by_role("button", name="会议开始"))
    expect(meeting_status(page)).to_have_text("已召开")

    # 7. The personnel topic is refused below two thirds present (R-QU-2), with the clause cited.
    expect(topic(page, PERSONNEL_TITLE).locator(".topic-quorum")).to_contain_text("还差 1 人")
    refusal = submit_expecting_refusal(page, topic(page, PERSONNEL_TITLE).get_by_role("button", name="开始研究"))
    for part in ("三分之二以上", "应到 4 人", "需 3 人", "实到 2 人", "还差 1 人", "一、（三）3"):
        assert part in refusal, f"{part!r} not in the refusal: {refusal}"
    expect(topic_status(page, PERSONNEL_TITLE)).to_have_text("列入议程")
    clerk.shot("07-clerk-personnel-topic-refused-below-two-thirds")

    # 8. The ordinary topic: two votes for, decided against the members-based threshold (R-VO-2).
    submit(page, topic(page, ORDINARY_TITLE).get_by_role("button", name="开始研究"))
    expect(topic_status(page, ORDINARY_TITLE)).to_have_text("研究中")
    votes = topic(page, ORDINARY_TITLE).get_by_test_id("votes")
    expect(votes.locator("h4")).to_contain_text("赞成票须超过半数应到会成员")
    expect(votes.locator("tr")).to_have_count(2)  # members present only: no invitee, no one on leave
    for name in ("王书记", "李副局长"):
        submit(page, vote_row(page, ORDINARY_TITLE, name).get_by_role("button", name="赞成"))
        expect(vote_row(page, ORDINARY_TITLE, name).locator(".vote")).to_have_text("赞成")
    topic(page, ORDINARY_TITLE).locator("textarea[name=decision]").fill("原则同意，按程序印发。")
    submit(page, topic(page, ORDINARY_TITLE).get_by_role("button", name="计票并作出决定"))
    # PG passes with more than half of all 4 members (应到会成员), not of the 2 present: 3 votes for are
    # needed, so 2 for is not passed although everyone present voted for.
    members, votes_for = 4, 2
    needed = members // 2 + 1
    assert votes_for < needed
    expect(topic_status(page, ORDINARY_TITLE)).to_have_text("未通过")
    decision = topic(page, ORDINARY_TITLE).locator(".decision")
    expect(decision).to_contain_text("原则同意，按程序印发。")
    expect(decision).to_contain_text("赞成 2 · 反对 0 · 弃权 0")
    clerk.shot("08-clerk-ordinary-topic-not-passed")

    # 9. The personnel topic is deferred (R-VO-3), and the meeting closed.
    personnel = topic(page, PERSONNEL_TITLE)
    personnel.get_by_placeholder("暂缓表决的理由").fill("到会成员不足三分之二，下次会议再议")
    submit(page, personnel.get_by_role("button", name="暂缓表决"))
    expect(topic_status(page, PERSONNEL_TITLE)).to_have_text("暂缓表决")
    submit(page, page.get_by_role("button", name="会议结束"))
    expect(meeting_status(page)).to_have_text("已结束")
    expect(person_row(page, "孙书记").locator(".att")).to_have_text("无故缺席")
    expect(page.locator("#briefings")).to_contain_text("赵副局长")  # absent members are briefed (R-NO-4)
    expect(page.locator("#briefings")).to_contain_text("孙书记")
    clerk.shot("09-clerk-meeting-closed")

    # 10. The next party group meeting, scheduled through the screens, carries the deferred topic (R-AG-7).
    next_id, _next_starts = schedule_pg(clerk, days=10, hour=15, place=NEXT_PLACE, invitee=None)
    assert next_id != meeting_id
    carried = topic(page, PERSONNEL_TITLE)
    expect(carried).to_have_count(1)
    expect(topic_status(page, PERSONNEL_TITLE)).to_have_text("已提出")
    history = carried.locator("p.history")
    expect(history).to_contain_text("上次会议暂缓表决，转入本次会议")
    expect(history).to_contain_text(f"局党组会议（{starts:%Y-%m-%d}）")
    expect(history).to_contain_text("到会成员不足三分之二，下次会议再议")
    back = history.get_by_role("link")
    expect(back).to_have_attribute("href", re.compile(rf"^/meetings/{meeting_id}/#topic-\d+$"))
    clerk.shot("10a-clerk-next-meeting-carries-deferred-topic")
    back.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting_id}/#topic-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_contain_text(PERSONNEL_TITLE)
    expect(page.locator(f"#{anchor} h3 .status")).to_have_text("暂缓表决")
    clerk.shot("10b-clerk-history-link-back-to-deferral")

    for session in (clerk, secretary, deputy2):
        assert not session.errors, session.errors


# --- another division's meeting --------------------------------------------------------------------------

def test_division_staff_gets_404_for_another_divisions_meeting(transactional_db, presets, open_session):
    """docs/architecture.md, Organisation, docs/architecture.md, Gates: a meeting one may not see answers 404, as if it did not exist."""
    from governance.models import MeetingType
    from governance.services.scheduling import schedule_meeting

    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    meeting = schedule_meeting(actor=presets.other_head, meeting_type=da, unit=presets.invest,
                               starts_at=timezone.now() + datetime.timedelta(days=2), place="外资处会议室")
    url = f"/meetings/{meeting.pk}/"

    insider = open_session("other_staff")  # the URL is real: 外资处's own staff open it
    response = insider.page.goto(url)
    assert response is not None and response.status == 200
    expect(insider.page.get_by_role("heading", level=1)).to_contain_text("外资处处务会")
    assert not insider.errors, insider.errors

    stranger = open_session("staff")  # 外贸处
    response = stranger.page.goto(url)
    assert response is not None and response.status == 404, response and response.status
    body = stranger.page.locator("body")
    expect(body).not_to_contain_text("外资处处务会")
    expect(body).not_to_contain_text("外资处会议室")
    stranger.shot("11-staff-404-for-other-divisions-meeting")
