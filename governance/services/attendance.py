"""Leave, sign-in, starting and closing a meeting, and briefing absentees (R-NO-2..4, R-QU-1)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from governance.models import (
    Attendance,
    Breach,
    BreachKind,
    Briefing,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    Participant,
    Role,
    TopicStatus,
    UnitKind,
)
from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.selectors.org import display_name, office_staff
from governance.selectors.quorum import leave_approver, quorum_for
from governance.services.common import notify, record_transition
from governance.services.workflow import clause_of, lock_row, move_meeting, quorum_refusal


@transaction.atomic
def ask_leave(*, actor, meeting: Meeting, reason: str) -> LeaveRequest:
    """R-NO-2: a member asks leave before the meeting."""
    meeting = lock_row(Meeting, meeting.pk)
    participant = meeting.participants.filter(person=actor).first()
    if participant is None or participant.role != Role.MEMBER:
        raise TransitionRefused(_("只有会议成员需要请假。"))
    if not meeting.is_open or timezone.now() >= meeting.starts_at:
        raise TransitionRefused(_("请假须在会议开始前提出。"), clause=clause_of(meeting.meeting_type, "leave"))
    if not reason.strip():
        raise TransitionRefused(_("请填写请假事由。"))
    if participant.leave_requests.filter(status__in=[LeaveStatus.PENDING, LeaveStatus.GRANTED]).exists():
        raise TransitionRefused(_("您已请过假。"))
    approver = leave_approver(meeting, actor)
    if approver is None:
        raise TransitionRefused(_("您是本次会议的%(who)s，请假无人可批：请委托他人主持或将会议延期。") % {
            "who": meeting.meeting_type.get_leave_approver_display()}, clause=clause_of(meeting.meeting_type, "leave"))
    leave = LeaveRequest.objects.create(participant=participant, reason=reason.strip()[:500])
    if not may_meeting(approver, meeting, "chair"):
        assign_perm("chair_meeting", approver, meeting)
        assign_perm("view_meeting", approver, meeting)
    notify(recipients=[approver], kind="leave_asked",
           title=_("请假申请：%(who)s 请求不参加 %(m)s") % {"who": display_name(actor), "m": meeting.title},
           body=reason, url=reverse("meeting_detail", args=[meeting.pk]))
    return leave


@transaction.atomic
def decide_leave(*, actor, leave: LeaveRequest, grant: bool, note: str = "") -> LeaveRequest:
    """R-NO-2: the chair or division head grants or refuses leave, never their own (leave_approver)."""
    leave = lock_row(LeaveRequest, leave.pk)
    participant = leave.participant
    meeting = participant.meeting
    if actor.pk == participant.person_id:
        raise TransitionRefused(_("不能批准自己的请假。"), clause=clause_of(meeting.meeting_type, "leave"))
    approver = leave_approver(meeting, participant.person)
    if approver is None or actor.pk != approver.pk:
        primary = approver is not None and approver.pk == leave_approver(meeting).pk
        raise TransitionRefused(_("只有%(who)s可以批准请假。") % {
            "who": display_name(approver) if approver and not primary else meeting.meeting_type.get_leave_approver_display()},
            clause=clause_of(meeting.meeting_type, "leave"))
    if leave.status != LeaveStatus.PENDING:
        raise TransitionRefused(_("这条请假已经处理过。"))
    if not grant and not note.strip():
        raise TransitionRefused(_("不准假须说明理由。"))
    leave.decided_by, leave.decided_at, leave.decision_note = actor, timezone.now(), note.strip()[:500]
    record_transition(leave, to_state=LeaveStatus.GRANTED if grant else LeaveStatus.REFUSED, actor=actor,
                      reason=note.strip(), extra_fields=("decided_by", "decided_at", "decision_note"))
    if grant and participant.attendance == Attendance.EXPECTED:
        participant.attendance = Attendance.LEAVE
        participant.save(update_fields=["attendance"])
    notify(recipients=[participant.person], kind="leave_decided",
           title=_("请假%(d)s：%(m)s") % {"d": leave.get_status_display(), "m": meeting.title}, body=note,
           url=reverse("meeting_detail", args=[meeting.pk]))
    return leave


@transaction.atomic
def sign_in(*, actor, meeting: Meeting, person) -> Participant:
    """R-NO-3: the recorder signs someone in, or a participant checks themself in."""
    meeting = lock_row(Meeting, meeting.pk)
    if meeting.status not in {MeetingStatus.NOTICE_SENT, MeetingStatus.HELD}:
        raise TransitionRefused(_("会议通知发出后、会议结束前才能签到。"))
    participant = meeting.participants.filter(person=person).first()
    if participant is None:
        raise TransitionRefused(_("%(who)s 不在本次会议的参会名单中，不能签到。") % {"who": display_name(person)})
    if actor.pk != person.pk and not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("只能为自己签到。"))
    if participant.attendance == Attendance.PRESENT:
        return participant
    participant.attendance, participant.signed_in_at, participant.signed_in_by = Attendance.PRESENT, timezone.now(), actor
    participant._change_reason = _("签到")
    participant.save(update_fields=["attendance", "signed_in_at", "signed_in_by"])
    return participant


@transaction.atomic
def start_meeting(*, actor, meeting: Meeting) -> Meeting:
    """R-QU-1: the meeting may proceed only with its quorum present. R-FU-5, R-FU-9: a democratic
    life meeting only once every member has filed the self-analysis and outline, and a heart-to-heart
    talk and the staff's opinions where the type asks for them."""
    meeting = lock_row(Meeting, meeting.pk)
    from governance.models import PreparationKind
    from governance.selectors.followup import missing_before_start

    missing = missing_before_start(meeting)
    if missing:
        what = "；".join(_("%(kind)s：%(names)s") % {"kind": PreparationKind(kind).label,
                                                   "names": "、".join(display_name(p) for p in people)}
                        for kind, people in missing.items())
        raise TransitionRefused(_("以下成员尚未完成会前准备，会议不能召开：%(what)s。") % {"what": what},
                                clause=clause_of(meeting.meeting_type, "follow_up"))
    check = quorum_for(meeting)
    if not check.ok:
        raise quorum_refusal(check, meeting.meeting_type, personnel=False)
    meeting.held_at = timezone.now()
    move_meeting(meeting, MeetingStatus.HELD, actor=actor, reason=_("会议开始"), extra=("held_at",))
    return meeting


