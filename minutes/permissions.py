"""The permission gate for minutes (docs/architecture.md, Gates) and R-CO-1 inside them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from .models import Minutes

PERMS = {"view": "minutes.view_minutes", "draft": "minutes.draft_minutes", "approve": "minutes.approve_minutes",
         "review": "minutes.review_minutes"}


def visible_minutes(user):
    if not user.is_authenticated:
        return Minutes.objects.none()
    return get_objects_for_user(user, PERMS["view"], klass=Minutes, accept_global_perms=False, with_superuser=False)


def access_minutes(user, pk: int, perm: str = "view") -> Minutes:
    """The minutes if `user` may `perm` them: 404 when they may not even read them, 403 otherwise."""
    minutes = (Minutes.objects.select_related("meeting__meeting_type", "meeting__unit", "meeting__bureau",
                                              "meeting__chair__person", "meeting__recorder__person", "issuing_unit")
               .filter(pk=pk).first())
    if minutes is None or not user.has_perm(PERMS["view"], minutes):
        raise Http404("no such minutes")
    if perm != "view" and not user.has_perm(PERMS[perm], minutes):
        raise PermissionDenied
    return minutes
