"""Sessions (等保 2.0 三级, 身份鉴别 and 访问控制): every login is a `UserSession` row with its session key,
time, address and browser, so that a person sees where they are signed in and ends a session; the login
time is kept in the session for the absolute lifetime (SESSION_ABSOLUTE_SECONDS, checked by
`meetings_site.middleware.AccountSecurityMiddleware`)."""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings

from audit.models import Category
from audit.services.context import USER_AGENT_MAX, client_address
from audit.services.events import record

from ..models import UserSession
from ..selectors import accounts, org

LOGIN_AT = "login_at"
TOUCHED_AT = "touched_at"  # when the idle timeout was last renewed (meetings_site.middleware.SessionTouchMiddleware)
# What the middleware needs on every request, computed at login (and after a change of password) so
# that a request costs no query for it: a password to change, when it expires, whether the account has
# a confirmed TOTP device, whether it must have one.
PASSWORD_CHANGE = "password_change"
PASSWORD_EXPIRES_AT = "password_expires_at"
OTP_ENROLLED = "otp_enrolled"
OTP_REQUIRED = "otp_required"


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def on_login(sender, request, user, **kwargs):
    """user_logged_in: the session (its key already rotated by django.contrib.auth.login) is recorded."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LOGIN_AT] = session[TOUCHED_AT] = int(time.time())  # the idle timeout starts with the login
    remember_sign_in(session, user)
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(session_key=session.session_key, defaults={
        "user": user, "ip": client_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:min(300, USER_AGENT_MAX)]})


def remember_sign_in(session, user) -> None:
    """Keep in the session what the middleware asks on every request (see above)."""
    session[PASSWORD_CHANGE] = accounts.password_change_reason(user)
    session[PASSWORD_EXPIRES_AT] = accounts.password_expires_at(user)
    session[OTP_ENROLLED] = accounts.confirmed_devices(user).exists()
    session[OTP_REQUIRED] = accounts.second_factor_required(user)
    session[org.HEADER_KEY] = org.workplaces(user)  # the header's bureau switcher and city link


def rekey(old: str | None, new: str | None) -> None:
    """The session kept its row when its key was rotated (a change of password)."""
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)


def on_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


def end_session(*, user, pk: int) -> bool:
    """End one of `user`'s sessions: removed from the session store at once (the browser holding it is
    signed out at its next request) and from the list. False when it is not theirs."""
    row = UserSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        return False
    _store(row.session_key).delete()
    row.delete()
    record(actor=user, category=Category.LOGOUT, action="end_session", obj=user, label=user.get_username(),
           detail={"session": row.pk})
    return True


def forget_ended(user) -> None:
    """Drop the rows of sessions the store no longer has (expired, logged out elsewhere)."""
    gone = [row.pk for row in UserSession.objects.filter(user=user) if not _store(row.session_key).exists(row.session_key)]
    UserSession.objects.filter(pk__in=gone).delete()
