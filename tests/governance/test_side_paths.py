"""Issue 12, the meeting path: every rule holds on the side paths too (R-QU-2, R-VO-1, R-NO-2, R-NO-3,
R-NO-5, R-NO-6, R-FU-6, R-AG-11, R-TY-2). Each test takes the side path and is refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    Appointment,
    Attendance,
    Breach,
    BreachKind,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingType,
    Notification,
    Post,
    QuorumRefusal,
    Role,
    TopicStatus,
)
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, attendance, scheduling, voting
from tests.factories import make_person


def soon(days=3, hour=9):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def mtype(org, code):
    return MeetingType.objects.get(bureau=org.bureau, code=code)


def held_pg(org, present, *, code="personnel", title="关于某同志任职的议题", days=3, **kw):
    """A party group meeting with one accepted topic, started with `present` signed in."""
    pg = mtype(org, "PG")
    meeting = scheduling.schedule_meeting(actor=org.clerk, meeting_type=pg, starts_at=soon(days), place="会议室", **kw)
    topic = agenda.propose_topic(actor=org.clerk, meeting=meeting, category=pg.categories.get(code=code), title=title)
    agenda.submit_agenda(actor=org.clerk, meeting=meeting)
    agenda.review_topic(actor=org.secretary, topic=topic, decision="accept")
    agenda.approve_agenda(actor=org.secretary, meeting=meeting)
    agenda.send_notice(actor=org.clerk, meeting=meeting)
    for person in present:
        attendance.sign_in(actor=org.clerk, meeting=meeting, person=person)
    attendance.start_meeting(actor=org.clerk, meeting=meeting)
    return meeting, topic


def da_meeting(org, *, actor=None, days=3, **kw):
    return scheduling.schedule_meeting(actor=actor or org.head, meeting_type=mtype(org, "DA"), unit=org.trade,
                                       starts_at=soon(days), place="处会议室", **kw)


def da_to_notice(org, meeting):
    da = meeting.meeting_type
    topic = agenda.propose_topic(actor=org.head, meeting=meeting, category=da.categories.get(code="briefing"),
                                 title="通报上月工作", for_information=True)
    agenda.submit_agenda(actor=org.head, meeting=meeting)
    agenda.review_topic(actor=org.head, topic=topic, decision="accept")
    agenda.approve_agenda(actor=org.head, meeting=meeting)
    agenda.send_notice(actor=org.head, meeting=meeting)
    return topic


# Item 1: a personnel topic gets no decision without its special quorum and a vote (R-QU-2, R-VO-1) -----

def test_r_qu_2_personnel_topic_short_of_two_thirds_cannot_be_noted_through_the_service(presets):
    """R-QU-2: 2 of 4 members present, one below two thirds (3 of 4): refused for study, refused as 通报."""
    p = presets
    meeting, topic = held_pg(p, [p.secretary, p.deputy])
    with pytest.raises(TransitionRefused, match="三分之二"):
        voting.open_topic(actor=p.clerk, topic=topic)
    with pytest.raises(TransitionRefused, match="三分之二") as refused:
        voting.note_topic(actor=p.clerk, topic=topic, decision="同意任命张三为副处长")
    assert "一、（三）3" in refused.value.clause
    with pytest.raises(TransitionRefused, match="三分之二"):
        voting.note_topic(actor=p.clerk, topic=topic)
    topic.refresh_from_db()
    assert (topic.status, topic.decision) == (TopicStatus.ACCEPTED, "")
    with pytest.raises(TransitionRefused, match="未作决定"):
        attendance.close_meeting(actor=p.clerk, meeting=meeting)


def test_r_vo_1_personnel_topic_at_exactly_two_thirds_is_noted_only_without_a_decision(presets):
    """R-VO-1, R-QU-2: 3 of 4 present (exactly the two-thirds minimum) may hear a personnel topic as
    通报, but a decision on it is taken by a vote: the text "同意任命…" is refused without one."""
    p = presets
    meeting, topic = held_pg(p, [p.secretary, p.deputy, p.deputy2])
    with pytest.raises(TransitionRefused, match="须经表决") as refused:
        voting.note_topic(actor=p.clerk, topic=topic, decision="同意任命张三为副处长")
    assert "一、（三）5" in refused.value.clause
    noted = voting.note_topic(actor=p.clerk, topic=topic)
    assert (noted.status, noted.decision) == (TopicStatus.NOTED, "")


def test_r_qu_2_personnel_topic_short_of_two_thirds_cannot_be_noted_through_the_url(client, presets):
    """R-QU-2, R-VO-1: the same side path through the URL is refused, shown, and kept for compliance."""
    p = presets
    meeting, topic = held_pg(p, [p.secretary, p.deputy])
    client.force_login(p.clerk)
    response = client.post(reverse("topic_action", args=[topic.pk, "note"]), {"decision": "同意任命张三为副处长"},
                           follow=True)
    assert "三分之二" in response.content.decode()
    topic.refresh_from_db()
    assert (topic.status, topic.decision) == (TopicStatus.ACCEPTED, "")
    assert QuorumRefusal.objects.filter(topic=topic, present=2, required=3).exists()


def test_r_vo_1_minutes_cannot_give_an_unvoted_personnel_topic_a_decision(presets):
    """R-VO-1, R-QU-2: a personnel topic deferred (never voted) gets no decision written into the minutes."""
    from minutes.services import drafting

    p = presets
    meeting, topic = held_pg(p, [p.secretary, p.deputy])
    voting.defer_topic(actor=p.clerk, topic=topic, reason="到会人数不足三分之二")
    attendance.close_meeting(actor=p.clerk, meeting=meeting)
    revision = drafting.start_minutes(actor=p.clerk, meeting=meeting)
    index = next(i for i, item in enumerate(revision.body) if item["topic"] == topic.pk)
    with pytest.raises(TransitionRefused, match="三分之二"):
        drafting.edit_revision(actor=p.clerk, revision=revision, title=revision.title, summary="",
                               decisions={index: "同意任命张三为副处长"}, dissents={})
    revision.refresh_from_db()
    assert revision.body[index]["decision"] == ""
    drafting.edit_revision(actor=p.clerk, revision=revision, title=revision.title, summary="到会人数不足，暂缓研究",
                           decisions={index: ""}, dissents={})


# Item 3: 不得无故缺席 is kept (R-NO-5) --------------------------------------------------------------

def test_r_no_5_unexcused_absence_at_a_division_meeting_is_a_breach_and_a_notice(client, presets):
    """R-NO-5: of two absent members, the one with granted leave is excused, the other is a recorded
    breach, shown on the compliance view, and the member, the convener and Supervision are told."""
    p = presets
    staff2 = make_person(p.bureau, "staff2", "钱科员", Post.UNIT_STAFF, unit=p.trade)
    meeting = da_meeting(p)
    topic = da_to_notice(p, meeting)
    leave = attendance.ask_leave(actor=staff2, meeting=meeting, reason="出差")
    attendance.decide_leave(actor=p.head, leave=leave, grant=True)
    attendance.sign_in(actor=p.head, meeting=meeting, person=p.head)
    attendance.start_meeting(actor=p.head, meeting=meeting)
    voting.note_topic(actor=p.head, topic=topic)
    client.force_login(p.head)
    client.post(reverse("meeting_action", args=[meeting.pk, "close"]))
    breach = Breach.objects.get(kind=BreachKind.UNEXCUSED_ABSENCE)
    assert breach.unit == p.trade and "刘科员" in breach.description and "钱科员" not in breach.description
    for person in (p.staff, p.head, p.supervisor):
        assert Notification.objects.filter(recipient=person, kind="unexcused_absence").exists()
    assert not Notification.objects.filter(recipient=staff2, kind="unexcused_absence").exists()
    client.force_login(p.supervisor)
    year = timezone.localtime(meeting.starts_at).year
    grid = client.get(reverse("compliance") + f"?year={year}").content.decode()
    assert 'data-testid="absences"' in grid
    records = client.get(reverse("compliance_records") + "?kind=unexcused_absence").content.decode()
    assert "刘科员" in records


def test_r_no_5_where_unexcused_absence_is_allowed_no_breach_is_recorded(presets):
    """R-NO-5: the party group meeting does not forbid it (unexcused_absence_allowed): absent, no breach."""
    p = presets
    meeting, topic = held_pg(p, [p.secretary, p.deputy, p.deputy2], code="other", title="其他事项")
    voting.note_topic(actor=p.clerk, topic=topic)
    attendance.close_meeting(actor=p.clerk, meeting=meeting)
    assert meeting.participants.get(person=p.discipline).attendance == Attendance.ABSENT
    assert not Breach.objects.filter(kind=BreachKind.UNEXCUSED_ABSENCE).exists()


# Item 4: a postponed meeting has the people of its new date (R-TY-2) ----------------------------------

def test_r_ty_2_postponement_resolves_the_people_of_the_new_date(presets):
    """R-TY-2: the head leaves the division after day 5 and a new head starts on day 6; postponed to day
    10, chair, convener, approver and members are the new date's, the staff's granted leave is kept, and
    a member who left takes their leave with them."""
    p = presets
    today = timezone.localdate()
    staff2 = make_person(p.bureau, "staff2", "钱科员", Post.UNIT_STAFF, unit=p.trade,
                         end=today + datetime.timedelta(days=5))
    Appointment.objects.filter(person=p.head, unit=p.trade).update(end=today + datetime.timedelta(days=5))
    new_head = make_person(p.bureau, "new_head", "冯处长", Post.UNIT_HEAD, unit=p.trade,
                           start=today + datetime.timedelta(days=6))
    meeting = da_meeting(p)
    for person in (p.staff, staff2):
        attendance.decide_leave(actor=p.head, leave=attendance.ask_leave(actor=person, meeting=meeting, reason="出差"),
                                grant=True)
    scheduling.postpone_meeting(actor=p.head, meeting=meeting, starts_at=soon(10), reason="与全市会议冲突")
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.chair, meeting.convener, meeting.approver, meeting.recorder) == (new_head,) * 4
    rows = {r.person.username: r for r in meeting.participants.filter(role=Role.MEMBER)}
    assert set(rows) == {"new_head", "staff"}
    assert rows["staff"].attendance == Attendance.LEAVE
    assert not LeaveRequest.objects.filter(participant__person=staff2).exists()
    assert new_head.has_perm("governance.chair_meeting", meeting)
    assert not p.head.has_perm("governance.chair_meeting", meeting)


def test_r_ty_2_quorum_and_vote_basis_count_the_new_list_through_the_url(client, presets):
    """R-TY-2, R-QU-1, R-VO-2: a party group member's post ends on day 5; postponed through the URL to day
    10 the meeting has 3 members, so 2 present are exactly the half (以上) and 2 votes for pass."""
    p = presets
    today = timezone.localdate()
    Appointment.objects.filter(person=p.discipline, post=Post.PARTY_MEMBER).update(end=today + datetime.timedelta(days=5))
    pg = mtype(p, "PG")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(3), place="会议室")
    assert meeting.participants.filter(role=Role.MEMBER).count() == 4
    client.force_login(p.clerk)
    client.post(reverse("meeting_action", args=[meeting.pk, "postpone"]),
                {"starts_at": soon(10).strftime("%Y-%m-%dT%H:%M"), "reason": "书记外出"})
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert {r.person.username for r in meeting.participants.filter(role=Role.MEMBER)} == {"secretary", "deputy", "deputy2"}
    topic = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=pg.categories.get(code="policy"), title="文件")
    agenda.submit_agenda(actor=p.clerk, meeting=meeting)
    agenda.review_topic(actor=p.secretary, topic=topic, decision="accept")
    agenda.approve_agenda(actor=p.secretary, meeting=meeting)
    agenda.send_notice(actor=p.clerk, meeting=meeting)
    attendance.sign_in(actor=p.clerk, meeting=meeting, person=p.secretary)
    with pytest.raises(TransitionRefused, match="应到 3 人，需 2 人，实到 1 人"):
        attendance.start_meeting(actor=p.clerk, meeting=meeting)
    attendance.sign_in(actor=p.clerk, meeting=meeting, person=p.deputy)
    attendance.start_meeting(actor=p.clerk, meeting=meeting)
    voting.open_topic(actor=p.clerk, topic=topic)
    for person in (p.secretary, p.deputy):
        voting.record_vote(actor=p.clerk, topic=topic, member=person, choice="for")
    decided = voting.decide_topic(actor=p.clerk, topic=topic, decision="同意")
    assert decided.status == TopicStatus.PASSED  # 2 of 4 would not be more than half of all members


def test_r_ty_2_postponement_to_a_date_without_a_chair_is_refused(presets):
    """R-TY-2: the party secretary's post ends on day 5: postponing to day 5 (the last day held) passes,
    to day 6 is refused, and the meeting keeps its date."""
    p = presets
    today = timezone.localdate()
    Appointment.objects.filter(person=p.secretary, post=Post.PARTY_SECRETARY).update(end=today + datetime.timedelta(days=5))
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=mtype(p, "PG"), starts_at=soon(3), place="会议室")
    scheduling.postpone_meeting(actor=p.clerk, meeting=meeting, starts_at=soon(5), reason="改期")
    with pytest.raises(TransitionRefused, match="无人担任"):
        scheduling.postpone_meeting(actor=p.clerk, meeting=meeting, starts_at=soon(6), reason="再改期")
    assert timezone.localtime(Meeting.objects.get(pk=meeting.pk).starts_at).date() == today + datetime.timedelta(days=5)


# Item 5: only the party group and the director's office meeting call an all-staff meeting (R-FU-6) ----

def passed_da_topic(p):
    meeting = da_meeting(p, days=2)
    da = meeting.meeting_type
    topic = agenda.propose_topic(actor=p.head, meeting=meeting, category=da.categories.get(code="decisions"),
                                 title="召开全体干部职工大会")
    agenda.submit_agenda(actor=p.head, meeting=meeting)
    agenda.review_topic(actor=p.head, topic=topic, decision="accept")
    agenda.approve_agenda(actor=p.head, meeting=meeting)
    agenda.send_notice(actor=p.head, meeting=meeting)
    attendance.sign_in(actor=p.head, meeting=meeting, person=p.head)
    attendance.start_meeting(actor=p.head, meeting=meeting)
    voting.open_topic(actor=p.head, topic=topic)
    voting.record_vote(actor=p.head, topic=topic, member=p.head, choice="for")
    return voting.decide_topic(actor=p.head, topic=topic, decision="建议召开")


def test_r_fu_6_a_division_meeting_decision_cannot_call_an_all_staff_meeting(presets):
    """R-FU-6: a passed 处务会 decision is refused as the call of an AS; a 局党组会议 decision calls it."""
    from tests.governance.test_followup import run_pg

    p = presets
    as_type = mtype(p, "AS")
    topic = passed_da_topic(p)
    with pytest.raises(TransitionRefused, match="局党组会议或局长办公会议") as refused:
        scheduling.schedule_meeting(actor=p.clerk, meeting_type=as_type, starts_at=soon(9), place="礼堂",
                                    called_by=topic)
    assert "五、（一）" in refused.value.clause
    assert not Meeting.objects.filter(meeting_type=as_type).exists()
    _, pg_topic = run_pg(p, days=4)
    assert scheduling.schedule_meeting(actor=p.clerk, meeting_type=as_type, starts_at=soon(9), place="礼堂",
                                       called_by=pg_topic).called_by == pg_topic


def test_r_fu_6_a_division_meeting_decision_cannot_call_an_all_staff_meeting_through_the_url(client, presets):
    """R-FU-6: through the schedule form the DA decision is not a choice and nothing is scheduled."""
    p = presets
    as_type = mtype(p, "AS")
    topic = passed_da_topic(p)
    client.force_login(p.clerk)
    response = client.post(reverse("meeting_new"), {"meeting_type": as_type.pk, "called_by": topic.pk,
                                                    "starts_at": soon(9).strftime("%Y-%m-%dT%H:%M"), "place": "礼堂"})
    assert response.status_code == 200
    assert not Meeting.objects.filter(meeting_type=as_type).exists()
    page = client.get(reverse("meeting_detail", args=[topic.meeting_id])).content.decode()
    assert "据此召开" not in page


def test_r_fu_6_may_call_by_decision_is_data_with_its_clause_and_validated(presets):
    """R-FU-6: PG and DO may call, with their clause; a type called by decision cannot also call."""
    from governance.rules.meeting_types import validate_meeting_type

    assert {t.code for t in MeetingType.objects.filter(bureau=presets.bureau, may_call_by_decision=True)} == {"PG", "DO"}
    assert "五、（一）" in mtype(presets, "DO").clause_for("calls").citation
    errors = validate_meeting_type({"may_call_by_decision": True, "called_by_decision": True},
                                   post_unit_kinds={}, post_labels={})
    assert "may_call_by_decision" in errors


# Item 6: invitees (R-NO-3, R-NO-6) ---------------------------------------------------------------------

def test_r_no_3_an_invitee_who_did_not_come_is_not_in_the_minutes(presets):
    """R-NO-3: of two invitees, only the one recorded present is 列席 in the minutes and their document."""
    from minutes.models import Minutes
    from minutes.selectors import minutes_snapshot
    from minutes.services import drafting

    p = presets
    members = [p.secretary, p.deputy, p.deputy2, p.discipline]
    meeting, topic = held_pg(p, [*members, p.head], code="other", title="其他事项",
                             invitees=[p.supervisor], invitee_units=[p.trade])
    voting.note_topic(actor=p.clerk, topic=topic)
    attendance.close_meeting(actor=p.clerk, meeting=meeting)
    revision = drafting.start_minutes(actor=p.clerk, meeting=meeting)
    assert revision.attendance["invitees"] == ["陈处长"]
    minutes = Minutes.objects.get(meeting=meeting)
    revision.attendance["invitees"] = ["陈处长", "郑监察"]  # a draft made before the record was read this way
    assert minutes_snapshot(p.clerk, minutes, revision).invitees == ["陈处长"]


def test_r_no_6_a_democratic_life_meeting_takes_no_invitees_on_any_path(client, presets):
    """R-NO-6: the 民主生活会 has no invitee posts: invitees by person and by unit are refused, in the
    service and through the schedule form."""
    p = presets
    dl = mtype(p, "DL")
    with pytest.raises(TransitionRefused, match="不设列席"):
        scheduling.schedule_meeting(actor=p.clerk, meeting_type=dl, starts_at=soon(5), place="会议室",
                                    invitees=[p.supervisor])
    with pytest.raises(TransitionRefused, match="不设列席"):
        scheduling.schedule_meeting(actor=p.clerk, meeting_type=dl, starts_at=soon(5), place="会议室",
                                    invitee_units=[p.trade])
    client.force_login(p.clerk)
    response = client.post(reverse("meeting_new"), {"meeting_type": dl.pk, "invitees": [p.supervisor.pk],
                                                    "starts_at": soon(5).strftime("%Y-%m-%dT%H:%M"), "place": "会议室"})
    assert response.status_code == 200 and "不设列席" in response.content.decode()
    assert not Meeting.objects.filter(meeting_type=dl).exists()


def test_r_no_6_invitees_hold_a_post_the_type_lets_attend(presets):
    """R-NO-6: the party group invites unit heads (列席): a head passes, a division's staff member is refused."""
    p = presets
    pg = mtype(p, "PG")
    with pytest.raises(TransitionRefused, match="刘科员"):
        scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(), place="会议室", invitees=[p.staff])
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(), place="会议室",
                                          invitees=[p.head])
    assert meeting.participants.get(person=p.head).role == Role.INVITEE


