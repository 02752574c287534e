"""Deadlines enforced in the background (R-CA-1, R-CA-2): every reminder and escalation is recorded
here before it is sent, unique on what it is about, its kind, its recipient and its due date, so a
sweep that runs twice, overlaps or dies half-way never sends one twice and never loses one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .meeting_types import MeetingType
from .org import Bureau, Unit


class AlertKind(models.TextChoices):
    REMINDER = "reminder", _("到期提醒")
    ESCALATION = "escalation", _("逾期督办")


class Alert(models.Model):
    """One reminder or escalation to one person about one deadline (R-CA-2)."""

    subject = models.CharField(_("事项"), max_length=120, help_text=_("如 minutes:12、cadence:DA:unit:5:2026-10。"))
    deadline = models.CharField(_("期限类别"), max_length=30)
    kind = models.CharField(_("类别"), max_length=12, choices=AlertKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts",
                                  verbose_name=_("接收人"))
    due = models.DateField(_("期限"))
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("局"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒与督办")
        verbose_name_plural = _("提醒与督办")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["subject", "kind", "recipient", "due"], name="alert_once")]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return self.title


class BreachKind(models.TextChoices):
    MINUTES_LATE = "minutes_late", _("纪要逾期未分送")
    CADENCE_MISSED = "cadence_missed", _("未按周期召开会议")
    NOTICE_LATE = "notice_late", _("会议通知逾期")
    BRIEFING_LATE = "briefing_late", _("缺席成员逾期未传达")
    ACTION_OVERDUE = "action_overdue", _("决定事项逾期未落实")
    MANDATORY_BYPASSED = "mandatory_bypassed", _("应经处务会研究的事项未经处务会")
    UNEXCUSED_ABSENCE = "unexcused_absence", _("无故缺席")
    DECISION_UNTRACKED = "decision_untracked", _("决定事项逾期未交办")


class Breach(models.Model):
    """A deadline that passed unmet: counted by the compliance screens, reported to Supervision."""

    kind = models.CharField(_("类别"), max_length=20, choices=BreachKind.choices)
    subject = models.CharField(_("事项"), max_length=120)
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("局"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches",
                             verbose_name=_("处室/单位"))
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                     verbose_name=_("会议类型"))
    due = models.DateField(_("期限"))
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    description = models.CharField(_("说明"), max_length=300)

    class Meta:
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")
        ordering = ["-due"]
        constraints = [models.UniqueConstraint(fields=["kind", "subject"], name="breach_once")]

    def __str__(self) -> str:
        return self.description
