"""Minutes (R-MI-1..7): drafted from the meeting record, approved and locked, numbered per issuing
unit and year without gaps, distributed within the type's deadline, filed with the Supervision
Office, reviewed, queried and archived. A correction is a new revision; every version stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from governance.models import Meeting, Unit

User = settings.AUTH_USER_MODEL


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("待审定")
    APPROVED = "approved", _("已审定")
    DISTRIBUTED = "distributed", _("已分送")
    FILED = "filed", _("已报备")
    REVIEWED = "reviewed", _("已审阅")
    ARCHIVED = "archived", _("已归档")


class Minutes(models.Model):
    """The minutes of one meeting: its number, distribution, filing, review and archive state."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("会议"))
    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("编号单位"))
    status = models.CharField(_("状态"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    series = models.CharField(_("编号系列"), max_length=20, default="纪",
                              help_text=_("编号时取自会议类型的编号系列（R-MI-2）。"))
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, help_text=_("会议召开的年度。"))
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    distributed_at = models.DateTimeField(_("分送时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("报备时间"), null=True, blank=True)
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("监察室签收人"))
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("审阅人"))
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    review_note = models.TextField(_("审阅意见"), blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at", "id"]),  # the minutes list, newest first (read backwards)
            models.Index(fields=["filed_at", "id"]),  # the Supervision Office's list, last filed first
            models.Index(fields=["year", "sequence"]),  # search by number (〔2026〕第3号)
        ]
        constraints = [
            # R-MI-2: one number per issuing unit, series and year; assigned under a row lock at approval.
            models.UniqueConstraint(fields=["issuing_unit", "series", "year", "sequence"], name="minutes_number_unique",
                                    violation_error_message=_("纪要编号重复。")),
            models.CheckConstraint(condition=Q(sequence__isnull=True) | Q(sequence__gte=1, year__isnull=False),
                                   name="minutes_number_complete"),
        ]
        permissions = [("review_minutes", _("审阅报备的纪要")), ("draft_minutes", _("起草纪要")),
                       ("approve_minutes", _("审定纪要"))]

    def __str__(self) -> str:
        return f"{self.meeting.title} {self.number or ''}".strip()

    @property
    def number(self) -> str:
        """R-MI-2: 〔2026〕第3号, prefixed with the issuing unit's short name and the type's series."""
        if not self.sequence:
            return ""
        return f"{self.issuing_unit.short_name}{self.series}〔{self.year}〕第{self.sequence}号"

    # R-MI-4: the due date is derived from the calendar as it stands now, never stored
    # (minutes.selectors.attach_due sets it on the minutes a screen reads).
    @property
    def due(self):
        try:
            return self._due
        except AttributeError:
            raise AttributeError("Minutes.due is derived on read: use minutes.selectors.attach_due") from None

    @due.setter
    def due(self, value) -> None:
        self._due = value

    @property
    def due_fallback(self) -> bool:
        return getattr(self, "_due_fallback", False)

    @due_fallback.setter
    def due_fallback(self, value: bool) -> None:
        self._due_fallback = value


class MinutesCounter(models.Model):
    """The last number an issuing unit gave in one series in a year (R-MI-2); locked while a number is taken."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=20, default="纪")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("纪要编号计数")
        verbose_name_plural = _("纪要编号计数")
        constraints = [models.UniqueConstraint(fields=["unit", "series", "year"], name="one_counter_per_unit_series_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.series} {self.year}: {self.last}"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("待审定")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审定")


class LockedError(ValidationError):
    pass


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # R-MI-3: a bulk update must not reach around the lock in Revision.save().
        if self.filter(status=RevisionStatus.APPROVED).exists():
            raise LockedError(_("已审定的纪要不能修改；请提出更正，形成新版本。"))
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=RevisionStatus.APPROVED).exists():
            raise LockedError(_("已审定的纪要不能删除。"))
        return super().delete()


class Revision(models.Model):
    """One version of the minutes' text (R-MI-3). Approved revisions are locked: no view, admin or
    model save can change them; a correction is a new revision."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("纪要"))
    number = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("会议概况"), max_length=20000, blank=True)
    body = models.JSONField(_("议定事项"), default=list,
                            help_text=_("每个议题一项：标题、决定、表决、不同意见（纯文本）。"))
    attendance = models.JSONField(_("出席情况"), default=dict)
    correction_reason = models.CharField(_("更正理由"), max_length=500, blank=True)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("审定人"))
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("纪要版本")
        verbose_name_plural = _("纪要版本")
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="revision_number_unique"),
            models.UniqueConstraint(fields=["minutes"], condition=~Q(status="approved"),
                                    name="one_open_revision_per_minutes",
                                    violation_error_message=_("已有一个未审定的版本。")),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"

    def save(self, *args, **kwargs):
        # R-MI-3: the lock lives in the model, so the admin, a view or a script cannot bypass it.
        if self.pk:
            stored = Revision.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == RevisionStatus.APPROVED:
                raise LockedError(_("已审定的纪要不能修改；请提出更正，形成新版本。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == RevisionStatus.APPROVED:
            raise LockedError(_("已审定的纪要不能删除。"))
        return super().delete(*args, **kwargs)


class Recipient(models.Model):
    """A person the minutes are sent to (R-MI-4), and when they acknowledged receipt (R-MI-5)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("纪要"))
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="minutes_received", verbose_name=_("接收人"))
    reason = models.CharField(_("分送依据"), max_length=100)
    sent_at = models.DateTimeField(_("分送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已阅时间"), null=True, blank=True)
    read_revision = models.PositiveSmallIntegerField(_("已阅版本"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("纪要接收人")
        verbose_name_plural = _("纪要接收人")
        ordering = ["minutes", "id"]
        constraints = [models.UniqueConstraint(fields=["minutes", "person"], name="recipient_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.minutes}"


class Query(models.Model):
    """A question the Supervision Office raises on filed minutes (R-MI-7); the division answers in
    the same thread."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="queries", verbose_name=_("纪要"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("发言人"))
    text = models.TextField(_("内容"), max_length=5000)
    is_answer = models.BooleanField(_("答复"), default=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("质询")
        verbose_name_plural = _("质询")
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ArchiveExport(models.Model):
    """A year's minutes of one unit (or the whole bureau) as one zip with an index (R-MI-6), built in
    the background; `progress` tells the person who asked how far it got."""

    bureau = models.ForeignKey("governance.Bureau", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("纪要归档导出")
        verbose_name_plural = _("纪要归档导出")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.year} {self.unit or self.bureau}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == ExportStatus.DONE else 0)


class ArchivePackage(models.Model):
    """R-MI-9: one unit's approved minutes of one meeting type and year, archived as one package
    (定期存档): the documents (.docx and PDF), the 归档文件目录 with 档号 and 件号 in the spirit of DA/T
    22-2015, and a manifest with every file's SHA-256. Immutable once made: a later run for the same
    unit, type and year archives what came after as the next batch."""

    bureau = models.ForeignKey("governance.Bureau", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("编号单位"))
    meeting_type = models.ForeignKey("governance.MeetingType", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("会议类型"))
    year = models.PositiveSmallIntegerField(_("年度"))
    batch = models.PositiveSmallIntegerField(_("批次"), default=1)
    retention = models.CharField(_("保管期限"), max_length=3, choices=[("Y", _("永久")), ("D30", _("定期30年")),
                                                                      ("D10", _("定期10年"))])
    reference = models.CharField(_("档号前缀"), max_length=80)
    items = models.PositiveIntegerField(_("件数"))
    file = models.FileField(upload_to="archive/", verbose_name=_("归档包"))
    sha256 = models.CharField(_("归档包校验值（SHA-256）"), max_length=64)
    manifest_sha256 = models.CharField(_("清单校验值（SHA-256）"), max_length=64)
    pdf = models.BooleanField(_("含PDF版"), default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("归档人"))
    created_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("归档包")
        verbose_name_plural = _("归档包")
        ordering = ["-year", "unit__order", "meeting_type__order", "batch"]
        constraints = [models.UniqueConstraint(fields=["unit", "meeting_type", "year", "batch"], name="package_once")]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("归档包一经形成不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("归档包不可删除。"))


class ArchiveItem(models.Model):
    """One minutes in a package, with its 件号 and 档号: a minutes is archived once."""

    package = models.ForeignKey(ArchivePackage, on_delete=models.PROTECT, related_name="entries")
    minutes = models.OneToOneField(Minutes, on_delete=models.PROTECT, related_name="archive_item")
    number = models.PositiveIntegerField(_("件号"))
    reference = models.CharField(_("档号"), max_length=100)

    class Meta:
        verbose_name = _("归档文件")
        verbose_name_plural = _("归档文件")
        ordering = ["package", "number"]

    def __str__(self) -> str:
        return self.reference


class MinutesRight(UserObjectPermissionBase):
    """A person's right on one minutes (guardian's direct foreign-key table; see governance.models.rights)."""

    content_object = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="rights",
                                       verbose_name=_("会议纪要"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("会议纪要权限")
        verbose_name_plural = _("会议纪要权限")
