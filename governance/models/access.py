"""Who administers the system and who was granted what (三员分立; R-CO-1, R-CO-2).

The three administrators (system, security, audit) are roles held by assignment: one row per
assignment, never deleted; revoking it stamps `revoked_at`. A person holds at most one of the three at
a time, which the database enforces with a partial unique index. The grants a security administrator
makes (a confidential topic to a person, a meeting type's minutes book to a person) are rows of the
same shape: who granted it, why, when, and when and why it was withdrawn. Rows are written only by
`governance.services.admin_roles`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meeting_types import MeetingType
from .meetings import Topic
from .org import City

User = settings.AUTH_USER_MODEL

SEPARATION_REFUSAL = _("同一人不得同时担任系统管理员、安全管理员和审计管理员中的两种角色（三员分立）。")


class AdminRole(models.TextChoices):
    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDIT = "audit", _("审计管理员")


class GrantRecord(models.Model):
    """Who granted it, why and when; when, by whom and why it was withdrawn."""

    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("授予人"), help_text=_("为空：由运维命令或演示数据设置。"))
    reason = models.CharField(_("授予理由"), max_length=500)
    at = models.DateTimeField(_("授予时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("撤销人"))
    revoke_reason = models.CharField(_("撤销理由"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class AdminRoleAssignment(GrantRecord):
    """One person holding one of the three administrator roles (三员分立), from `at` until revoked."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="admin_role_assignments",
                             verbose_name=_("人员"))
    role = models.CharField(_("管理员角色"), max_length=10, choices=AdminRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("管理员角色")
        verbose_name_plural = _("管理员角色")
        ordering = ["-at", "-pk"]
        constraints = [
            # 三员分立: at most one active administrator role per person, whichever it is.
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                    name="one_admin_role_per_person", violation_error_message=SEPARATION_REFUSAL),
            models.CheckConstraint(condition=~Q(granted_by=F("user")), name="admin_role_not_self_granted",
                                   violation_error_message=_("不得为自己授予管理员角色。")),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                                   name="admin_role_revoked_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class TopicGrant(GrantRecord):
    """R-CO-1: a person allowed to read one confidential topic. The right itself is guardian's
    `view_confidential_topic` on the topic, given and taken together with this row."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="grants", verbose_name=_("议题"))
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="topic_grants", verbose_name=_("被授权人"))
    opened_meeting = models.BooleanField(_("一并开放会议"), default=False,
                                         help_text=_("被授权人原本看不到该会议：授权时一并开放，撤销时一并收回。"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("保密议题授权")
        verbose_name_plural = _("保密议题授权")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "person"], condition=Q(revoked_at__isnull=True),
                                    name="one_active_topic_grant", violation_error_message=_("此人已获授权。")),
            models.CheckConstraint(condition=~Q(granted_by=F("person")), name="topic_grant_not_self_granted"),
        ]

    def __str__(self) -> str:
        # Never the topic's title: the grant is listed to those who may not read it.
        return f"{self.person} · #{self.topic_id}"


class MinutesBookGrant(GrantRecord):
    """R-CO-2: a person allowed to read a meeting type's minutes book (the approved minutes of every
    meeting of that type in its bureau), for types whose book is read by grant."""

    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="minutes_book_grants",
                                     verbose_name=_("会议类型"))
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="minutes_book_grants",
                               verbose_name=_("被授权人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议记录本查阅授权")
        verbose_name_plural = _("会议记录本查阅授权")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting_type", "person"], condition=Q(revoked_at__isnull=True),
                                    name="one_active_minutes_book_grant", violation_error_message=_("此人已获授权。")),
            models.CheckConstraint(condition=~Q(granted_by=F("person")), name="minutes_book_grant_not_self_granted"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting_type}"

    @property
    def bureau(self):
        return self.meeting_type.bureau


class CityOversight(GrantRecord):
    """A city-level overseer (市纪委监委, 市政府督查室) allowed to see the compliance figures of every bureau
    of a city side by side, and each bureau's compliance view read-only: counts and breaches only, never
    a meeting's content, topics or minutes (R-CO-1). Granted and revoked by the security administrator."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="oversights", verbose_name=_("市"))
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="city_oversights",
                               verbose_name=_("被授权人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("市级合规监督授权")
        verbose_name_plural = _("市级合规监督授权")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["city", "person"], condition=Q(revoked_at__isnull=True),
                                    name="one_active_city_oversight", violation_error_message=_("此人已获授权。")),
            models.CheckConstraint(condition=~Q(granted_by=F("person")), name="city_oversight_not_self_granted"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.city}"
