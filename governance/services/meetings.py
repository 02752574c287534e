"""The meeting workflow (SPEC §4): schedule, agenda, approval, notice, leave, attendance, quorum,
votes, decisions and briefings. Each public function is one transition: it locks the row, asks the
rules, saves with `update_fields`, records who/when/why, and queues notifications on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from .. import calendar as workcal
from ..models import (
    Appointment,
    Attendance,
    Briefing,
    LeaveApprover,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    MeetingType,
    Participant,
    Post,
    RecorderSource,
    Role,
    Scope,
    Topic,
    TopicCategory,
    TopicStatus,
    Unit,
    UnitKind,
    Vote,
    VoteChoice,
    is_unit_post,
)
from ..rules.quorum import check_quorum, check_topic_quorum, vote_outcome
from ..rules.workflow import materials_refusal, meeting_transition_refusal, notice_is_late, topic_transition_refusal
from ..selectors import display_name
from .common import TransitionRefused, notify, record_event, record_transition

User = get_user_model()

OPEN_TOPIC_STATES = {TopicStatus.PROPOSED, TopicStatus.ACCEPTED, TopicStatus.RETURNED}


def _clause(meeting_type: MeetingType, key: str) -> str:
    source = meeting_type.clause_for(key)
    return source.citation if source else ""


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _move(meeting: Meeting, target: str, *, actor, reason: str = "", extra: tuple[str, ...] = ()) -> None:
    refusal = meeting_transition_refusal(meeting.status, target)
    if refusal:
        raise TransitionRefused(refusal)
    record_transition(meeting, to_state=target, actor=actor, reason=reason, extra_fields=extra)


def _check_approver(actor, meeting: Meeting) -> None:
    """R-AG-1..3: only the type's approver (party secretary, director, division head) approves."""
    if not actor.has_perm("governance.approve_agenda", meeting):
        raise TransitionRefused(_("议程由%(who)s审定。") % {"who": Post(meeting.meeting_type.agenda_approver_post).label},
                                clause=_clause(meeting.meeting_type, "topics"))


def _move_topic(topic: Topic, target: str, *, actor, reason: str = "", extra: tuple[str, ...] = ()) -> None:
    refusal = topic_transition_refusal(topic.status, target)
    if refusal:
        raise TransitionRefused(refusal)
    record_transition(topic, to_state=target, actor=actor, reason=reason, extra_fields=extra)


# --- who fills which role, from the posts held on the meeting's date --------------------------------

def holders(*, bureau, post: str, on: datetime.date, unit: Unit | None, scope: str) -> list:
    """Holders of `post` for a meeting: unit posts in the meeting's unit (per-unit types) or in any
    unit (bureau types); bureau posts in the bureau."""
    qs = Appointment.objects.on(on).filter(bureau=bureau, post=post, person__is_active=True)
    if is_unit_post(post) and scope == Scope.UNIT:
        qs = qs.filter(unit=unit)
    ids = list(qs.values_list("person_id", flat=True).distinct())
    return list(User.objects.filter(pk__in=ids).select_related("person").order_by("person__name", "pk"))


def resolve_roles(*, meeting_type: MeetingType, unit: Unit | None, on: datetime.date) -> dict:
    """Convener, chair, approver and members of a meeting on date `on` (SPEC §1: posts held that day)."""
    bureau, scope = meeting_type.bureau, meeting_type.scope

    def one(post: str, what: str):
        people = holders(bureau=bureau, post=post, on=on, unit=unit, scope=scope)
        if not people:
            raise TransitionRefused(_("%(date)s 无人担任“%(post)s”，无法确定%(what)s。") % {
                "date": on.isoformat(), "post": Post(post).label, "what": what})
        return people[0]

    members: dict[int, object] = {}
    for post in meeting_type.member_posts:
        for person in holders(bureau=bureau, post=post, on=on, unit=unit, scope=scope):
            members.setdefault(person.pk, person)
    return {
        "convener": one(meeting_type.convener_post, _("召集人")),
        "chair": one(meeting_type.chair_post, _("主持人")),
        "approver": one(meeting_type.agenda_approver_post, _("议题审定人")),
        "members": list(members.values()),
    }


def general_office_staff(bureau) -> list:
    """R-MI-1: the General Office's people (not its leader in charge)."""
    from ..selectors import office_staff

    return office_staff(bureau=bureau, kind=UnitKind.GENERAL_OFFICE, on=timezone.localdate())


def may_schedule(user, meeting_type: MeetingType, unit: Unit | None, on: datetime.date) -> bool:
    """General Office staff schedule bureau meetings; a unit's convener (or delegate) its own."""
    today = timezone.localdate()
    if meeting_type.scope == Scope.BUREAU:
        if meeting_type.recorder_source == RecorderSource.GENERAL_OFFICE and any(
                u.pk == user.pk for u in general_office_staff(meeting_type.bureau)):
            return True
        return user in holders(bureau=meeting_type.bureau, post=meeting_type.convener_post, on=today, unit=None,
                               scope=Scope.BUREAU)
    if unit is None:
        return False
    posts = [meeting_type.convener_post, *(meeting_type.delegate_posts if meeting_type.chair_delegable else [])]
    return Appointment.objects.on(today).filter(person=user, unit=unit, post__in=posts).exists()


