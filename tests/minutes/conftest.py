"""A division affairs meeting of 外贸处 that has been held and closed, ready for its minutes."""

import datetime

import pytest
from django.utils import timezone

from governance.models import MeetingType
from governance.services import agenda, attendance, scheduling, voting


@pytest.fixture
def closed_da(presets):
    """A DA meeting of 外贸处: two topics, one passed, one deferred; the staff member on leave."""
    return make_closed_da(presets)


def make_closed_da(presets, days: int = 2):
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    starts = (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=starts,
                                   place="外贸处会议室")
    funds = agenda.propose_topic(actor=presets.head, meeting=meeting, category=da.categories.get(code="funds"),
                              title="外贸发展专项资金划拨方案")
    agenda.propose_topic(actor=presets.head, meeting=meeting, category=da.categories.get(code="trips"),
                              title="组织赴港招商")
    agenda.submit_agenda(actor=presets.head, meeting=meeting)
    for t in meeting.topics.all():  # including a topic carried from an earlier deferral (R-AG-7)
        agenda.review_topic(actor=presets.head, topic=t, decision="accept")
    agenda.approve_agenda(actor=presets.head, meeting=meeting)
    agenda.send_notice(actor=presets.head, meeting=meeting)
    leave = attendance.ask_leave(actor=presets.staff, meeting=meeting, reason="出差")
    attendance.decide_leave(actor=presets.head, leave=leave, grant=True)
    attendance.sign_in(actor=presets.head, meeting=meeting, person=presets.head)
    attendance.start_meeting(actor=presets.head, meeting=meeting)
    voting.open_topic(actor=presets.head, topic=funds)
    voting.record_vote(actor=presets.head, topic=funds, member=presets.head, choice="for")
    voting.decide_topic(actor=presets.head, topic=funds, decision="同意按方案划拨。")
    for t in meeting.topics.exclude(pk=funds.pk):
        voting.defer_topic(actor=presets.head, topic=t, reason="待局里统一安排")
    attendance.close_meeting(actor=presets.head, meeting=meeting)
    meeting.refresh_from_db()
    return meeting
