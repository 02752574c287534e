"""The audit trail's one table. Rows are only ever added: the model and its QuerySet refuse to change
or delete one, and on PostgreSQL a trigger refuses UPDATE and DELETE on the table itself, so not even
raw SQL from the application's connection can rewrite history. Archiving rows older than
AUDIT_RETENTION_DAYS is an operator's database job (README, Audit trail)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted: the trail is append-only."""

    def __init__(self, what: str):
        super().__init__(f"the audit trail is append-only: {what} is refused")


class Category(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    LOGOUT = "logout", _("退出")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    ROLE_CHANGE = "role_change", _("角色变更")
    GRANT_CHANGE = "grant_change", _("授权变更")
    CONFIDENTIAL_READ = "confidential_read", _("查阅保密内容")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出")
    TRANSITION = "transition", _("流程操作")
    ADMIN_CHANGE = "admin_change", _("后台变更")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    REFUSED = "refused", _("拒绝")


class AuditEventQuerySet(models.QuerySet):
    """Reads as usual; bulk changes are refused."""

    def update(self, **kwargs):
        raise AppendOnlyError("QuerySet.update()")

    def delete(self):
        raise AppendOnlyError("QuerySet.delete()")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("QuerySet.bulk_update()")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError("QuerySet.update_or_create()")

    # Also reached through the manager (AuditEvent.objects.update(...)).
    update.queryset_only = False
    delete.queryset_only = False


class AuditEvent(models.Model):
    """One audited event: when, who (and their name as it was), from where, what, on which object,
    with what outcome and why. The label, detail and reason never carry confidential content: callers
    pass a neutral label (a title that is not confidential, a number) and ids."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="audit_events", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True,
                                  help_text=_("记录当时的姓名，账号改名或停用后仍可辨认"))
    actor_username = models.CharField(_("账号"), max_length=150, blank=True,
                                      help_text=_("记录当时的用户名；登录失败时为所填用户名"))
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=256, blank=True)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, help_text=_("应用.模型，如 governance.meeting"))
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        # Nobody adds, changes or deletes an audit event through a form: only `view`, and `export`
        # for the audit administrator's download.
        default_permissions = ("view",)
        permissions = [("export_auditevent", _("可以导出审计记录"))]
        indexes = [
            models.Index(fields=["category", "at"], name="audit_category_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["actor_username", "at"], name="audit_username_at"),
            models.Index(fields=["outcome", "at"], name="audit_outcome_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["ip_address", "at"], name="audit_address_at"),
        ]
        triggers = [
            # PostgreSQL refuses UPDATE and DELETE on the table whatever issues them (django-pgtrigger;
            # installed by the migration, a no-op on SQLite).
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.category}/{self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("changing a saved audit event")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("deleting an audit event")
