"""Follow-up on its side paths (issue 12: items 10, 15): `follow_up_tracked` decides whether decisions
become actions, the party group's leader in charge is required and must be a bureau leader (R-FU-1),
the progress report includes completed actions (R-FU-2), and a passed decision never assigned is
noticed by the sweep and on the follow-up screen (R-FU-1, R-FU-3)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, Alert, Breach, BreachKind, Meeting, MeetingType
from governance.rules.refusals import TransitionRefused
from governance.services import followup, scheduling
from governance.services.sweep import sweep
from tests.governance.test_agenda_side_paths import do_meeting, hold, pass_topic
from tests.governance.test_followup import run_pg, soon
from tests.minutes.conftest import make_closed_da

D = datetime.date


def _assign(presets, meeting, topic, actor=None, **kw):
    args = {"title": "组织落实", "owner_unit": presets.trade, "due_workdays": 10, **kw}
    return followup.create_action(actor=actor or presets.clerk, meeting=meeting, topic=topic, **args)


# --- R-FU-1: the leader in charge ----------------------------------------------------------------------

def test_r_fu_1_a_party_group_decision_needs_a_leader_in_charge(client, presets):
    """R-FU-1: 确定一位局领导分管: refused without one, through the service and the URL."""
    meeting, topic = run_pg(presets)
    with pytest.raises(TransitionRefused, match="须确定一位分管的局领导"):
        _assign(presets, meeting, topic)
    client.force_login(presets.clerk)
    response = client.post(reverse("action_new", args=[meeting.pk]) + f"?topic={topic.pk}", {
        "topic": topic.pk, "title": "组织落实", "owner_unit": presets.trade.pk, "due_workdays": 10})
    assert response.status_code == 200 and "须确定一位分管的局领导" in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "head", "clerk"])
def test_r_fu_1_the_leader_in_charge_must_be_a_bureau_leader(presets, persona):
    """R-FU-1: a division's staff, its head or the office's clerk are no bureau leader."""
    meeting, topic = run_pg(presets)
    with pytest.raises(TransitionRefused, match="分管局领导须为"):
        _assign(presets, meeting, topic, leader=getattr(presets, persona))
    assert not Action.objects.exists()


@pytest.mark.parametrize("persona", ["deputy", "discipline"])
def test_r_fu_1_a_party_group_member_leads_the_follow_up(presets, persona):
    """R-FU-1: the boundary: a member of the party group meeting (a bureau leader) is accepted."""
    meeting, topic = run_pg(presets)
    action = _assign(presets, meeting, topic, leader=getattr(presets, persona))
    assert action.leader == getattr(presets, persona)


def test_r_fu_1_a_division_decision_names_the_divisions_leader_in_charge_or_none(presets):
    """R-FU-1, R-FU-3: a division meeting needs no leader; one named is the division's leader in
    charge (李副局长 for 外贸处), not another division's (赵副局长 supervises 外资处)."""
    meeting = make_closed_da(presets)
    topic = meeting.topics.get(status="passed")
    with pytest.raises(TransitionRefused, match="分管局领导须为"):
        _assign(presets, meeting, topic, actor=presets.head, leader=presets.deputy2)
    assert _assign(presets, meeting, topic, actor=presets.head, leader=presets.deputy).leader == presets.deputy
    assert _assign(presets, meeting, topic, actor=presets.head, title="再落实").leader is None


# --- follow_up_tracked ---------------------------------------------------------------------------------

def _passed_do(presets):
    do = do_meeting(presets)
    from governance.services import agenda

    topic = agenda.propose_topic(actor=presets.clerk, meeting=do, category=MeetingType.objects.get(
        bureau=presets.bureau, code="DO").categories.get(code="annual"), title="年度工作思路")
    hold(meeting=do, actor=presets.clerk, approver=presets.secretary,
         present=[presets.secretary, presets.deputy, presets.deputy2])
    return do, pass_topic(topic=topic, actor=presets.clerk, voters=[presets.secretary, presets.deputy])


