"""Reads of follow-up (R-FU-1..7): who coordinates and who answers for a unit, what is overdue, which
filings a democratic life meeting still misses."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Action,
    ActionStatus,
    Meeting,
    MeetingStatus,
    PreparationKind,
    Role,
    Scope,
    Topic,
    TopicStatus,
    Unit,
    UnitKind,
)
from governance.rules.refusals import TransitionRefused
from governance.selectors.org import general_office, office_staff


def coordinator_for(meeting: Meeting) -> Unit:
    """R-FU-1: the General Office coordinates bureau decisions; a division follows up its own."""
    if meeting.meeting_type.scope == Scope.UNIT and meeting.unit_id:
        return meeting.unit
    office = general_office(bureau=meeting.bureau)
    if office is None:
        raise TransitionRefused(_("本局没有办公室，无法指定督办协调单位。"))
    return office


def unit_heads(unit: Unit, on: datetime.date | None = None) -> list:
    from governance.models import Post
    from governance.selectors.roles import holders

    return holders(bureau=unit.bureau, post=Post.UNIT_HEAD, on=on or timezone.localdate(), unit=unit, scope=Scope.UNIT)


def answerable_for(unit: Unit, *, on: datetime.date) -> list:
    """Who acts for a unit in follow-up: every officer of the General or Supervision Office, the
    head of any other unit."""
    if unit.kind in (UnitKind.GENERAL_OFFICE, UnitKind.SUPERVISION_OFFICE):
        return office_staff(bureau=unit.bureau, kind=unit.kind, on=on)
    return unit_heads(unit, on)


def is_overdue(action: Action, today: datetime.date) -> bool:
    return action.status != ActionStatus.DONE and action.due < today


def _members(meeting: Meeting) -> list:
    return [p.person for p in meeting.participants.filter(role=Role.MEMBER).select_related("person__person")]


def missing_before_start(meeting: Meeting) -> dict[str, list]:
    """R-FU-5, R-FU-9: per kind of pre-meeting filing the type asks for, the members who have not
    filed one: the self-analysis and outline, and (talks_before_start) a heart-to-heart talk and the
    opinions gathered from staff. Empty when the meeting may start."""
    t = meeting.meeting_type
    kinds = []
    if t.pre_meeting_filings:
        kinds.append(PreparationKind.SELF_ANALYSIS)
    if t.talks_before_start:
        kinds += [PreparationKind.TALK, PreparationKind.OPINION]
    if not kinds:
        return {}
    filed = set(meeting.preparations.filter(kind__in=kinds).values_list("kind", "member_id"))
    members = _members(meeting)
    out = {}
    for kind in kinds:
        missing = [m for m in members if (kind, m.pk) not in filed]
        if missing:
            out[kind] = missing
    return out


def cell_meetings(meeting: Meeting) -> list[tuple]:
    """R-FU-7: each member with the party cell organisational life meetings they took part in during
    the meeting's year (from the file of any democratic life meeting of that year), in date order."""
    year = timezone.localtime(meeting.starts_at).year
    from governance.models import Preparation

    held = (Preparation.objects.filter(meeting__bureau=meeting.bureau, meeting__meeting_type=meeting.meeting_type,
                                       kind=PreparationKind.CELL_MEETING,
                                       held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31))
            .order_by("held_on", "pk"))
    by_member: dict[int, list] = {}
    for prep in held:
        by_member.setdefault(prep.member_id, []).append(prep)
    return [(m, by_member.get(m.pk, [])) for m in _members(meeting)]


def file_checklist(meeting: Meeting) -> list[tuple[str, bool, str]]:
    """R-FU-9, R-FU-4, R-FU-7: what the democratic life meeting's file still needs before it closes,
    as (what, done, detail): the rectification measures, the outcome report, each member's cell
    meeting of the year. Only what the type asks for."""
    from governance.models import ActionKind

    t = meeting.meeting_type
    items = []
    if t.rectification:
        n = meeting.actions.filter(kind=ActionKind.RECTIFICATION).count()
        items.append((_("制定整改措施"), n > 0, _("%(n)d 项") % {"n": n} if n else _("尚未制定")))
    if t.outcome_report:
        report = meeting.preparations.filter(kind=PreparationKind.OUTCOME).order_by("-created_at").first()
        items.append((_("会后情况通报"), report is not None,
                      timezone.localtime(report.created_at).strftime("%Y-%m-%d") if report else _("尚未通报")))
    if t.cell_meeting_required:
        missing = [m for m, held in cell_meetings(meeting) if not held]
        items.append((_("成员参加党小组组织生活会"), not missing,
                      "、".join(m.person.name for m in missing) if missing else _("均已登记")))
    return items


def missing_filings(meeting: Meeting) -> list:
    """R-FU-5: members who have not filed their self-analysis and outline."""
    filed = set(meeting.preparations.filter(kind=PreparationKind.SELF_ANALYSIS).values_list("member_id", flat=True))
    return [p.person for p in meeting.participants.filter(role=Role.MEMBER).select_related("person__person")
            if p.person_id not in filed]


def unassigned_decisions(meetings=None):
    """R-FU-1, R-FU-3: passed decisions of a type whose decisions are followed up (`follow_up_tracked`)
    that never became an action, at meetings held or closed (of `meetings`, when given)."""
    qs = Topic.objects.filter(status=TopicStatus.PASSED, for_information=False, actions__isnull=True,
                              meeting__meeting_type__follow_up_tracked=True,
                              meeting__status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED])
    if meetings is not None:
        qs = qs.filter(meeting__in=meetings)
    return qs.select_related("meeting__meeting_type", "meeting__recorder", "meeting__chair", "category").order_by(
        "meeting__starts_at", "order", "pk")


def consultation_status(topic) -> tuple[list, list] | None:
    """R-VO-5: for a topic carried after a deferral, where its type asks for it: (the members of the
    meeting that deferred it already consulted, those not yet), in that meeting's member order; None
    when no consultation is needed."""
    original = topic.carried_from
    if original is None or not topic.meeting.meeting_type.consult_after_deferral:
        return None
    done = set(original.consultations.values_list("member_id", flat=True))
    members = _members(original.meeting)
    return [m for m in members if m.pk in done], [m for m in members if m.pk not in done]
