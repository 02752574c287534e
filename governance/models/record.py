"""The meeting record (会议记录, R-MI-8): what the recorder types during the meeting, topic by topic
(who spoke, the substance), distinct from the minutes that are drafted from it; kept in the General
Office's custody, read by grant where the type's record book is (R-CO-2), locked once the minutes are
approved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meetings import Meeting, Topic

User = settings.AUTH_USER_MODEL


class RecordEntry(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="record_entries",
                                verbose_name=_("会议"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="record_entries",
                              verbose_name=_("议题"), help_text=_("空：会议总体情况。"))
    speaker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("发言人"))
    text = models.TextField(_("发言要点"), max_length=20000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["meeting", "topic__order", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.pk}"
