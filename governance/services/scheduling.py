"""Scheduling a meeting (R-AG-3, R-AG-8, R-MI-1), postponing and cancelling it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from governance.models import (
    Appointment,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
    Participant,
    Post,
    RecorderSource,
    Role,
    Scope,
    Topic,
    TopicStatus,
    Unit,
)
from governance.rules.deadlines import expected_day, period_of
from governance.rules.refusals import TransitionRefused
from governance.selectors import workdays as workcal
from governance.selectors.roles import general_office_staff, holders, may_schedule, resolve_roles
from governance.services.agenda import carry_deferred_topics, send_notice_messages
from governance.services.common import notify, record_event, record_transition
from governance.services.workflow import clause_of, lock_row, move_meeting

User = get_user_model()


@transaction.atomic
def schedule_meeting(*, actor, meeting_type: MeetingType, starts_at: datetime.datetime, place: str,
                     unit: Unit | None = None, title: str = "", recorder=None, delegate_chair=None,
                     invitees: Iterable = (), invitee_units: Iterable[Unit] = (), called_by: Topic | None = None
                     ) -> Meeting:
    """Schedule a meeting: resolve its people from the posts held that day, grant their rights,
    carry deferred topics onto it (R-AG-7) and open its agenda."""
    now = timezone.now()
    if starts_at <= now:
        raise TransitionRefused(_("会议时间不能早于现在。"))
    if meeting_type.scope == Scope.UNIT and (unit is None or unit.kind not in meeting_type.unit_kinds
                                             or unit.bureau_id != meeting_type.bureau_id):
        raise TransitionRefused(_("请选择召开会议的处室/单位。"))
    if meeting_type.scope == Scope.BUREAU:
        unit = None
    if not may_schedule(actor, meeting_type, unit, starts_at.date()):
        raise TransitionRefused(_("您无权安排这类会议：全局会议由办公室安排，处室会议由本处室负责人安排。"))
    if meeting_type.called_by_decision and (called_by is None or called_by.status != TopicStatus.PASSED):
        raise TransitionRefused(_("这类会议须由局党组会议或局长办公会议决定召开：请选择作出决定的议题。"),
                                clause=clause_of(meeting_type, "convener"))
    on = timezone.localtime(starts_at).date()
    check_cadence_slot(meeting_type, unit, on)
    roles = resolve_roles(meeting_type=meeting_type, unit=unit, on=on)
    chair, delegated = roles["chair"], False
    if delegate_chair is not None:
        if not meeting_type.chair_delegable:
            raise TransitionRefused(_("此类会议不能委托他人主持。"), clause=clause_of(meeting_type, "convener"))
        allowed = {p.pk for post in meeting_type.delegate_posts
                   for p in holders(bureau=meeting_type.bureau, post=post, on=on, unit=unit, scope=meeting_type.scope)}
        if delegate_chair.pk not in allowed:
            raise TransitionRefused(_("受委托主持人须担任可受委托的职务。"), clause=clause_of(meeting_type, "convener"))
        chair, delegated = delegate_chair, True
    recorder = _resolve_recorder(meeting_type, unit, recorder, actor, on)
    title = title.strip() or _("%(unit)s%(type)s") % {"unit": unit.name if unit else "", "type": meeting_type.name}
    meeting = Meeting.objects.create(
        bureau=meeting_type.bureau, meeting_type=meeting_type, unit=unit, title=title[:200], starts_at=starts_at,
        place=place.strip()[:200], convener=roles["convener"], chair=chair, chair_delegated=delegated,
        recorder=recorder, approver=roles["approver"], scheduled_by=actor, called_by=called_by,
        status=MeetingStatus.DRAFT,
    )
    members = roles["members"]
    member_ids = {m.pk for m in members}
    # One row at a time: simple-history does not see bulk writes (docs/architecture.md, Audit).
    for member in members:
        Participant.objects.create(meeting=meeting, person=member, role=Role.MEMBER)
    extra = {p.pk: p for p in invitees if p.pk not in member_ids}
    for invited_unit in invitee_units:
        for head in holders(bureau=meeting.bureau, post=Post.UNIT_HEAD, on=on, unit=invited_unit, scope=Scope.UNIT):
            if head.pk not in member_ids:
                extra.setdefault(head.pk, head)
    for invitee in extra.values():
        Participant.objects.create(meeting=meeting, person=invitee, role=Role.INVITEE)
    grant_meeting_rights(meeting, actor=actor, members=members, invitees=list(extra.values()))
    move_meeting(meeting, MeetingStatus.AGENDA_OPEN, actor=actor, reason=_("排会"))
    if meeting_type.topics_gathered_by_office:
        # R-AG-9: the office asks the divisions for topics (征求各处室意见); they answer on a page that
        # shows the meeting's title and date only.
        notify(recipients=_division_proposers(meeting, on), kind="topics_requested", meeting=meeting,
               title=_("征集议题：%(m)s（%(d)s）") % {"m": meeting.title, "d": on.isoformat()},
               url=reverse("topic_submit", args=[meeting.pk]))
    carry_deferred_topics(meeting=meeting, actor=actor)
    from governance.services.followup import propose_progress_report

    propose_progress_report(meeting=meeting, actor=actor)
    propose_unit_reports(meeting=meeting, actor=actor)
    return meeting


def check_cadence_slot(meeting_type: MeetingType, unit: Unit | None, on: datetime.date, *,
                       exclude: Meeting | None = None) -> None:
    """R-CA-1: a type that may not be called ad hoc (`ad_hoc_allowed` off) meets only in its cadence:
    on its period's expected day where it has a fixed weekday (`cadence_weekday`; the next working day
    when that day is a holiday), and no more often than `cadence_min_count` in a period."""
    t = meeting_type
    if t.ad_hoc_allowed or t.cadence == Cadence.NONE:
        return
    start, end = period_of(on, t.cadence)
    if t.cadence_weekday is not None:
        expected = expected_day(start, end, t.cadence_weekday, workcal.load_calendar(start, end))
        if expected is None:
            raise TransitionRefused(_("%(type)s不能临时召开：%(start)s 至 %(end)s 没有工作日，本周期不召开。") % {
                "type": t.name, "start": start.isoformat(), "end": end.isoformat()}, clause=clause_of(t, "cadence"))
        if on != expected:
            raise TransitionRefused(_("%(type)s不能临时召开：本周期应于 %(day)s 召开。") % {
                "type": t.name, "day": expected.isoformat()}, clause=clause_of(t, "cadence"))
    planned = Meeting.objects.filter(meeting_type=t, unit=unit, starts_at__date__gte=start,
                                     starts_at__date__lte=end).exclude(status=MeetingStatus.CANCELLED)
    if exclude is not None:
        planned = planned.exclude(pk=exclude.pk)
    if planned.count() >= t.cadence_min_count:
        raise TransitionRefused(_("%(type)s不能临时召开：本周期（%(start)s 至 %(end)s）已安排 %(n)s 次。") % {
            "type": t.name, "start": start.isoformat(), "end": end.isoformat(), "n": planned.count()},
            clause=clause_of(t, "cadence"))


def propose_unit_reports(*, meeting: Meeting, actor) -> list[Topic]:
    """R-AG-8: a meeting whose type hears every unit's monthly report gets one report topic per
    division and affiliated unit, proposed on the unit's behalf."""
    if not meeting.meeting_type.monthly_unit_reports:
        return []
    category = meeting.meeting_type.categories.filter(is_unit_report=True).first()
    if category is None:
        return []
    month = timezone.localtime(meeting.starts_at).month
    topics = []
    order = meeting.topics.count()
    for unit in Unit.objects.filter(bureau=meeting.bureau, active=True).order_by("order", "name"):
        order += 1
        topic = Topic.objects.create(
            meeting=meeting, category=category, title=_("%(unit)s%(month)s月工作情况汇报") % {"unit": unit.name, "month": month},
            for_information=True, proposer=actor, proposing_unit=unit, order=order)
        record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor, reason=_("各单位月度工作汇报（R-AG-8）"))
        topics.append(topic)
    return topics


