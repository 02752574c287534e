"""The meeting workflow through its services (docs/architecture.md, Workflows): each rule named, each refusal with its reason."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.models import (
    Attendance,
    Briefing,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    MeetingType,
    Notification,
    Role,
    Topic,
    TopicStatus,
    Transition,
)
from governance.rules.refusals import TransitionRefused
from governance.selectors.due_dates import attach_briefing_due
from governance.services import agenda, attendance, scheduling, voting
from governance.services.materials import add_material


def soon(days=3, hour=9):
    local = timezone.localtime() + datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def pg(presets):
    return MeetingType.objects.get(bureau=presets.bureau, code="PG")


@pytest.fixture
def da(presets):
    return MeetingType.objects.get(bureau=presets.bureau, code="DA")


def schedule_pg(org, pg, days=3, **kw):
    return scheduling.schedule_meeting(actor=org.clerk, meeting_type=pg, starts_at=soon(days), place="第一会议室", **kw)


def category(meeting_type, code):
    return meeting_type.categories.get(code=code)


def to_notice(org, meeting, topics):
    """Accept the given topics, approve the agenda and send the notice."""
    agenda.submit_agenda(actor=org.clerk, meeting=meeting)
    for topic in topics:
        agenda.review_topic(actor=org.secretary, topic=topic, decision="accept")
    agenda.approve_agenda(actor=org.secretary, meeting=meeting)
    return agenda.send_notice(actor=org.clerk, meeting=meeting)


def test_scheduling_resolves_people_from_posts_on_the_date(presets, pg):
    meeting = schedule_pg(presets, pg)
    assert meeting.status == MeetingStatus.AGENDA_OPEN
    assert meeting.chair == presets.secretary and meeting.approver == presets.secretary
    assert meeting.recorder == presets.clerk
    members = {p.person.username for p in meeting.participants.filter(role=Role.MEMBER)}
    assert members == {"secretary", "deputy", "deputy2", "discipline"}
    assert presets.deputy.has_perm("governance.view_meeting", meeting)
    assert presets.secretary.has_perm("governance.approve_agenda", meeting)
    assert not presets.staff.has_perm("governance.view_meeting", meeting)
    assert Transition.objects.filter(object_id=meeting.pk, to_state="agenda_open").exists()


def test_a_meeting_in_the_past_is_refused(presets, pg):
    with pytest.raises(TransitionRefused, match="不能早于现在"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=timezone.now() - datetime.timedelta(hours=1),
                             place="会议室")


def test_division_staff_cannot_schedule_a_party_group_meeting(presets, pg):
    with pytest.raises(TransitionRefused, match="无权安排"):
        scheduling.schedule_meeting(actor=presets.staff, meeting_type=pg, starts_at=soon(), place="会议室")


def test_r_ag_2_division_head_schedules_the_division_meeting_of_their_own_division(presets, da):
    """R-AG-2."""
    meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=soon(), place="处会议室")
    assert {p.person.username for p in meeting.participants.all()} == {"head", "staff"}
    assert meeting.approver == presets.head and meeting.recorder == presets.head
    with pytest.raises(TransitionRefused):
        scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.invest, starts_at=soon(), place="x")


def test_invitees_by_person_and_by_unit_head_are_not_members(presets, pg):
    meeting = schedule_pg(presets, pg, invitees=[presets.supervisor], invitee_units=[presets.trade])
    invitees = {p.person.username for p in meeting.participants.filter(role=Role.INVITEE)}
    assert invitees == {"supervisor", "head"}


def test_r_ag_4_important_topic_needs_written_materials(presets, pg):
    """R-AG-4."""
    meeting = schedule_pg(presets, pg)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "policy"),
                              title="关于印发某规定的议题", important=True)
    with pytest.raises(TransitionRefused) as refused:
        agenda.review_topic(actor=presets.secretary, topic=topic, decision="accept")
    assert "书面材料" in refused.value.reason and "一、（三）4" in refused.value.clause
    add_material(actor=presets.clerk, topic=topic, upload=pdf())
    with pytest.raises(TransitionRefused, match="征求意见的处室"):  # R-AG-9: nor without the units consulted
        agenda.review_topic(actor=presets.secretary, topic=topic, decision="accept")
    from governance.services.followup import record_unit_opinion

    record_unit_opinion(actor=presets.clerk, topic=topic, unit=presets.trade, opinion="同意，建议明确实施时间。")
    assert agenda.review_topic(actor=presets.secretary, topic=topic, decision="accept").status == TopicStatus.ACCEPTED


def test_r_ag_1_approver_returns_and_rejects_topics_with_a_reason(presets, pg):
    """R-AG-1."""
    meeting = schedule_pg(presets, pg)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "other"), title="其他事项")
    with pytest.raises(TransitionRefused, match="须说明理由"):
        agenda.review_topic(actor=presets.secretary, topic=topic, decision="reject")
    agenda.review_topic(actor=presets.secretary, topic=topic, decision="return", reason="请补充方案")
    assert Notification.objects.filter(recipient=presets.clerk, kind="topic_return").exists()
    agenda.resubmit_topic(actor=presets.clerk, topic=topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PROPOSED


def test_agenda_cannot_be_approved_with_unreviewed_topics(presets, pg):
    meeting = schedule_pg(presets, pg)
    agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "other"), title="其他")
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    with pytest.raises(TransitionRefused, match="未审定"):
        agenda.approve_agenda(actor=presets.secretary, meeting=meeting)


def freeze(monkeypatch, day: datetime.date, hour: int = 10) -> None:
    """Test setup: the clock stands at `hour` o'clock on `day` (timezone.localdate() follows)."""
    frozen = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    monkeypatch.setattr(timezone, "now", lambda: frozen)


