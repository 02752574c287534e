"""Deadlines and cadence (R-CA-1, R-CA-2, R-MI-4, R-NO-1, R-NO-4): reminders before, escalations after,
each recorded once and sent once, through the real deadline path and the official calendar."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from governance.models import (
    Alert,
    Breach,
    BreachKind,
    Briefing,
    Delivery,
    Meeting,
    MeetingType,
    Notification,
    Participant,
)
from governance.rules.deadlines import alert_kind, cadence_due, period_label, period_of, previous_period
from governance.rules.workdays import WorkCalendar
from governance.selectors import workdays as workcal
from governance.services import scheduling
from governance.services.sweep import sweep
from minutes.services import drafting

D = datetime.date
MON_FRI = WorkCalendar()


def test_r_ca_2_reminder_window_and_escalation_are_exact():
    """R-CA-2."""
    due = D(2026, 11, 25)  # a Wednesday
    assert alert_kind(today=D(2026, 11, 23), due=due, remind_workdays=1, cal=MON_FRI) is None
    assert alert_kind(today=D(2026, 11, 24), due=due, remind_workdays=1, cal=MON_FRI) == "reminder"
    assert alert_kind(today=due, due=due, remind_workdays=1, cal=MON_FRI) == "reminder"
    assert alert_kind(today=D(2026, 11, 26), due=due, remind_workdays=1, cal=MON_FRI) == "escalation"


@pytest.mark.parametrize(("day", "cadence", "period"), [
    (D(2026, 11, 21), "week", (D(2026, 11, 16), D(2026, 11, 22))),
    (D(2026, 12, 31), "month", (D(2026, 12, 1), D(2026, 12, 31))),
    (D(2026, 2, 14), "month", (D(2026, 2, 1), D(2026, 2, 28))),
    (D(2026, 11, 21), "quarter", (D(2026, 10, 1), D(2026, 12, 31))),
    (D(2026, 1, 1), "year", (D(2026, 1, 1), D(2026, 12, 31))),
])
def test_r_ca_1_cadence_periods(day, cadence, period):
    """R-CA-1."""
    assert period_of(day, cadence) == period


def test_r_ca_1_previous_period_crosses_the_year_and_labels_are_stable():
    """R-CA-1."""
    assert previous_period(D(2026, 1, 15), "month") == (D(2025, 12, 1), D(2025, 12, 31))
    assert previous_period(D(2026, 1, 15), "quarter") == (D(2025, 10, 1), D(2025, 12, 31))
    assert period_label(D(2026, 10, 1), "quarter") == "2026-Q4" and period_label(D(2026, 11, 16), "week") == "2026-W47"


def test_r_ca_2_reminder_window_on_the_real_calendar_across_the_national_day(org):
    """R-CA-2: due Monday 12 October 2026, one working day's reminder: the working day before is the
    make-up Saturday 10th, so Friday 9th is quiet, the 10th, the Sunday and the Monday remind, the 13th escalates."""
    cal = workcal.load_calendar(D(2026, 10, 1), D(2026, 10, 31))
    due = D(2026, 10, 12)
    kinds = {day: alert_kind(today=D(2026, 10, day), due=due, remind_workdays=1, cal=cal) for day in (9, 10, 11, 12, 13)}
    assert kinds == {9: None, 10: "reminder", 11: "reminder", 12: "reminder", 13: "escalation"}
    # Over the holiday: due Thursday 8 October, the working day before it is Wednesday 30 September.
    assert alert_kind(today=D(2026, 9, 29), due=D(2026, 10, 8), remind_workdays=1, cal=cal) is None
    assert alert_kind(today=D(2026, 9, 30), due=D(2026, 10, 8), remind_workdays=1, cal=cal) == "reminder"


def test_r_ca_1_cadence_reminder_boundary_in_days_and_count():
    """R-CA-1: the month ends Monday 30 November 2026; five days' reminder: from Wednesday 25th (exactly
    five days), not on the 24th (six); a type asking two meetings a period is reminded after one, not two."""
    assert cadence_due(today=D(2026, 11, 25), cadence="month", held=0, minimum=1, remind_days=5) == (
        "reminder", D(2026, 11, 30))
    assert cadence_due(today=D(2026, 11, 24), cadence="month", held=0, minimum=1, remind_days=5) == (
        None, D(2026, 11, 30))
    assert cadence_due(today=D(2026, 11, 30), cadence="month", held=1, minimum=2, remind_days=5)[0] == "reminder"
    assert cadence_due(today=D(2026, 11, 30), cadence="month", held=2, minimum=2, remind_days=5)[0] is None
    # The first and last day of a period belong to it.
    assert period_of(D(2026, 11, 16), "week") == period_of(D(2026, 11, 22), "week") == (D(2026, 11, 16), D(2026, 11, 22))
    assert period_of(D(2026, 11, 23), "week") == (D(2026, 11, 23), D(2026, 11, 29))
    assert period_of(D(2026, 10, 1), "quarter") == period_of(D(2026, 12, 31), "quarter") == (D(2026, 10, 1), D(2026, 12, 31))
    assert period_of(D(2026, 9, 30), "quarter") == (D(2026, 7, 1), D(2026, 9, 30))


def test_r_ca_1_cadence_reminder_only_when_the_period_is_ending_without_a_meeting():
    """R-CA-1."""
    assert cadence_due(today=D(2026, 11, 27), cadence="month", held=0, minimum=1, remind_days=5)[0] == "reminder"
    assert cadence_due(today=D(2026, 11, 10), cadence="month", held=0, minimum=1, remind_days=5)[0] is None
    assert cadence_due(today=D(2026, 11, 27), cadence="month", held=1, minimum=1, remind_days=5)[0] is None


# --- through the database ----------------------------------------------------------------------------

def held_da(presets, *, held_on: D, unit=None, head=None):
    """A DA meeting of a division, closed on `held_on` (moved into the past as test setup)."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    starts = timezone.localtime() + datetime.timedelta(days=1)
    meeting = scheduling.schedule_meeting(actor=head or presets.head, meeting_type=da, unit=unit or presets.trade,
                                   starts_at=starts, place="会议室")
    when = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(9)))
    Meeting.objects.filter(pk=meeting.pk).update(status="closed", starts_at=when, held_at=when)
    return Meeting.objects.get(pk=meeting.pk)


