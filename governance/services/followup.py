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
    Appointment,
    Breach,
    BreachKind,
    Meeting,
    MeetingStatus,
    Post,
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
from governance.services.common import notify, record_event, record_transition
from governance.services.workflow import clause_of

# The bureau leaders (局领导) who may lead the follow-up of a decision (R-FU-1).
BUREAU_LEADER_POSTS = (Post.PARTY_SECRETARY, Post.PARTY_MEMBER, Post.DIRECTOR, Post.DEPUTY_DIRECTOR,
                       Post.DISCIPLINE_SECRETARY)


@transaction.atomic
def create_action(*, actor, meeting: Meeting, title: str, due_workdays: int, topic: Topic | None = None,
                  owner=None, owner_unit: Unit | None = None, leader=None, problem: str = "",
                  kind: str = ActionKind.DECISION) -> Action:
    """R-FU-1, R-FU-3, R-FU-4: a decision of a type whose decisions are followed up (`follow_up_tracked`),
    or a problem raised at the democratic life meeting, becomes a tracked action with an owner, the
    leader in charge (required where `follow_up_leader_required`: a member of the meeting or the owning
    division's leader in charge), a coordinator and a due date."""
    meeting = Meeting.objects.select_for_update().select_related("meeting_type", "bureau").get(pk=meeting.pk)
    if not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("由会务人员交办督办事项。"))
    if kind == ActionKind.DECISION:
        if not meeting.meeting_type.follow_up_tracked:
            raise TransitionRefused(_("这类会议的决定事项不交办督办。"), clause=clause_of(meeting.meeting_type, "follow_up"))
        if topic is None or topic.meeting_id != meeting.pk or topic.status != TopicStatus.PASSED:
            raise TransitionRefused(_("只有本次会议通过的决定事项才能交办。"))
    else:
        if not meeting.meeting_type.rectification:
            raise TransitionRefused(_("这类会议不制定整改措施。"))
        if meeting.status != MeetingStatus.CLOSED:
            raise TransitionRefused(_("整改措施在会后制定。"))
        if meeting.file_closed_at:
            raise TransitionRefused(_("会议档案已办结。"))
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
    if kind == ActionKind.DECISION:
        _check_leader(meeting, leader, owner_unit)
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


def _check_leader(meeting: Meeting, leader, owner_unit: Unit | None) -> None:
    """R-FU-1: 确定一位局领导分管. Where the type requires it, a leader is named; whoever is named is a
    bureau leader: a member of this meeting holding a bureau post that day, or the leader in charge of the
    owning division (or of the meeting's division)."""
    t = meeting.meeting_type
    if leader is None:
        if t.follow_up_leader_required:
            raise TransitionRefused(_("须确定一位分管的局领导。"), clause=clause_of(t, "follow_up"))
        return
    if leader_refusal(meeting, leader, owner_unit):
        raise TransitionRefused(_("分管局领导须为本次会议的成员（局领导）或责任处室的分管领导。"),
                                clause=clause_of(t, "follow_up"))


def leader_refusal(meeting: Meeting, leader, owner_unit: Unit | None) -> bool:
    """Whether `leader` cannot lead the follow-up of a decision of `meeting` (R-FU-1)."""
    on = timezone.localdate()
    is_member = meeting.participants.filter(person=leader, role=Role.MEMBER).exists()
    posts = Appointment.objects.on(on).filter(person=leader)
    if is_member and posts.filter(post__in=BUREAU_LEADER_POSTS).exists():
        return False
    units = [u for u in (getattr(owner_unit, "pk", None), meeting.unit_id) if u]
    return not posts.filter(post=Post.LEADER_IN_CHARGE, unit_id__in=units).exists()


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
    """R-FU-2: a meeting whose type reports back gets a progress-report topic listing the actions from
    earlier decisions of the same type: those still open, and those completed since the last meeting of
    the type (及时将工作落实情况向党组会议汇报: what was done is reported too); confidential ones by
    placeholder (R-CO-1)."""
    category = meeting.meeting_type.categories.filter(is_progress_report=True).first()
    if category is None or not meeting.meeting_type.progress_reports:
        return None
    earlier = Action.objects.filter(meeting__meeting_type=meeting.meeting_type, meeting__unit=meeting.unit,
                                    meeting__starts_at__lt=meeting.starts_at)
    previous = (Meeting.objects.filter(meeting_type=meeting.meeting_type, unit=meeting.unit,
                                       starts_at__lt=meeting.starts_at, held_at__isnull=False,
                                       status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED])
                .exclude(pk=meeting.pk).order_by("-starts_at").first())
    done = earlier.filter(status=ActionStatus.DONE)
    if previous is not None:
        done = done.filter(done_at__gte=previous.held_at)  # completed since the last meeting was held
    actions = list((earlier.exclude(status=ActionStatus.DONE) | done)
                   .select_related("topic__category", "owner__person", "owner_unit").order_by("due", "pk"))
    if not actions:
        return None
    open_count = sum(1 for a in actions if a.status != ActionStatus.DONE)
    today = timezone.localdate()
    lines = []
    for i, a in enumerate(actions, start=1):
        title = _("（保密事项）") if a.topic_id and a.topic.category.confidential else a.title
        owner = a.owner_unit.name if a.owner_unit_id else display_name(a.owner)
        state = _("已逾期") if is_overdue(a, today) else a.get_status_display()
        lines.append(f"{i}. {title}｜{owner}｜{a.due.isoformat()}｜{state}")
    topic = Topic.objects.create(
        meeting=meeting, category=category,
        title=_("此前决定事项落实情况汇报（%(n)s 项未办结，%(d)s 项已办结）") % {
            "n": open_count, "d": len(actions) - open_count},
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
    if meeting.file_closed_at:
        raise TransitionRefused(_("会议档案已办结。"))
    member = member or actor
    is_member = meeting.participants.filter(person=member, role=Role.MEMBER).exists()
    if not is_member:
        raise TransitionRefused(_("只有会议成员提交准备材料。"))
    if member.pk != actor.pk and not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("成员本人或会务人员才能登记。"))
    if kind not in PreparationKind.values or kind == PreparationKind.OUTCOME:  # the office reports the outcome
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


