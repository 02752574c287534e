"""Cadence on its side paths (issue 12: items 9, 10): a period with no working day is due nothing, the
fixed weekday (`cadence_weekday`) is the due day and moves to the next working day when it is a holiday,
and a type that may not be called ad hoc (`ad_hoc_allowed`) refuses a meeting outside its cadence.

The dates are the official 2026 calendar as chinesecalendar has it (the `org` fixture loads it): the
Spring Festival holiday runs Sunday 15 to Monday 23 February 2026, so the week of Monday 16 February has
no working day, Monday 23 February is a holiday and Saturday 14 and 28 February are make-up working days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Alert, Breach, BreachKind, CalendarDay, Meeting, MeetingType
from governance.rules.deadlines import expected_day
from governance.rules.refusals import TransitionRefused
from governance.selectors import workdays as workcal
from governance.services import scheduling
from governance.services.sweep import sweep

D = datetime.date


def at(day: D, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def february_2026(monkeypatch):
    """The clock stands at Friday 20 February 2026, 08:00, inside the Spring Festival holiday."""
    frozen = at(D(2026, 2, 20), 8)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


def mm(presets):
    return MeetingType.objects.get(bureau=presets.bureau, code="MM")


def test_r_ca_1_the_calendar_in_the_repo_has_the_2026_spring_festival(org):
    """R-CA-1: the boundaries the tests below rely on, read from the loaded calendar."""
    cal = workcal.load_calendar(D(2026, 2, 1), D(2026, 3, 1))
    assert [d for d in (D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 15)) if cal.is_workday(d)] == [
        D(2026, 2, 13), D(2026, 2, 14)]
    assert not any(cal.is_workday(D(2026, 2, n)) for n in range(15, 24))
    assert cal.is_workday(D(2026, 2, 24)) and cal.is_workday(D(2026, 2, 28))


def test_r_ca_1_expected_day_of_a_period(org):
    """R-CA-1: the Monday; the next working day when the Monday is a holiday; none in a week without a
    working day; a month's last working day (a make-up Saturday counts)."""
    cal = workcal.load_calendar(D(2026, 2, 1), D(2026, 3, 31))
    assert expected_day(D(2026, 2, 9), D(2026, 2, 15), 0, cal) == D(2026, 2, 9)
    assert expected_day(D(2026, 2, 16), D(2026, 2, 22), 0, cal) is None
    assert expected_day(D(2026, 2, 23), D(2026, 3, 1), 0, cal) == D(2026, 2, 24)
    assert expected_day(D(2026, 2, 1), D(2026, 2, 28), None, cal) == D(2026, 2, 28)
    assert expected_day(D(2026, 3, 1), D(2026, 3, 31), None, cal) == D(2026, 3, 31)


def _tracking(presets):
    presets.bureau.cadence_since = D(2026, 2, 1)
    presets.bureau.save()


def test_r_ca_1_the_spring_festival_week_records_no_missed_monday_meeting(presets):
    """R-CA-1: the week of 16 February 2026 has no working day: no breach, no escalation."""
    _tracking(presets)
    sweep(today=D(2026, 2, 23))
    assert not Breach.objects.filter(kind=BreachKind.CADENCE_MISSED, meeting_type__code="MM").exists()
    assert not Alert.objects.filter(subject="cadence:MM:bureau:2026-W08").exists()


def test_r_ca_1_a_week_whose_monday_is_a_holiday_is_due_on_the_tuesday(presets):
    """R-CA-1, `cadence_weekday`: in the week of 23 February 2026 the Monday is a holiday: the reminder
    is due on Tuesday 24 February, and the week that ended without a meeting is a breach."""
    _tracking(presets)
    sweep(today=D(2026, 2, 23))
    reminders = Alert.objects.filter(subject="cadence:MM:bureau:2026-W09", kind="reminder")
    assert set(reminders.values_list("due", flat=True)) == {D(2026, 2, 24)}
    assert set(reminders.values_list("recipient__username", flat=True)) == {"secretary"}  # the director convenes
    sweep(today=D(2026, 3, 2))
    missed = Breach.objects.get(kind=BreachKind.CADENCE_MISSED, subject="cadence:MM:bureau:2026-W09")
    assert missed.due == D(2026, 3, 1)


def test_r_ca_1_a_monday_meeting_held_on_the_tuesday_after_the_holiday_meets_the_cadence(presets, february_2026):
    """R-CA-1: the boundary: the meeting held on Tuesday 24 February 2026 keeps the week."""
    _tracking(presets)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=mm(presets), starts_at=at(D(2026, 2, 24)),
                                          place="会议室")
    Meeting.objects.filter(pk=meeting.pk).update(status="closed", held_at=at(D(2026, 2, 24)))
    sweep(today=D(2026, 3, 2))
    assert not Breach.objects.filter(kind=BreachKind.CADENCE_MISSED, subject="cadence:MM:bureau:2026-W09").exists()


