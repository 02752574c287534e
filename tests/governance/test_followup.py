"""Follow-up (R-FU-1..7) and R-AG-6: actions from decisions, progress, verification, overdue
escalation, the progress report on the next party group agenda, the democratic life meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import (
    Action,
    ActionStatus,
    Alert,
    Breach,
    BreachKind,
    Meeting,
    MeetingType,
    PreparationKind,
    QuorumRefusal,
    TopicStatus,
)
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, attendance, followup, scheduling, voting
from governance.services.sweep import sweep


def soon(days=3):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def run_pg(presets, *, days=3, personnel=False, extra_title="政策文件"):
    """A party group meeting held with all members present and one topic passed."""
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(days), place="会议室")
    code = "personnel" if personnel else "policy"
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code=code),
                              title=extra_title)
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    for t in meeting.topics.all():
        agenda.review_topic(actor=presets.secretary, topic=t, decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    for p in (presets.secretary, presets.deputy, presets.deputy2, presets.discipline):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=p)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    voting.open_topic(actor=presets.clerk, topic=topic)
    for p in (presets.secretary, presets.deputy, presets.deputy2):
        voting.record_vote(actor=presets.clerk, topic=topic, member=p, choice="for")
    voting.decide_topic(actor=presets.clerk, topic=topic, decision="同意印发，由外贸处牵头落实。")
    for t in meeting.topics.exclude(pk=topic.pk):
        voting.note_topic(actor=presets.clerk, topic=t) if t.for_information else voting.defer_topic(
            actor=presets.clerk, topic=t, reason="再议")
    attendance.close_meeting(actor=presets.clerk, meeting=meeting)
    topic.refresh_from_db()
    return meeting, topic


def test_r_fu_1_decision_becomes_an_action_reported_and_verified(presets):
    """R-FU-1."""
    meeting, topic = run_pg(presets)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="印发并组织落实",
                                    owner_unit=presets.trade, leader=presets.deputy, due_workdays=10)
    assert action.coordinator == presets.office and action.status == ActionStatus.OPEN
    assert presets.head.has_perm("governance.change_action", action)
    assert presets.supervisor.has_perm("governance.view_action", action)
    assert not presets.other_staff.has_perm("governance.view_action", action)
    with pytest.raises(TransitionRefused, match="尚未报告"):
        followup.complete_action(actor=presets.clerk, action=action)
    with pytest.raises(TransitionRefused, match="责任人或责任处室"):
        followup.report_progress(actor=presets.other_staff, action=action, text="x")
    followup.report_progress(actor=presets.staff, action=action, text="已起草实施细则")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    with pytest.raises(TransitionRefused, match="协调督办单位"):
        followup.complete_action(actor=presets.head, action=action)
    followup.complete_action(actor=presets.clerk, action=action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.verified_by == presets.clerk


def test_r_fu_1_only_passed_decisions_become_actions(presets):
    """R-FU-1."""
    meeting, topic = run_pg(presets)
    topic.status = TopicStatus.NOT_PASSED
    with pytest.raises(TransitionRefused, match="通过的决定事项"):
        followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="x", owner=presets.head,
                               due_workdays=5)
    assert not Action.objects.exists()


def test_r_fu_3_overdue_action_escalates_to_leader_and_coordinator(presets, monkeypatch):
    """R-FU-3: assigned on Friday 20 November 2026 with one working day: due Monday 23rd (across the
    weekend); reminded that day, escalated on Tuesday 24th."""
    meeting, topic = run_pg(presets)
    frozen = timezone.make_aware(datetime.datetime(2026, 11, 20, 10))  # test setup: the day it was assigned
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="落实",
                                    owner_unit=presets.trade, leader=presets.deputy, due_workdays=1)
    assert action.due == datetime.date(2026, 11, 23)
    sweep(today=datetime.date(2026, 11, 23))
    assert not Alert.objects.filter(subject=f"action:{action.pk}", kind="escalation").exists()
    assert not Breach.objects.filter(kind=BreachKind.ACTION_OVERDUE).exists()
    sweep(today=datetime.date(2026, 11, 24))
    recipients = set(Alert.objects.filter(subject=f"action:{action.pk}", kind="escalation")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"head", "deputy", "clerk", "office_head"}
    assert Breach.objects.filter(kind=BreachKind.ACTION_OVERDUE, subject=f"action:{action.pk}").count() == 1


def test_r_fu_2_next_party_group_agenda_carries_the_progress_report(presets):
    """R-FU-2."""
    meeting, topic = run_pg(presets)
    followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="组织落实政策文件",
                           owner_unit=presets.trade, leader=presets.deputy, due_workdays=10)
    pg = meeting.meeting_type
    later = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(15), place="会议室")
    report = later.topics.get(category__is_progress_report=True)
    assert "组织落实政策文件" in report.summary and "外贸处" in report.summary and report.for_information


def test_r_fu_2_progress_report_hides_a_personnel_action(presets):
    """R-FU-2."""
    meeting, topic = run_pg(presets, personnel=True, extra_title="任免")
    followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="办理任职手续ZX-1",
                           owner_unit=presets.office, leader=presets.deputy, due_workdays=10)
    later = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=meeting.meeting_type, starts_at=soon(15),
                                 place="会议室")
    report = later.topics.get(category__is_progress_report=True)
    assert "ZX-1" not in report.summary and "保密事项" in report.summary


@pytest.fixture
def dl(presets):
    t = MeetingType.objects.get(bureau=presets.bureau, code="DL")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=soon(5), place="会议室")
    agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=t.categories.get(code="criticism"), title="对照检查")
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    agenda.review_topic(actor=presets.secretary, topic=meeting.topics.get(), decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    return meeting


def test_r_fu_5_democratic_life_meeting_cannot_be_held_until_every_member_filed(presets, dl):
    """R-FU-5."""
    members = [presets.secretary, presets.deputy, presets.deputy2, presets.discipline]
    for p in members:
        attendance.sign_in(actor=presets.clerk, meeting=dl, person=p)
    with pytest.raises(TransitionRefused, match="尚未完成会前准备.*自我剖析和发言提纲：王书记"):
        attendance.start_meeting(actor=presets.clerk, meeting=dl)
    with pytest.raises(TransitionRefused, match="发言提纲"):
        followup.file_preparation(actor=presets.deputy, meeting=dl, kind=PreparationKind.SELF_ANALYSIS, text="剖析")
    for p in members:
        followup.file_preparation(actor=p, meeting=dl, kind=PreparationKind.SELF_ANALYSIS, text="剖析", outline="提纲")
    with pytest.raises(TransitionRefused, match="已提交过"):
        followup.file_preparation(actor=presets.deputy, meeting=dl, kind=PreparationKind.SELF_ANALYSIS, text="再",
                                  outline="再")
    followup.file_preparation(actor=presets.deputy, meeting=dl, kind=PreparationKind.TALK, text="与赵副局长谈心",
                              other="赵副局长", held_on=datetime.date(2026, 11, 10))
    followup.file_preparation(actor=presets.deputy, meeting=dl, kind=PreparationKind.CELL_MEETING,
                              text="参加机关第一党小组组织生活会", other="机关第一党小组")  # R-FU-7
    with pytest.raises(TransitionRefused, match="谈心谈话：王书记、孙书记、赵副局长；征求的意见建议"):  # R-FU-9
        attendance.start_meeting(actor=presets.clerk, meeting=dl)
    talks_and_opinions(presets, dl)
    assert attendance.start_meeting(actor=presets.clerk, meeting=dl).status == "held"


def talks_and_opinions(presets, dl, members=None):
    """R-FU-9: each member's heart-to-heart talk and the staff opinions they gathered."""
    for p in members or (presets.secretary, presets.deputy, presets.deputy2, presets.discipline):
        if not dl.preparations.filter(kind=PreparationKind.TALK, member=p).exists():
            followup.file_preparation(actor=p, meeting=dl, kind=PreparationKind.TALK, text="谈心谈话", other="分管处室负责人")
        followup.file_preparation(actor=p, meeting=dl, kind=PreparationKind.OPINION, text="征求意见建议三条")


