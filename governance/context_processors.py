"""What every page's header shows: the unread message count and the approval queue size."""

from __future__ import annotations


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        return user.notifications.filter(read_at__isnull=True).count()

    # Lazy: a page that never shows the header (a download, a partial) costs no query.
    return {"unread_count": unread}
