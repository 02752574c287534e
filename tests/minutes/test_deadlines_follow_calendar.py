"""R-MI-4, R-NO-4: deadlines follow the working-day calendar as it stands now and count from the
meeting's end (处务会结束后3个工作日内). An administrator who enters a holiday later moves every screen
together: the minutes page, the on-time verdict, the compliance view, the Supervision Office's filter, the
minutes register and the sweep.

The week used: Friday 13 November 2026 to Monday 23 November 2026, no official holiday in it. A DA
meeting starts on Friday 13th and is closed on Monday 16th; three working days after the end: Thursday
19th. The administrator then declares Wednesday 18th a holiday: the last day becomes Friday 20th."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Alert, Breach, CalendarDay, Meeting, MeetingType
from governance.selectors import ledgers
from governance.selectors.compliance import compliance
from governance.selectors.deadlines import minutes_deadlines
from governance.selectors.due_dates import attach_briefing_due
from governance.services import scheduling
from governance.services.sweep import sweep
from minutes.models import Minutes
from minutes.selectors import attach_due, on_time, supervision_list
from minutes.services import drafting

D = datetime.date


def at(day: D, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ended_da(presets, *, unit=None, head=None) -> Meeting:
    """A DA started on Friday 13 November 2026 and closed on Monday 16th (moved into the past as setup)."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    meeting = scheduling.schedule_meeting(actor=head or presets.head, meeting_type=da, unit=unit or presets.trade,
                                          starts_at=timezone.localtime() + datetime.timedelta(days=1), place="会议室")
    Meeting.objects.filter(pk=meeting.pk).update(status="closed", starts_at=at(D(2026, 11, 13), 9),
                                                 held_at=at(D(2026, 11, 13), 9), ended_at=at(D(2026, 11, 16), 17))
    return Meeting.objects.get(pk=meeting.pk)


def sent_on(presets, meeting: Meeting, day: D) -> Minutes:
    revision = drafting.start_minutes(actor=meeting.recorder or meeting.chair, meeting=meeting)
    drafting.submit_revision(actor=revision.drafted_by, revision=revision)
    drafting.approve_revision(actor=meeting.chair, revision=revision)
    Minutes.objects.filter(pk=revision.minutes_id).update(distributed_at=at(day, 16))  # sent that afternoon
    return Minutes.objects.get(pk=revision.minutes_id)


def holiday_on_wednesday_18th() -> None:
    # What the calendar admin's form saves: a weekday holiday the official data did not have.
    CalendarDay.objects.create(date=D(2026, 11, 18), is_workday=False, name="临时放假", source="admin")


def due(minutes: Minutes) -> D:
    return attach_due([Minutes.objects.select_related("meeting__meeting_type").get(pk=minutes.pk)])[0].due


def verdict(minutes: Minutes) -> bool | None:
    return on_time(attach_due([Minutes.objects.get(pk=minutes.pk)])[0])


def november(presets):
    cols, rows = compliance(bureau=presets.bureau, year=2026, granularity="month", today=D(2026, 11, 30))
    cell = next(r for r in rows if r.key == "trade").cells["2026-11"]
    return cell.minutes_on_time, cell.minutes_late


def test_r_mi_4_the_deadline_counts_from_the_end_of_the_meeting(presets):
    """R-MI-4: from the end (Monday 16th), not the start (Friday 13th, which would give Wednesday 18th)."""
    minutes = sent_on(presets, ended_da(presets), D(2026, 11, 19))
    assert due(minutes) == D(2026, 11, 19)
    assert verdict(minutes) is True  # sent on the last working day: on time


def test_r_mi_4_closing_the_meeting_records_its_end(presets, closed_da):
    """R-MI-4: the end is recorded when the meeting is closed."""
    assert closed_da.ended_at is not None
    assert closed_da.ended_at >= closed_da.held_at


