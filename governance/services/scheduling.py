"""Scheduling a meeting (R-AG-3, R-AG-8, R-MI-1), postponing and cancelling it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from governance.models import (
    Appointment,
    Cadence,
    LeaveRequest,
    LeaveStatus,
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
from governance.selectors.org import display_name
from governance.selectors.periods import within
from governance.selectors.quorum import leave_approver
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
    check_called_by(meeting_type, called_by)
    on = timezone.localtime(starts_at).date()
    check_cadence_slot(meeting_type, unit, on)
    roles = resolve_roles(meeting_type=meeting_type, unit=unit, on=on)
    chair, delegated = roles["chair"], False
    if delegate_chair is not None:
        check_delegation(actor=actor, meeting_type=meeting_type, unit=unit, on=on, roles=roles, delegate=delegate_chair)
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
    check_invitees(meeting_type, list(extra.values()), on)
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
    from governance.services.escalation import carry_escalated, propose_decisions_report
    from governance.services.followup import propose_progress_report

    carry_escalated(meeting=meeting, actor=actor)  # R-AG-10: matters submitted by other meetings
    propose_decisions_report(meeting=meeting, actor=actor)  # R-AG-10: decisions reported to this one

    propose_progress_report(meeting=meeting, actor=actor)
    propose_unit_reports(meeting=meeting, actor=actor)
    return meeting


def check_called_by(meeting_type: MeetingType, called_by: Topic | None) -> None:
    """R-FU-6: a type called by decision (the all-staff meeting) is called only by a decision passed at
    a meeting of a type that may call it (`may_call_by_decision`: the party group or the director's
    office meeting), in the same bureau; a decision of any other meeting calls nothing."""
    if called_by is None and not meeting_type.called_by_decision:
        return
    callers = _("或").join(c.name for c in MeetingType.objects.filter(
        bureau_id=meeting_type.bureau_id, active=True, may_call_by_decision=True).order_by("order")) or _("（无）")
    if called_by is None:
        raise TransitionRefused(_("这类会议须由%(allowed)s决定召开：请选择作出决定的议题。") % {"allowed": callers},
                                clause=clause_of(meeting_type, "convener"))
    caller = called_by.meeting.meeting_type
    if not meeting_type.called_by_decision:
        raise TransitionRefused(_("这类会议不需要由会议决定召开，不能引用决定召开的议题。"))
    if called_by.status != TopicStatus.PASSED or caller.bureau_id != meeting_type.bureau_id:
        raise TransitionRefused(_("决定召开本会的须是本局会议已通过的决定。"), clause=clause_of(meeting_type, "convener"))
    if not caller.may_call_by_decision:
        raise TransitionRefused(_("%(caller)s的决定不能决定召开%(type)s：须由%(allowed)s决定召开。") % {
            "caller": caller.name, "type": meeting_type.name, "allowed": callers},
            clause=clause_of(meeting_type, "convener"))


def check_delegation(*, actor, meeting_type: MeetingType, unit: Unit | None, on: datetime.date, roles: dict,
                     delegate) -> None:
    """R-AG-11: the chair is entrusted (委托/指定) only by the holder of the chair post or the convener,
    to a holder of one of the type's delegate posts: nobody designates himself, and nobody entrusts
    a chair that is not theirs to give."""
    if not meeting_type.chair_delegable:
        raise TransitionRefused(_("此类会议不能委托他人主持。"), clause=clause_of(meeting_type, "convener"))
    allowed = {p.pk for post in meeting_type.delegate_posts
               for p in holders(bureau=meeting_type.bureau, post=post, on=on, unit=unit, scope=meeting_type.scope)}
    if delegate.pk not in allowed:
        raise TransitionRefused(_("受委托主持人须担任可受委托的职务。"), clause=clause_of(meeting_type, "convener"))
    entrusting = {roles["chair"].pk, roles["convener"].pk}
    if actor.pk not in entrusting:
        raise TransitionRefused(_("委托主持须由%(chair)s本人作出：%(who)s不能指定主持人。") % {
            "chair": Post(meeting_type.chair_post).label, "who": display_name(actor)},
            clause=clause_of(meeting_type, "convener"))


def check_invitees(meeting_type: MeetingType, people: list, on: datetime.date) -> None:
    """R-NO-6: invitees (列席) are only holders, on the meeting's date, of the posts the type lets attend
    (`invitee_posts`); a type that takes no invitees (the democratic life meeting) takes none."""
    if not people:
        return
    if not meeting_type.invitee_posts:
        raise TransitionRefused(_("%(type)s不设列席人员。") % {"type": meeting_type.name},
                                clause=clause_of(meeting_type, "members"))
    holding = set(Appointment.objects.on(on).filter(bureau=meeting_type.bureau, post__in=meeting_type.invitee_posts,
                                                    person__in=[p.pk for p in people])
                  .values_list("person_id", flat=True))
    outside = [p for p in people if p.pk not in holding]
    if outside:
        raise TransitionRefused(_("列席人员须担任可列席的职务（%(posts)s）：%(names)s 不符合。") % {
            "posts": "、".join(str(Post(p).label) for p in meeting_type.invitee_posts),
            "names": "、".join(display_name(p) for p in outside)}, clause=clause_of(meeting_type, "members"))
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
    planned = Meeting.objects.filter(meeting_type=t, unit=unit, **within("starts_at", start, end)) \
        .exclude(status=MeetingStatus.CANCELLED)
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
    changes = _reresolve_people(meeting, actor=actor, on=timezone.localtime(starts_at).date())
    meeting._change_reason = _("延期：%(r)s") % {"r": reason.strip()}
    meeting.save(update_fields=["starts_at", "status_reason", "convener", "chair", "chair_delegated", "approver",
                                "recorder"])
    record = _("由 %(old)s 延期至 %(new)s：%(r)s") % {
        "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
        "new": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "r": reason.strip()}
    if changes:
        record += _("。按新日期在任职务重新确定人员：%(c)s") % {"c": "；".join(changes)}
    record_event(meeting, from_state=meeting.status, to_state=meeting.status, actor=actor, reason=record[:500])
    if meeting.notice_sent_at:
        for note in meeting.notifications.filter(kind="notice"):
            note.delete()  # the re-sent notice replaces the old one
        send_notice_messages(meeting)
        for participant in meeting.participants.filter(notified_at__isnull=True):
            participant.notified_at = timezone.now()
            participant.save(update_fields=["notified_at"])
    return meeting


def _reresolve_people(meeting: Meeting, *, actor, on: datetime.date) -> list[str]:
    """R-TY-2: a meeting moved to another date has the people of that date: convener, chair, approver,
    recorder and members are resolved again from the posts held on the new date (refused when a post
    has no holder then), so quorum (R-QU-1, R-QU-2) and the all-members vote basis (R-VO-2) count the
    new list. What people did is kept: a continuing member keeps their leave; one who is no longer a
    member leaves the list with their leave; an invitee who no longer holds a post that may attend
    (R-NO-6) is dropped. Returns what changed, in words, for the record."""
    t = meeting.meeting_type
    roles = resolve_roles(meeting_type=t, unit=meeting.unit, on=on)
    changes: list[str] = []
    old_chair, old_approver = meeting.chair, meeting.approver
    chair, delegated = roles["chair"], False
    if meeting.chair_delegated:
        allowed = {p.pk for post in t.delegate_posts
                   for p in holders(bureau=meeting.bureau, post=post, on=on, unit=meeting.unit, scope=t.scope)}
        if meeting.chair_id in allowed:
            chair, delegated = meeting.chair, True
        else:
            changes.append(_("受委托主持人%(who)s当日不再担任可受委托的职务，委托失效") % {"who": display_name(meeting.chair)})
    for field, label, person in (("convener", _("召集人"), roles["convener"]), ("chair", _("主持人"), chair),
                                 ("approver", _("议题审定人"), roles["approver"])):
        if getattr(meeting, f"{field}_id") != person.pk:
            changes.append(_("%(what)s改为%(who)s") % {"what": label, "who": display_name(person)})
            setattr(meeting, field, person)
    meeting.chair_delegated = delegated
    recorder = None
    for candidate in (meeting.recorder, actor, meeting.chair):  # the recorder kept where they still may record
        try:
            recorder = _resolve_recorder(t, meeting.unit, candidate, actor, on)
            break
        except TransitionRefused:
            continue
    if recorder is None:
        recorder = _resolve_recorder(t, meeting.unit, None, actor, on)  # refused with its reason
    if recorder.pk != meeting.recorder_id:
        changes.append(_("记录人改为%(who)s") % {"who": display_name(recorder)})
        meeting.recorder = recorder
    members = {m.pk: m for m in roles["members"]}
    rows = {p.person_id: p for p in meeting.participants.select_related("person__person")}
    for person_id, row in rows.items():
        if row.role == Role.MEMBER and person_id not in members:
            changes.append(_("%(who)s当日不是会议成员，移出名单") % {"who": display_name(row.person)})
            _drop_participant(meeting, row)
        elif row.role == Role.INVITEE and person_id in members:
            row.role = Role.MEMBER
            row._change_reason = _("延期后按新日期为会议成员")
            row.save(update_fields=["role"])
        elif row.role == Role.INVITEE:
            try:
                check_invitees(t, [row.person], on)
            except TransitionRefused:
                changes.append(_("%(who)s当日不再担任可列席的职务，不再列席") % {"who": display_name(row.person)})
                _drop_participant(meeting, row)
    for person_id, person in members.items():
        if person_id not in rows:
            Participant.objects.create(meeting=meeting, person=person, role=Role.MEMBER)
            changes.append(_("%(who)s当日为会议成员，列入名单") % {"who": display_name(person)})
    for person, perm, current in ((old_chair, "chair_meeting", meeting.chair), (old_approver, "approve_agenda",
                                                                                 meeting.approver)):
        if person.pk != current.pk:
            remove_perm(perm, person, meeting)
    invitees = [p.person for p in meeting.participants.filter(role=Role.INVITEE).select_related("person")]
    grant_meeting_rights(meeting, actor=actor, members=list(members.values()), invitees=invitees)
    if meeting.status == MeetingStatus.AGENDA_SUBMITTED and old_approver.pk != meeting.approver_id:
        notify(recipients=[meeting.approver], kind="agenda_submitted", meeting=meeting,
               title=_("待审定议程：%(m)s") % {"m": meeting.title}, url=reverse("meeting_detail", args=[meeting.pk]))
    for leave in LeaveRequest.objects.filter(participant__meeting=meeting, status=LeaveStatus.PENDING).select_related(
            "participant__person"):
        approver = leave_approver(meeting, leave.participant.person)  # R-NO-2: the new date's approver decides
        if approver is not None:
            assign_perm("chair_meeting", approver, meeting)
            assign_perm("view_meeting", approver, meeting)
    return changes


def _drop_participant(meeting: Meeting, row: Participant) -> None:
    """Take someone off a meeting's list (their leave requests go with the row; history keeps both),
    with the rights the list gave them, unless they still have a part in it."""
    person = row.person
    row._change_reason = _("延期后按新日期不在名单中")
    row.delete()
    involved = {meeting.convener_id, meeting.chair_id, meeting.approver_id, meeting.recorder_id, meeting.scheduled_by_id}
    if person.pk in involved or meeting.topics.filter(proposer=person).exists():
        return
    for perm in ("view_meeting", "propose_topic", "chair_meeting"):
        remove_perm(perm, person, meeting)