def schedulable_units(user, meeting_type: MeetingType) -> list[Unit]:
    if meeting_type.scope != Scope.UNIT:
        return []
    units = Unit.objects.filter(bureau=meeting_type.bureau, kind__in=meeting_type.unit_kinds, active=True)
    return [u for u in units if may_schedule(user, meeting_type, u, timezone.localdate())]


# --- scheduling ---------------------------------------------------------------------------------------

@transaction.atomic
def schedule_meeting(*, actor, meeting_type: MeetingType, starts_at: datetime.datetime, place: str,
                     unit: Unit | None = None, title: str = "", recorder=None, delegate_chair=None,
                     invitees: Iterable = (), invitee_units: Iterable[Unit] = (), called_by: Topic | None = None
                     ) -> Meeting:
    """Schedule a meeting: resolve its people from the posts held that day, grant their rights,
    carry deferred topics onto it (R-AG-7) and open its agenda."""
    now = timezone.now()
    if starts_at <= now:
        raise TransitionRefused(_("会议时间不能早于现在。"))
    if meeting_type.scope == Scope.UNIT and (unit is None or unit.kind not in meeting_type.unit_kinds
                                             or unit.bureau_id != meeting_type.bureau_id):
        raise TransitionRefused(_("请选择召开会议的处室/单位。"))
    if meeting_type.scope == Scope.BUREAU:
        unit = None
    if not may_schedule(actor, meeting_type, unit, starts_at.date()):
        raise TransitionRefused(_("您无权安排这类会议：全局会议由办公室安排，处室会议由本处室负责人安排。"))
    if meeting_type.called_by_decision and (called_by is None or called_by.status != TopicStatus.PASSED):
        raise TransitionRefused(_("这类会议须由局党组会议或局长办公会议决定召开：请选择作出决定的议题。"),
                                clause=_clause(meeting_type, "convener"))
    on = timezone.localtime(starts_at).date()
    roles = resolve_roles(meeting_type=meeting_type, unit=unit, on=on)
    chair, delegated = roles["chair"], False
    if delegate_chair is not None:
        if not meeting_type.chair_delegable:
            raise TransitionRefused(_("此类会议不能委托他人主持。"), clause=_clause(meeting_type, "convener"))
        allowed = {p.pk for post in meeting_type.delegate_posts
                   for p in holders(bureau=meeting_type.bureau, post=post, on=on, unit=unit, scope=meeting_type.scope)}
        if delegate_chair.pk not in allowed:
            raise TransitionRefused(_("受委托主持人须担任可受委托的职务。"), clause=_clause(meeting_type, "convener"))
        chair, delegated = delegate_chair, True
    recorder = _resolve_recorder(meeting_type, unit, recorder, actor, on)
    title = title.strip() or _("%(unit)s%(type)s") % {"unit": unit.name if unit else "", "type": meeting_type.name}
    meeting = Meeting.objects.create(
        bureau=meeting_type.bureau, meeting_type=meeting_type, unit=unit, title=title[:200], starts_at=starts_at,
        place=place.strip()[:200], convener=roles["convener"], chair=chair, chair_delegated=delegated,
        recorder=recorder, approver=roles["approver"], scheduled_by=actor, called_by=called_by,
        status=MeetingStatus.DRAFT,
    )
    members = roles["members"]
    member_ids = {m.pk for m in members}
    # One row at a time: simple-history does not see bulk writes (STYLE.md §8).
    for member in members:
        Participant.objects.create(meeting=meeting, person=member, role=Role.MEMBER)
    extra = {p.pk: p for p in invitees if p.pk not in member_ids}
    for invited_unit in invitee_units:
        for head in holders(bureau=meeting.bureau, post=Post.UNIT_HEAD, on=on, unit=invited_unit, scope=Scope.UNIT):
            if head.pk not in member_ids:
                extra.setdefault(head.pk, head)
    for invitee in extra.values():
        Participant.objects.create(meeting=meeting, person=invitee, role=Role.INVITEE)
    _grant_meeting_rights(meeting, actor=actor, members=members, invitees=list(extra.values()))
    _move(meeting, MeetingStatus.AGENDA_OPEN, actor=actor, reason=_("排会"))
    carry_deferred_topics(meeting=meeting, actor=actor)
    from .followup import propose_progress_report

    propose_progress_report(meeting=meeting, actor=actor)
    propose_unit_reports(meeting=meeting, actor=actor)
    return meeting