def _resolve_recorder(meeting_type, unit, recorder, actor, on):
    """R-MI-1: the General Office records bureau meetings; a designated person records DA/UW."""
    if meeting_type.recorder_source == RecorderSource.GENERAL_OFFICE:
        office = general_office_staff(meeting_type.bureau)
        if recorder is None:
            recorder = actor if any(u.pk == actor.pk for u in office) else (office[0] if office else None)
        if recorder is None or all(u.pk != recorder.pk for u in office):
            raise TransitionRefused(_("记录人须为办公室工作人员。"), clause=clause_of(meeting_type, "recorder"))
        return recorder
    if recorder is None:
        recorder = actor
    if unit is not None and not Appointment.objects.on(on).filter(person=recorder, unit=unit).exists():
        raise TransitionRefused(_("记录人须为本处室人员。"), clause=clause_of(meeting_type, "recorder"))
    return recorder


def grant_meeting_rights(meeting: Meeting, *, actor, members, invitees) -> None:
    """Rights are granted here and only here (docs/architecture.md, Gates)."""
    t = meeting.meeting_type
    everyone = {p.pk: p for p in [*members, *invitees, meeting.chair, meeting.convener, meeting.approver, actor]}
    if meeting.recorder:
        everyone[meeting.recorder.pk] = meeting.recorder
    managers = {actor.pk: actor}
    if meeting.recorder:
        managers[meeting.recorder.pk] = meeting.recorder
    if t.recorder_source == RecorderSource.GENERAL_OFFICE:
        for clerk in general_office_staff(meeting.bureau):
            managers.setdefault(clerk.pk, clerk)
    everyone.update(managers)
    on = timezone.localtime(meeting.starts_at).date()
    # R-AG-9, R-AG-1: where the office gathers the topics from the divisions, the divisions (the type's
    # proposer posts) propose them to the office, which puts them forward (it submits the agenda) for the
    # secretary to decide; the members do not put topics straight on the agenda, and the divisions are
    # not given the meeting itself. Elsewhere the members and the proposer posts propose and see it.
    if t.topics_gathered_by_office:
        proposers = {p.pk: p for p in _division_proposers(meeting, on)}
    else:
        proposers = {m.pk: m for m in members}
        for person in _division_proposers(meeting, on):
            proposers.setdefault(person.pk, person)
            everyone.setdefault(person.pk, person)
    proposers.update(managers)
    grants = [("view_meeting", everyone.values()), ("manage_meeting", managers.values()),
              ("approve_agenda", [meeting.approver]), ("chair_meeting", [meeting.chair]),
              ("propose_topic", proposers.values())]
    for perm, people in grants:
        for person in people:
            assign_perm(perm, person, meeting)