def alerts(**kw):
    return sorted((a.kind, a.recipient.username) for a in Alert.objects.filter(**kw).select_related("recipient"))


def test_r_mi_4_minutes_overdue_escalate_once_to_recorder_convener_and_supervision(presets):
    """R-MI-4."""
    meeting = held_da(presets, held_on=D(2026, 11, 2))  # Monday; + 3 working days = Thursday 5 Nov
    sweep(today=D(2026, 11, 5))  # the last working day: reminded, not yet overdue
    assert alerts(subject=f"minutes:{meeting.pk}") == [("reminder", "head")] and not Breach.objects.exists()
    first = sweep(today=D(2026, 11, 6))
    assert alerts(subject=f"minutes:{meeting.pk}") == [("escalation", "head"), ("escalation", "supervisor"),
                                                       ("reminder", "head")]
    assert Breach.objects.filter(kind=BreachKind.MINUTES_LATE, subject=f"minutes:{meeting.pk}").count() == 1
    assert first.sent >= 2
    second = sweep(today=D(2026, 11, 6))
    assert second.recorded == 0 and second.sent == 0 and second.breaches == 0
    assert Notification.objects.filter(kind="alert_escalation", recipient=presets.supervisor).count() == 1


def test_r_mi_4_reminder_before_the_due_day_goes_to_the_recorder_only(presets):
    """R-MI-4."""
    meeting = held_da(presets, held_on=D(2026, 11, 2))
    sweep(today=D(2026, 11, 4))  # the working day before the due day
    assert alerts(subject=f"minutes:{meeting.pk}") == [("reminder", "head")]
    assert not Breach.objects.exists()


def test_r_mi_4_make_up_saturday_counts_before_the_national_day_holiday(presets):
    """R-MI-4: A meeting on 30 September 2026: 1-7 October are holidays, Saturday 10 October is a make-up
    working day, so three working days end on Saturday 10 October, not Monday 12 October."""
    meeting = held_da(presets, held_on=D(2026, 9, 30))
    assert workcal.add_workdays(D(2026, 9, 30), 3).date == D(2026, 10, 10)
    sweep(today=D(2026, 10, 9))
    assert alerts(subject=f"minutes:{meeting.pk}") == [("reminder", "head")]
    sweep(today=D(2026, 10, 10))
    assert not Alert.objects.filter(kind="escalation").exists()
    sweep(today=D(2026, 10, 11))
    assert ("escalation", "supervisor") in alerts(subject=f"minutes:{meeting.pk}")