@transaction.atomic
def close_meeting(*, actor, meeting: Meeting) -> Meeting:
    """End the meeting: members neither present nor on leave are absent unexcused (R-NO-3); each
    absent member gets a briefing record with its deadline (R-NO-4)."""
    meeting = lock_row(Meeting, meeting.pk)
    open_topics = meeting.topics.filter(status__in=[TopicStatus.ACCEPTED, TopicStatus.DISCUSSING]).count()
    if open_topics:
        raise TransitionRefused(_("还有 %(n)s 个议题未作决定或暂缓。") % {"n": open_topics})
    meeting.ended_at = timezone.now()  # deadlines count from the end (结束后, R-MI-4, R-NO-4)
    move_meeting(meeting, MeetingStatus.CLOSED, actor=actor, reason=_("会议结束"), extra=("ended_at",))
    for p in meeting.participants.filter(attendance=Attendance.EXPECTED).select_related("person__person"):
        p.attendance = Attendance.ABSENT
        p._change_reason = _("会议结束时未签到，也未获准请假")
        p.save(update_fields=["attendance"])
        if p.role == Role.MEMBER and not meeting.meeting_type.unexcused_absence_allowed:
            record_unexcused_absence(meeting=meeting, participant=p)
    if meeting.meeting_type.brief_absentees:
        # The deadline is derived when read (governance.selectors.due_dates), never stored here.
        for p in meeting.participants.filter(role=Role.MEMBER, attendance__in=[Attendance.ABSENT, Attendance.LEAVE]):
            Briefing.objects.get_or_create(participant=p)
    return meeting


def record_unexcused_absence(*, meeting: Meeting, participant: Participant) -> Breach:
    """R-NO-5: where the type forbids unexcused absence (处务会: 不得无故缺席), a member absent without
    granted leave is a recorded breach, counted on the compliance view, and the member, the convener
    and the Supervision Office are told (once: the breach is unique per participant)."""
    held_on = timezone.localtime(meeting.held_at or meeting.starts_at).date()
    name = display_name(participant.person)
    breach, created = Breach.objects.get_or_create(
        kind=BreachKind.UNEXCUSED_ABSENCE, subject=f"participant:{participant.pk}",
        defaults={"bureau_id": meeting.bureau_id, "unit_id": meeting.unit_id, "meeting_type_id": meeting.meeting_type_id,
                  "due": held_on, "description": (_("%(who)s 无故缺席%(m)s（%(d)s）") % {
                      "who": name, "m": meeting.title, "d": held_on.isoformat()})[:300]})
    if created:
        url = reverse("meeting_detail", args=[meeting.pk]) + "#people"
        supervision = office_staff(bureau=meeting.bureau, kind=UnitKind.SUPERVISION_OFFICE, on=timezone.localdate())
        notify(recipients=[participant.person], kind="unexcused_absence",
               title=_("无故缺席：您未经请假缺席了%(m)s") % {"m": meeting.title}, url=url,
               body=_("%(type)s不得无故缺席；本次缺席已记为违规。") % {"type": meeting.meeting_type.name})
        notify(recipients=[p for p in [meeting.convener, *supervision] if p.pk != participant.person_id],
               kind="unexcused_absence", title=_("无故缺席：%(d)s") % {"d": breach.description}, url=url)
    return breach


@transaction.atomic
def record_briefing(*, actor, briefing: Briefing, method: str, note: str = "") -> Briefing:
    """R-NO-4: the office records when and how an absent member was told the decisions."""
    briefing = lock_row(Briefing, briefing.pk)
    if briefing.briefed_at:
        raise TransitionRefused(_("已登记过传达情况。"))
    if not method.strip():
        raise TransitionRefused(_("请填写传达方式。"))
    briefing.briefed_at, briefing.briefed_by = timezone.now(), actor
    briefing.method, briefing.note = method.strip()[:100], note.strip()[:500]
    briefing._change_reason = _("登记会后传达")
    briefing.save(update_fields=["briefed_at", "briefed_by", "method", "note"])
    return briefing
