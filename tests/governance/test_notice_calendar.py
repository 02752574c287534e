"""R-NO-1: whether a notice went out late is judged on the calendar as it stands now: a meeting on Monday
23 November 2026 whose type asks two working days' notice, noticed on Thursday 19th, had exactly two
(Friday 20th and the Monday itself: on time, the boundary); once an administrator declares Friday 20th a
holiday it had one (late). The meeting page and the meetings register move together."""

import datetime

from django.urls import reverse
from django.utils import timezone

from governance.models import CalendarDay, Meeting, MeetingType
from governance.selectors import ledgers
from governance.selectors.due_dates import attach_notice_late
from governance.services import agenda, scheduling

D = datetime.date


def noticed_thursday_for_monday(presets) -> Meeting:
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    MeetingType.objects.filter(pk=pg.pk).update(notice_lead_workdays=2)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, place="会议室",
                                          starts_at=timezone.localtime() + datetime.timedelta(days=5))
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="other"),
                                 title="通报事项")
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    agenda.review_topic(actor=presets.secretary, topic=topic, decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    # Test setup: the notice went out on Thursday 19 November for a meeting on Monday 23rd.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.make_aware(datetime.datetime(2026, 11, 23, 9)),
        notice_sent_at=timezone.make_aware(datetime.datetime(2026, 11, 19, 10)))
    return Meeting.objects.get(pk=meeting.pk)


def late(meeting) -> bool:
    return attach_notice_late([Meeting.objects.select_related("meeting_type").get(pk=meeting.pk)])[0].notice_late


def register_says(presets, meeting) -> str:
    regs = ledgers.registers(user=presets.supervisor, bureau=presets.bureau, unit="", type="", whole_bureau=True,
                             start=D(2026, 1, 1), end=D(2026, 12, 31))
    return next(r[-1] for r in regs["meetings"].rows() if r[0] == meeting.title)


def test_r_no_1_a_holiday_entered_later_makes_the_notice_late_on_every_screen(client, presets):
    """R-NO-1."""
    meeting = noticed_thursday_for_monday(presets)
    client.force_login(presets.secretary)
    url = reverse("meeting_detail", args=[meeting.pk])
    assert late(meeting) is False and register_says(presets, meeting) == "否"
    assert 'data-testid="notice-late"' not in client.get(url).content.decode()
    CalendarDay.objects.create(date=D(2026, 11, 20), is_workday=False, name="临时放假", source="admin")
    assert late(meeting) is True and register_says(presets, meeting) == "是"
    assert 'data-testid="notice-late"' in client.get(url).content.decode()


def test_r_no_1_one_working_day_short_is_late(presets):
    """R-NO-1: the boundary on the calendar as loaded: three working days asked, two given: late."""
    meeting = noticed_thursday_for_monday(presets)
    assert late(meeting) is False
    MeetingType.objects.filter(pk=meeting.meeting_type_id).update(notice_lead_workdays=3)
    assert late(meeting) is True