def test_r_no_1_notice_reaches_every_member_and_invitee_and_late_notice_is_flagged(presets, pg, monkeypatch):
    """R-NO-1: PG asks one working day's notice. Noticed on Friday 9 October 2026 for Saturday 10th (a
    make-up working day after the National Day holiday): one working day, on time. Noticed on Friday
    20 November for Saturday 21st (a weekend day): none, late."""
    freeze(monkeypatch, datetime.date(2026, 10, 9))
    meeting = schedule_pg(presets, pg, days=1, invitees=[presets.supervisor])
    assert timezone.localtime(meeting.starts_at).date() == datetime.date(2026, 10, 10)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "other"), title="通报事项")
    meeting = to_notice(presets, meeting, [topic])
    recipients = set(Notification.objects.filter(kind="notice", meeting=meeting).values_list("recipient__username", flat=True))
    assert recipients == {"secretary", "deputy", "deputy2", "discipline", "supervisor"}
    body = Notification.objects.get(kind="notice", recipient=presets.deputy).body
    assert "第一会议室" in body and "通报事项" in body
    assert meeting.notice_late is False

    freeze(monkeypatch, datetime.date(2026, 11, 20))
    weekend = schedule_pg(presets, pg, days=1)
    assert timezone.localtime(weekend.starts_at).date() == datetime.date(2026, 11, 21)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=weekend, category=category(pg, "other"), title="通报事项")
    assert to_notice(presets, weekend, [topic]).notice_late is True


def test_r_no_1_notice_sent_today_for_today_is_late(presets, pg):
    """R-NO-1."""
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=timezone.now() + datetime.timedelta(minutes=30),
                                   place="会议室")
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "other"), title="事项")
    if timezone.localtime(meeting.starts_at).date() != timezone.localdate():
        pytest.skip("run within 30 minutes of midnight: the meeting falls tomorrow")
    assert to_notice(presets, meeting, [topic]).notice_late