# Item 12: nobody delegates to himself or approves his own leave (R-AG-11, R-NO-2) -------------------------

def test_r_ag_11_a_deputy_head_cannot_designate_himself_chair(client, presets):
    """R-AG-11: the deputy head schedules the 处务会 naming himself chair: refused (service and URL); the
    head designating him is the delegation the seed allows."""
    p = presets
    deputy_head = make_person(p.bureau, "deputy_head", "蒋副处长", Post.UNIT_DEPUTY_HEAD, unit=p.trade)
    with pytest.raises(TransitionRefused, match="本人作出") as refused:
        da_meeting(p, actor=deputy_head, delegate_chair=deputy_head)
    assert "三" in refused.value.clause
    client.force_login(deputy_head)
    client.post(reverse("meeting_new"), {"meeting_type": mtype(p, "DA").pk, "unit": p.trade.pk,
                                         "delegate_chair": deputy_head.pk,
                                         "starts_at": soon(4).strftime("%Y-%m-%dT%H:%M"), "place": "处会议室"})
    assert not Meeting.objects.exists()
    meeting = da_meeting(p, delegate_chair=deputy_head)
    assert meeting.chair == deputy_head and meeting.chair_delegated


def test_r_no_2_a_head_cannot_approve_his_own_leave(client, presets):
    """R-NO-2: the head's own leave from his 处务会 goes to the division's leader in charge; the head
    granting it himself is refused, in the service and through the URL."""
    p = presets
    meeting = da_meeting(p)
    leave = attendance.ask_leave(actor=p.head, meeting=meeting, reason="参加市里会议")
    assert Notification.objects.filter(recipient=p.deputy, kind="leave_asked").exists()
    with pytest.raises(TransitionRefused, match="不能批准自己的请假"):
        attendance.decide_leave(actor=p.head, leave=leave, grant=True)
    client.force_login(p.head)
    client.post(reverse("leave_decide", args=[leave.pk, "grant"]))
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
    assert attendance.decide_leave(actor=p.deputy, leave=leave, grant=True).status == LeaveStatus.GRANTED


