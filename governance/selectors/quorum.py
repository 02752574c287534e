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


def leave_approver(meeting: Meeting):
    """R-NO-2: the chair (PG) or the division head (DA) grants leave."""
    if meeting.meeting_type.leave_approver == LeaveApprover.UNIT_HEAD and meeting.unit_id:
        heads = holders(bureau=meeting.bureau, post=Post.UNIT_HEAD, on=timezone.localtime(meeting.starts_at).date(),
                        unit=meeting.unit, scope=Scope.UNIT)
        if heads:
            return heads[0]
    return meeting.chair


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