def test_r_ca_1_a_monday_meeting_may_not_be_called_on_another_day(presets, february_2026):
    """R-CA-1, `ad_hoc_allowed` off and `cadence_weekday` Monday: the holiday Monday and the Wednesday
    are refused, the Tuesday after the holiday is accepted, a second one that week is refused, and the
    week without a working day takes none."""
    t = mm(presets)
    with pytest.raises(TransitionRefused, match="2026-02-24"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 2, 23)), place="会议室")
    with pytest.raises(TransitionRefused, match="2026-02-24"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 2, 25)), place="会议室")
    with pytest.raises(TransitionRefused, match="没有工作日"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 2, 21)), place="会议室")
    scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 2, 24)), place="会议室")
    with pytest.raises(TransitionRefused, match="已安排 1 次"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 2, 24), 15), place="会议室")
    scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 3, 2)), place="会议室")
    assert Meeting.objects.filter(meeting_type=t).count() == 2


def test_r_ca_1_a_monday_meeting_may_not_be_postponed_out_of_its_cadence(presets, february_2026):
    """R-CA-1: postponing is scheduling again: Tuesday 24 to Wednesday 25 February 2026 is refused."""
    t = mm(presets)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=at(D(2026, 2, 24)), place="会议室")
    with pytest.raises(TransitionRefused, match="2026-02-24"):
        scheduling.postpone_meeting(actor=presets.clerk, meeting=meeting, starts_at=at(D(2026, 2, 25)), reason="局长出差")
    scheduling.postpone_meeting(actor=presets.clerk, meeting=meeting, starts_at=at(D(2026, 2, 24), 15), reason="上午有会")


def test_r_ca_1_a_yearly_meeting_that_may_not_be_called_ad_hoc_meets_once_a_year(presets, february_2026):
    """R-CA-1: the democratic life meeting (每年召开一次, not ad hoc): one in 2026, a second refused,
    the next year's accepted."""
    dl = MeetingType.objects.get(bureau=presets.bureau, code="DL")
    scheduling.schedule_meeting(actor=presets.clerk, meeting_type=dl, starts_at=at(D(2026, 3, 10)), place="会议室")
    with pytest.raises(TransitionRefused, match="已安排 1 次"):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=dl, starts_at=at(D(2026, 12, 31)), place="会议室")
    scheduling.schedule_meeting(actor=presets.clerk, meeting_type=dl, starts_at=at(D(2027, 1, 5)), place="会议室")


def test_r_ca_1_a_type_that_may_be_called_ad_hoc_takes_a_second_meeting(presets, february_2026):
    """R-CA-1: the boundary: the division meeting (也可因工作急需随时召开) meets twice in a month."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    for day in (D(2026, 3, 3), D(2026, 3, 4)):
        scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=at(day),
                                    place="会议室")
    assert Meeting.objects.filter(meeting_type=da).count() == 2


def test_r_ca_1_the_schedule_form_refuses_a_monday_meeting_on_another_day(client, presets):
    """R-CA-1 through the URL, on a future week whose Monday an administrator entered as a holiday."""
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=14 - today.weekday())
    CalendarDay.objects.update_or_create(date=monday, defaults={"is_workday": False, "name": "测试假日"})
    tuesday, wednesday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=2)
    CalendarDay.objects.filter(date__in=[tuesday, wednesday]).delete()  # both working days in this test
    client.force_login(presets.clerk)
    for day in (monday, wednesday):
        response = client.post(reverse("meeting_new"), {"meeting_type": mm(presets).pk, "place": "会议室",
                                                        "starts_at": f"{day.isoformat()}T09:00"})
        assert response.status_code == 200 and tuesday.isoformat() in response.content.decode()
    assert not Meeting.objects.exists()
    client.post(reverse("meeting_new"), {"meeting_type": mm(presets).pk, "place": "会议室",
                                         "starts_at": f"{tuesday.isoformat()}T09:00"})
    assert Meeting.objects.get().starts_at.date() == tuesday


def test_r_ca_1_a_type_with_no_cadence_must_be_allowed_ad_hoc(presets):
    """R-CA-1: a type that meets irregularly and may not be called ad hoc could never meet: refused."""
    from django.core.exceptions import ValidationError

    do = MeetingType.objects.get(bureau=presets.bureau, code="DO")
    do.ad_hoc_allowed = False
    with pytest.raises(ValidationError, match="不定期召开的会议只能临时召开"):
        do.full_clean()


def test_r_ca_1_the_compliance_view_counts_no_week_without_a_working_day(presets):
    """R-CA-1: February 2026 for the Monday meeting, judged on 2 March: the weeks of 2 and 9 February
    were due (and missed), the Spring Festival week was not; the week of 23 February counts in March."""
    from governance.selectors.compliance import compliance

    MeetingType.objects.filter(bureau=presets.bureau).exclude(code="MM").update(active=False)
    _tracking(presets)
    _cols, rows = compliance(bureau=presets.bureau, year=2026, granularity="month", today=D(2026, 3, 2))
    bureau = next(r for r in rows if r.key == "bureau").cells
    assert (bureau["2026-02"].due, bureau["2026-02"].missed) == (2, 2)
    assert (bureau["2026-03"].due, bureau["2026-03"].missed) == (1, 1)
