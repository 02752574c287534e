"""Prototype meetings, made through the services, and what they left in the database.

For each slot (one meeting type in a bureau, or in one of its units) and each state the benchmark
needs, one real meeting goes through the services that grant rights, draft, submit, approve, number
and distribute its minutes, file them with the Supervision Office and assign its follow-up
(`grant_meeting_rights`, `minutes.services.drafting`, `distribution`, `governance.services.followup`),
as the demo's history does for imported meetings. `capture` then reads back every row those services
wrote about it: participants, topics, votes, briefings, the minutes with their revisions and
recipients, actions, guardian rights on the meeting, its topics, minutes and actions, transitions
and notifications. `demo.bench.clone` copies that template onto every other meeting of the slot in
bulk, so the benchmark's rights and side-effect rows are the ones the services write, not a second
account of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from governance.models import (
    Action,
    Attendance,
    Briefing,
    Meeting,
    MeetingStatus,
    Notification,
    Participant,
    RecorderSource,
    Role,
    Topic,
    TopicStatus,
    Transition,
    Unit,
    Vote,
    VoteChoice,
)
from governance.selectors.roles import resolve_roles
from governance.services.agenda import submit_agenda
from governance.services.common import record_event
from governance.services.followup import create_action
from governance.services.scheduling import grant_meeting_rights
from governance.services.workflow import move_meeting
from minutes.models import Minutes, Recipient, Revision
from minutes.services import drafting

from .grants import read_grants

User = get_user_model()

APPROVED, SUBMITTED, UNDRAFTED, UPCOMING = "approved", "submitted", "undrafted", "upcoming"
TEMPLATE_OF = {APPROVED: APPROVED, UNDRAFTED: APPROVED, SUBMITTED: SUBMITTED, UPCOMING: UPCOMING}
TOPICS = 4


@dataclass
class Slot:
    """One meeting type held in a bureau (unit None) or in one unit; `weight` meetings a year."""

    org: object  # demo.bench.org.BureauOrg
    type: object  # MeetingType
    unit: Unit | None
    weight: float
    templates: dict[str, Template] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.type.bureau_id}:{self.type.code}:{self.unit.pk if self.unit else '-'}"


@dataclass
class Template:
    """Every row the services wrote about one prototype meeting, as field dicts keyed by attname."""

    meeting: dict
    mark: datetime.datetime  # when the services began: later timestamps are theirs
    offset: datetime.timedelta  # where the services' timestamps fall in a copy, from its start
    until: datetime.datetime  # when the services were done
    participants: list[dict]
    topics: list[dict]
    votes: list[dict]
    briefings: list[dict]
    minutes: dict | None
    revisions: list[dict]
    recipients: list[dict]
    actions: list[dict]
    transitions: list[dict]
    notifications: list[dict]
    grants: dict[str, list[tuple[int, int, int]]]  # model label -> (user, permission, prototype object pk)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _categories(meeting_type) -> list:
    plain = [c for c in meeting_type.categories.order_by("order")
             if not (c.is_personnel or c.is_progress_report or c.is_unit_report or c.is_mandatory_for_unit)]
    secret = [c for c in plain if c.is_confidential]
    plain = [c for c in plain if not c.is_confidential] or secret
    picked = [plain[i % len(plain)] for i in range(TOPICS - 1)]
    return [*picked, (secret or plain)[0]]


def _recorder(slot: Slot, roles: dict):
    if slot.type.recorder_source == RecorderSource.GENERAL_OFFICE:
        return User.objects.get(pk=slot.org.office_staff[1])
    staff = slot.org.staff.get(slot.unit.pk) or [slot.org.heads[slot.unit.pk]]
    return User.objects.get(pk=staff[0])


def make_prototype(slot: Slot, kind: str, day: datetime.date) -> Meeting:
    """One meeting of `slot` in state `kind` (approved, submitted or upcoming), through the services."""
    t, unit = slot.type, slot.unit
    roles = resolve_roles(meeting_type=t, unit=unit, on=day)
    recorder = _recorder(slot, roles)
    title = f"{unit.name if unit else ''}{day:%Y年%-m月%-d日}{t.name}"
    upcoming = kind == UPCOMING
    fields = dict(bureau=t.bureau, meeting_type=t, unit=unit, title=title, starts_at=_at(day), ends_at=_at(day, 11),
                  place="机关会议室", convener=roles["convener"], chair=roles["chair"], recorder=recorder,
                  approver=roles["approver"], scheduled_by=recorder)
    if upcoming:
        meeting = Meeting.objects.create(**fields, status=MeetingStatus.DRAFT)
    else:
        meeting = Meeting.objects.create(**fields, status=MeetingStatus.CLOSED, held_at=_at(day), ended_at=_at(day, 11),
                                         notice_sent_at=_at(day - datetime.timedelta(days=3)),
                                         agenda_approved_at=_at(day - datetime.timedelta(days=4)))
    members = roles["members"]
    leave = members[-1] if len(members) > 3 and not upcoming else None
    for member in members:
        attendance = (Attendance.EXPECTED if upcoming else Attendance.LEAVE if member == leave
                      else Attendance.PRESENT)
        Participant.objects.create(meeting=meeting, person=member, role=Role.MEMBER, attendance=attendance,
                                   signed_in_at=None if attendance != Attendance.PRESENT else _at(day))
    invitees = []
    if t.invitee_posts and unit is not None and "leader_in_charge" in t.invitee_posts:
        from governance.selectors.org import leader_in_charge

        leader = leader_in_charge(unit=unit, on=day)
        if leader is not None and all(leader.pk != m.pk for m in members):
            invitees.append(leader)
            Participant.objects.create(meeting=meeting, person=leader, role=Role.INVITEE,
                                       attendance=Attendance.EXPECTED if upcoming else Attendance.PRESENT)
    grant_meeting_rights(meeting, actor=recorder, members=members, invitees=invitees)
    present = [m for m in members if m != leave]
    for i, category in enumerate(_categories(t)):
        info = i == TOPICS - 1 and not category.is_confidential
        status = (TopicStatus.ACCEPTED if upcoming else TopicStatus.NOTED if info else TopicStatus.PASSED)
        topic = Topic.objects.create(
            meeting=meeting, category=category, title=f"关于{category.name[:40]}的议题（{i + 1}）",
            summary="议题内容摘要。" * 5, for_information=info, proposer=recorder,
            proposing_unit=unit or slot.org.office, status=status, order=i + 1,
            decision="" if upcoming or info else "同意。按会议意见办理。",
            votes_for=0 if upcoming or info else len(present), decided_at=None if upcoming else _at(day, 10))
        record_event(topic, from_state=TopicStatus.PROPOSED, to_state=status, actor=recorder, reason="")
        if status == TopicStatus.PASSED:
            for m in present:
                Vote.objects.create(topic=topic, member=m, choice=VoteChoice.FOR, recorded_by=recorder)
    if upcoming:
        move_meeting(meeting, MeetingStatus.AGENDA_OPEN, actor=recorder, reason="排会")
        submit_agenda(actor=recorder, meeting=meeting)
        return meeting
    record_event(meeting, from_state=MeetingStatus.HELD, to_state=MeetingStatus.CLOSED, actor=recorder, reason="会议结束")
    if leave is not None and t.brief_absentees:
        participant = meeting.participants.get(person=leave)
        Briefing.objects.create(participant=participant, briefed_at=_at(day + datetime.timedelta(days=1), 15),
                                method="当面传达", briefed_by=recorder)
    revision = drafting.start_minutes(actor=recorder, meeting=meeting)
    drafting.submit_revision(actor=recorder, revision=revision)
    if kind == SUBMITTED:
        return meeting
    drafting.approve_revision(actor=meeting.chair, revision=revision)
    if t.follow_up_tracked:
        topic = meeting.topics.filter(status=TopicStatus.PASSED).order_by("order").first()
        owner_unit = unit or (slot.org.divisions[0] if slot.org.divisions else slot.org.office)
        create_action(actor=recorder, meeting=meeting, title=f"落实：{topic.title}", due_workdays=20, topic=topic,
                      owner_unit=owner_unit, leader=meeting.chair if t.follow_up_leader_required else None)
    return meeting


def capture(meeting: Meeting, *, mark: datetime.datetime, offset: datetime.timedelta) -> Template:
    """Read back what the services wrote about `meeting` (see the module's docstring)."""
    participants = list(Participant.objects.filter(meeting=meeting).order_by("pk"))
    topics = list(Topic.objects.filter(meeting=meeting).order_by("pk"))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    revisions = list(Revision.objects.filter(minutes=minutes).order_by("pk")) if minutes else []
    actions = list(Action.objects.filter(meeting=meeting).order_by("pk"))
    objects = {Meeting: [meeting.pk], Topic: [t.pk for t in topics], Minutes: [minutes.pk] if minutes else [],
               Revision: [r.pk for r in revisions], Action: [a.pk for a in actions],
               Participant: [p.pk for p in participants]}
    where = Q(pk__in=[])
    for model, pks in objects.items():
        where |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
    grants = {}
    for model in (Meeting, Topic, Minutes, Action):
        grants[model._meta.label] = [(u, p, pk) for pk in objects[model] for u, p in read_grants(model, pk)]
    urls = [f"/meetings/{meeting.pk}/"] + ([f"/minutes/{minutes.pk}/"] if minutes else []) + [
        f"/actions/{a.pk}/" for a in actions]
    notes = Q(meeting=meeting)
    for url in urls:
        notes |= Q(meeting__isnull=True, url__startswith=url, created_at__gte=mark)
    return Template(
        meeting=row(meeting), mark=mark, offset=offset, until=timezone.now(), participants=[row(p) for p in participants],
        topics=[row(t) for t in topics], votes=[row(v) for v in Vote.objects.filter(topic__in=topics).order_by("pk")],
        briefings=[row(b) for b in Briefing.objects.filter(participant__meeting=meeting)],
        minutes=row(minutes) if minutes else None, revisions=[row(r) for r in revisions],
        recipients=[row(r) for r in Recipient.objects.filter(minutes=minutes).order_by("pk")] if minutes else [],
        actions=[row(a) for a in actions], grants=grants,
        transitions=[row(t) for t in Transition.objects.filter(where).order_by("pk")],
        notifications=[row(n) for n in Notification.objects.filter(notes).order_by("pk")])


def template_rows(tpl: Template) -> list[tuple[type, list[dict]]]:
    """(model, rows) of a template, for the rows that carry dates."""
    return [(Meeting, [tpl.meeting]), (Participant, tpl.participants), (Topic, tpl.topics), (Vote, tpl.votes),
            (Briefing, tpl.briefings), (Minutes, [tpl.minutes] if tpl.minutes else []), (Revision, tpl.revisions),
            (Recipient, tpl.recipients), (Action, tpl.actions), (Transition, tpl.transitions),
            (Notification, tpl.notifications)]
