"""Reads about an account's sign-in (等保 2.0 三级, 身份鉴别): must it change its password, must it
use a second factor, which sessions has it open."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from governance.rules.passwords import is_expired

from ..models import PasswordState, UserSession
from ..permissions import admin_role_of


def password_change_reason(user) -> str:
    """"must_change" (first login, an administrator's reset), "expired" (older than
    PASSWORD_MAX_AGE_DAYS) or "" when the password may be used. An account with no recorded state
    (created before this was tracked, or by a test factory) is not forced."""
    state = PasswordState.objects.filter(user=user).first()
    if state is None:
        return ""
    if state.must_change:
        return "must_change"
    if state.changed_at is not None:
        age = (timezone.now() - state.changed_at).total_seconds() / 86400
        if is_expired(age, int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))):
            return "expired"
    return ""


def password_expires_at(user) -> float | None:
    """When the password expires (a POSIX time), or None (never, or no recorded change)."""
    state = PasswordState.objects.filter(user=user).first()
    max_age = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))
    if state is None or state.changed_at is None or max_age <= 0:
        return None
    return state.changed_at.timestamp() + max_age * 86400


def confirmed_devices(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True)


def second_factor_required(user, path: str = "") -> bool:
    """The three administrators, a superuser and anyone entering the Django admin must use TOTP;
    everyone when OTP_REQUIRED_FOR_ALL is set."""
    if getattr(settings, "OTP_REQUIRED_FOR_ALL", False):
        return True
    if admin_role_of(user) is not None or user.is_superuser:
        return True
    return path.startswith("/admin/")


def open_sessions(user):
    return UserSession.objects.filter(user=user)
