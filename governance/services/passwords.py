"""Passwords (等保 2.0 三级, 身份鉴别): the validators Django's password forms call (composition from
`governance.rules.passwords`, no reuse of the last few), and what happens when a password is set: its
hash goes into the history, the change date is stamped, and a password set by someone else (an
administrator's reset, the command line) must be changed by its owner at the next login.

The limits are settings: PASSWORD_MIN_LENGTH, PASSWORD_MIN_KINDS, PASSWORD_HISTORY_COUNT,
PASSWORD_MAX_AGE_DAYS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services.context import current_request
from governance.rules.passwords import composition_problems

from ..models import PasswordHistory, PasswordState


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class ComplexityValidator:
    """At least PASSWORD_MIN_LENGTH characters of PASSWORD_MIN_KINDS kinds, not containing the user name."""

    def validate(self, password, user=None):
        username = user.get_username() if user is not None else ""
        min_length, min_kinds = _setting("PASSWORD_MIN_LENGTH", 8), _setting("PASSWORD_MIN_KINDS", 3)
        errors = []
        for problem in composition_problems(password, username=username, min_length=min_length, min_kinds=min_kinds):
            if problem.code == "too_short":
                errors.append(ValidationError(_("密码至少需要 %(n)d 个字符。") % {"n": problem.limit},
                                              code="password_too_short"))
            elif problem.code == "too_few_kinds":
                errors.append(ValidationError(
                    _("密码须包含大写字母、小写字母、数字、特殊符号中的至少 %(n)d 类。") % {"n": problem.limit},
                    code="password_too_few_kinds"))
            else:
                errors.append(ValidationError(_("密码不得包含用户名。"), code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _("至少 %(length)d 个字符，包含大写字母、小写字母、数字、特殊符号中的至少 %(kinds)d 类，且不得包含用户名。") % {
            "length": _setting("PASSWORD_MIN_LENGTH", 8), "kinds": _setting("PASSWORD_MIN_KINDS", 3)}


class HistoryValidator:
    """Not the current password nor one of the last PASSWORD_HISTORY_COUNT."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        count = _setting("PASSWORD_HISTORY_COUNT", 5)
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count])
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes if encoded):
            raise ValidationError(_("新密码不得与最近 %(n)d 次使用过的密码相同。") % {"n": count},
                                  code="password_reused")

    def get_help_text(self):
        return _("不得与最近 %(n)d 次使用过的密码相同。") % {"n": _setting("PASSWORD_HISTORY_COUNT", 5)}


def require_change(user) -> PasswordState:
    """The account must change its password at its next request (first login, a reset)."""
    state, _created = PasswordState.objects.get_or_create(user=user)
    if not state.must_change:
        state.must_change = True
        state.save(update_fields=["must_change"])
    return state


def on_password_set(sender, instance, created, **kwargs):
    """post_save of the user model: a password was set (`set_password` then `save`). Its hash is kept
    in the history; set by the owner it clears the forced change, set by someone else (or outside a
    request: the command line) it forces one. A hash upgraded at login is not a new password (Django
    clears the raw password before that save)."""
    if getattr(instance, "_password", None) is None:
        return
    PasswordHistory.objects.create(user=instance, password=instance.password)
    keep = _setting("PASSWORD_HISTORY_COUNT", 5)
    old = PasswordHistory.objects.filter(user=instance).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()
    if created:
        return
    request = current_request()
    acting = getattr(request, "user", None)
    own = acting is not None and acting.is_authenticated and acting.pk == instance.pk
    PasswordState.objects.update_or_create(user=instance, defaults={"must_change": not own,
                                                                    "changed_at": timezone.now()})
