"""Follow-up of decisions (督查督办, R-FU-1..7), the democratic life meeting's file, R-AG-6 flags and
quorum refusals kept for the compliance view. One named action each, as everywhere."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from governance.models import (
    Action,
    ActionKind,
    ActionStatus,
    Breach,
    BreachKind,
    Meeting,
    MeetingStatus,
    Preparation,
    PreparationKind,
    ProgressReport,
    QuorumRefusal,
    Role,
    Topic,
    TopicStatus,
    Unit,
    UnitKind,
)
from governance.permissions import may_action, may_meeting
from governance.rules.refusals import TransitionRefused
from governance.selectors import workdays as workcal
from governance.selectors.confidential import public_action_title
from governance.selectors.followup import answerable_for, coordinator_for, is_overdue
from governance.selectors.org import display_name, office_staff
from governance.services.common import notify, record_transition


@transaction.atomic
def create_action(*, actor, meeting: Meeting, title: str, due_workdays: int, topic: Topic | None = None,
                  owner=None, owner_unit: Unit | None = None, leader=None, problem: str = "",
                  kind: str = ActionKind.DECISION) -> Action:
    """R-FU-1, R-FU-3, R-FU-4: a decision (or a problem raised at the democratic life meeting)
    becomes a tracked action with an owner, the leader in charge, a coordinator and a due date."""
    meeting = Meeting.objects.select_for_update().select_related("meeting_type", "bureau").get(pk=meeting.pk)
    if not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("由会务人员交办督办事项。"))
    if kind == ActionKind.DECISION:
        if topic is None or topic.meeting_id != meeting.pk or topic.status != TopicStatus.PASSED:
            raise TransitionRefused(_("只有本次会议通过的决定事项才能交办。"))
    else:
        if not meeting.meeting_type.rectification:
            raise TransitionRefused(_("这类会议不制定整改措施。"))
        if meeting.status != MeetingStatus.CLOSED:
            raise TransitionRefused(_("整改措施在会后制定。"))
        if not problem.strip():
            raise TransitionRefused(_("请写明整改措施针对的问题。"))
    if not title.strip():
        raise TransitionRefused(_("请填写督办事项。"))
    if owner is None and owner_unit is None:
        raise TransitionRefused(_("须指定责任人或责任处室。"))
    if owner_unit is not None and owner_unit.bureau_id != meeting.bureau_id:
        raise TransitionRefused(_("责任处室不属于本局。"))
    if due_workdays < 1 or due_workdays > 750:
        raise TransitionRefused(_("完成期限应为 1 至 750 个工作日。"))
    due = workcal.add_workdays(timezone.localdate(), due_workdays).date
    action = Action.objects.create(
        kind=kind, meeting=meeting, topic=topic, problem=problem.strip(), title=title.strip()[:300], owner=owner,
        owner_unit=owner_unit, leader=leader, coordinator=coordinator_for(meeting), due=due, due_workdays=due_workdays,
        created_by=actor)
    record_transition(action, to_state=ActionStatus.OPEN, actor=actor, reason=_("交办"))
    _grant_action_rights(action)
    people = [p for p in (owner, leader) if p]
    if owner_unit is not None:
        people += answerable_for(owner_unit, on=timezone.localdate())
    notify(recipients=people, kind="action_assigned",
           title=_("督办事项：%(t)s（%(d)s 前完成）") % {"t": public_action_title(action), "d": due.isoformat()},
           url=reverse("action_detail", args=[action.pk]))
    return action


def _grant_action_rights(action: Action) -> None:
    """Who sees an action: the meeting's people, its owner (and the owning unit's staff), the leader in
    charge, the coordinator's staff and the Supervision Office; who reports and who verifies."""
    meeting = action.meeting
    today = timezone.localdate()
    viewers = {p.person_id: p.person for p in meeting.participants.select_related("person")}
    reporters = {}
    for person in [action.owner, action.leader]:
        if person:
            viewers[person.pk] = person
            reporters[person.pk] = person
    if action.owner_unit_id:
        from governance.models import Appointment

        for appointment in Appointment.objects.on(today).filter(unit=action.owner_unit).select_related("person"):
            viewers[appointment.person_id] = appointment.person
            reporters[appointment.person_id] = appointment.person
    coordinators = {u.pk: u for u in answerable_for(action.coordinator, on=today)}
    supervision = office_staff(bureau=meeting.bureau, kind=UnitKind.SUPERVISION_OFFICE, on=today)
    for person in [*coordinators.values(), *supervision]:
        viewers[person.pk] = person
    for person in viewers.values():
        assign_perm("governance.view_action", person, action)
    for person in reporters.values():
        assign_perm("governance.change_action", person, action)
    for person in coordinators.values():
        assign_perm("governance.verify_action", person, action)


