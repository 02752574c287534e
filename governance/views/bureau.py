"""Which bureau a screen shows: a person holding posts in two bureaus works in both (the header's
switcher, or `?bureau=<code>` on a screen, remembered in the session), never in a bureau where they
hold no post."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from governance.selectors import org

SESSION_KEY = org.BUREAU_SESSION_KEY


def current_bureau(request):
    """The bureau this request's screen shows (None: the person works in no bureau); 404 for a
    `?bureau=` that is not one of theirs. Read once per request."""
    if not hasattr(request, "_bureau"):
        _choose(request, request.GET.get("bureau") or None)
    return request._bureau


def _choose(request, wanted: str | None):
    bureau, bureaus = org.pick_bureau(user=request.user, wanted=wanted, remembered=request.session.get(SESSION_KEY))
    if wanted and bureau is None:
        raise Http404("not one of your bureaus")
    if bureau is not None and wanted and request.session.get(SESSION_KEY) != bureau.pk:
        request.session[SESSION_KEY] = bureau.pk
    request._bureau, request._bureaus = bureau, bureaus
    return bureau


def bureau_choices(request) -> list:
    """The bureaus the header's switcher offers (only shown when there are two or more)."""
    if not hasattr(request, "_bureaus"):
        current_bureau(request) if request.user.is_authenticated else None
    return getattr(request, "_bureaus", [])


@login_required
@require_POST
def bureau_switch(request):
    """Switch the bureau the screens show, to one the person works in (404 otherwise), and go back."""
    _choose(request, request.POST.get("bureau", "").strip() or "-")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    return redirect(back)
