"""The request being served, kept in a context variable by `audit.middleware.AuditContextMiddleware`,
so that a service deep down (a transition, a signal receiver) records the address and client of the
person acting without being handed the request."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar, Token

from django.conf import settings

_current_request: ContextVar = ContextVar("audit_current_request", default=None)

USER_AGENT_MAX = 256


def set_request(request) -> Token:
    return _current_request.set(request)


def reset(token: Token) -> None:
    _current_request.reset(token)


def current_request():
    """The request this thread (or task) is serving, or None outside a request (a worker, a command)."""
    return _current_request.get()


def _valid(address: str) -> str | None:
    address = (address or "").strip()
    if address.startswith("[") and "]" in address:  # "[::1]:8000"
        address = address[1:address.index("]")]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address. With AUDIT_TRUSTED_PROXY_COUNT = 0 (the default) it is REMOTE_ADDR: a
    client can write any X-Forwarded-For it likes, so the header is not believed. With N trusted
    reverse proxies in front of the site, each of which appends the address it received the request
    from, the client is the N-th entry of X-Forwarded-For counted from the right; entries further left
    were written by the client and are ignored."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    count = getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if not hops:
        return remote
    candidate = hops[-count] if len(hops) >= count else hops[0]
    return _valid(candidate) or remote


def client_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