@transaction.atomic
def report_progress(*, actor, action: Action, text: str) -> ProgressReport:
    """R-FU-1: the owner reports progress; the action is then in progress."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not may_action(actor, action, "change"):
        raise TransitionRefused(_("由责任人或责任处室报告进展。"))
    if action.status == ActionStatus.DONE:
        raise TransitionRefused(_("事项已办结。"))
    if not text.strip():
        raise TransitionRefused(_("请填写进展情况。"))
    report = ProgressReport.objects.create(action=action, author=actor, text=text.strip()[:5000])
    if action.status == ActionStatus.OPEN:
        record_transition(action, to_state=ActionStatus.IN_PROGRESS, actor=actor, reason=_("报告进展"))
    return report


@transaction.atomic
def complete_action(*, actor, action: Action, note: str = "") -> Action:
    """R-FU-1: the coordinator checks the work and marks the action done."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not may_action(actor, action, "verify"):
        raise TransitionRefused(_("由协调督办单位核实后办结。"))
    if action.status == ActionStatus.DONE:
        raise TransitionRefused(_("事项已办结。"))
    if not action.reports.exists():
        raise TransitionRefused(_("责任人尚未报告办理情况，不能办结。"))
    action.done_at, action.verified_by = timezone.now(), actor
    record_transition(action, to_state=ActionStatus.DONE, actor=actor, reason=note.strip() or _("核实办结"),
                      extra_fields=("done_at", "verified_by"))
    return action


@transaction.atomic
def propose_progress_report(*, meeting: Meeting, actor) -> Topic | None:
    """R-FU-2: a meeting whose type reports back gets a progress-report topic listing the open
    actions from earlier decisions of the same type (confidential ones by placeholder, R-CO-1)."""
    category = meeting.meeting_type.categories.filter(is_progress_report=True).first()
    if category is None or not meeting.meeting_type.progress_reports:
        return None
    actions = list(Action.objects.filter(meeting__meeting_type=meeting.meeting_type, meeting__unit=meeting.unit,
                                         meeting__starts_at__lt=meeting.starts_at)
                   .exclude(status=ActionStatus.DONE).select_related("topic__category", "owner__person", "owner_unit")
                   .order_by("due", "pk"))
    if not actions:
        return None
    today = timezone.localdate()
    lines = []
    for i, a in enumerate(actions, start=1):
        title = _("（保密事项）") if a.topic_id and a.topic.category.confidential else a.title
        owner = a.owner_unit.name if a.owner_unit_id else display_name(a.owner)
        state = _("已逾期") if is_overdue(a, today) else a.get_status_display()
        lines.append(f"{i}. {title}｜{owner}｜{a.due.isoformat()}｜{state}")
    topic = Topic.objects.create(
        meeting=meeting, category=category, title=_("此前决定事项落实情况汇报（%(n)s 项未办结）") % {"n": len(actions)},
        summary="\n".join(lines), for_information=True, proposer=actor, order=meeting.topics.count() + 1)
    record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor, reason=_("自动提出落实情况汇报（R-FU-2）"))
    return topic