def test_r_mi_4_late_december_deadline_falls_into_a_year_without_data(presets, caplog):
    """R-MI-4."""
    meeting = held_da(presets, held_on=D(2026, 12, 30))
    with caplog.at_level(logging.WARNING, logger="governance.calendar"):
        sweep(today=D(2027, 1, 4))
        report = sweep(today=D(2027, 1, 5))
    assert "2027" in caplog.text
    assert ("escalation", "supervisor") in alerts(subject=f"minutes:{meeting.pk}")
    assert Alert.objects.get(subject=f"minutes:{meeting.pk}", recipient=presets.supervisor).due == D(2027, 1, 4)
    assert report.breaches == 1 and sweep(today=D(2027, 1, 6)).breaches == 0  # falls back, warns, once


def test_distributed_minutes_raise_nothing(presets):

    meeting = held_da(presets, held_on=D(2026, 11, 2))
    revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
    drafting.submit_revision(actor=presets.head, revision=revision)
    drafting.approve_revision(actor=presets.head, revision=revision)
    sweep(today=D(2026, 11, 20))
    assert not Alert.objects.filter(subject=f"minutes:{meeting.pk}").exists()


def test_r_no_1_notice_reminder_before_the_lead_time(presets, monkeypatch):
    """R-NO-1, R-CA-2: a PG meeting on Monday 12 October 2026 needs one working day's notice: the last
    day to send it is Saturday 10 October (a make-up working day after the National Day holiday), the
    reminder window opens on Friday 9th, and on Sunday 11th the convener is told it is overdue."""
    frozen = timezone.make_aware(datetime.datetime(2026, 10, 1, 8))  # test setup: the clock on 1 October
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    starts = timezone.make_aware(datetime.datetime(2026, 10, 12, 9))
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=starts, place="会议室")
    sweep(today=D(2026, 10, 8))
    assert alerts(subject=f"notice:{meeting.pk}") == []
    sweep(today=D(2026, 10, 10))
    assert set(Alert.objects.filter(subject=f"notice:{meeting.pk}").values_list("kind", "due")) == {
        ("reminder", D(2026, 10, 10))}
    sweep(today=D(2026, 10, 11))
    assert alerts(subject=f"notice:{meeting.pk}") == [("escalation", "clerk"), ("escalation", "secretary"),
                                                      ("reminder", "clerk")]


def test_r_no_4_briefing_overdue_escalates_to_the_chair(presets):
    """R-NO-4: held Monday 2 November 2026, three working days: due Thursday 5th (derived, not stored)."""
    meeting = held_da(presets, held_on=D(2026, 11, 2))
    participant = Participant.objects.get(meeting=meeting, person=presets.staff)
    briefing = Briefing.objects.create(participant=participant)
    sweep(today=D(2026, 11, 6))
    assert alerts(subject=f"briefing:{briefing.pk}") == [("escalation", "head")]
    assert Alert.objects.get(subject=f"briefing:{briefing.pk}").due == D(2026, 11, 5)


def test_r_no_4_briefing_due_on_the_make_up_saturday_after_the_national_day(presets):
    """R-NO-4: held Wednesday 30 September 2026; 1-7 October are holidays, Saturday 10 October is a
    make-up working day: three working days end on Saturday 10th (on time that day), overdue on the 11th."""
    meeting = held_da(presets, held_on=D(2026, 9, 30))
    participant = Participant.objects.get(meeting=meeting, person=presets.staff)
    briefing = Briefing.objects.create(participant=participant)
    sweep(today=D(2026, 10, 10))
    assert set(Alert.objects.filter(subject=f"briefing:{briefing.pk}").values_list("kind", "due")) == {
        ("reminder", D(2026, 10, 10))}
    sweep(today=D(2026, 10, 11))
    assert ("escalation", "head") in alerts(subject=f"briefing:{briefing.pk}")