def propose_unit_reports(*, meeting: Meeting, actor) -> list[Topic]:
    """R-AG-8: a meeting whose type hears every unit's monthly report gets one report topic per
    division and affiliated unit, proposed on the unit's behalf."""
    if not meeting.meeting_type.monthly_unit_reports:
        return []
    category = meeting.meeting_type.categories.filter(is_unit_report=True).first()
    if category is None:
        return []
    month = timezone.localtime(meeting.starts_at).month
    topics = []
    order = meeting.topics.count()
    for unit in Unit.objects.filter(bureau=meeting.bureau, active=True).order_by("order", "name"):
        order += 1
        topic = Topic.objects.create(
            meeting=meeting, category=category, title=_("%(unit)s%(month)s月工作情况汇报") % {"unit": unit.name, "month": month},
            for_information=True, proposer=actor, proposing_unit=unit, order=order)
        record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor, reason=_("各单位月度工作汇报（R-AG-8）"))
        topics.append(topic)
    return topics


def _resolve_recorder(meeting_type, unit, recorder, actor, on):
    """R-MI-1: the General Office records bureau meetings; a designated person records DA/UW."""
    if meeting_type.recorder_source == RecorderSource.GENERAL_OFFICE:
        office = general_office_staff(meeting_type.bureau)
        if recorder is None:
            recorder = actor if any(u.pk == actor.pk for u in office) else (office[0] if office else None)
        if recorder is None or all(u.pk != recorder.pk for u in office):
            raise TransitionRefused(_("记录人须为办公室工作人员。"), clause=_clause(meeting_type, "recorder"))
        return recorder
    if recorder is None:
        recorder = actor
    if unit is not None and not Appointment.objects.on(on).filter(person=recorder, unit=unit).exists():
        raise TransitionRefused(_("记录人须为本处室人员。"), clause=_clause(meeting_type, "recorder"))
    return recorder


def _grant_meeting_rights(meeting: Meeting, *, actor, members, invitees) -> None:
    """Rights are granted here and only here (STYLE.md §5)."""
    t = meeting.meeting_type
    everyone = {p.pk: p for p in [*members, *invitees, meeting.chair, meeting.convener, meeting.approver, actor]}
    if meeting.recorder:
        everyone[meeting.recorder.pk] = meeting.recorder
    managers = {actor.pk: actor}
    if meeting.recorder:
        managers[meeting.recorder.pk] = meeting.recorder
    if t.recorder_source == RecorderSource.GENERAL_OFFICE:
        for clerk in general_office_staff(meeting.bureau):
            managers.setdefault(clerk.pk, clerk)
    everyone.update(managers)
    proposers = {m.pk: m for m in members}
    on = timezone.localtime(meeting.starts_at).date()
    # R-AG-1: where the office gathers topics from the units, units hand them to the office, which
    # proposes them; the units' heads are not given the meeting itself.
    proposer_posts = [] if t.topics_gathered_by_office else t.topic_proposer_posts
    for post in proposer_posts:
        for person in holders(bureau=meeting.bureau, post=post, on=on, unit=meeting.unit, scope=t.scope):
            proposers.setdefault(person.pk, person)
            everyone.setdefault(person.pk, person)
    proposers.update(managers)
    grants = [("view_meeting", everyone.values()), ("manage_meeting", managers.values()),
              ("approve_agenda", [meeting.approver]), ("chair_meeting", [meeting.chair]),
              ("propose_topic", proposers.values())]
    for perm, people in grants:
        for person in people:
            assign_perm(perm, person, meeting)


# --- agenda (R-AG-1..7) --------------------------------------------------------------------------------

@transaction.atomic
def propose_topic(*, actor, meeting: Meeting, category: TopicCategory, title: str, summary: str = "",
                  important: bool = False, for_information: bool = False, concerned_unit: Unit | None = None,
                  unit_matter: TopicCategory | None = None, unit_decision: Topic | None = None) -> Topic:
    """R-AG-1, R-AG-2, R-AG-5: propose a topic of one of the type's categories while the agenda is open."""
    meeting = _lock(Meeting, meeting.pk)
    if meeting.status != MeetingStatus.AGENDA_OPEN:
        raise TransitionRefused(_("议程已提交或已审定，不能再提出议题。"))
    if category.meeting_type_id != meeting.meeting_type_id:
        raise TransitionRefused(_("议题类别不属于这类会议。"))
    if not title.strip():
        raise TransitionRefused(_("请填写议题名称。"))
    if unit_matter is not None and (not unit_matter.is_mandatory_for_unit or concerned_unit is None):
        raise TransitionRefused(_("须经处务会研究的事项须同时选择涉及的处室。"))
    if unit_decision is not None and (unit_decision.status != TopicStatus.PASSED
                                      or unit_decision.meeting.unit_id != getattr(concerned_unit, "pk", None)):
        raise TransitionRefused(_("所引用的处务会决定须是该处室已通过的决定。"))
    unit = Appointment.objects.on(timezone.localdate()).filter(person=actor, unit__isnull=False).values_list(
        "unit", flat=True).first()
    order = meeting.topics.count() + 1
    topic = Topic.objects.create(
        meeting=meeting, category=category, title=title.strip()[:200], summary=summary.strip(), important=important,
        for_information=for_information, proposer=actor, proposing_unit_id=unit, order=order,
        concerned_unit=concerned_unit, unit_matter=unit_matter, unit_decision=unit_decision,
    )
    record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor, reason=_("提出议题"))
    return topic