@transaction.atomic
def file_preparation(*, actor, meeting: Meeting, kind: str, text: str, outline: str = "", other: str = "",
                     held_on: datetime.date | None = None, member=None) -> Preparation:
    """R-FU-5, R-FU-7: a member files their self-analysis and outline, or a talk, the opinions
    gathered, or their party cell's organisational life meeting."""
    meeting = Meeting.objects.select_related("meeting_type").get(pk=meeting.pk)
    if not meeting.meeting_type.pre_meeting_filings:
        raise TransitionRefused(_("这类会议不需要会前准备材料。"))
    member = member or actor
    is_member = meeting.participants.filter(person=member, role=Role.MEMBER).exists()
    if not is_member:
        raise TransitionRefused(_("只有会议成员提交准备材料。"))
    if member.pk != actor.pk and not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("成员本人或会务人员才能登记。"))
    if kind not in PreparationKind.values:
        raise TransitionRefused(_("未知的材料类别。"))
    if not text.strip():
        raise TransitionRefused(_("请填写内容。"))
    if kind == PreparationKind.SELF_ANALYSIS and not outline.strip():
        raise TransitionRefused(_("请同时提交发言提纲。"))
    if kind == PreparationKind.SELF_ANALYSIS and meeting.status not in {
            MeetingStatus.AGENDA_OPEN, MeetingStatus.AGENDA_SUBMITTED, MeetingStatus.AGENDA_APPROVED,
            MeetingStatus.NOTICE_SENT}:
        raise TransitionRefused(_("自我剖析材料须在会前提交。"))
    try:
        with transaction.atomic():
            return Preparation.objects.create(meeting=meeting, kind=kind, member=member, text=text.strip(),
                                              outline=outline.strip(), other=other.strip()[:100], held_on=held_on)
    except IntegrityError as error:
        raise TransitionRefused(_("已提交过自我剖析材料。")) from error


def check_mandatory_matter(*, topic: Topic, actor) -> Breach | None:
    """R-AG-6: a passed decision on a division's business, funds, projects or major penalties taken
    outside that division's division affairs meeting, without its decision, is flagged to Supervision."""
    if topic.status != TopicStatus.PASSED or topic.unit_matter_id is None or topic.concerned_unit_id is None:
        return None
    meeting = topic.meeting
    at_its_own = (meeting.unit_id == topic.concerned_unit_id
                  and meeting.meeting_type_id == topic.unit_matter.meeting_type_id)
    if at_its_own or topic.unit_decision_id:
        return None
    breach, created = Breach.objects.get_or_create(
        kind=BreachKind.MANDATORY_BYPASSED, subject=f"topic:{topic.pk}",
        defaults={"bureau_id": meeting.bureau_id, "unit_id": topic.concerned_unit_id,
                  "meeting_type_id": meeting.meeting_type_id, "due": timezone.localdate(),
                  "description": (_("%(unit)s的“%(matter)s”事项在%(m)s作出决定，未经该处室处务会研究") % {
                      "unit": topic.concerned_unit.name, "matter": topic.unit_matter.name, "m": meeting.title})[:300]})
    if created:
        notify(recipients=office_staff(bureau=meeting.bureau, kind=UnitKind.SUPERVISION_OFFICE, on=timezone.localdate()),
               kind="mandatory_bypassed", title=_("应经处务会研究的事项：%(d)s") % {"d": breach.description},
               url=reverse("meeting_detail", args=[meeting.pk]) + f"#topic-{topic.pk}")
    return breach


def record_quorum_refusal(*, actor, meeting: Meeting, check, topic: Topic | None = None) -> QuorumRefusal:
    """Keep a quorum refusal (R-QU-1, R-QU-2) for the compliance view; the refusal itself changed nothing."""
    return QuorumRefusal.objects.create(meeting=meeting, topic=topic, members=check.members, present=check.present,
                                        required=check.required, actor=actor)
