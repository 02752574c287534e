"""What the audit trail hears without being called: logins, failed logins, lockouts (django-axes),
logouts, password changes and resets, and every change made in the Django admin (its LogEntry).
`connect()` runs once, in AuditConfig.ready."""

from __future__ import annotations

import json

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry, LogEntryManager
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save

from ..models import Category, Outcome
from ..permissions import remember_for_navigation
from .context import current_request
from .events import record

ADMIN_ACTIONS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def on_login(sender, request, user, **kwargs):
    record(actor=user, category=Category.LOGIN, action="login", obj=user, label=user.get_username(), request=request)
    remember_for_navigation(request, user)


def on_logout(sender, request, user, **kwargs):
    if user is None:  # logging out without being logged in
        return
    record(actor=user, category=Category.LOGOUT, action="logout", obj=user, label=user.get_username(), request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    """A failed login keeps the user name that was typed; when it names an account, the row is linked
    to it, so that the account's owner and the assessor see attempts on it."""
    model = get_user_model()
    typed = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")[:150]
    account = model._default_manager.filter(**{model.USERNAME_FIELD: typed}).first() if typed else None
    locked = bool(getattr(request, "axes_locked_out", False))
    record(actor=account, actor_name=typed, category=Category.LOGIN_FAILED, action="login",
           object_type=f"{model._meta.app_label}.{model._meta.model_name}" if account else "",
           object_id=str(account.pk) if account else "", label=typed, outcome=Outcome.FAILURE,
           reason="locked out" if locked else "", request=request)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked the user name and address out (or refused an attempt during a lockout)."""
    model = get_user_model()
    typed = str(username or "")[:150]
    account = model._default_manager.filter(**{model.USERNAME_FIELD: typed}).first() if typed else None
    detail = {"failures": getattr(request, "axes_failures_since_start", None), "axes_address": ip_address}
    record(actor=account, actor_name=typed, category=Category.LOCKOUT, action="lockout", label=typed,
           object_type=f"{model._meta.app_label}.{model._meta.model_name}" if account else "",
           object_id=str(account.pk) if account else "", outcome=Outcome.REFUSED,
           detail={k: v for k, v in detail.items() if v is not None}, request=request)


def on_user_saved(sender, instance, created, **kwargs):
    """A new password was set (`set_password` and then `save`, as PasswordChangeForm, SetPasswordForm,
    the admin and `manage.py changepassword` do). By the user themselves: password_change; by someone
    else, or with no one logged in (a reset link, the command line): password_reset, with the person
    acting from the request being served. A hash upgraded at login keeps its password and is not
    recorded (Django clears the raw password before saving it)."""
    if created or getattr(instance, "_password", None) is None:
        return
    request = current_request()
    acting = getattr(request, "user", None)
    acting = acting if acting is not None and acting.is_authenticated else None
    own = acting is not None and acting.pk == instance.pk
    record(actor=acting, category=Category.PASSWORD_CHANGE if own else Category.PASSWORD_RESET,
           action="change" if own else "reset", obj=instance, label=instance.get_username(),
           reason="" if request is not None else "outside a web request (command line)", request=request)


def _neutral_change_message(entry: LogEntry) -> tuple[str, list]:
    """The admin's change message with the names of what changed, never the values nor an inline
    object's text (which could be a confidential topic's title)."""
    try:
        messages = json.loads(entry.change_message or "[]")
    except json.JSONDecodeError:
        return entry.change_message[:500], []
    if not isinstance(messages, list):
        return "", []
    kept, parts = [], []
    for message in messages:
        if not isinstance(message, dict):
            continue
        for verb in ("added", "changed", "deleted"):
            if verb in message:
                body = message[verb] or {}
                item = {k: body[k] for k in ("name", "fields") if k in body}
                kept.append({verb: item})
                what = ", ".join(str(f) for f in item.get("fields", [])) or item.get("name", "")
                parts.append(f"{verb}: {what}" if what else verb)
    return "; ".join(parts), kept


def record_admin_change(entry: LogEntry):
    content_type = ContentType.objects.get_for_id(entry.content_type_id) if entry.content_type_id else None
    reason, messages = _neutral_change_message(entry)
    return record(
        actor=entry.user, category=Category.ADMIN_CHANGE, action=ADMIN_ACTIONS.get(entry.action_flag, "other"),
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=entry.object_id or "", reason=reason, detail={"messages": messages} if messages else None)


def on_log_entry(sender, instance, created, **kwargs):
    if created:
        record_admin_change(instance)


def _audit_bulk_log_entries() -> None:
    """The admin writes one LogEntry with save() (post_save reaches on_log_entry), but several at once
    (deleting selected rows) with bulk_create, which sends no signal: those are recorded here, by
    wrapping LogEntryManager.log_actions once."""
    original = LogEntryManager.log_actions
    if getattr(original, "audited", False):
        return

    def log_actions(self, *args, **kwargs):
        entries = original(self, *args, **kwargs)
        # A subclass still on the deprecated log_action() creates each row with save(): heard already.
        bulk = type(self).log_action == LogEntryManager.log_action
        if bulk and isinstance(entries, list) and len(entries) > 1:
            for entry in entries:
                record_admin_change(entry)
        return entries

    log_actions.audited = True
    LogEntryManager.log_actions = log_actions


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.lockout")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="audit.password")
    post_save.connect(on_log_entry, sender=LogEntry, dispatch_uid="audit.admin_change")
    _audit_bulk_log_entries()