@transaction.atomic
def carry_deferred_topics(*, meeting: Meeting, actor) -> list[Topic]:
    """R-AG-7, R-VO-3: topics deferred at an earlier meeting of the same type and scope, not yet
    carried anywhere, are carried onto `meeting` with a link to their history."""
    deferred = (Topic.objects.select_for_update(of=("self",))
                .filter(meeting__meeting_type=meeting.meeting_type, meeting__unit=meeting.unit,
                        meeting__starts_at__lt=meeting.starts_at, status=TopicStatus.DEFERRED, carried_to__isnull=True)
                .exclude(meeting=meeting).order_by("meeting__starts_at", "order"))
    carried = []
    order = meeting.topics.count()
    for old in deferred:
        order += 1
        topic = Topic.objects.create(
            meeting=meeting, category=old.category, title=old.title, summary=old.summary, important=old.important,
            for_information=old.for_information, proposer=old.proposer, proposing_unit=old.proposing_unit,
            order=order, carried_from=old,
        )
        record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor,
                          reason=_("上次会议暂缓表决，转入本次会议（%(m)s）") % {"m": old.meeting.title})
        carried.append(topic)
    return carried


@transaction.atomic
def submit_agenda(*, actor, meeting: Meeting) -> Meeting:
    """Send the proposed agenda to the type's approver (R-AG-1..3)."""
    meeting = _lock(Meeting, meeting.pk)
    if not meeting.topics.exclude(status__in=[TopicStatus.WITHDRAWN, TopicStatus.REJECTED]).exists():
        raise TransitionRefused(_("议程中还没有议题。"))
    _move(meeting, MeetingStatus.AGENDA_SUBMITTED, actor=actor, reason=_("提交审定"))
    notify(recipients=[meeting.approver], kind="agenda_submitted", meeting=meeting,
           title=_("待审定议程：%(m)s") % {"m": meeting.title}, url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def review_topic(*, actor, topic: Topic, decision: str, reason: str = "") -> Topic:
    """The approver accepts a topic onto the agenda, returns it for materials, or rejects it."""
    topic = _lock(Topic, topic.pk)
    meeting = topic.meeting
    _check_approver(actor, meeting)
    if meeting.status not in {MeetingStatus.AGENDA_OPEN, MeetingStatus.AGENDA_SUBMITTED}:
        raise TransitionRefused(_("议程已审定，不能再调整议题。"))
    targets = {"accept": TopicStatus.ACCEPTED, "return": TopicStatus.RETURNED, "reject": TopicStatus.REJECTED}
    if decision not in targets:
        raise TransitionRefused(_("未知的审定意见。"))
    if decision == "accept":
        refusal = materials_refusal(important=topic.important, materials_required=meeting.meeting_type.materials_required,
                                    material_count=topic.materials.count())
        if refusal:
            raise TransitionRefused(refusal, clause=_clause(meeting.meeting_type, "materials"))
    elif not reason.strip():
        raise TransitionRefused(_("退回或不予列入须说明理由。"))
    topic.status_reason = reason.strip()[:500]
    _move_topic(topic, targets[decision], actor=actor, reason=reason.strip(), extra=("status_reason",))
    if decision != "accept":
        notify(recipients=[topic.proposer], kind=f"topic_{decision}",
               title=_("议题“%(t)s”：%(d)s") % {"t": topic.title, "d": topic.get_status_display()},
               body=reason, url=reverse("meeting_detail", args=[meeting.pk]))
    return topic


@transaction.atomic
def resubmit_topic(*, actor, topic: Topic) -> Topic:
    """A returned topic, its materials added, goes back to the approver."""
    topic = _lock(Topic, topic.pk)
    if actor.pk != topic.proposer_id and not actor.has_perm("governance.manage_meeting", topic.meeting):
        raise TransitionRefused(_("只有提出人或会务人员可以重新提交议题。"))
    _move_topic(topic, TopicStatus.PROPOSED, actor=actor, reason=_("补充材料后重新提交"))
    return topic


@transaction.atomic
def approve_agenda(*, actor, meeting: Meeting) -> Meeting:
    """The approver approves the agenda: every topic reviewed, at least one on it (R-AG-1..3)."""
    meeting = _lock(Meeting, meeting.pk)
    _check_approver(actor, meeting)
    pending = meeting.topics.filter(status=TopicStatus.PROPOSED).count()
    if pending:
        raise TransitionRefused(_("还有 %(n)s 个议题未审定。") % {"n": pending})
    if not meeting.topics.filter(status=TopicStatus.ACCEPTED).exists():
        raise TransitionRefused(_("议程中没有列入的议题。"))
    meeting.agenda_approved_at = timezone.now()
    _move(meeting, MeetingStatus.AGENDA_APPROVED, actor=actor, reason=_("议程审定"), extra=("agenda_approved_at",))
    notify(recipients=[meeting.scheduled_by, *( [meeting.recorder] if meeting.recorder else [])],
           kind="agenda_approved", meeting=meeting, title=_("议程已审定：%(m)s") % {"m": meeting.title},
           url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def return_agenda(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """The approver sends the agenda back to be reworked, with a reason."""
    meeting = _lock(Meeting, meeting.pk)
    _check_approver(actor, meeting)
    if not reason.strip():
        raise TransitionRefused(_("退回议程须说明理由。"))
    meeting.status_reason = reason.strip()[:500]
    _move(meeting, MeetingStatus.AGENDA_OPEN, actor=actor, reason=reason.strip(), extra=("status_reason",))
    notify(recipients=[meeting.scheduled_by], kind="agenda_returned", title=_("议程被退回：%(m)s") % {"m": meeting.title},
           body=reason, url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting before it is held, with a reason; everyone notified is told."""
    meeting = _lock(Meeting, meeting.pk)
    if not reason.strip():
        raise TransitionRefused(_("取消会议须说明理由。"))
    meeting.status_reason = reason.strip()[:500]
    was_notified = meeting.notice_sent_at is not None
    _move(meeting, MeetingStatus.CANCELLED, actor=actor, reason=reason.strip(), extra=("status_reason",))
    if was_notified:
        notify(recipients=[p.person for p in meeting.participants.select_related("person")], kind="cancelled",
               meeting=meeting, title=_("会议取消：%(m)s") % {"m": meeting.title}, body=reason,
               url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def postpone_meeting(*, actor, meeting: Meeting, starts_at: datetime.datetime, reason: str) -> Meeting:
    """Move a meeting not yet held to a later time, with a reason; a sent notice is re-sent."""
    meeting = _lock(Meeting, meeting.pk)
    if not meeting.is_open:
        raise TransitionRefused(_("会议已召开或已取消，不能延期。"))
    if not reason.strip():
        raise TransitionRefused(_("延期须说明理由。"))
    if starts_at <= timezone.now():
        raise TransitionRefused(_("会议时间不能早于现在。"))
    old = meeting.starts_at
    meeting.starts_at, meeting.status_reason = starts_at, reason.strip()[:500]
    meeting._change_reason = _("延期：%(r)s") % {"r": reason.strip()}
    meeting.save(update_fields=["starts_at", "status_reason"])
    record = _("由 %(old)s 延期至 %(new)s：%(r)s") % {
        "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
        "new": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "r": reason.strip()}
    record_event(meeting, from_state=meeting.status, to_state=meeting.status, actor=actor, reason=record)
    if meeting.notice_sent_at:
        for note in meeting.notifications.filter(kind="notice"):
            note.delete()  # the re-sent notice replaces the old one
        _send_notice_messages(meeting)
    return meeting


# --- notice (R-NO-1) ---------------------------------------------------------------------------------

@transaction.atomic
def send_notice(*, actor, meeting: Meeting) -> Meeting:
    """R-NO-1: notify every member and invitee with topics, time, place and materials; flag a notice
    later than the type's lead time."""
    meeting = _lock(Meeting, meeting.pk)
    now = timezone.now()
    cal = workcal.load_calendar(timezone.localdate(), timezone.localtime(meeting.starts_at).date())
    meeting.notice_sent_at = now
    meeting.notice_late = notice_is_late(notified_on=timezone.localdate(),
                                         meeting_on=timezone.localtime(meeting.starts_at).date(),
                                         lead_workdays=meeting.meeting_type.notice_lead_workdays, cal=cal)
    _move(meeting, MeetingStatus.NOTICE_SENT, actor=actor, reason=_("发出会议通知"),
          extra=("notice_sent_at", "notice_late"))
    _send_notice_messages(meeting)
    for participant in meeting.participants.filter(notified_at__isnull=True):
        participant.notified_at = now
        participant.save(update_fields=["notified_at"])
    return meeting


def _send_notice_messages(meeting: Meeting) -> None:
    from ..permissions import can_read_topic, confidential_readers

    participants = list(meeting.participants.select_related("person"))
    readers = confidential_readers(meeting, participants)
    topics = list(meeting.topics.filter(status=TopicStatus.ACCEPTED).select_related("category").order_by("order"))
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    url = reverse("meeting_detail", args=[meeting.pk])
    for p in participants:
        lines = []
        for i, topic in enumerate(topics, start=1):
            # R-CO-1: a notice is a channel too; a confidential topic's title goes only to its readers.
            visible = can_read_topic(p.person, topic, readers)
            lines.append(f"{i}. {topic.title if visible else _('（保密议题）')}")
        body = _("时间：%(when)s\n地点：%(place)s\n身份：%(role)s\n议题：\n%(topics)s\n会议材料请登录系统查阅。") % {
            "when": when, "place": meeting.place, "role": p.get_role_display(), "topics": "\n".join(lines)}
        notify(recipients=[p.person], kind="notice", meeting=meeting,
               title=_("会议通知：%(m)s") % {"m": meeting.title}, body=body, url=url)


# --- leave and attendance (R-NO-2, R-NO-3) --------------------------------------------------------------

def leave_approver(meeting: Meeting):
    """R-NO-2: the chair (PG) or the division head (DA) grants leave."""
    if meeting.meeting_type.leave_approver == LeaveApprover.UNIT_HEAD and meeting.unit_id:
        heads = holders(bureau=meeting.bureau, post=Post.UNIT_HEAD, on=timezone.localtime(meeting.starts_at).date(),
                        unit=meeting.unit, scope=Scope.UNIT)
        if heads:
            return heads[0]
    return meeting.chair


@transaction.atomic
def ask_leave(*, actor, meeting: Meeting, reason: str) -> LeaveRequest:
    """R-NO-2: a member asks leave before the meeting."""
    meeting = _lock(Meeting, meeting.pk)
    participant = meeting.participants.filter(person=actor).first()
    if participant is None or participant.role != Role.MEMBER:
        raise TransitionRefused(_("只有会议成员需要请假。"))
    if not meeting.is_open or timezone.now() >= meeting.starts_at:
        raise TransitionRefused(_("请假须在会议开始前提出。"), clause=_clause(meeting.meeting_type, "leave"))
    if not reason.strip():
        raise TransitionRefused(_("请填写请假事由。"))
    if participant.leave_requests.filter(status__in=[LeaveStatus.PENDING, LeaveStatus.GRANTED]).exists():
        raise TransitionRefused(_("您已请过假。"))
    leave = LeaveRequest.objects.create(participant=participant, reason=reason.strip()[:500])
    approver = leave_approver(meeting)
    if not approver.has_perm("governance.chair_meeting", meeting):
        assign_perm("chair_meeting", approver, meeting)
        assign_perm("view_meeting", approver, meeting)
    notify(recipients=[approver], kind="leave_asked",
           title=_("请假申请：%(who)s 请求不参加 %(m)s") % {"who": display_name(actor), "m": meeting.title},
           body=reason, url=reverse("meeting_detail", args=[meeting.pk]))
    return leave


@transaction.atomic
def decide_leave(*, actor, leave: LeaveRequest, grant: bool, note: str = "") -> LeaveRequest:
    """R-NO-2: the chair or division head grants or refuses leave."""
    leave = _lock(LeaveRequest, leave.pk)
    participant = leave.participant
    meeting = participant.meeting
    if actor.pk != leave_approver(meeting).pk:
        raise TransitionRefused(_("只有%(who)s可以批准请假。") % {"who": meeting.meeting_type.get_leave_approver_display()},
                                clause=_clause(meeting.meeting_type, "leave"))
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
    meeting = _lock(Meeting, meeting.pk)
    if meeting.status not in {MeetingStatus.NOTICE_SENT, MeetingStatus.HELD}:
        raise TransitionRefused(_("会议通知发出后、会议结束前才能签到。"))
    participant = meeting.participants.filter(person=person).first()
    if participant is None:
        raise TransitionRefused(_("%(who)s 不在本次会议的参会名单中，不能签到。") % {"who": display_name(person)})
    if actor.pk != person.pk and not actor.has_perm("governance.manage_meeting", meeting):
        raise TransitionRefused(_("只能为自己签到。"))
    if participant.attendance == Attendance.PRESENT:
        return participant
    participant.attendance, participant.signed_in_at, participant.signed_in_by = Attendance.PRESENT, timezone.now(), actor
    participant._change_reason = _("签到")
    participant.save(update_fields=["attendance", "signed_in_at", "signed_in_by"])
    return participant


def quorum_for(meeting: Meeting, participants=None):
    """R-QU-1, R-QU-4: the meeting's quorum from the members present (invitees never count)."""
    rows = participants if participants is not None else list(meeting.participants.all())
    members = [p for p in rows if p.role == Role.MEMBER]
    present = sum(1 for p in members if p.attendance == Attendance.PRESENT)
    return check_quorum(members=len(members), present_members=present, threshold=meeting.meeting_type.quorum)


def topic_quorum_for(topic: Topic, participants=None):
    """R-QU-2: quorum checked per topic; personnel topics need the special threshold."""
    meeting = topic.meeting
    rows = participants if participants is not None else list(meeting.participants.all())
    members = [p for p in rows if p.role == Role.MEMBER]
    present = sum(1 for p in members if p.attendance == Attendance.PRESENT)
    return check_topic_quorum(members=len(members), present_members=present,
                              meeting_threshold=meeting.meeting_type.quorum,
                              special_threshold=meeting.meeting_type.special_quorum,
                              is_personnel=topic.category.is_personnel)


def quorum_refusal(check, meeting_type: MeetingType, *, personnel: bool) -> TransitionRefused:
    key = "special_quorum" if personnel else "quorum"
    what = _("研究干部人事议题") if personnel else _("会议")
    error = TransitionRefused(
        _("%(what)s须有%(t)s成员到会：应到 %(m)s 人，需 %(r)s 人，实到 %(p)s 人，还差 %(n)s 人。") % {
            "what": what, "t": check.threshold.describe(), "m": check.members, "r": check.required,
            "p": check.present, "n": check.missing},
        clause=_clause(meeting_type, key))
    error.quorum_check = check  # the view records the refusal for the compliance view
    return error


@transaction.atomic
def start_meeting(*, actor, meeting: Meeting) -> Meeting:
    """R-QU-1: the meeting may proceed only with its quorum present."""
    meeting = _lock(Meeting, meeting.pk)
    if meeting.meeting_type.pre_meeting_filings:
        from .followup import missing_filings

        missing = missing_filings(meeting)
        if missing:
            raise TransitionRefused(_("以下成员尚未提交自我剖析和发言提纲，会议不能召开：%(names)s。") % {
                "names": "、".join(display_name(p) for p in missing)}, clause=_clause(meeting.meeting_type, "follow_up"))
    check = quorum_for(meeting)
    if not check.ok:
        raise quorum_refusal(check, meeting.meeting_type, personnel=False)
    meeting.held_at = timezone.now()
    _move(meeting, MeetingStatus.HELD, actor=actor, reason=_("会议开始"), extra=("held_at",))
    return meeting


@transaction.atomic
def close_meeting(*, actor, meeting: Meeting) -> Meeting:
    """End the meeting: members neither present nor on leave are absent unexcused (R-NO-3); each
    absent member gets a briefing record with its deadline (R-NO-4)."""
    meeting = _lock(Meeting, meeting.pk)
    open_topics = meeting.topics.filter(status__in=[TopicStatus.ACCEPTED, TopicStatus.DISCUSSING]).count()
    if open_topics:
        raise TransitionRefused(_("还有 %(n)s 个议题未作决定或暂缓。") % {"n": open_topics})
    _move(meeting, MeetingStatus.CLOSED, actor=actor, reason=_("会议结束"))
    for p in meeting.participants.filter(attendance=Attendance.EXPECTED):
        p.attendance = Attendance.ABSENT
        p._change_reason = _("会议结束时未签到，也未获准请假")
        p.save(update_fields=["attendance"])
    if meeting.meeting_type.brief_absentees:
        held_on = timezone.localtime(meeting.held_at or meeting.starts_at).date()
        due = workcal.add_workdays(held_on, meeting.meeting_type.briefing_deadline_workdays).date
        for p in meeting.participants.filter(role=Role.MEMBER, attendance__in=[Attendance.ABSENT, Attendance.LEAVE]):
            Briefing.objects.get_or_create(participant=p, defaults={"due": due})
    return meeting


# --- topics at the meeting: quorum, votes, decisions (R-QU-2, R-VO-1..4) --------------------------------

@transaction.atomic
def open_topic(*, actor, topic: Topic) -> Topic:
    """R-QU-2: a topic is opened for discussion only when its quorum is present."""
    topic = _lock(Topic, topic.pk)
    meeting = topic.meeting
    if meeting.status != MeetingStatus.HELD:
        raise TransitionRefused(_("会议开始后才能研究议题。"))
    check = topic_quorum_for(topic)
    if not check.ok:
        raise quorum_refusal(check, meeting.meeting_type, personnel=topic.category.is_personnel)
    _move_topic(topic, TopicStatus.DISCUSSING, actor=actor, reason=_("开始研究"))
    return topic


@transaction.atomic
def record_vote(*, actor, topic: Topic, member, choice: str) -> Vote:
    """R-VO-1, R-QU-4: one vote per member present; invitees and others never vote."""
    topic = _lock(Topic, topic.pk)
    if topic.status != TopicStatus.DISCUSSING:
        raise TransitionRefused(_("议题不在研究中，不能表决。"))
    if choice not in VoteChoice.values:
        raise TransitionRefused(_("表决意见须为赞成、反对或弃权。"))
    participant = topic.meeting.participants.filter(person=member).first()
    if participant is None:
        raise TransitionRefused(_("%(who)s 不是本次会议成员，不能表决。") % {"who": display_name(member)})
    if participant.role != Role.MEMBER:
        raise TransitionRefused(_("列席人员不参加表决。"), clause=_clause(topic.meeting.meeting_type, "members"))
    if participant.attendance != Attendance.PRESENT:
        raise TransitionRefused(_("%(who)s 未签到出席，不能表决。") % {"who": display_name(member)})
    if topic.category.is_personnel:
        check = topic_quorum_for(topic)
        if not check.ok:
            raise quorum_refusal(check, topic.meeting.meeting_type, personnel=True)
    if topic.votes.filter(member=member).exists():
        raise TransitionRefused(_("%(who)s 已对此议题表决，不能重复表决。") % {"who": display_name(member)})
    try:
        with transaction.atomic():
            return Vote.objects.create(topic=topic, member=member, choice=choice, recorded_by=actor)
    except IntegrityError as error:  # a concurrent second vote lost the race to the constraint
        raise TransitionRefused(_("%(who)s 已对此议题表决，不能重复表决。") % {"who": display_name(member)}) from error


@transaction.atomic
def decide_topic(*, actor, topic: Topic, decision: str, dissent: str = "") -> Topic:
    """R-VO-1, R-VO-2, R-VO-4: count the votes against the type's threshold and basis; record the
    decision and every differing opinion."""
    topic = _lock(Topic, topic.pk)
    meeting = topic.meeting
    t = meeting.meeting_type
    votes = list(topic.votes.all())
    counts = {c: sum(1 for v in votes if v.choice == c) for c in VoteChoice.values}
    participants = list(meeting.participants.all())
    members = [p for p in participants if p.role == Role.MEMBER]
    present = sum(1 for p in members if p.attendance == Attendance.PRESENT)
    if not votes:
        raise TransitionRefused(_("还没有人表决。仅通报的议题请选择“通报”。"))
    outcome = vote_outcome(votes_for=counts["for"], against=counts["against"], abstain=counts["abstain"],
                           members=len(members), present_members=present, threshold=t.vote_threshold,
                           basis=t.vote_basis)
    if counts["against"] and not dissent.strip():
        raise TransitionRefused(_("有反对票，须如实记录不同意见。"), clause=_clause(t, "recorder") or "R-VO-4")
    topic.votes_for, topic.votes_against, topic.votes_abstain = counts["for"], counts["against"], counts["abstain"]
    topic.decision, topic.dissent, topic.decided_at = decision.strip(), dissent.strip(), timezone.now()
    target = TopicStatus.PASSED if outcome.passed else TopicStatus.NOT_PASSED
    reason = _("赞成 %(f)s，反对 %(a)s，弃权 %(b)s；须赞成 %(r)s 票（%(t)s%(basis)s）") % {
        "f": counts["for"], "a": counts["against"], "b": counts["abstain"], "r": outcome.required,
        "t": t.vote_threshold.describe(), "basis": t.get_vote_basis_display()}
    _move_topic(topic, target, actor=actor, reason=reason,
                extra=("votes_for", "votes_against", "votes_abstain", "decision", "dissent", "decided_at"))
    from .followup import check_mandatory_matter

    check_mandatory_matter(topic=topic, actor=actor)
    return topic


@transaction.atomic
def defer_topic(*, actor, topic: Topic, reason: str) -> Topic:
    """R-VO-3: where views are sharply divided the vote is deferred; the topic goes to the next
    meeting of the same type and scope (R-AG-7)."""
    topic = _lock(Topic, topic.pk)
    if topic.meeting.status != MeetingStatus.HELD:
        raise TransitionRefused(_("会议开始后才能暂缓表决。"))
    if not reason.strip():
        raise TransitionRefused(_("暂缓表决须说明理由。"))
    topic.status_reason = reason.strip()[:500]
    topic.votes.all().delete()  # a deferred vote is not a vote: it is taken again next time
    _move_topic(topic, TopicStatus.DEFERRED, actor=actor, reason=reason.strip(), extra=("status_reason",))
    later = (Meeting.objects.filter(meeting_type=topic.meeting.meeting_type, unit=topic.meeting.unit,
                                    starts_at__gt=topic.meeting.starts_at, status=MeetingStatus.AGENDA_OPEN)
             .order_by("starts_at").first())
    if later is not None:
        carry_deferred_topics(meeting=later, actor=actor)
    return topic


@transaction.atomic
def note_topic(*, actor, topic: Topic, decision: str = "") -> Topic:
    """A topic for information is noted without a vote."""
    topic = _lock(Topic, topic.pk)
    if topic.meeting.status != MeetingStatus.HELD:
        raise TransitionRefused(_("会议开始后才能研究议题。"))
    topic.decision = decision.strip()
    _move_topic(topic, TopicStatus.NOTED, actor=actor, reason=_("通报"), extra=("decision",))
    return topic


@transaction.atomic
def record_briefing(*, actor, briefing: Briefing, method: str, note: str = "") -> Briefing:
    """R-NO-4: the office records when and how an absent member was told the decisions."""
    briefing = _lock(Briefing, briefing.pk)
    if briefing.briefed_at:
        raise TransitionRefused(_("已登记过传达情况。"))
    if not method.strip():
        raise TransitionRefused(_("请填写传达方式。"))
    briefing.briefed_at, briefing.briefed_by = timezone.now(), actor
    briefing.method, briefing.note = method.strip()[:100], note.strip()[:500]
    briefing._change_reason = _("登记会后传达")
    briefing.save(update_fields=["briefed_at", "briefed_by", "method", "note"])
    return briefing




__all__ = [
    "TransitionRefused", "approve_agenda", "ask_leave", "cancel_meeting", "carry_deferred_topics", "close_meeting",
    "decide_leave", "decide_topic", "defer_topic", "leave_approver", "may_schedule", "note_topic", "open_topic",
    "postpone_meeting", "propose_topic", "quorum_for", "record_briefing", "record_vote", "resolve_roles",
    "resubmit_topic", "return_agenda", "review_topic", "schedule_meeting", "schedulable_units", "send_notice",
    "sign_in", "start_meeting", "submit_agenda", "topic_quorum_for",
]