def test_r_co_1_notice_hides_a_personnel_topic_from_invitees(presets, pg):
    """R-CO-1: a notice is stored and mailed, so it names a personnel topic by the placeholder for
    everyone; members read the title on the meeting page."""
    meeting = schedule_pg(presets, pg, invitees=[presets.supervisor])
    secret = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "personnel"),
                               title="关于张三同志任职的议题ZXQ-7781")
    to_notice(presets, meeting, [secret])
    member_note = Notification.objects.get(kind="notice", recipient=presets.deputy)
    assert "ZXQ-7781" not in member_note.body and "保密议题" in member_note.body
    invitee_note = Notification.objects.get(kind="notice", recipient=presets.supervisor)
    assert "ZXQ-7781" not in invitee_note.body and "保密议题" in invitee_note.body


def test_r_no_2_member_asks_leave_and_the_chair_grants_it(presets, pg):
    """R-NO-2."""
    meeting = schedule_pg(presets, pg)
    leave = attendance.ask_leave(actor=presets.deputy2, meeting=meeting, reason="出差")
    with pytest.raises(TransitionRefused, match="只有会议主持人可以批准请假"):
        attendance.decide_leave(actor=presets.clerk, leave=leave, grant=True)
    attendance.decide_leave(actor=presets.secretary, leave=leave, grant=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.GRANTED
    assert meeting.participants.get(person=presets.deputy2).attendance == Attendance.LEAVE
    with pytest.raises(TransitionRefused, match="已请过假"):
        attendance.ask_leave(actor=presets.deputy2, meeting=meeting, reason="再请")


def test_r_no_2_leave_is_asked_before_the_meeting_starts(presets, pg, monkeypatch):
    """R-NO-2: 会前请假: for a meeting at 09:00 on Monday 23 November 2026, leave asked at 08:59 is taken,
    at 09:00 (the start itself) it is refused."""
    freeze(monkeypatch, datetime.date(2026, 11, 20))
    starts = timezone.make_aware(datetime.datetime(2026, 11, 23, 9))
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=starts, place="第一会议室")
    before = timezone.make_aware(datetime.datetime(2026, 11, 23, 8, 59))
    monkeypatch.setattr(timezone, "now", lambda: before)
    assert attendance.ask_leave(actor=presets.deputy2, meeting=meeting, reason="出差").status == LeaveStatus.PENDING
    monkeypatch.setattr(timezone, "now", lambda: starts)
    with pytest.raises(TransitionRefused, match="请假须在会议开始前提出"):
        attendance.ask_leave(actor=presets.deputy, meeting=meeting, reason="出差")


def test_r_no_2_division_meeting_leave_is_granted_by_the_division_head(presets, da):
    """R-NO-2."""
    meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=soon(), place="处会议室")
    leave = attendance.ask_leave(actor=presets.staff, meeting=meeting, reason="培训")
    with pytest.raises(TransitionRefused, match="须说明理由"):
        attendance.decide_leave(actor=presets.head, leave=leave, grant=False)
    attendance.decide_leave(actor=presets.head, leave=leave, grant=False, note="工作需要，请参会")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REFUSED


def test_r_no_2_invitees_do_not_ask_leave(presets, pg):
    """R-NO-2."""
    meeting = schedule_pg(presets, pg, invitees=[presets.supervisor])
    with pytest.raises(TransitionRefused, match="只有会议成员"):
        attendance.ask_leave(actor=presets.supervisor, meeting=meeting, reason="x")


@pytest.fixture
def noticed(presets, pg):
    meeting = schedule_pg(presets, pg, invitees=[presets.supervisor])
    ordinary = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "policy"), title="政策文件")
    personnel = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "personnel"),
                                  title="干部任免")
    meeting = to_notice(presets, meeting, [ordinary, personnel])
    return meeting, ordinary, personnel


def test_r_no_3_sign_in_only_for_invited_people(presets, noticed):
    """R-NO-3."""
    meeting, *_ = noticed
    with pytest.raises(TransitionRefused, match="不在本次会议的参会名单中"):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=presets.staff)
    with pytest.raises(TransitionRefused, match="只能为自己签到"):
        attendance.sign_in(actor=presets.deputy, meeting=meeting, person=presets.deputy2)
    assert attendance.sign_in(actor=presets.deputy, meeting=meeting, person=presets.deputy).attendance == Attendance.PRESENT


