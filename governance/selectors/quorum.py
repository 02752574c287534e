"""Who approves leave (R-NO-2) and whether a meeting or a topic has its quorum (R-QU-1, R-QU-2)."""

from __future__ import annotations

from django.utils import timezone

from governance.models import (
    Attendance,
    LeaveApprover,
    Meeting,
    Post,
    Role,
    Scope,
    Topic,
)
from governance.rules.quorum import check_quorum, check_topic_quorum
from governance.selectors.roles import holders


class UnitPosts:
    """Who held the unit posts of R-NO-2 (head, leader in charge) in some units, on any day: one query
    for all of them, answered per meeting as `holders` would (active people, by name)."""

    def __init__(self, unit_ids):
        from governance.models import Appointment

        self.rows = list(Appointment.objects.filter(unit_id__in=set(unit_ids), person__is_active=True,
                                                    post__in=[Post.UNIT_HEAD, Post.LEADER_IN_CHARGE])
                         .select_related("person__person").order_by("person__person__name", "person_id"))

    def holders(self, *, unit_id, post: str, on) -> list:
        seen, people = set(), []
        for a in self.rows:
            if (a.unit_id == unit_id and a.post == post and a.start <= on and (a.end is None or a.end >= on)
                    and a.person_id not in seen):
                seen.add(a.person_id)
                people.append(a.person)
        return people


def leave_approver(meeting: Meeting, applicant=None, posts: UnitPosts | None = None):
    """R-NO-2: the chair (PG) or the division head (DA) grants leave, and never their own: the head's
    own leave goes to the leader in charge of the division (分管领导), a chair's to the convener who
    entrusted them or whose meeting it is; where there is nobody above (the party secretary chairing and
    convening the party group), None: nobody grants a leave to himself."""
    on = timezone.localtime(meeting.starts_at).date()
    approver = meeting.chair
    by_head = meeting.meeting_type.leave_approver == LeaveApprover.UNIT_HEAD and meeting.unit_id

    def unit_post(post):
        if posts is not None:
            return posts.holders(unit_id=meeting.unit_id, post=post, on=on)
        return holders(bureau=meeting.bureau, post=post, on=on, unit=meeting.unit, scope=Scope.UNIT)

    if by_head:
        heads = unit_post(Post.UNIT_HEAD)
        if heads:
            approver = heads[0]
    if applicant is None or approver.pk != applicant.pk:
        return approver
    if by_head:
        above = unit_post(Post.LEADER_IN_CHARGE)
        above = [p for p in above if p.pk != applicant.pk]
        return above[0] if above else None
    return meeting.convener if meeting.convener_id != applicant.pk else None


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
