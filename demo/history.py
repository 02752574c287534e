"""The demo bureau's recent past, so that `make run` shows the deadline sweep at work (issue 5):
last month's meetings held and their minutes sent, except that 外贸处's minutes are overdue and 市场建设处
missed its monthly division meeting. Within a minute of start the worker escalates both.

This is imported history: the meetings are written as they stand after the fact (closed, on past
dates), which the workflow services rightly refuse to do for new meetings. Idempotent: each meeting
is found by its title.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from governance.models import Attendance, Bureau, Meeting, MeetingStatus, MeetingType, Participant, Role, Unit
from governance.rules.deadlines import period_of, previous_period
from governance.selectors.roles import general_office_staff, resolve_roles
from governance.services.scheduling import grant_meeting_rights
from minutes.services import drafting

MISSED_UNIT = "market"  # 市场建设处 held no division meeting last month
OVERDUE_UNIT = "foreign-trade"  # 外贸处 held it, but its minutes are overdue


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _held(t: MeetingType, unit: Unit | None, day: datetime.date, title: str) -> tuple[Meeting, bool]:
    existing = Meeting.objects.filter(bureau=t.bureau, title=title).first()
    if existing:
        return existing, False
    roles = resolve_roles(meeting_type=t, unit=unit, on=day)
    office = general_office_staff(t.bureau)
    recorder = office[0] if t.recorder_source == "general_office" and office else roles["chair"]
    meeting = Meeting.objects.create(
        bureau=t.bureau, meeting_type=t, unit=unit, title=title, starts_at=_at(day), place="局机关会议室",
        status=MeetingStatus.CLOSED, convener=roles["convener"], chair=roles["chair"], recorder=recorder,
        approver=roles["approver"], scheduled_by=recorder, held_at=_at(day), ended_at=_at(day, 11), notice_sent_at=_at(day - datetime.timedelta(days=3)),
        agenda_approved_at=_at(day - datetime.timedelta(days=4)))
    for member in roles["members"]:
        Participant.objects.create(meeting=meeting, person=member, role=Role.MEMBER, attendance=Attendance.PRESENT,
                                   signed_in_at=_at(day))
    grant_meeting_rights(meeting, actor=recorder, members=roles["members"], invitees=[])
    return meeting, True


def _send_minutes(meeting: Meeting) -> None:
    """Minutes written, approved and sent on time (their dates set to when that happened)."""
    from minutes.models import Minutes

    if hasattr(meeting, "minutes"):
        return
    revision = drafting.start_minutes(actor=meeting.recorder, meeting=meeting)
    drafting.submit_revision(actor=meeting.recorder, revision=revision)
    drafting.approve_revision(actor=meeting.chair, revision=revision)
    sent = _at(meeting.held_at.date() + datetime.timedelta(days=1), 16)
    Minutes.objects.filter(pk=revision.minutes_id).update(
        distributed_at=sent, filed_at=sent if meeting.meeting_type.minutes_filed_with_supervision else None)


@transaction.atomic
def load_demo_history(bureau: Bureau, *, today: datetime.date | None = None) -> list[str]:
    """Last month's (and last week's) meetings of the demo bureau; returns what it created."""
    today = today or timezone.localdate()
    last_month, _ = previous_period(today, "month")
    if bureau.cadence_since != last_month:
        bureau.cadence_since = last_month  # cadence is checked from last month on
        bureau.save(update_fields=["cadence_since"])
    created = []
    types = {t.code: t for t in MeetingType.objects.filter(bureau=bureau)}
    # The commerce bureau holds 处务会 (DA) in its divisions; the municipal 处室工作会议 (UW) is the
    # same meeting under another name, so the demo keeps one of them active.
    if "UW" in types and types["UW"].active:
        types["UW"].active = False
        types["UW"].save(update_fields=["active"])
    units = {u.code: u for u in Unit.objects.filter(bureau=bureau, active=True)}
    day = last_month.replace(day=12)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    plan: list[tuple[str, Unit | None, datetime.date]] = []
    if "DA" in types:
        for code, unit in units.items():
            if unit.kind in types["DA"].unit_kinds and code != MISSED_UNIT:
                plan.append(("DA", unit, day))
    if "MC" in types:
        plan.append(("MC", None, day))
    if "MM" in types:  # every Monday since tracking began, this week's too once it has passed
        monday, _ = period_of(last_month, "week")
        while monday < today:
            if monday >= last_month:
                plan.append(("MM", None, monday))
            monday += datetime.timedelta(days=7)
    if "PG" in types:
        quarter_start, _ = period_of(today, "quarter")
        plan.append(("PG", None, max(quarter_start + datetime.timedelta(days=20), last_month)))
    for code, unit, when in plan:
        t = types[code]
        title = f"{unit.name if unit else ''}{when:%Y年%-m月%-d日}{t.name}"
        meeting, fresh = _held(t, unit, when, title)
        if fresh:
            created.append(title)
        if not (unit and unit.code == OVERDUE_UNIT):
            _send_minutes(meeting)
    return created