def test_r_qu_1_meeting_cannot_start_below_half(presets, noticed):
    """R-QU-1."""
    meeting, *_ = noticed
    attendance.sign_in(actor=presets.clerk, meeting=meeting, person=presets.secretary)
    attendance.sign_in(actor=presets.clerk, meeting=meeting, person=presets.supervisor)  # an invitee: R-QU-4
    with pytest.raises(TransitionRefused) as refused:
        attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    assert "还差 1 人" in refused.value.reason and "一、（三）3" in refused.value.clause
    # The boundary (以上 includes the number): 2 of the 4 members is exactly half, and the meeting starts.
    attendance.sign_in(actor=presets.clerk, meeting=meeting, person=presets.deputy)
    assert attendance.start_meeting(actor=presets.clerk, meeting=meeting).status == MeetingStatus.HELD


def test_r_qu_2_personnel_topic_refused_below_two_thirds_with_reason(presets, noticed):
    """R-QU-2."""
    meeting, ordinary, personnel = noticed
    for person in (presets.secretary, presets.deputy):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=person)
    attendance.sign_in(actor=presets.clerk, meeting=meeting, person=presets.supervisor)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)  # 2 of 4: half or more (R-QU-3)
    assert voting.open_topic(actor=presets.clerk, topic=ordinary).status == TopicStatus.DISCUSSING
    with pytest.raises(TransitionRefused) as refused:
        voting.open_topic(actor=presets.clerk, topic=personnel)
    assert "三分之二以上" in refused.value.reason and "还差 1 人" in refused.value.reason
    assert "研究干部人事问题" in str(refused.value) or "一、（三）3" in refused.value.clause
    attendance.sign_in(actor=presets.clerk, meeting=meeting, person=presets.deputy2)
    assert voting.open_topic(actor=presets.clerk, topic=personnel).status == TopicStatus.DISCUSSING


@pytest.fixture
def held(presets, noticed):
    meeting, ordinary, personnel = noticed
    for person in (presets.secretary, presets.deputy, presets.deputy2, presets.supervisor):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=person)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    voting.open_topic(actor=presets.clerk, topic=ordinary)
    return meeting, ordinary, personnel


def test_r_vo_1_votes_by_non_members_invitees_absentees_and_twice_are_refused(presets, held):
    """R-VO-1."""
    meeting, topic, _ = held
    with pytest.raises(TransitionRefused, match="不是本次会议成员"):
        voting.record_vote(actor=presets.clerk, topic=topic, member=presets.staff, choice="for")
    with pytest.raises(TransitionRefused, match="列席人员不参加表决"):
        voting.record_vote(actor=presets.clerk, topic=topic, member=presets.supervisor, choice="for")
    with pytest.raises(TransitionRefused, match="未签到出席"):
        voting.record_vote(actor=presets.clerk, topic=topic, member=presets.discipline, choice="for")
    voting.record_vote(actor=presets.clerk, topic=topic, member=presets.deputy, choice="for")
    with pytest.raises(TransitionRefused, match="不能重复表决"):
        voting.record_vote(actor=presets.clerk, topic=topic, member=presets.deputy, choice="against")
    assert topic.votes.count() == 1


def test_r_vo_2_party_group_needs_more_than_half_of_all_members(presets, held):
    """R-VO-2: 3 present of 4 members; 2 for is not more than half of 4 (basis: 应到会成员)."""
    meeting, topic, _ = held
    voting.record_vote(actor=presets.clerk, topic=topic, member=presets.secretary, choice="for")
    voting.record_vote(actor=presets.clerk, topic=topic, member=presets.deputy, choice="for")
    voting.record_vote(actor=presets.clerk, topic=topic, member=presets.deputy2, choice="abstain")
    decided = voting.decide_topic(actor=presets.clerk, topic=topic, decision="同意")
    assert decided.status == TopicStatus.NOT_PASSED
    assert (decided.votes_for, decided.votes_against, decided.votes_abstain) == (2, 0, 1)