def test_r_fu_4_rectification_measures_after_the_meeting(presets, dl):
    """R-FU-4."""
    for p in (presets.secretary, presets.deputy, presets.deputy2, presets.discipline):
        followup.file_preparation(actor=p, meeting=dl, kind=PreparationKind.SELF_ANALYSIS, text="剖析", outline="提纲")
        attendance.sign_in(actor=presets.clerk, meeting=dl, person=p)
    talks_and_opinions(presets, dl)
    attendance.start_meeting(actor=presets.clerk, meeting=dl)
    with pytest.raises(TransitionRefused, match="会后"):
        followup.create_action(actor=presets.clerk, meeting=dl, kind="rectification", title="整改", problem="问题",
                               owner=presets.deputy, due_workdays=20)
    topic = dl.topics.get()
    voting.note_topic(actor=presets.clerk, topic=topic)
    attendance.close_meeting(actor=presets.clerk, meeting=dl)
    action = followup.create_action(actor=presets.clerk, meeting=dl, kind="rectification", title="建立调研制度",
                                    problem="调查研究不够深入", owner=presets.deputy, due_workdays=20)
    assert action.kind == "rectification" and action.problem == "调查研究不够深入"


def test_r_fu_6_all_staff_meeting_is_called_by_a_decision(presets):
    """R-FU-6."""
    t = MeetingType.objects.get(bureau=presets.bureau, code="AS")
    with pytest.raises(TransitionRefused, match="须由局党组会议或局长办公会议决定召开"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=soon(9), place="礼堂")
    meeting, topic = run_pg(presets)
    called = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=soon(9), place="礼堂", called_by=topic)
    assert called.called_by == topic


