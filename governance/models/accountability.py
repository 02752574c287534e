"""Accountability (责任追究, R-FU-8): a case the Supervision Office opens on a recorded breach (an
overdue or evaded decision, a missed meeting, late minutes), with the person and unit responsible,
the facts, the finding, and the measure decided by the discipline secretary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .deadlines import Breach
from .followup import Action
from .org import Bureau, Unit

User = settings.AUTH_USER_MODEL


class CaseStatus(models.TextChoices):
    OPEN = "open", _("已立案")
    FOUND = "found", _("已认定，待决定")
    DECIDED = "decided", _("已作出处理")
    DISMISSED = "dismissed", _("不予追究")


class Measure(models.TextChoices):
    """The measures of the bureau's accountability rules, mildest first."""

    CRITICISM = "criticism", _("批评教育")
    SELF_EXAMINATION = "self_exam", _("责令作出书面检查")
    ADMONITION = "admonition", _("诫勉谈话")
    CIRCULATED = "circulated", _("通报批评")
    ORGANISATIONAL = "organisational", _("组织处理")
    REFERRED = "referred", _("移送纪检监察机关")


class AccountabilityCase(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="accountability_cases",
                               verbose_name=_("局"))
    breach = models.OneToOneField(Breach, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="accountability_case", verbose_name=_("违规记录"))
    action = models.ForeignKey(Action, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="accountability_cases", verbose_name=_("督办事项"))
    responsible = models.ForeignKey(User, on_delete=models.PROTECT, related_name="accountability_cases",
                                    verbose_name=_("责任人"))
    responsible_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="accountability_cases",
                                         verbose_name=_("责任处室/单位"))
    facts = models.TextField(_("基本事实"), max_length=5000)
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("立案人"))
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    finding = models.TextField(_("认定意见"), max_length=5000, blank=True)
    found_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("认定人"))
    found_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    measure = models.CharField(_("处理措施"), max_length=16, choices=Measure.choices, blank=True)
    decision = models.TextField(_("处理决定"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任追究案件")
        verbose_name_plural = _("责任追究案件")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["bureau", "status"]), models.Index(fields=["responsible_unit", "opened_at"]),
                   models.Index(fields=["bureau", "opened_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(breach__isnull=False) | Q(action__isnull=False),
                                   name="case_has_a_subject",
                                   violation_error_message=_("案件须针对一项违规记录或督办事项。")),
            models.CheckConstraint(condition=~Q(status="decided") | ~Q(measure=""), name="decided_case_has_a_measure",
                                   violation_error_message=_("作出处理须写明处理措施。")),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def number(self) -> str:
        return _("问责〔%(y)s〕%(n)s号") % {"y": self.opened_at.year if self.opened_at else "", "n": self.pk or ""}

    @property
    def closed(self) -> bool:
        return self.status in (CaseStatus.DECIDED, CaseStatus.DISMISSED)
