"""What every page's header shows: the unread message count, and for the three administrators
(三员分立) their workspace instead of the meeting screens."""

from __future__ import annotations


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .permissions import admin_role_of, may_use_admin_site

    def unread() -> int:
        if hasattr(user, "unread_now"):  # read with the user (governance.backends)
            return user.unread_now
        return user.notifications.filter(read_at__isnull=True).count()

    # Lazy: a page that never shows the header (a download, a partial) costs no query.
    return {"unread_count": unread, "admin_role": lambda: admin_role_of(user) or "",
            "may_admin": lambda: may_use_admin_site(user)}