def test_r_fu_1_decisions_of_an_untracked_type_do_not_become_actions(client, presets):
    """R-FU-1, `follow_up_tracked` off (the director's office meeting): refused, service and URL."""
    do, topic = _passed_do(presets)
    with pytest.raises(TransitionRefused, match="不交办督办"):
        _assign(presets, do, topic, leader=presets.deputy)
    client.force_login(presets.clerk)
    response = client.post(reverse("action_new", args=[do.pk]) + f"?topic={topic.pk}", {
        "topic": topic.pk, "title": "组织落实", "owner_unit": presets.trade.pk, "leader": presets.deputy.pk,
        "due_workdays": 10})
    assert "不交办督办" in response.content.decode()
    assert not Action.objects.exists()
    assert "交办督办事项" not in client.get(reverse("meeting_detail", args=[do.pk])).content.decode()


def _held_on(meeting: Meeting, day: D) -> None:
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=when, held_at=when)


def test_r_fu_3_a_passed_party_group_decision_never_assigned_is_a_breach(client, presets, settings):
    """R-FU-1, R-FU-3: held Monday 2 November 2026, 5 working days to assign: reminded through Monday
    9 November, escalated and recorded on Tuesday 10 November; flagged on the follow-up screen."""
    settings.DECISION_ASSIGN_WORKDAYS = 5
    meeting, topic = run_pg(presets)
    _held_on(meeting, D(2026, 11, 2))
    subject = f"decision:{topic.pk}"
    sweep(today=D(2026, 11, 9))
    assert set(Alert.objects.filter(subject=subject).values_list("kind", "due")) == {("reminder", D(2026, 11, 9))}
    assert not Breach.objects.filter(kind=BreachKind.DECISION_UNTRACKED).exists()
    sweep(today=D(2026, 11, 10))
    breach = Breach.objects.get(kind=BreachKind.DECISION_UNTRACKED, subject=subject)
    assert breach.due == D(2026, 11, 9)
    escalated = set(Alert.objects.filter(subject=subject, kind="escalation").values_list("recipient__username", flat=True))
    assert {"secretary", "supervisor", "clerk"} <= escalated
    client.force_login(presets.clerk)
    page = client.get(reverse("action_list")).content.decode()
    assert 'data-testid="unassigned-decisions"' in page and topic.title in page
    _assign(presets, meeting, topic, leader=presets.deputy)
    assert 'data-testid="unassigned-decisions"' not in client.get(reverse("action_list")).content.decode()


def test_r_fu_3_an_assigned_decision_or_an_untracked_types_is_not_noticed(presets):
    """R-FU-3: the boundary: an assigned party group decision and a director's office decision raise
    nothing."""
    meeting, topic = run_pg(presets)
    _assign(presets, meeting, topic, leader=presets.deputy)
    _held_on(meeting, D(2026, 11, 2))
    do, do_topic = _passed_do(presets)
    _held_on(do, D(2026, 11, 2))
    sweep(today=D(2026, 11, 30))
    assert not Alert.objects.filter(deadline="decision").exists()
    assert not Breach.objects.filter(kind=BreachKind.DECISION_UNTRACKED).exists()


# --- R-FU-2: the progress report -----------------------------------------------------------------------

def test_r_fu_2_the_progress_report_includes_completed_actions(presets):
    """R-FU-2: 及时将工作落实情况向党组会议汇报: an action completed since the last meeting was held is
    reported with the open one; one completed before it is not (the boundary)."""
    meeting, topic = run_pg(presets)
    done = _assign(presets, meeting, topic, title="印发文件DONE-1", leader=presets.deputy)
    _assign(presets, meeting, topic, title="组织培训OPEN-2", leader=presets.deputy)
    followup.report_progress(actor=presets.head, action=done, text="已印发")
    followup.complete_action(actor=presets.clerk, action=done)
    old = _assign(presets, meeting, topic, title="早已办结OLD-3", leader=presets.deputy)
    followup.report_progress(actor=presets.head, action=old, text="已办")
    followup.complete_action(actor=presets.clerk, action=old)
    held_at = Meeting.objects.get(pk=meeting.pk).held_at
    Action.objects.filter(pk=old.pk).update(done_at=held_at - datetime.timedelta(seconds=1))
    later = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=meeting.meeting_type, starts_at=soon(15),
                                        place="会议室")
    report = later.topics.get(category__is_progress_report=True)
    assert report.title == "此前决定事项落实情况汇报（1 项未办结，1 项已办结）"
    lines = report.summary.splitlines()
    assert any("DONE-1" in line and "已办结" in line for line in lines)
    assert any("OPEN-2" in line for line in lines)
    assert "OLD-3" not in report.summary
