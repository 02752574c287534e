"""Who fills which role of a meeting, from the posts held on the meeting's date (docs/architecture.md, Organisation), and who may
schedule which type."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Appointment,
    MeetingType,
    Post,
    RecorderSource,
    Scope,
    Unit,
    UnitKind,
    is_unit_post,
)
from governance.rules.refusals import TransitionRefused

User = get_user_model()


def holders(*, bureau, post: str, on: datetime.date, unit: Unit | None, scope: str) -> list:
    """Holders of `post` for a meeting: unit posts in the meeting's unit (per-unit types) or in any
    unit (bureau types); bureau posts in the bureau."""
    qs = Appointment.objects.on(on).filter(bureau=bureau, post=post, person__is_active=True)
    if is_unit_post(post) and scope == Scope.UNIT:
        qs = qs.filter(unit=unit)
    ids = list(qs.values_list("person_id", flat=True).distinct())
    return list(User.objects.filter(pk__in=ids).select_related("person").order_by("person__name", "pk"))


def resolve_roles(*, meeting_type: MeetingType, unit: Unit | None, on: datetime.date) -> dict:
    """Convener, chair, approver and members of a meeting on date `on` (docs/architecture.md, Organisation: posts held that day)."""
    bureau, scope = meeting_type.bureau, meeting_type.scope

    def one(post: str, what: str):
        people = holders(bureau=bureau, post=post, on=on, unit=unit, scope=scope)
        if not people:
            raise TransitionRefused(_("%(date)s 无人担任“%(post)s”，无法确定%(what)s。") % {
                "date": on.isoformat(), "post": Post(post).label, "what": what})
        return people[0]

    members: dict[int, object] = {}
    for post in meeting_type.member_posts:
        for person in holders(bureau=bureau, post=post, on=on, unit=unit, scope=scope):
            members.setdefault(person.pk, person)
    return {
        "convener": one(meeting_type.convener_post, _("召集人")),
        "chair": one(meeting_type.chair_post, _("主持人")),
        "approver": one(meeting_type.agenda_approver_post, _("议题审定人")),
        "members": list(members.values()),
    }


def general_office_staff(bureau) -> list:
    """R-MI-1: the General Office's people (not its leader in charge)."""
    from governance.selectors.org import office_staff

    return office_staff(bureau=bureau, kind=UnitKind.GENERAL_OFFICE, on=timezone.localdate())


def may_schedule(user, meeting_type: MeetingType, unit: Unit | None, on: datetime.date) -> bool:
    """General Office staff schedule bureau meetings; a unit's convener (or delegate) its own."""
    today = timezone.localdate()
    if meeting_type.scope == Scope.BUREAU:
        if meeting_type.recorder_source == RecorderSource.GENERAL_OFFICE and any(
                u.pk == user.pk for u in general_office_staff(meeting_type.bureau)):
            return True
        return user in holders(bureau=meeting_type.bureau, post=meeting_type.convener_post, on=today, unit=None,
                               scope=Scope.BUREAU)
    if unit is None:
        return False
    posts = [meeting_type.convener_post, *(meeting_type.delegate_posts if meeting_type.chair_delegable else [])]
    return Appointment.objects.on(today).filter(person=user, unit=unit, post__in=posts).exists()


def schedulable_units(user, meeting_type: MeetingType) -> list[Unit]:
    if meeting_type.scope != Scope.UNIT:
        return []
    units = Unit.objects.filter(bureau=meeting_type.bureau, kind__in=meeting_type.unit_kinds, active=True)
    return [u for u in units if may_schedule(user, meeting_type, u, timezone.localdate())]