def test_r_vo_4_dissent_must_be_recorded_when_someone_votes_against(presets, held):
    """R-VO-4."""
    meeting, topic, _ = held
    for person, choice in ((presets.secretary, "for"), (presets.deputy, "for"), (presets.deputy2, "against")):
        voting.record_vote(actor=presets.clerk, topic=topic, member=person, choice=choice)
    with pytest.raises(TransitionRefused, match="不同意见"):
        voting.decide_topic(actor=presets.clerk, topic=topic, decision="原则同意")
    decided = voting.decide_topic(actor=presets.clerk, topic=topic, decision="原则同意", dissent="赵副局长认为应先调研")
    assert decided.status == TopicStatus.NOT_PASSED  # 2 of 4 members is not more than half
    assert decided.dissent == "赵副局长认为应先调研"


def test_r_vo_3_r_ag_7_deferred_topic_is_carried_to_the_next_meeting(presets, pg, held):
    """R-VO-3, R-AG-7."""
    meeting, topic, _ = held
    later = schedule_pg(presets, pg, days=20)
    voting.defer_topic(actor=presets.clerk, topic=topic, reason="意见分歧较大，会后再调研")
    carried = later.topics.get()
    assert carried.carried_from == topic and carried.title == topic.title
    assert carried.status == TopicStatus.PROPOSED
    # Scheduling another meeting later does not carry it twice.
    another = schedule_pg(presets, pg, days=30)
    assert not another.topics.exists()


def test_r_ag_7_deferred_topic_carries_onto_a_meeting_scheduled_afterwards(presets, pg, held):
    """R-AG-7."""
    meeting, topic, _ = held
    voting.defer_topic(actor=presets.clerk, topic=topic, reason="再议")
    later = schedule_pg(presets, pg, days=20)
    assert later.topics.get().carried_from == topic


def test_r_no_4_absent_members_get_a_briefing_with_a_deadline(presets, held):
    """R-NO-4."""
    meeting, topic, personnel = held
    voting.defer_topic(actor=presets.clerk, topic=topic, reason="再议")
    voting.defer_topic(actor=presets.clerk, topic=personnel, reason="再议")
    attendance.close_meeting(actor=presets.clerk, meeting=meeting)
    absent = meeting.participants.get(person=presets.discipline)
    assert absent.attendance == Attendance.ABSENT
    briefing = Briefing.objects.get(participant=absent)

    meeting.refresh_from_db()
    assert meeting.ended_at is not None  # the end is recorded when the meeting is closed (结束后)
    # Test setup: the meeting ended on Monday 16 November 2026; three working days after it: Thursday 19th.
    Meeting.objects.filter(pk=meeting.pk).update(ended_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 17)))
    briefing = attach_briefing_due(Briefing.objects.filter(pk=briefing.pk).select_related(
        "participant__meeting__meeting_type"))[0]
    assert briefing.due == datetime.date(2026, 11, 19)
    with pytest.raises(TransitionRefused, match="传达方式"):
        attendance.record_briefing(actor=presets.clerk, briefing=briefing, method=" ")
    attendance.record_briefing(actor=presets.clerk, briefing=briefing, method="当面传达")
    briefing.refresh_from_db()
    assert briefing.briefed_at and briefing.briefed_by == presets.clerk


