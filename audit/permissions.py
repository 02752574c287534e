"""The gate of the audit screen. Only those who hold `audit.view_auditevent` (to search) and
`audit.export_auditevent` (to export) on their account or through a group see it: the audit
administrator's group holds exactly these two. A superuser is not let in by being one
(`has_perm` is always true for a superuser, so the permission rows are read directly): under the
separation of the system, security and audit administrators (三员分立) the system administrator does
not read the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

VIEW = "view_auditevent"
EXPORT = "export_auditevent"
SCREEN_FLAG = "audit_screen"  # session key: show the screen in the navigation (set at login and on the screen)


def audit_permissions(user) -> set[str]:
    """The audit codenames `user` holds explicitly, on the account or a group, in one query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_audit_permissions", None)
    if cached is None:
        cached = set(Permission.objects.filter(content_type__app_label="audit", codename__in=[VIEW, EXPORT])
                     .filter(Q(user=user) | Q(group__user=user)).values_list("codename", flat=True).distinct())
        user._audit_permissions = cached
    return cached


def may_view(user) -> bool:
    return VIEW in audit_permissions(user)


def may_export(user) -> bool:
    """Exporting shows the rows too: both permissions are needed."""
    return {VIEW, EXPORT} <= audit_permissions(user)


def remember_for_navigation(request, user) -> None:
    """Keep in the session whether `user` may open the screen, for the navigation link."""
    if getattr(request, "session", None) is not None:
        request.session[SCREEN_FLAG] = may_view(user)


def require_view(request) -> set[str]:
    """The audit permissions of the request's user, or 403 without `view_auditevent`."""
    perms = audit_permissions(request.user)
    if bool(request.session.get(SCREEN_FLAG)) != (VIEW in perms):
        request.session[SCREEN_FLAG] = VIEW in perms
    if VIEW not in perms:
        raise PermissionDenied
    return perms


def require_export(user) -> None:
    if not may_export(user):
        raise PermissionDenied