@transaction.atomic
def report_outcome(*, actor, meeting: Meeting, text: str) -> Preparation:
    """R-FU-9: after the democratic life meeting the General Office reports its outcome (会后情况的
    通报) to the bureau: kept in the meeting's file and sent to everyone holding a post in the bureau."""
    from governance.models import Appointment
    from governance.selectors.org import display_name as name_of

    meeting = Meeting.objects.select_for_update().select_related("meeting_type", "bureau").get(pk=meeting.pk)
    if not meeting.meeting_type.outcome_report:
        raise TransitionRefused(_("这类会议不需要会后情况通报。"))
    if not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("会后情况由办公室通报。"))
    if meeting.status != MeetingStatus.CLOSED:
        raise TransitionRefused(_("会议结束后才能通报会议情况。"))
    if meeting.file_closed_at:
        raise TransitionRefused(_("会议档案已办结。"))
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(_("请填写通报内容。"))
    report = Preparation.objects.create(meeting=meeting, kind=PreparationKind.OUTCOME, member=actor, text=text[:20000])
    from django.contrib.auth import get_user_model

    everyone = get_user_model().objects.filter(
        pk__in=Appointment.objects.on(timezone.localdate()).filter(bureau=meeting.bureau).values("person_id"),
        is_active=True)
    notify(recipients=list(everyone), kind="outcome_report", meeting=meeting,
           title=_("%(m)s情况通报") % {"m": meeting.title}, body=text[:5000] + "\n\n" + name_of(actor),
           url=reverse("notifications"))
    return report


@transaction.atomic
def close_file(*, actor, meeting: Meeting) -> Meeting:
    """R-FU-9, R-FU-4, R-FU-7: the democratic life meeting's file closes only when the rectification
    measures are set, the outcome has been reported and every member's party cell meeting of the year
    is recorded (as far as the type asks for each); then nothing more is filed in it."""
    from governance.selectors.followup import file_checklist

    meeting = Meeting.objects.select_for_update().select_related("meeting_type").get(pk=meeting.pk)
    if not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("会议档案由办公室办结。"))
    if meeting.status != MeetingStatus.CLOSED:
        raise TransitionRefused(_("会议结束后才能办结档案。"))
    if meeting.file_closed_at:
        raise TransitionRefused(_("会议档案已办结。"))
    checklist = file_checklist(meeting)
    if not checklist:
        raise TransitionRefused(_("这类会议没有需要办结的档案。"))
    missing = [f"{what}（{detail}）" for what, done, detail in checklist if not done]
    if missing:
        raise TransitionRefused(_("会议档案尚不齐全，不能办结：%(m)s。") % {"m": "；".join(missing)},
                                clause=clause_of(meeting.meeting_type, "follow_up"))
    meeting.file_closed_at = timezone.now()
    meeting._change_reason = _("会议档案办结")
    meeting.save(update_fields=["file_closed_at"])
    record_event(meeting, from_state=meeting.status, to_state=meeting.status, actor=actor, reason=_("会议档案办结"))
    return meeting


