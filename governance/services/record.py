"""The meeting record (会议记录, R-MI-8): the recorder's entries during the meeting, and the lock that
the minutes' approval puts on it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Meeting, RecordEntry, Role, Topic
from governance.rules.refusals import TransitionRefused
from governance.selectors.confidential import Reader
from governance.selectors.record import may_keep_record
from governance.services.common import record_event

TEXT_MAX = 20000


def _kept(actor, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("meeting_type").get(pk=meeting.pk)
    if meeting.record_locked_at:
        raise TransitionRefused(_("纪要已审定，会议记录已锁定，不能再修改。"))
    if not may_keep_record(actor, meeting):
        raise TransitionRefused(_("会议记录由本次会议的记录人在会议开始后填写。"))
    return meeting


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(_("请填写发言要点。"))
    if len(text) > TEXT_MAX:
        raise TransitionRefused(_("发言要点不能超过 %(n)d 字。") % {"n": TEXT_MAX})
    return text


@transaction.atomic
def add_entry(*, actor, meeting: Meeting, text: str, topic: Topic | None = None, speaker=None) -> RecordEntry:
    """R-MI-8: one entry of the record: on a topic of this meeting (or the meeting as a whole), by a
    speaker who is at the meeting (a member, an invitee, the chair), as the recorder typed it."""
    meeting = _kept(actor, meeting)
    if topic is not None:
        if topic.meeting_id != meeting.pk:
            raise TransitionRefused(_("这个议题不属于本次会议。"))
        if not Reader(actor).may_read(topic):
            raise TransitionRefused(_("您无权记录这个保密议题。"))
    if speaker is not None and speaker.pk != meeting.chair_id and not meeting.participants.filter(
            person=speaker, role__in=[Role.MEMBER, Role.INVITEE]).exists():
        raise TransitionRefused(_("发言人须是本次会议的参会人员。"))
    entry = RecordEntry(meeting=meeting, topic=topic, speaker=speaker, text=_text(text), recorded_by=actor)
    entry._change_reason = _("记录")
    entry.save()
    return entry


@transaction.atomic
def edit_entry(*, actor, entry: RecordEntry, text: str) -> RecordEntry:
    """Correct an entry before the lock; every earlier wording stays in its history."""
    entry = RecordEntry.objects.select_for_update().get(pk=entry.pk)
    _kept(actor, entry.meeting)
    entry.text = _text(text)
    entry._change_reason = _("修改记录")
    entry.save(update_fields=["text"])
    return entry


def lock_record(*, meeting: Meeting, actor) -> None:
    """R-MI-8: the record is locked when the minutes drafted from it are approved (first approval)."""
    if Meeting.objects.filter(pk=meeting.pk, record_locked_at__isnull=True).update(record_locked_at=timezone.now()):
        meeting.refresh_from_db(fields=["record_locked_at"])
        record_event(meeting, from_state=meeting.status, to_state=meeting.status, actor=actor,
                     reason=_("纪要审定，会议记录锁定"))
