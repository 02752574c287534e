"""Reads of accountability (责任追究, R-FU-8): who investigates and who decides, who sees a case, the
records a case stands on, and the figures the compliance view and the ledgers show."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from governance.models import (
    AccountabilityCase,
    Action,
    Appointment,
    Breach,
    BreachKind,
    CaseStatus,
    Post,
    Unit,
    UnitKind,
)
from governance.selectors.org import (
    STAFF_POSTS,
    leader_in_charge,
    office_staff,
    post_holders,
    special_unit,
)
from governance.selectors.periods import within

# Breaches a case may be opened on: the commerce regulation's 六 names delayed or evaded decisions; the
# missed meeting and the late minutes are the other duties the Supervision Office watches (R-FU-8).
CASE_BREACHES = (BreachKind.ACTION_OVERDUE, BreachKind.CADENCE_MISSED, BreachKind.MINUTES_LATE,
                 BreachKind.NOTICE_LATE, BreachKind.BRIEFING_LATE, BreachKind.MANDATORY_BYPASSED,
                 BreachKind.UNEXCUSED_ABSENCE)


def investigators(*, bureau, on: datetime.date | None = None) -> list:
    """R-FU-8: the Supervision Office's officers open cases and record the finding."""
    return office_staff(bureau=bureau, kind=UnitKind.SUPERVISION_OFFICE, on=on or timezone.localdate())


def deciders(*, bureau, on: datetime.date | None = None) -> list:
    """R-FU-8: the measure is decided by the discipline secretary (纪委书记) or, where there is none, the
    bureau leader in charge of the Supervision Office."""
    on = on or timezone.localdate()
    people = list(post_holders(bureau=bureau, post=Post.DISCIPLINE_SECRETARY, on=on))
    if not people:
        office = special_unit(bureau=bureau, kind=UnitKind.SUPERVISION_OFFICE)
        leader = leader_in_charge(unit=office, on=on) if office else None
        people = [leader] if leader else []
    return people


def clause(bureau):
    """The clause accountability stands on, as the bureau's rules have it (the DA follow-up source,
    commerce 六, cites R-FU-8): shown on the case screens. None if the bureau has removed it."""
    from governance.models import RuleSource

    return (RuleSource.objects.filter(meeting_type__bureau=bureau, rule_ids__contains="R-FU-8")
            .select_related("meeting_type").first())


def may_investigate(user, bureau, posts: list | None = None) -> bool:
    """One of `investigators(bureau=bureau)`; a screen passes the posts it already read
    (`org.current_posts`), a service asks afresh."""
    if posts is None:
        return any(p.pk == user.pk for p in investigators(bureau=bureau))
    return bool(user.is_active and any(
        p.bureau_id == bureau.pk and p.unit is not None and p.unit.kind == UnitKind.SUPERVISION_OFFICE
        and p.post in STAFF_POSTS for p in posts))


def may_decide(user, bureau) -> bool:
    return any(p.pk == user.pk for p in deciders(bureau=bureau))


def _oversight_posts(user):
    """The appointments through which `user` oversees a bureau's cases today (one query when asked):
    the discipline and party secretaries, the Supervision Office's officers and its leader in charge."""
    return Appointment.objects.on(timezone.localdate()).filter(person=user).filter(
        Q(post__in=[Post.DISCIPLINE_SECRETARY, Post.PARTY_SECRETARY])
        | Q(unit__kind=UnitKind.SUPERVISION_OFFICE,
            post__in=[Post.UNIT_HEAD, Post.UNIT_DEPUTY_HEAD, Post.UNIT_STAFF, Post.LEADER_IN_CHARGE]))


def _oversight_bureaus(user) -> list[int]:
    """Bureaus whose every case `user` sees: as an investigator, a decider, or the party secretary."""
    return sorted(set(_oversight_posts(user).values_list("bureau_id", flat=True)))


def visible_cases(user) -> QuerySet:
    """The cases `user` may open: every case of a bureau they oversee (above), and their own."""
    if not getattr(user, "is_authenticated", False):
        return AccountabilityCase.objects.none()
    return AccountabilityCase.objects.filter(Q(bureau_id__in=_oversight_bureaus(user)) | Q(responsible=user))


