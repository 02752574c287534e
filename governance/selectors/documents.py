"""Snapshots for the meeting's own documents, the 会议通知 and the 签到表: plain values for the
renderers in governance.documents, with R-CO-1 applied here (a confidential topic's title only for
those who may read it)."""

from __future__ import annotations

from django.utils import timezone

from governance.documents.attendance import AttendanceRow, AttendanceSnapshot
from governance.documents.notice import NoticeSnapshot
from governance.models import Attendance, Meeting, Role, TopicStatus
from governance.selectors.confidential import readable_topic_ids
from governance.selectors.org import display_name

__all__ = ["attendance_snapshot", "notice_snapshot"]


def notice_snapshot(user, meeting: Meeting) -> NoticeSnapshot:
    """The meeting notice as `user` may read it (R-CO-1: a confidential topic's title only for readers)."""
    participants = list(meeting.participants.select_related("person__person"))
    topics = list(meeting.topics.filter(status__in=[TopicStatus.ACCEPTED, TopicStatus.DISCUSSING, TopicStatus.PASSED,
                                                     TopicStatus.NOT_PASSED, TopicStatus.DEFERRED, TopicStatus.NOTED])
                  .select_related("category").order_by("order"))
    readable = readable_topic_ids(user, meeting, [t.pk for t in topics if t.category.confidential])
    return NoticeSnapshot(
        bureau=meeting.bureau.name, issuing_unit=meeting.unit.name if meeting.unit else "办公室", title=meeting.title,
        meeting_type=meeting.meeting_type.name, starts_at=timezone.localtime(meeting.starts_at), place=meeting.place,
        chair=display_name(meeting.chair), members=[display_name(p.person) for p in participants if p.role == Role.MEMBER],
        invitees=[display_name(p.person) for p in participants if p.role == Role.INVITEE],
        topics=[t.title if (not t.category.confidential or t.pk in readable) else "（保密议题）" for t in topics],
        issued_on=timezone.localtime(meeting.notice_sent_at).date() if meeting.notice_sent_at else timezone.localdate())


def attendance_snapshot(meeting: Meeting) -> AttendanceSnapshot:
    """The attendance sheet: every participant with their posts, attendance and sign-in time."""
    labels = dict(Attendance.choices)
    rows = []
    for p in (meeting.participants.select_related("person__person").prefetch_related("person__appointments__unit")
              .order_by("role", "person__person__name")):
        posts = "、".join(str(a) for a in p.person.appointments.all()[:2])
        rows.append(AttendanceRow(name=display_name(p.person), role=str(Role(p.role).label), unit_or_post=posts,
                                  status=str(labels[p.attendance]),
                                  signed_at=timezone.localtime(p.signed_in_at).strftime("%H:%M") if p.signed_in_at else ""))
    return AttendanceSnapshot(bureau=meeting.bureau.name, title=meeting.title,
                              starts_at=timezone.localtime(meeting.starts_at), place=meeting.place, rows=rows)