def test_r_no_2_a_chair_who_convenes_has_nobody_to_ask_leave_of(presets):
    """R-NO-2: the party secretary chairs and convenes the party group: his leave is refused (nobody
    grants leave to himself); an entrusted chair asks leave of the convener who entrusted him."""
    p = presets
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=mtype(p, "PG"), starts_at=soon(), place="会议室")
    with pytest.raises(TransitionRefused, match="无人可批"):
        attendance.ask_leave(actor=p.secretary, meeting=meeting, reason="外出")
    mc = scheduling.schedule_meeting(actor=p.director, meeting_type=mtype(p, "MC"), starts_at=soon(4), place="会议室",
                                     delegate_chair=p.deputy)
    leave = attendance.ask_leave(actor=p.deputy, meeting=mc, reason="外出")
    with pytest.raises(TransitionRefused):
        attendance.decide_leave(actor=p.deputy, leave=leave, grant=True)
    assert attendance.decide_leave(actor=p.director, leave=leave, grant=True).status == LeaveStatus.GRANTED


def test_r_no_2_the_heads_leave_waits_in_the_leader_in_charges_queue_not_his_own(client, presets):
    """R-NO-2: the approval queue and the meeting page offer the head's own leave to the leader in charge only."""
    p = presets
    meeting = da_meeting(p)
    attendance.ask_leave(actor=p.head, meeting=meeting, reason="参加市里会议")
    client.force_login(p.head)
    assert "参加市里会议" not in client.get(reverse("approval_queue")).content.decode()
    leave = LeaveRequest.objects.get(participant__person=p.head)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("leave_decide", args=[leave.pk, "grant"]) not in page
    client.force_login(p.deputy)
    assert "参加市里会议" in client.get(reverse("approval_queue")).content.decode()
    assert reverse("leave_decide", args=[leave.pk, "grant"]) in client.get(
        reverse("meeting_detail", args=[meeting.pk])).content.decode()


