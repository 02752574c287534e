"""Whether to show the audit screen in the navigation: decided at login and kept in the session (see
`audit.permissions.SCREEN_FLAG`), so that drawing the navigation costs no query on any page. The
screen itself checks the permission on every request."""

from .permissions import SCREEN_FLAG


def audit_screen(request):
    session = getattr(request, "session", None)
    return {"may_audit": bool(session.get(SCREEN_FLAG, False)) if session is not None else False}