def access_case(user, pk: int) -> AccountabilityCase:
    case = (visible_cases(user).select_related("bureau", "breach", "action", "responsible__person", "responsible_unit",
                                               "opened_by__person", "found_by__person", "decided_by__person")
            .filter(pk=pk).first())
    if case is None:
        raise Http404("no such case")
    return case


def may_list_cases(user, posts: list | None = None) -> bool:
    """`user` holds one of `_oversight_posts`; a screen passes the posts it already read."""
    if not getattr(user, "is_authenticated", False):
        return False
    if posts is None:
        return _oversight_posts(user).exists()
    supervision = (Post.UNIT_HEAD, Post.UNIT_DEPUTY_HEAD, Post.UNIT_STAFF, Post.LEADER_IN_CHARGE)
    return any(p.post in (Post.DISCIPLINE_SECRETARY, Post.PARTY_SECRETARY) or (
        p.unit is not None and p.unit.kind == UnitKind.SUPERVISION_OFFICE and p.post in supervision) for p in posts)


def case_list(user, *, status: str = "") -> QuerySet:
    qs = visible_cases(user).select_related("responsible__person", "responsible_unit", "breach")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-opened_at", "-pk")


def openable_breach(user, pk: int) -> Breach:
    """A breach `user` may open a case on: of a kind in CASE_BREACHES, in their bureau, with no case yet."""
    breach = Breach.objects.select_related("bureau", "unit", "meeting_type").filter(pk=pk).first()
    if breach is None or breach.kind not in CASE_BREACHES or not may_investigate(user, breach.bureau):
        raise Http404("no such breach")
    return breach


def record_link(breach: Breach | None, action: Action | None) -> str:
    """Where the record a case stands on is shown (each screen keeps its own gate)."""
    if action is not None:
        return reverse("action_detail", args=[action.pk])
    if breach is None:
        return ""
    kind, _, rest = breach.subject.partition(":")
    names = {"minutes": "minutes_detail", "action": "action_detail", "notice": "meeting_detail",
             "topic": None, "briefing": "briefing"}
    name = names.get(kind)
    if name and rest.isdigit():
        try:
            return reverse(name, args=[int(rest)])
        except NoReverseMatch:
            return ""
    return reverse("compliance_records") + f"?kind={breach.kind}"


def subject_action(breach: Breach) -> Action | None:
    kind, _, rest = breach.subject.partition(":")
    if kind == "action" and rest.isdigit():
        return Action.objects.filter(pk=int(rest)).first()
    return None


def suggested_responsible(breach: Breach):
    """Who answers for a breach by default: the action's owner, else the head of the breach's unit."""
    action = subject_action(breach)
    if action is not None and action.owner_id:
        return action.owner
    if breach.unit_id:
        head = post_holders(bureau=breach.bureau, post=Post.UNIT_HEAD, on=timezone.localdate(), unit=breach.unit).first()
        if head is not None:
            return head
    return None


def responsible_choices(bureau) -> QuerySet:
    """Everyone holding a post in the bureau today, for the case's 责任人."""
    from django.contrib.auth import get_user_model

    ids = Appointment.objects.on(timezone.localdate()).filter(bureau=bureau).values("person_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).select_related("person").order_by("person__name")


def unit_choices(bureau) -> QuerySet:
    return Unit.objects.filter(bureau=bureau, active=True).order_by("order", "name")


def case_figures(*, bureau, start: datetime.date, end: datetime.date) -> dict[int | None, dict[str, int]]:
    """Per responsible unit: cases opened in [start, end], those still open, those decided with a measure."""
    rows = (AccountabilityCase.objects.filter(bureau=bureau, **within("opened_at", start, end))
            .values("responsible_unit_id")
            .annotate(opened=Count("id"),
                      pending=Count("id", filter=Q(status__in=[CaseStatus.OPEN, CaseStatus.FOUND])),
                      decided=Count("id", filter=Q(status=CaseStatus.DECIDED))))
    return {r["responsible_unit_id"]: {"opened": r["opened"], "pending": r["pending"], "decided": r["decided"]}
            for r in rows}