def test_r_ca_1_missed_monthly_meeting_is_a_breach_reported_to_supervision(presets):
    """R-CA-1."""
    presets.bureau.cadence_since = D(2026, 1, 1)
    presets.bureau.save()
    held_da(presets, held_on=D(2026, 10, 15), unit=presets.invest, head=presets.other_head)  # 外资处 met in October
    sweep(today=D(2026, 11, 3))
    missed = Breach.objects.filter(kind=BreachKind.CADENCE_MISSED, meeting_type__code="DA")
    assert {b.unit.code for b in missed} >= {"trade"} and "invest" not in {b.unit.code for b in missed}
    trade = Alert.objects.filter(subject__startswith="cadence:DA:unit:", subject__endswith=":2026-10",
                                 recipient=presets.supervisor)
    assert trade.exists()
    assert ("escalation", "head") in alerts(subject=f"cadence:DA:unit:{presets.trade.pk}:2026-10")


def test_r_ca_1_no_breach_before_the_bureau_started_tracking(presets):
    """R-CA-1."""
    presets.bureau.cadence_since = D(2026, 11, 1)
    presets.bureau.save()
    sweep(today=D(2026, 11, 3))
    assert not Breach.objects.filter(kind=BreachKind.CADENCE_MISSED).exists()


def test_r_ca_1_reminder_while_the_month_is_ending(presets):
    """R-CA-1."""
    presets.bureau.cadence_since = D(2026, 11, 1)
    presets.bureau.save()
    sweep(today=D(2026, 11, 27))
    assert ("reminder", "head") in alerts(subject=f"cadence:DA:unit:{presets.trade.pk}:2026-11")


def test_r_ca_2_a_sweep_killed_while_sending_loses_nothing_and_sends_nothing_twice(presets):
    """R-CA-2."""
    held_da(presets, held_on=D(2026, 11, 2))
    calls = []

    def die_after_first():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        sweep(today=D(2026, 11, 6), pause=die_after_first)
    recorded = Alert.objects.count()
    assert recorded >= 2 and not Alert.objects.filter(sent_at__isnull=False).exists()
    assert not Notification.objects.filter(kind__startswith="alert_").exists()
    sweep(today=D(2026, 11, 6))
    assert Alert.objects.filter(sent_at__isnull=True).count() == 0
    assert Notification.objects.filter(kind__startswith="alert_").count() == recorded


def test_r_ca_2_email_goes_out_once_per_notification(presets, settings):
    """R-CA-2."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    presets.supervisor.email = "jc@example.com"
    presets.supervisor.save()
    held_da(presets, held_on=D(2026, 11, 2))
    sweep(today=D(2026, 11, 6))
    from governance.services.common import deliver, redeliver_pending

    ids = list(Notification.objects.filter(recipient=presets.supervisor).values_list("pk", flat=True))
    deliver(ids)
    redeliver_pending(older_than=datetime.timedelta(0))
    to_supervisor = [m for m in mail.outbox if m.to == ["jc@example.com"]]
    assert len(to_supervisor) == len(ids) == 1
    assert Delivery.objects.filter(channel="email", notification_id__in=ids).count() == 1


class RecordingChannel:
    name = "im-webhook"
    sent: list = []

    def send(self, notification) -> bool:
        RecordingChannel.sent.append(notification.pk)
        return True


def test_another_channel_plugs_in_without_touching_the_sweep(presets, settings):
    settings.NOTIFICATION_CHANNELS = ["governance.channels.EmailChannel", f"{__name__}.RecordingChannel"]
    RecordingChannel.sent = []
    held_da(presets, held_on=D(2026, 11, 2))
    sweep(today=D(2026, 11, 6))
    from governance.services.common import redeliver_pending

    redeliver_pending(older_than=datetime.timedelta(0))
    redeliver_pending(older_than=datetime.timedelta(0))
    expected = set(Notification.objects.filter(kind__startswith="alert_").values_list("pk", flat=True))
    assert set(RecordingChannel.sent) == expected and len(RecordingChannel.sent) == len(expected)


def test_sweep_command_prints_what_it_did(presets, capsys):
    from io import StringIO

    from django.core.management import CommandError, call_command

    held_da(presets, held_on=D(2026, 11, 2))
    out = StringIO()
    call_command("sweep", "--date", "2026-11-06", stdout=out)
    assert "escalation minutes:" in out.getvalue() and "新记违规 1 条" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sweep", "--date", "6 Nov")
