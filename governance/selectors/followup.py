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