def check_mandatory_matter(*, topic: Topic, actor) -> Breach | None:
    """R-AG-6: a division's business, internal management, project arrangement, use of funds or major
    penalty (the type's `mandatory_matters`) must be studied and decided (研究决定) at that division's own
    meeting of a type that lists it. Flagged to the Supervision Office: such a matter decided at another
    meeting without that meeting's decision, and such a matter only noted (通报) instead of voted, at its
    own meeting or elsewhere without that decision. A topic of a category of the division's own meeting
    that is such a matter counts as one even when its proposer declared nothing."""
    meeting = topic.meeting
    t = meeting.meeting_type
    matter_label, unit_id = None, topic.concerned_unit_id
    if topic.unit_matter:
        matter_label = topic.get_unit_matter_display()
        unit_id = unit_id or meeting.unit_id
    elif topic.category.is_mandatory_for_unit and meeting.unit_id:
        matter_label, unit_id = topic.category.name, meeting.unit_id
    if matter_label is None or unit_id is None:
        return None
    at_its_own = meeting.unit_id == unit_id and (topic.unit_matter in t.mandatory_matters
                                                   or (not topic.unit_matter and topic.category.is_mandatory_for_unit))
    unit = Unit.objects.get(pk=unit_id)
    if topic.status == TopicStatus.NOTED and (at_its_own or not topic.unit_decision_id):
        what = _("%(unit)s的“%(matter)s”事项在%(m)s仅作通报，未经处务会研究决定")
    elif topic.status == TopicStatus.PASSED and not at_its_own and not topic.unit_decision_id:
        what = _("%(unit)s的“%(matter)s”事项在%(m)s作出决定，未经该处室处务会研究")
    else:
        return None
    breach, created = Breach.objects.get_or_create(
        kind=BreachKind.MANDATORY_BYPASSED, subject=f"topic:{topic.pk}",
        defaults={"bureau_id": meeting.bureau_id, "unit_id": unit_id, "meeting_type_id": meeting.meeting_type_id,
                  "due": timezone.localdate(),
                  "description": (what % {"unit": unit.name, "matter": matter_label, "m": meeting.title})[:300]})
    if created:
        notify(recipients=office_staff(bureau=meeting.bureau, kind=UnitKind.SUPERVISION_OFFICE, on=timezone.localdate()),
               kind="mandatory_bypassed", title=_("应经处务会研究的事项：%(d)s") % {"d": breach.description},
               url=reverse("meeting_detail", args=[meeting.pk]) + f"#topic-{topic.pk}")
    return breach


def record_quorum_refusal(*, actor, meeting: Meeting, check, topic: Topic | None = None) -> QuorumRefusal:
    """Keep a quorum refusal (R-QU-1, R-QU-2) for the compliance view; the refusal itself changed nothing."""
    return QuorumRefusal.objects.create(meeting=meeting, topic=topic, members=check.members, present=check.present,
                                        required=check.required, actor=actor)


@transaction.atomic
def record_consultation(*, actor, topic: Topic, member, opinion: str):
    """R-VO-5: a member's opinion on a deferred topic, gathered after the meeting that deferred it:
    recorded by the member or by the office running the meeting; one per member, not after the topic
    has been tabled again."""
    from governance.models import Consultation

    topic = Topic.objects.select_related("meeting__meeting_type").get(pk=topic.pk)
    if topic.status != TopicStatus.DEFERRED:
        raise TransitionRefused(_("只有暂缓表决的议题需要会后征求意见。"))
    if topic.carried_to.exclude(status__in=[TopicStatus.PROPOSED, TopicStatus.RETURNED]).exists():
        raise TransitionRefused(_("议题已再次列入议程，征求意见已结束。"))
    if not topic.meeting.participants.filter(person=member, role=Role.MEMBER).exists():
        raise TransitionRefused(_("只征求原会议成员的意见。"))
    if actor.pk != member.pk and not may_meeting(actor, topic.meeting, "manage"):
        raise TransitionRefused(_("由成员本人或会务人员登记意见。"))
    opinion = (opinion or "").strip()
    if not opinion:
        raise TransitionRefused(_("请填写意见。"))
    try:
        with transaction.atomic():
            return Consultation.objects.create(topic=topic, member=member, opinion=opinion[:5000], recorded_by=actor)
    except IntegrityError as error:
        raise TransitionRefused(_("这位成员的意见已登记。")) from error


@transaction.atomic
def record_unit_opinion(*, actor, topic: Topic, unit: Unit, opinion: str):
    """R-AG-9: a unit consulted on an important topic and its opinion, recorded by the proposer or
    the office before the topic is tabled; one per unit, of the same bureau."""
    from governance.models import UnitOpinion

    topic = Topic.objects.select_related("meeting__meeting_type").get(pk=topic.pk)
    if topic.status not in (TopicStatus.PROPOSED, TopicStatus.RETURNED):
        raise TransitionRefused(_("议题列入议程后不再登记征求意见情况。"))
    if actor.pk != topic.proposer_id and not may_meeting(actor, topic.meeting, "manage"):
        raise TransitionRefused(_("由议题提出人或会务人员登记征求意见情况。"))
    if unit.bureau_id != topic.meeting.bureau_id:
        raise TransitionRefused(_("征求意见的处室须是本局处室。"))
    opinion = (opinion or "").strip()
    if not opinion:
        raise TransitionRefused(_("请填写意见。"))
    try:
        with transaction.atomic():
            return UnitOpinion.objects.create(topic=topic, unit=unit, opinion=opinion[:5000], recorded_by=actor)
    except IntegrityError as error:
        raise TransitionRefused(_("这个处室的意见已登记。")) from error
