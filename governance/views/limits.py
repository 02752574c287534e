"""Rate limits (django-ratelimit) on what an attacker or a runaway script could repeat: logging in,
searching, uploading materials, and what sends notifications to many people (proposing a topic,
raising a query on filed minutes). The rates are the setting RATE_LIMITS, by group; a refused request
gets 429 with a Chinese page (RATELIMIT_VIEW, through django_ratelimit's middleware)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit


def _rate(group: str, request):
    rates = getattr(settings, "RATE_LIMITS", {})
    return rates.get(group)  # None: not limited


def limited(group: str, *, key: str = "user_or_ip", method: str | tuple = "POST", only_action: str = ""):
    """A view limited to RATE_LIMITS[group] requests per key (the account, or the address when
    signed out); `only_action` limits only the requests whose URL's `action` is that one."""
    def rate(grp, request):
        if only_action and (getattr(request, "resolver_match", None) is None
                            or request.resolver_match.kwargs.get("action") != only_action):
            return None
        return _rate(grp, request)

    return ratelimit(group=group, key=key, rate=rate, method=method, block=True)


def ratelimited(request, exception=None):
    return render(request, "429.html", status=429)
