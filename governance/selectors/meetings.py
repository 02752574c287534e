"""Reads for the meeting screens, shaped so that a page costs the same queries however many rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from governance.models import (
    Attendance,
    Briefing,
    LeaveRequest,
    LeaveStatus,
    Material,
    Meeting,
    MeetingStatus,
    Participant,
    Role,
    Topic,
    TopicStatus,
    Transition,
    UnitOpinion,
    Vote,
)
from governance.permissions import granted_perms, visible_meetings
from governance.selectors.confidential import Reader
from governance.selectors.due_dates import attach_briefing_due, attach_notice_late
from governance.selectors.followup import consultation_status
from governance.selectors.quorum import UnitPosts, leave_approver, quorum_for, topic_quorum_for


@dataclass
class TopicRow:
    topic: Topic
    readable: bool
    quorum: object
    votes: list = field(default_factory=list)
    materials: list = field(default_factory=list)
    voted_ids: set = field(default_factory=set)
    consultation: dict | None = None  # R-VO-5: consulted, not yet, total, for a topic carried after a deferral


def _consultation(topic) -> dict | None:
    status = consultation_status(topic)
    if status is None:
        return None
    done, missing = status
    opinions = list(topic.carried_from.consultations.select_related("member__person").order_by("recorded_at"))
    return {"done": done, "missing": missing, "total": len(done) + len(missing), "opinions": opinions}


@dataclass
class MeetingPage:
    meeting: Meeting
    perms: set[str]
    participants: list[Participant]
    members: list[Participant]
    invitees: list[Participant]
    quorum: object
    topics: list[TopicRow]
    me: Participant | None
    my_leave: LeaveRequest | None
    pending_leaves: list[LeaveRequest]
    is_leave_approver: bool
    briefings: list[Briefing]
    transitions: list[Transition]
    present_members: list[Participant]


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the site's time zone: filters compare the indexed column with it
    (a `__date` lookup wraps the column in a function, which no index serves)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meeting_list(user, *, status: str = "", type_code: str = "", upcoming: bool = False, unit: str = "",
                 start: datetime.date | None = None, end: datetime.date | None = None):
    """Meetings `user` may see, newest first, with what the list shows (`with_topic_counts` adds the
    topic counts of the rows actually shown)."""
    qs = visible_meetings(user).select_related("meeting_type", "unit", "chair__person").order_by("-starts_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if type_code:
        qs = qs.filter(meeting_type__code=type_code)
    if unit:
        qs = qs.filter(unit__code=unit)
    if start:
        qs = qs.filter(starts_at__gte=day_start(start))
    if end:
        qs = qs.filter(starts_at__lt=day_start(end + datetime.timedelta(days=1)))
    if upcoming:
        qs = qs.filter(starts_at__gte=timezone.now()).exclude(status=MeetingStatus.CANCELLED).order_by("starts_at")
    return qs


def with_topic_counts(meetings) -> list:
    """Set `topic_count` (topics neither withdrawn nor rejected) on each of `meetings`: one grouped query
    over these rows only, not a count over every topic before a page is taken."""
    meetings = list(meetings)
    counts = dict(Topic.objects.filter(meeting__in=[m.pk for m in meetings])
                  .exclude(status__in=[TopicStatus.WITHDRAWN, TopicStatus.REJECTED])
                  .order_by().values("meeting_id").annotate(n=Count("pk")).values_list("meeting_id", "n"))
    for m in meetings:
        m.topic_count = counts.get(m.pk, 0)
    return meetings


def approval_queue(user):
    """Agendas waiting for `user` to approve (R-AG-1..3)."""
    return (visible_meetings(user).filter(approver=user, status=MeetingStatus.AGENDA_SUBMITTED)
            .select_related("meeting_type", "unit").order_by("starts_at"))


def pending_leaves_for(user):
    """Leave requests waiting for `user` to decide (R-NO-2), across meetings."""
    from governance.models import Appointment, Post

    # Only where `user` could be the approver: the chair or convener, the head or leader in charge of
    # the meeting's unit; then each by R-NO-2, the units' posts read once for all rows.
    units = Appointment.objects.filter(person=user, post__in=[Post.UNIT_HEAD, Post.LEADER_IN_CHARGE]).values("unit_id")
    rows = list(LeaveRequest.objects.filter(status=LeaveStatus.PENDING, participant__meeting__in=visible_meetings(user))
                .filter(Q(participant__meeting__chair=user) | Q(participant__meeting__convener=user)
                        | Q(participant__meeting__unit__in=units))
                .select_related("participant__meeting__meeting_type", "participant__meeting__unit",
                                "participant__meeting__chair", "participant__meeting__convener",
                                "participant__meeting__bureau",
                                "participant__person__person")
                .order_by("participant__meeting__starts_at", "pk"))
    posts = UnitPosts(r.participant.meeting.unit_id for r in rows if r.participant.meeting.unit_id)
    return [r for r in rows
            if getattr(leave_approver(r.participant.meeting, r.participant.person, posts), "pk", None) == user.pk]


def meetings_between(user, start: datetime.datetime, end: datetime.datetime):
    return (visible_meetings(user).filter(starts_at__gte=start, starts_at__lt=end)
            .select_related("meeting_type", "unit").order_by("starts_at"))


def _topic_parts(meeting: Meeting) -> list:
    """What each topic row shows beside the topic, each one query for all topics, and only what this
    meeting's type can have: unit opinions where it consults units (R-AG-9), the meetings a decision
    went on to where it escalates (R-AG-10), votes and materials always."""
    mt = meeting.meeting_type
    parts = [Prefetch("votes", queryset=Vote.objects.select_related("member__person")),
             Prefetch("materials", queryset=Material.objects.order_by("uploaded_at"))]
    if mt.escalates_to:
        parts.append(Prefetch("escalated_to", queryset=Topic.objects.select_related("meeting")))
    if mt.consult_units_on_important:
        parts.append(Prefetch("unit_opinions", queryset=UnitOpinion.objects.select_related("unit")))
    return parts


def meeting_page(user, meeting: Meeting) -> MeetingPage:
    """Everything the meeting page shows, R-CO-1 applied: a confidential topic's content is marked
    unreadable for those who may not read it, and the template shows a placeholder instead."""
    perms = getattr(meeting, "granted", None) or granted_perms(user, meeting)
    if meeting.notice_sent_at:
        attach_notice_late([meeting])  # R-NO-1: as the calendar now stands
    else:
        meeting.notice_late = False
    participants = list(meeting.participants.select_related("person__person", "signed_in_by__person")
                        .prefetch_related(Prefetch("leave_requests", queryset=LeaveRequest.objects.order_by("-asked_at")))
                        .order_by("-role", "person__person__name"))  # members before invitees
    topics = list(meeting.topics.select_related("category", "proposer__person", "carried_from__meeting",
                                                "escalated_from__meeting")
                  .prefetch_related(*_topic_parts(meeting))
                  .order_by("order", "id"))
    reader = Reader.of_meeting(user, meeting, participants)  # R-CO-1: the one boundary
    rows = []
    for t in topics:
        readable = reader.may_read(t)
        votes = list(t.votes.all())
        rows.append(TopicRow(topic=t, readable=readable, quorum=topic_quorum_for(t, participants),
                             votes=votes if readable else [], materials=list(t.materials.all()) if readable else [],
                             voted_ids={v.member_id for v in votes},
                             consultation=_consultation(t) if t.carried_from_id and readable else None))
    me = next((p for p in participants if p.person_id == user.pk), None)
    my_leave = me.leave_requests.all()[0] if me and me.leave_requests.all() else None
    approver = leave_approver(meeting)
    # R-NO-2: each leave by its own approver (the head's own leave is not the head's to grant).
    pending = [lr for p in participants for lr in p.leave_requests.all() if lr.status == LeaveStatus.PENDING
               and getattr(approver if p.person_id != approver.pk else leave_approver(meeting, p.person), "pk",
                           None) == user.pk]
    # R-NO-4: absentees are briefed after the meeting; before it there is nothing to list.
    briefings = attach_briefing_due(Briefing.objects.filter(participant__meeting=meeting)
                                    .select_related("participant__person__person", "participant__meeting__meeting_type",
                                                    "briefed_by__person")) if meeting.ended_at or meeting.status in (
        MeetingStatus.HELD, MeetingStatus.CLOSED) else []
    from django.contrib.contenttypes.models import ContentType

    transitions = list(Transition.objects.filter(content_type=ContentType.objects.get_for_model(Meeting),
                                                 object_id=meeting.pk).select_related("actor__person"))
    members = [p for p in participants if p.role == Role.MEMBER]
    return MeetingPage(
        meeting=meeting, perms=perms, participants=participants, members=members,
        invitees=[p for p in participants if p.role == Role.INVITEE], quorum=quorum_for(meeting, participants),
        topics=rows, me=me, my_leave=my_leave, pending_leaves=pending,
        is_leave_approver=approver.pk == user.pk or bool(pending), briefings=briefings, transitions=transitions,
        present_members=[p for p in members if p.attendance == Attendance.PRESENT],
    )
