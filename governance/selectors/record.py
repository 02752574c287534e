"""Reads of the meeting record (会议记录, R-MI-8): who keeps it, who reads it, and what of it each
reader may see (R-CO-1 inside it)."""

from __future__ import annotations

from django.http import Http404

from governance.models import Meeting, MeetingStatus, MinutesBookGrant, RecordEntry
from governance.permissions import may_meeting
from governance.selectors.confidential import Reader


def may_keep_record(user, meeting: Meeting) -> bool:
    """R-MI-8: the meeting's recorder (or the General Office running it) types the record, from the
    start of the meeting until the minutes are approved."""
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.CLOSED) or meeting.record_locked_at:
        return False
    return user.pk == meeting.recorder_id or may_meeting(user, meeting, "manage")


def may_read_record(user, meeting: Meeting, *, perms: set[str] | None = None, members=None) -> bool:
    """R-MI-8, R-CO-2: the record is in the General Office's custody. Where the type's record book is
    read by grant (the party group, the democratic life meeting) only its recorder and those granted
    that book read it; otherwise also the meeting's chair and members and the office staff running it.
    `perms` (the person's rights on the meeting) and `members` are passed by a page that has them."""
    if not getattr(user, "is_authenticated", False) or meeting.status not in (MeetingStatus.HELD, MeetingStatus.CLOSED):
        return False
    if user.pk == meeting.recorder_id:
        return True
    if meeting.meeting_type.minutes_access_by_grant:
        return MinutesBookGrant.objects.filter(person=user, meeting_type=meeting.meeting_type,
                                               revoked_at__isnull=True).exists()
    if user.pk == meeting.chair_id or ("manage_meeting" in perms if perms is not None
                                       else may_meeting(user, meeting, "manage")):
        return True
    if members is not None:  # the meeting page has them loaded
        return any(p.person_id == user.pk for p in members)
    return meeting.participants.filter(person=user, role="member").exists()


def record_for(user, meeting_pk: int) -> tuple[Meeting, list[tuple]]:
    """The meeting and its record as `user` may read it: (topic or None, entries) in agenda order, a
    confidential topic's entries left out for whoever may not read the topic (R-CO-1)."""
    meeting = (Meeting.objects.select_related("meeting_type", "recorder__person", "chair__person")
               .filter(pk=meeting_pk).first())
    if meeting is None or not may_read_record(user, meeting):
        raise Http404("no such record")
    reader = Reader(user)
    entries = (RecordEntry.objects.filter(meeting=meeting)
               .select_related("topic__category", "speaker__person", "recorded_by__person"))
    by_topic: dict[int | None, list] = {}
    for entry in entries:
        by_topic.setdefault(entry.topic_id, []).append(entry)
    sections = [(None, by_topic.get(None, []))]
    for topic in meeting.topics.select_related("category", "meeting").order_by("order", "pk"):
        if topic.status in ("withdrawn", "rejected"):
            continue
        sections.append((topic, by_topic.get(topic.pk, []) if reader.may_read(topic) else None))
    return meeting, sections


def record_text(meeting: Meeting, topic) -> str:
    """A topic's record as plain lines (speaker: substance), for the minutes draft to start from."""
    lines = []
    for entry in RecordEntry.objects.filter(meeting=meeting, topic=topic).select_related("speaker__person"):
        who = entry.speaker.person.name if entry.speaker_id and hasattr(entry.speaker, "person") else ""
        lines.append(f"{who}：{entry.text}" if who else entry.text)
    return "\n".join(lines)


def archival_record(meeting: Meeting):
    """The complete record of `meeting` as a document snapshot, every topic included (the archive's
    copy, R-MI-9; who may download the package is the package's gate), or None when nothing was recorded."""
    from django.utils import timezone

    from governance.documents.record import RecordSection, RecordSnapshot
    from governance.selectors.org import display_name

    entries = list(RecordEntry.objects.filter(meeting=meeting).select_related("speaker__person"))
    if not entries:
        return None
    by_topic: dict[int | None, list] = {}
    for entry in entries:
        by_topic.setdefault(entry.topic_id, []).append((display_name(entry.speaker), entry.text))
    sections = [RecordSection("会议总体情况", tuple(by_topic.get(None, [])))] if by_topic.get(None) else []
    for topic in meeting.topics.exclude(status__in=["withdrawn", "rejected"]).order_by("order", "pk"):
        sections.append(RecordSection(topic.title, tuple(by_topic.get(topic.pk, []))))
    return RecordSnapshot(title=meeting.title, bureau=meeting.bureau.name,
                          starts_at=timezone.localtime(meeting.held_at or meeting.starts_at), place=meeting.place,
                          chair=display_name(meeting.chair), recorder=display_name(meeting.recorder),
                          sections=tuple(sections))