def test_cancel_and_postpone_need_a_reason_and_are_recorded(presets, pg):
    meeting = schedule_pg(presets, pg)
    with pytest.raises(TransitionRefused, match="须说明理由"):
        scheduling.postpone_meeting(actor=presets.clerk, meeting=meeting, starts_at=soon(5), reason="")
    scheduling.postpone_meeting(actor=presets.clerk, meeting=meeting, starts_at=soon(5), reason="书记出差")
    with pytest.raises(TransitionRefused, match="须说明理由"):
        scheduling.cancel_meeting(actor=presets.clerk, meeting=meeting, reason="")
    scheduling.cancel_meeting(actor=presets.clerk, meeting=meeting, reason="议题已由其他会议研究")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    reasons = list(Transition.objects.filter(object_id=meeting.pk).values_list("reason", flat=True))
    assert any("书记出差" in r for r in reasons) and "议题已由其他会议研究" in reasons


def test_materials_refuse_an_executable_renamed_pdf_and_oversize(presets, pg, settings):
    meeting = schedule_pg(presets, pg)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "other"), title="议题")
    exe = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(TransitionRefused, match="文件内容与扩展名"):
        add_material(actor=presets.clerk, topic=topic, upload=exe)
    settings.MATERIAL_MAX_BYTES = 1024
    with pytest.raises(TransitionRefused, match="文件过大"):
        add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000))
    with pytest.raises(TransitionRefused, match="不支持的文件类型"):
        add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("run.sh", b"#!/bin/sh\n"))
    assert not topic.materials.exists()


def test_materials_accept_real_office_documents(presets, pg, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    import docx

    document = docx.Document()
    document.add_paragraph("关于某事项的请示")
    buffer = io.BytesIO()
    document.save(buffer)
    meeting = schedule_pg(presets, pg)
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=category(pg, "other"), title="议题")
    material = add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("请示.docx", buffer.getvalue()))
    assert material.content_type.endswith("wordprocessingml.document")
    assert material.original_name == "请示.docx" and "请示" not in material.file.name
    assert material.file.name.startswith("materials/")
    # A zip that is not an Office document is refused even when called .docx.
    import zipfile

    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(TransitionRefused):
        add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("x.docx", fake.getvalue()))


def test_propose_topic_refuses_a_category_of_another_type(presets, pg, da):
    meeting = schedule_pg(presets, pg)
    with pytest.raises(TransitionRefused, match="不属于这类会议"):
        agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=da.categories.first(), title="x")
    assert not Topic.objects.exists()


def test_r_ag_8_a_middle_cadre_meeting_hears_every_units_monthly_report(presets):
    """R-AG-8: scheduling an MC proposes one report topic per unit."""
    mc = MeetingType.objects.get(bureau=presets.bureau, code="MC")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=mc, starts_at=soon(), place="会议室")
    reports = list(meeting.topics.filter(category__is_unit_report=True).select_related("proposing_unit"))
    assert {t.proposing_unit.name for t in reports} == {"办公室", "监察室", "外贸处", "外资处"}
    assert all(t.for_information and "月工作情况汇报" in t.title for t in reports)


def test_r_ag_3_the_director_sets_the_topics_of_the_directors_office_meeting(presets):
    """R-AG-3: DO (and MM) topics are set by the director; MC by its convener, who may entrust a deputy."""
    do = MeetingType.objects.get(bureau=presets.bureau, code="DO")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=do, starts_at=soon(), place="会议室")
    assert meeting.approver == presets.director
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=do.categories.first(), title="议题")
    with pytest.raises(TransitionRefused, match="议程由局长审定"):
        agenda.review_topic(actor=presets.deputy, topic=topic, decision="accept")
    assert agenda.review_topic(actor=presets.director, topic=topic, decision="accept").status == TopicStatus.ACCEPTED
    mc = MeetingType.objects.get(bureau=presets.bureau, code="MC")
    delegated = scheduling.schedule_meeting(actor=presets.director, meeting_type=mc, starts_at=soon(4), place="会议室",
                                     delegate_chair=presets.deputy)
    assert delegated.chair == presets.deputy and delegated.chair_delegated
    with pytest.raises(TransitionRefused, match="不能委托"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=do, starts_at=soon(5), place="会议室",
                             delegate_chair=presets.deputy)
