"""The permission gate for minutes (docs/architecture.md, Gates), R-CO-1 inside them and R-CO-2.

A person reads minutes they were granted (guardian, by the services that draft, distribute and file
them) or, R-CO-2, approved minutes of a meeting type whose minutes book is read by grant, when the
security administrator granted them that book. Like the governance gates, nothing here answers for a
superuser as such (see `governance.permissions.holds`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from governance.models import MinutesBookGrant
from governance.permissions import granted_perms, granted_rows, holds

from .models import Minutes, MinutesStatus

PERMS = {"view": "minutes.view_minutes", "draft": "minutes.draft_minutes", "approve": "minutes.approve_minutes",
         "review": "minutes.review_minutes"}
# The minutes book holds minutes once approved; drafts stay with their drafters and approver.
BOOK_STATES = [s for s in MinutesStatus.values if s not in {MinutesStatus.DRAFT, MinutesStatus.SUBMITTED}]


def book_grants(user):
    """R-CO-2: ids of the meeting types whose minutes book `user` was granted (and which are read by grant)."""
    return MinutesBookGrant.objects.filter(person=user, revoked_at__isnull=True,
                                           meeting_type__minutes_access_by_grant=True).values("meeting_type_id")


def visible_minutes(user):
    """Minutes `user` may read: granted one by one, or through a minutes book (R-CO-2)."""
    if not user.is_authenticated or not user.is_active:
        return Minutes.objects.none()
    # One IN over a UNION: each half is an index lookup; an OR of the two would scan every minutes.
    one_by_one = granted_rows(user, PERMS["view"], Minutes).order_by()
    by_book = (Minutes.objects.filter(meeting__meeting_type_id__in=book_grants(user), status__in=BOOK_STATES)
               .order_by().values("pk"))
    return Minutes.objects.filter(pk__in=one_by_one.union(by_book))


def may_minutes(user, minutes: Minutes, perm: str) -> bool:
    """Whether `user` may `perm` ("view", "draft", "approve", "review") these minutes."""
    if not user.is_authenticated or not user.is_active:
        return False
    held = getattr(minutes, "granted", None)  # asked once by access_minutes for the page's person
    if (PERMS[perm].split(".")[1] in held) if held is not None and minutes.granted_to == user.pk \
            else holds(user, PERMS[perm], minutes):
        return True
    return (perm == "view" and minutes.status in BOOK_STATES
            and book_grants(user).filter(meeting_type_id=minutes.meeting.meeting_type_id).exists())


def access_minutes(user, pk: int, perm: str = "view") -> Minutes:
    """The minutes if `user` may `perm` them: 404 when they may not even read them, 403 otherwise."""
    minutes = (Minutes.objects.select_related("meeting__meeting_type", "meeting__unit", "meeting__bureau",
                                              "meeting__chair__person", "meeting__recorder__person", "issuing_unit")
               .filter(pk=pk).first())
    if minutes is not None and user.is_authenticated:
        minutes.granted, minutes.granted_to = granted_perms(user, minutes), user.pk
    if minutes is None or not may_minutes(user, minutes, "view"):
        raise Http404("no such minutes")
    if perm != "view" and not may_minutes(user, minutes, perm):
        raise PermissionDenied
    return minutes