def test_r_ag_6_division_funds_decided_elsewhere_are_flagged_to_supervision(presets):
    """R-AG-6."""
    do = MeetingType.objects.get(bureau=presets.bureau, code="DO")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=do, starts_at=soon(), place="会议室")
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=do.categories.get(code="other"),
                              title="外贸处专项资金划拨", concerned_unit=presets.trade, unit_matter="funds")
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    agenda.review_topic(actor=presets.secretary, topic=topic, decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    for p in (presets.secretary, presets.deputy, presets.deputy2):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=p)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    voting.open_topic(actor=presets.clerk, topic=topic)
    for p in (presets.secretary, presets.deputy):
        voting.record_vote(actor=presets.clerk, topic=topic, member=p, choice="for")
    voting.decide_topic(actor=presets.clerk, topic=topic, decision="同意划拨")
    flag = Breach.objects.get(kind=BreachKind.MANDATORY_BYPASSED)
    assert flag.unit == presets.trade and "外贸处" in flag.description
    from governance.models import Notification

    assert Notification.objects.filter(recipient=presets.supervisor, kind="mandatory_bypassed").exists()


def test_quorum_refusals_are_kept_for_the_compliance_view(client, presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="会议室")
    t = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="other"), title="x")
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    agenda.review_topic(actor=presets.secretary, topic=t, decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    client.force_login(presets.clerk)
    client.post(reverse("meeting_action", args=[meeting.pk, "start"]))
    refusal = QuorumRefusal.objects.get()
    assert (refusal.members, refusal.present, refusal.required) == (4, 0, 2)
    assert Meeting.objects.get(pk=meeting.pk).status == "notice_sent"


def test_action_screens_per_persona(client, presets):
    meeting, topic = run_pg(presets)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="落实文件",
                                    owner_unit=presets.trade, leader=presets.deputy, due_workdays=10)
    client.force_login(presets.staff)
    assert client.get(reverse("action_detail", args=[action.pk])).status_code == 200
    client.post(reverse("action_report", args=[action.pk]), {"text": "<script>x</script>已完成一半"})
    body = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "&lt;script&gt;" in body and "<script>x" not in body
    assert "落实文件" in client.get(reverse("action_list")).content.decode()
    client.force_login(presets.other_staff)
    assert client.get(reverse("action_detail", args=[action.pk])).status_code == 404
    assert "落实文件" not in client.get(reverse("action_list")).content.decode()
    client.force_login(presets.clerk)
    response = client.post(reverse("action_new", args=[meeting.pk]) + f"?topic={topic.pk}",
                           {"title": "", "due_workdays": 0})
    assert response.status_code == 200 and Action.objects.count() == 1


def test_r_fu_1_the_completion_deadline_is_one_to_750_working_days(presets):
    """R-FU-1: 完成期限 as a count of working days, both ends: 0 and 751 are refused, 1 and 750 are taken."""
    meeting, topic = run_pg(presets)
    for bad in (0, 751):
        with pytest.raises(TransitionRefused, match="1 至 750 个工作日"):
            followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="落实",
                                   owner_unit=presets.trade, leader=presets.deputy, due_workdays=bad)
    assert not Action.objects.exists()
    for good in (1, 750):
        action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title=f"落实{good}",
                                        owner_unit=presets.trade, leader=presets.deputy, due_workdays=good)
        assert action.due_workdays == good
