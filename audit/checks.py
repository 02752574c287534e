"""System checks for the audit trail's settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

MINIMUM_RETENTION_DAYS = 180  # 等保 2.0 三级 (and the Cybersecurity Law, art. 21): six months at least


@register()
def audit_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS:
        messages.append(Error(
            f"AUDIT_RETENTION_DAYS is {days!r}: audit records must be kept at least {MINIMUM_RETENTION_DAYS} days",
            hint=f"Set AUDIT_RETENTION_DAYS to {MINIMUM_RETENTION_DAYS} or more (the default).", id="audit.E001"))
    proxies = getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0)
    if not isinstance(proxies, int) or proxies < 0:
        messages.append(Error(f"AUDIT_TRUSTED_PROXY_COUNT is {proxies!r}: it counts proxies, 0 or more",
                              id="audit.E002"))
    elif proxies == 0 and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        messages.append(Warning(
            "SECURE_PROXY_SSL_HEADER says the site sits behind a reverse proxy, but AUDIT_TRUSTED_PROXY_COUNT is 0: "
            "every audit record will carry the proxy's address instead of the client's",
            hint="Set AUDIT_TRUSTED_PROXY_COUNT to the number of reverse proxies that append to X-Forwarded-For.",
            id="audit.W001"))
    middleware = "audit.middleware.AuditContextMiddleware"
    if middleware not in settings.MIDDLEWARE:
        messages.append(Error(f"{middleware} is not in MIDDLEWARE: audit records would lose their address",
                              id="audit.E003"))
    return messages
