"""Chinese is the language of the product; English only when a person chooses it."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not a choice: a bureau's
    screens are in Chinese unless the person picked English with the language switch (its cookie)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and translation.check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AdministratorWorkspaceMiddleware:
    """三员分立: an administrator's account works in its role's workspace and nowhere else. The
    system administrator in the Django admin, the security administrator on the security screen, the
    audit administrator in the audit trail; every meeting, minutes or follow-up page answers 403 to
    them, whatever else the account may have been given. The home page sends them to their workspace."""

    WORKSPACES = {"system": "/admin/", "security": "/security/", "audit": "/audit/"}
    EVERYONE = ("/accounts/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import PermissionDenied
        from django.http import HttpResponseRedirect
        from django.urls import Resolver404, resolve

        from governance.permissions import admin_role_of

        role = admin_role_of(request.user)
        if role is None:
            return self.get_response(request)
        workspace = self.WORKSPACES[role]
        path = request.path_info
        if path == "/":
            try:
                resolve(workspace)
            except Resolver404:
                raise PermissionDenied("the workspace of this role is not installed") from None
            return HttpResponseRedirect(workspace)
        if not path.startswith((workspace, *self.EVERYONE)):
            raise PermissionDenied("an administrator's account works only in its role's workspace")
        return self.get_response(request)


class SessionTouchMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE after the last request): a request renews the session's
    expiry when the last renewal is SESSION_TOUCH_SECONDS old, so most requests write nothing. A
    request without a session cookie is left alone (no session is created for it)."""

    from governance.services.sessions import TOUCHED_AT as KEY

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            touch(request)
        return self.get_response(request)


def touch(request, *, force: bool = False) -> None:
    """Renew the session's idle timeout now (force) or when its last renewal is old enough."""
    import time

    now = int(time.time())
    session = request.session
    if force or now - session.get(SessionTouchMiddleware.KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
        session[SessionTouchMiddleware.KEY] = now  # modified: saved with a new expiry and cookie


class AccountSecurityMiddleware:
    """等保 2.0 三级, 身份鉴别 for every signed-in request, in this order:

    1. the absolute lifetime: a session older than SESSION_ABSOLUTE_SECONDS since its login is ended
       (the idle timeout is the session store's: SESSION_COOKIE_AGE, renewed by SessionTouchMiddleware);
    2. the second factor: an account with a confirmed TOTP device that has not given its code in this
       session answers it on the verify page;
    3. the password: an account that must change it (first login, a reset) or whose password expired
       is sent to the change page;
    4. an account that must use a second factor (the three administrators, a superuser, the Django
       admin, everyone with OTP_REQUIRED_FOR_ALL) and has none is sent to set one up.

    Nothing else gets through meanwhile, except logging out, static files and the language switch.
    """

    OPEN = ("/accounts/logout/", "/static/", "/i18n/", "/accounts/keepalive/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path_info.startswith(self.OPEN):
            return self.get_response(request)
        answer = self._gate(request, user)
        return answer if answer is not None else self.get_response(request)

    def _gate(self, request, user):
        import time

        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        from governance.selectors import accounts
        from governance.services import sessions as keys

        session, path, now = request.session, request.path_info, time.time()
        if session.get(keys.LOGIN_AT) is None:  # a session from before these checks: start counting now
            session[keys.LOGIN_AT] = int(now)
            keys.remember_sign_in(session, user)
        elif now - session[keys.LOGIN_AT] > settings.SESSION_ABSOLUTE_SECONDS:
            logout(request)
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")

        def to(name: str):
            target = reverse(name)
            if path == target:
                return None
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

        verified = getattr(user, "is_verified", lambda: False)()
        if not verified and session.get(keys.OTP_ENROLLED):
            return to("otp_verify")
        expires_at = session.get(keys.PASSWORD_EXPIRES_AT)
        if session.get(keys.PASSWORD_CHANGE) or (expires_at is not None and now >= expires_at):
            # Asked again only while flagged: the change page clears it once the password is new.
            session[keys.PASSWORD_CHANGE] = accounts.password_change_reason(user)
            if session[keys.PASSWORD_CHANGE]:
                return to("password_change")
            session[keys.PASSWORD_EXPIRES_AT] = accounts.password_expires_at(user)
        if not verified and (session.get(keys.OTP_REQUIRED) or settings.OTP_REQUIRED_FOR_ALL or path.startswith("/admin/")):
            return to("otp_setup")
        return None


# C0 and C1 control characters except tab and newline, DEL, lone surrogates and the two noncharacters
# that XML forbids: PostgreSQL refuses NUL in text, openpyxl and python-docx refuse the rest, and a line
# break in a header (an e-mail subject) is a header injection. Carriage returns become newlines first.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_input(value: str) -> str:
    """A value as the site accepts it: control characters removed, line ends made `\\n`; tab, newline
    and every printable character (Chinese, emoji, markup, formulas) kept exactly as sent."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _clean(query: QueryDict) -> QueryDict:
    if not any(CONTROL.search(v) or "\r" in v for key, values in query.lists() for v in (key, *values)):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(clean_input(key), [clean_input(v) for v in values])
    cleaned._mutable = False
    return cleaned


class RequestSizeMiddleware:
    """A request body larger than REQUEST_MAX_BYTES (the largest material plus room for the form's
    fields) is answered 413 from its Content-Length alone, before anything reads the body: a 2 GB
    upload costs the server nothing. The reverse proxy should refuse it first (README: Production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if length > settings.REQUEST_MAX_BYTES:
            from django.shortcuts import render

            limit = settings.MATERIAL_MAX_BYTES // 1024 // 1024
            response = render(request, "413.html", {"limit": limit}, status=413)
            response["Connection"] = "close"  # the unread body is not worth keeping the connection for
            return response
        return self.get_response(request)


class CleanInputMiddleware:
    """The one input boundary: every GET and POST value (and name) reaches the views without control
    characters, so no screen, document, export, feed or e-mail header downstream ever sees one.
    Uploaded files are left exactly as sent. A control character in the path itself is a bad request:
    no URL of this site has one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info):
            raise BadRequest("control character in the path")
        request.GET = _clean(request.GET)
        if request.method == "POST":
            request.POST = _clean(request.POST)
        return self.get_response(request)


class NoStoreMiddleware:
    """What a signed-in person is shown (every page, fragment and download) and every attachment is
    kept by no browser or proxy cache: `Cache-Control: no-store, private` and `Pragma: no-cache`.
    Static files (served by WhiteNoise before this runs, or under STATIC_URL) are left cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition") \
                or response.get("Content-Type", "").startswith("text/calendar"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