def test_r_mi_4_a_holiday_entered_later_moves_every_screen(client, presets):
    """R-MI-4: sent on Friday 20th: late while Thursday 19th was the last day; on time once Wednesday
    18th is a holiday. The page, the verdict, the compliance view, the register and the filter agree."""
    minutes = sent_on(presets, ended_da(presets), D(2026, 11, 20))
    url = reverse("minutes_detail", args=[minutes.pk])
    client.force_login(presets.head)
    page = client.get(url).content.decode()
    assert "2026-11-19" in page and "逾期分送" in page
    assert due(minutes) == D(2026, 11, 19) and verdict(minutes) is False
    assert november(presets) == (0, 1)
    assert minutes not in supervision_list(presets.supervisor, timeliness="on_time")
    assert minutes in supervision_list(presets.supervisor, timeliness="late")

    holiday_on_wednesday_18th()

    page = client.get(url).content.decode()
    assert "2026-11-20" in page and "按期分送" in page and "2026-11-19" not in page
    assert due(minutes) == D(2026, 11, 20) and verdict(minutes) is True
    assert november(presets) == (1, 0)
    assert minutes in supervision_list(presets.supervisor, timeliness="on_time")
    assert minutes not in supervision_list(presets.supervisor, timeliness="late")
    regs = ledgers.registers(user=presets.supervisor, bureau=presets.bureau, unit="", type="", whole_bureau=True,
                             start=D(2026, 1, 1), end=D(2026, 12, 31))
    [row] = [r for r in regs["minutes"].rows() if r[0] == minutes.number]
    assert (row[5], row[7]) == ("2026-11-20", "按期")
    client.force_login(presets.supervisor)
    screen = client.get(reverse("minutes_supervision") + "?timeliness=on_time").content.decode()
    assert minutes.number in screen and "2026-11-20" in screen


def test_r_mi_4_after_the_holiday_the_next_working_day_is_late(presets):
    """R-MI-4: the boundary after the amendment: Friday 20th on time, Monday 23rd late."""
    holiday_on_wednesday_18th()
    last_day = sent_on(presets, ended_da(presets), D(2026, 11, 20))
    next_day = sent_on(presets, ended_da(presets, unit=presets.invest, head=presets.other_head), D(2026, 11, 23))
    assert (verdict(last_day), verdict(next_day)) == (True, False)
    assert minutes_from(presets, "on_time") == {last_day.pk}
    assert minutes_from(presets, "late") == {next_day.pk}


def minutes_from(presets, timeliness: str) -> set[int]:
    return set(supervision_list(presets.supervisor, timeliness=timeliness).values_list("pk", flat=True))


def test_r_mi_4_the_sweep_follows_the_amended_calendar(presets):
    """R-MI-4, R-CA-2: minutes not sent: reminded for Thursday 19th; the holiday is entered; on Friday
    20th no escalation (the last day is now the 20th), on Monday 23rd the escalation and the breach, due the 20th."""
    meeting = ended_da(presets)
    [item] = [d for d in minutes_deadlines(D(2026, 11, 18)) if d.subject == f"minutes:{meeting.pk}"]
    assert item.due == D(2026, 11, 19)
    sweep(today=D(2026, 11, 18))
    assert set(Alert.objects.filter(subject=f"minutes:{meeting.pk}").values_list("kind", "due")) == {
        ("reminder", D(2026, 11, 19))}

    holiday_on_wednesday_18th()

    [item] = [d for d in minutes_deadlines(D(2026, 11, 20)) if d.subject == f"minutes:{meeting.pk}"]
    assert item.due == D(2026, 11, 20)
    sweep(today=D(2026, 11, 20))
    assert not Alert.objects.filter(kind="escalation").exists() and not Breach.objects.exists()
    sweep(today=D(2026, 11, 23))
    assert Breach.objects.get(subject=f"minutes:{meeting.pk}").due == D(2026, 11, 20)


def test_r_no_4_briefing_deadline_counts_from_the_end_and_follows_the_calendar(client, presets):
    """R-NO-4: a briefing's last day is three working days after the end, as the calendar now stands,
    on the meeting page and in the sweep alike."""
    from governance.models import Briefing, Participant, Role
    from governance.selectors.deadlines import briefing_deadlines

    meeting = ended_da(presets)
    absent = Participant.objects.filter(meeting=meeting, role=Role.MEMBER).exclude(person=presets.head).first()
    briefing = Briefing.objects.create(participant=absent)

    def shown() -> D:
        return attach_briefing_due(Briefing.objects.filter(pk=briefing.pk).select_related(
            "participant__meeting__meeting_type"))[0].due

    def swept() -> D:
        return next(d.due for d in briefing_deadlines(D(2026, 11, 18)) if d.subject == f"briefing:{briefing.pk}")

    assert shown() == swept() == D(2026, 11, 19)
    holiday_on_wednesday_18th()
    assert shown() == swept() == D(2026, 11, 20)
    client.force_login(presets.head)
    assert "2026-11-20" in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()


@pytest.mark.parametrize(("sent", "expected"), [(D(2026, 11, 19), True), (D(2026, 11, 20), False)])
def test_r_mi_4_without_the_amendment_thursday_is_the_last_day(presets, sent, expected):
    """R-MI-4: the boundary on the calendar as loaded: Thursday 19th on time, Friday 20th late."""
    assert verdict(sent_on(presets, ended_da(presets), sent)) is expected
