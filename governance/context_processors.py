"""What every page's header shows: the unread message count, and for the three administrators
(三员分立) their workspace instead of the meeting screens; the bureau switcher for a person working in
two bureaus and the city view's link for a city's overseer."""

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


def workplaces(request):
    """The header's bureau switcher and city link, from the session (kept there at login and for a few
    minutes after), so an ordinary page costs no query for them; the switch and the city view check afresh."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def header() -> dict:
        import time

        from .selectors.org import HEADER_KEY, HEADER_SECONDS
        from .selectors.org import workplaces as compute

        cached = request.session.get(HEADER_KEY)
        if not (cached and cached.get("user") == user.pk and time.time() - cached.get("at", 0) < HEADER_SECONDS):
            cached = request.session[HEADER_KEY] = compute(user)
        return cached

    def switcher() -> dict | None:
        from .selectors.org import BUREAU_SESSION_KEY

        choices = header()["bureaus"]
        if len(choices) < 2:
            return None
        chosen = getattr(request, "_bureau", None)
        current = chosen.pk if chosen is not None else request.session.get(BUREAU_SESSION_KEY, choices[0][0])
        return {"choices": choices, "current": current}

    return {"bureau_switcher": switcher, "city_overseer": lambda: header()["city"]}