def test_r_fu_6_r_no_6_the_rules_screen_shows_who_calls_and_who_attends_with_the_clause(client, presets):
    """R-FU-6, R-NO-6: what the code enforces is what the rules screen says, with its clause."""
    client.force_login(presets.staff)
    pg = client.get(reverse("meeting_type_detail", args=["PG"])).content.decode()
    assert "决定召开其他会议" in pg and "全体干部职工会议" in pg and "五、（一）" in pg
    as_page = client.get(reverse("meeting_type_detail", args=["AS"])).content.decode()
    assert "须由局党组会议或局长办公会议决定召开" in as_page
    assert "不设列席人员" in client.get(reverse("meeting_type_detail", args=["DL"])).content.decode()


def test_r_fu_6_r_no_6_the_data_migration_sets_existing_types_from_the_presets(presets):
    """R-FU-6, R-NO-6: types loaded before the new parameters get them from the presets' values."""
    import importlib

    from django.apps import apps

    from governance.models import RuleSource

    migration = importlib.import_module("governance.migrations.0009_r12a_calls_and_absences")
    MeetingType.objects.filter(bureau=presets.bureau).update(may_call_by_decision=False)
    RuleSource.objects.filter(key="calls").delete()
    MeetingType.objects.filter(code="DA").update(invitee_posts=["leader_in_charge"])
    RuleSource.objects.filter(meeting_type__code="DA", key="leave").update(rule_ids="R-NO-2")
    migration.from_presets(apps, None)
    assert {t.code for t in MeetingType.objects.filter(may_call_by_decision=True)} == {"PG", "DO"}
    assert RuleSource.objects.filter(key="calls").count() == 2
    assert mtype(presets, "DA").invitee_posts == ["leader_in_charge", "unit_head", "unit_deputy_head", "unit_staff"]
    assert RuleSource.objects.get(meeting_type__code="DA", key="leave").rule_ids == "R-NO-2, R-NO-5"
