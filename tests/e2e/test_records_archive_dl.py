"""The meeting record (R-MI-8), the periodic archive (R-MI-9) and the democratic life meeting's file
(R-FU-9, R-FU-7) in a real browser, as their people use them. Screenshots in test-artifacts/e2e/."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.test_meeting_flow import assert_fits, submit

pytestmark = pytest.mark.e2e


def test_r_mi_8_the_recorder_types_the_record_during_the_meeting_and_the_minutes_start_from_it(
        transactional_db, official_calendar, presets, open_session):
    from governance.models import MeetingType, RecordEntry
    from governance.services import agenda, attendance, scheduling
    from tests.world import soon

    p = presets
    da = MeetingType.objects.get(bureau=p.bureau, code="DA")
    meeting = scheduling.schedule_meeting(actor=p.head, meeting_type=da, unit=p.trade, starts_at=soon(2), place="外贸处会议室")
    topic = agenda.propose_topic(actor=p.head, meeting=meeting, category=da.categories.get(code="funds"), title="专项资金划拨方案")
    agenda.submit_agenda(actor=p.head, meeting=meeting)
    agenda.review_topic(actor=p.head, topic=topic, decision="accept")
    agenda.approve_agenda(actor=p.head, meeting=meeting)
    agenda.send_notice(actor=p.head, meeting=meeting)
    for person in (p.head, p.staff):
        attendance.sign_in(actor=p.head, meeting=meeting, person=person)
    attendance.start_meeting(actor=p.head, meeting=meeting)

    head = open_session("head")
    page = head.page
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_test_id("record-link").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/record/$"))
    general = page.locator("#record-general")
    general.get_by_label("发言要点").fill("处务会由陈处长主持，应到2人，实到2人。")
    submit(page, general.get_by_role("button", name="记录"))
    section = page.locator(f"#record-{topic.pk}")
    section.get_by_label("发言人").select_option(label="刘科员")
    section.get_by_label("发言要点").fill("建议分两批拨付，先拨六成。")
    submit(page, section.get_by_role("button", name="记录"))
    expect(page.locator(f"#record-{topic.pk} [data-testid=record-entry]")).to_contain_text("刘科员")
    head.shot("r01-head-records-the-meeting")
    assert RecordEntry.objects.filter(meeting=meeting).count() == 2
    assert not head.errors, head.errors


def test_r_mi_9_the_office_archives_a_year_and_supervision_downloads_the_package(
        transactional_db, official_calendar, presets, open_session):
    from minutes.models import ArchivePackage, Minutes
    from minutes.services import drafting
    from tests.minutes.conftest import make_closed_da

    p = presets
    meeting = make_closed_da(p)
    revision = drafting.start_minutes(actor=p.head, meeting=meeting)
    drafting.submit_revision(actor=p.head, revision=revision)
    drafting.approve_revision(actor=p.head, revision=revision)
    year = Minutes.objects.get(meeting=meeting).year

    clerk = open_session("clerk")
    page = clerk.page
    page.goto("/minutes/")
    page.get_by_role("link", name="定期存档").click()
    expect(page.get_by_test_id("packages")).to_contain_text("尚无归档包")
    page.get_by_label("年度").select_option(str(year))
    submit(page, page.get_by_role("button", name="立即归档"))
    row = page.get_by_test_id("package")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"TEST-WS·{year}-D10-TRADE·DA")
    expect(row).to_contain_text("凭授权查阅")  # the General Office keeps it, but may not read 外贸处's minutes
    clerk.shot("r02-clerk-archive-packages")

    sup = open_session("supervisor", phone=True)
    phone = sup.page
    phone.goto("/minutes/archive/")
    expect(phone.get_by_test_id("package")).to_have_count(1)
    assert_fits(phone, "archive list on a phone")
    sup.shot("r03-supervisor-phone-archive")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载").click()
    data = open(download.value.path(), "rb").read()
    package = ArchivePackage.objects.get()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == package.sha256
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "manifest.json" in names and "归档文件目录.xlsx" in names and any(n.endswith(".pdf") for n in names)
    for session in (clerk, sup):
        assert not session.errors, session.errors


def test_r_fu_9_the_office_reports_the_outcome_and_closes_the_democratic_life_file(
        transactional_db, official_calendar, presets, open_session):
    from governance.models import Notification, PreparationKind
    from governance.services import attendance, followup, voting
    from tests.governance.test_dl_file import members, self_analyses
    from tests.governance.test_followup import talks_and_opinions
    from tests.world import soon

    p = presets
    from governance.models import MeetingType
    from governance.services import agenda, scheduling

    t = MeetingType.objects.get(bureau=p.bureau, code="DL")
    dl = scheduling.schedule_meeting(actor=p.clerk, meeting_type=t, starts_at=soon(5), place="会议室")
    agenda.propose_topic(actor=p.clerk, meeting=dl, category=t.categories.get(code="criticism"), title="对照检查")
    agenda.submit_agenda(actor=p.clerk, meeting=dl)
    agenda.review_topic(actor=p.secretary, topic=dl.topics.get(), decision="accept")
    agenda.approve_agenda(actor=p.secretary, meeting=dl)
    agenda.send_notice(actor=p.clerk, meeting=dl)
    self_analyses(p, dl)
    talks_and_opinions(p, dl)
    for m in members(p):
        attendance.sign_in(actor=p.clerk, meeting=dl, person=m)
        followup.file_preparation(actor=m, meeting=dl, kind=PreparationKind.CELL_MEETING, text="参加组织生活会",
                                  other="机关党小组", held_on=datetime.date(2026, 6, 30))
    attendance.start_meeting(actor=p.clerk, meeting=dl)
    voting.note_topic(actor=p.clerk, topic=dl.topics.get())
    attendance.close_meeting(actor=p.clerk, meeting=dl)

    clerk = open_session("clerk")
    page = clerk.page
    page.goto(f"/meetings/{dl.pk}/#preparations")
    checklist = page.get_by_test_id("file-checklist")
    expect(checklist).to_contain_text("制定整改措施：尚未制定")
    expect(page.get_by_test_id("cell-meetings")).to_contain_text("2026-06-30")
    page.get_by_role("button", name="档案办结").click()
    expect(page.locator(".messages")).to_contain_text("会议档案尚不齐全")
    followup.create_action(actor=p.clerk, meeting=dl, kind="rectification", title="建立调研制度", problem="调研不深",
                           owner=p.deputy, due_workdays=20)
    page.goto(f"/meetings/{dl.pk}/#preparations")
    page.get_by_label("会后情况通报（发全局干部职工）").fill("局党组召开2026年度民主生活会，查摆问题六条，制定整改措施。")
    submit(page, page.get_by_role("button", name="通报", exact=True))
    assert Notification.objects.filter(kind="outcome_report", recipient=p.staff).exists()
    submit(page, page.get_by_role("button", name="档案办结"))
    expect(page.get_by_test_id("file-closed")).to_be_visible()
    clerk.shot("r04-clerk-dl-file-closed")
    assert not clerk.errors, clerk.errors
