"""The official working-day calendar (R-MI-4): holidays and make-up workdays (调休), amendable by admins.

Only exceptions to Monday-Friday are stored. A year counts as known only when a `CalendarYear` row
says its schedule is loaded; for any other year deadlines fall back to Monday-Friday, loudly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 数据")
    ADMIN = "admin", _("管理员录入")


class CalendarYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅放假安排) has been loaded."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.ADMIN)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如发文字号：国办发明电〔2026〕×号。"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("已载入放假安排的年份")
        verbose_name_plural = _("已载入放假安排的年份")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from Monday-Friday: a weekday holiday, or a weekend make-up workday."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"), help_text=_("勾选：调休上班；不勾选：放假。"))
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("如“国庆节”。"))
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.ADMIN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("调休上班") if self.is_workday else _("放假")
        return f"{self.date} {self.name} {kind}".strip()