def _division_proposers(meeting: Meeting, on: datetime.date) -> list:
    """Holders of the type's proposer posts on the meeting's date (R-AG-1, R-AG-2, R-AG-9)."""
    t = meeting.meeting_type
    found = {}
    for post in t.topic_proposer_posts:
        for person in holders(bureau=meeting.bureau, post=post, on=on, unit=meeting.unit, scope=t.scope):
            found.setdefault(person.pk, person)
    return list(found.values())


@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting before it is held, with a reason; everyone notified is told."""
    meeting = lock_row(Meeting, meeting.pk)
    if not reason.strip():
        raise TransitionRefused(_("取消会议须说明理由。"))
    meeting.status_reason = reason.strip()[:500]
    was_notified = meeting.notice_sent_at is not None
    move_meeting(meeting, MeetingStatus.CANCELLED, actor=actor, reason=reason.strip(), extra=("status_reason",))
    if was_notified:
        notify(recipients=[p.person for p in meeting.participants.select_related("person")], kind="cancelled",
               meeting=meeting, title=_("会议取消：%(m)s") % {"m": meeting.title}, body=reason,
               url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def postpone_meeting(*, actor, meeting: Meeting, starts_at: datetime.datetime, reason: str) -> Meeting:
    """Move a meeting not yet held to a later time, with a reason, within its cadence (R-CA-1); a sent
    notice is re-sent."""
    meeting = lock_row(Meeting, meeting.pk)
    if not meeting.is_open:
        raise TransitionRefused(_("会议已召开或已取消，不能延期。"))
    if not reason.strip():
        raise TransitionRefused(_("延期须说明理由。"))
    if starts_at <= timezone.now():
        raise TransitionRefused(_("会议时间不能早于现在。"))
    check_cadence_slot(meeting.meeting_type, meeting.unit, timezone.localtime(starts_at).date(), exclude=meeting)
    old = meeting.starts_at
    meeting.starts_at, meeting.status_reason = starts_at, reason.strip()[:500]
    meeting._change_reason = _("延期：%(r)s") % {"r": reason.strip()}
    meeting.save(update_fields=["starts_at", "status_reason"])
    record = _("由 %(old)s 延期至 %(new)s：%(r)s") % {
        "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
        "new": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "r": reason.strip()}
    record_event(meeting, from_state=meeting.status, to_state=meeting.status, actor=actor, reason=record)
    if meeting.notice_sent_at:
        for note in meeting.notifications.filter(kind="notice"):
            note.delete()  # the re-sent notice replaces the old one
        send_notice_messages(meeting)
    return meeting
