"""Meetings and their agendas (docs/rules.md; docs/architecture.md, Workflows): scheduling, topics, materials, attendance, leave, votes.

State fields (`status`) are written only by the transition services in governance/services/; every
transition is recorded as a `Transition` row with who, when and why.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meeting_types import MandatoryMatter, MeetingType, TopicCategory
from .org import Bureau, Unit

User = settings.AUTH_USER_MODEL


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    AGENDA_OPEN = "agenda_open", _("征集议题")
    AGENDA_SUBMITTED = "agenda_submitted", _("议程待审定")
    AGENDA_APPROVED = "agenda_approved", _("议程已审定")
    NOTICE_SENT = "notice_sent", _("已通知")
    HELD = "held", _("已召开")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


HELD_STATES = (MeetingStatus.HELD, MeetingStatus.CLOSED)


class HeldMeetingError(ValidationError):
    """A meeting that was held is part of the record: it is never deleted, by anyone."""


HELD_MEETING_REFUSAL = _("已召开的会议是会议记录的一部分，不能删除。")


class MeetingQuerySet(models.QuerySet):
    def delete(self):
        # A bulk delete must not reach around Meeting.delete().
        if self.filter(status__in=HELD_STATES).exists():
            raise HeldMeetingError(HELD_MEETING_REFUSAL)
        return super().delete()


class Meeting(models.Model):
    """One meeting of a type, in the bureau or (for per-unit types) one unit."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("局"))
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="meetings",
                                     verbose_name=_("会议类型"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
                             verbose_name=_("处室/单位"))
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    convener = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("召集人"))
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("主持人"))
    chair_delegated = models.BooleanField(_("受委托主持"), default=False)
    recorder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name=_("记录人"))
    approver = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("议题审定人"))
    scheduled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("排会人"))
    notice_sent_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    agenda_approved_at = models.DateTimeField(_("议程审定时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("召开时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("实际结束时间"), null=True, blank=True,
                                    help_text=_("会议结束时记录；纪要、传达等期限自此起算（结束后）。"))
    status_reason = models.CharField(_("最近一次退回/取消/延期理由"), max_length=500, blank=True)
    record_locked_at = models.DateTimeField(_("会议记录锁定时间"), null=True, blank=True,
                                            help_text=_("纪要审定后，会议记录不再修改（R-MI-8）。"))
    file_closed_at = models.DateTimeField(_("会议档案办结时间"), null=True, blank=True,
                                          help_text=_("民主生活会：整改措施、情况通报和组织生活会登记齐全后办结（R-FU-9）。"))
    called_by = models.ForeignKey("Topic", on_delete=models.PROTECT, null=True, blank=True, related_name="called_meetings",
                                  verbose_name=_("决定召开本会的议题"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at"]
        # The lists' sort (newest first, ties by id), their filters, a unit's ledger and lists by date,
        # the approval queue, the sweep's windows.
        indexes = [models.Index(fields=["bureau", "starts_at"]), models.Index(fields=["meeting_type", "unit", "starts_at"]),
                   models.Index(fields=["unit", "starts_at"]),
                   models.Index(fields=["starts_at", "id"], name="meeting_sort"),
                   models.Index(fields=["status", "starts_at"], name="meeting_status_sort"),
                   models.Index(fields=["approver", "status"], name="meeting_approver_status")]
        permissions = [
            ("manage_meeting", _("办理会务（排会、通知、签到、表决记录）")),
            ("approve_agenda", _("审定议程")),
            ("chair_meeting", _("主持会议（准假、开始议题）")),
            ("propose_topic", _("提出议题")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.starts_at:%Y-%m-%d}）"

    # R-NO-1: whether the notice was late is derived from the calendar as it stands now, never stored
    # (governance.selectors.due_dates.attach_notice_late sets it on the meetings a screen reads).
    @property
    def notice_late(self) -> bool | None:
        try:
            return self._notice_late
        except AttributeError:
            raise AttributeError("Meeting.notice_late is derived on read: use governance.selectors.due_dates") from None

    @notice_late.setter
    def notice_late(self, value: bool | None) -> None:
        self._notice_late = value

    @property
    def is_open(self) -> bool:
        return self.status not in {MeetingStatus.HELD, MeetingStatus.CLOSED, MeetingStatus.CANCELLED}

    def delete(self, *args, **kwargs):
        # Checked against the stored row: an instance whose status was changed in memory is no way round.
        stored = Meeting.objects.filter(pk=self.pk).values_list("status", flat=True).first() if self.pk else None
        if self.status in HELD_STATES or stored in HELD_STATES:
            raise HeldMeetingError(HELD_MEETING_REFUSAL)
        return super().delete(*args, **kwargs)


class Role(models.TextChoices):
    MEMBER = "member", _("成员")
    INVITEE = "invitee", _("列席")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("待签到")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("无故缺席")


class Participant(models.Model):
    """A member (votes, counts for quorum) or an invitee (列席: neither) of one meeting (R-NO-3, R-QU-4)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("会议"))
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="participations", verbose_name=_("人员"))
    role = models.CharField(_("身份"), max_length=8, choices=Role.choices)
    attendance = models.CharField(_("出席情况"), max_length=10, choices=Attendance.choices, default=Attendance.EXPECTED)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("签到登记人"))
    notified_at = models.DateTimeField(_("通知送达时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_once_per_meeting",
                                               violation_error_message=_("此人已在参会名单中。"))]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    GRANTED = "granted", _("已准假")
    REFUSED = "refused", _("不准假")


class LeaveRequest(models.Model):
    """A member asks leave of the chair or the division head before the meeting (R-NO-2)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="leave_requests",
                                    verbose_name=_("参会人员"))
    reason = models.CharField(_("请假事由"), max_length=500)
    status = models.CharField(_("状态"), max_length=8, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    asked_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["-asked_at"]
        constraints = [models.UniqueConstraint(fields=["participant"], condition=Q(status="pending"),
                                               name="one_pending_leave_per_participant",
                                               violation_error_message=_("已有一条待批准的请假。"))]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_status_display()}"


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提出")
    ACCEPTED = "accepted", _("列入议程")
    RETURNED = "returned", _("退回补充材料")
    REJECTED = "rejected", _("不予列入")
    DISCUSSING = "discussing", _("研究中")
    PASSED = "passed", _("通过")
    NOT_PASSED = "not_passed", _("未通过")
    DEFERRED = "deferred", _("暂缓表决")
    NOTED = "noted", _("通报（不表决）")
    WITHDRAWN = "withdrawn", _("已撤回")


class Topic(models.Model):
    """A topic (议题) proposed for a meeting; a deferred topic is carried to the next one (R-AG-7)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="topics", verbose_name=_("会议"))
    category = models.ForeignKey(TopicCategory, on_delete=models.PROTECT, related_name="topics",
                                 verbose_name=_("议题类别"))
    title = models.CharField(_("议题"), max_length=200)
    summary = models.TextField(_("内容摘要"), max_length=5000, blank=True)
    important = models.BooleanField(_("重要议题"), default=False,
                                    help_text=_("重要议题须有书面材料方可列入议程（R-AG-4）。"))
    for_information = models.BooleanField(_("仅通报，不表决"), default=False)
    proposer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="proposed_topics", verbose_name=_("提出人"))
    proposing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("提出处室"))
    status = models.CharField(_("状态"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.PROPOSED)
    status_reason = models.CharField(_("退回/不予列入/暂缓理由"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    carried_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="carried_to", verbose_name=_("上次会议的同一议题"))
    # R-AG-10: a matter a division's or the director's office meeting submitted to the party group.
    escalated_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="escalated_to", verbose_name=_("报请研究的原议题"))
    escalation_requested_at = models.DateTimeField(_("报请研究时间"), null=True, blank=True)
    decision = models.TextField(_("决定事项"), max_length=20000, blank=True)
    dissent = models.TextField(_("不同意见"), max_length=20000, blank=True,
                               help_text=_("如实完整记录（R-VO-4）。"))
    votes_for = models.PositiveSmallIntegerField(_("赞成"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("反对"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    # R-AG-6: a matter a division must decide at its own division affairs meeting, and which division.
    concerned_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("涉及处室"))
    unit_matter = models.CharField(_("须经处务会研究的事项"), max_length=12, blank=True, choices=MandatoryMatter.choices)
    unit_decision = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("该处室处务会的决定"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "order", "id"]
        permissions = [("view_confidential_topic", _("查看保密议题内容"))]

    def __str__(self) -> str:
        return self.title

    @property
    def confidential(self) -> bool:
        return self.category.confidential


def material_path(instance: Material, filename: str) -> str:
    # A random name: the stored path never reveals the original name or lets one guess another's.
    return f"materials/{instance.topic.meeting_id}/{uuid.uuid4().hex}"


class Material(models.Model):
    """Written material (书面材料) for a topic, stored outside every static folder (R-AG-4)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="materials", verbose_name=_("议题"))
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["topic", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class VoteChoice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Vote(models.Model):
    """One member's vote on one topic (R-VO-1); invitees never vote (R-QU-4)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes", verbose_name=_("议题"))
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="votes", verbose_name=_("成员"))
    choice = models.CharField(_("表决意见"), max_length=8, choices=VoteChoice.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["topic", "id"]
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="one_vote_per_member_per_topic",
                                               violation_error_message=_("该成员已对此议题表决。"))]

    def __str__(self) -> str:
        return f"{self.topic} · {self.member} · {self.get_choice_display()}"


class Briefing(models.Model):
    """How and when an absent member was told the decisions (R-NO-4). Its deadline is not stored: it
    is derived from the calendar as it stands now (governance.selectors.due_dates.attach_briefing_due)."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="briefing",
                                       verbose_name=_("缺席成员"))
    briefed_at = models.DateTimeField(_("传达时间"), null=True, blank=True)
    method = models.CharField(_("传达方式"), max_length=100, blank=True)
    briefed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("传达人"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会后传达")
        verbose_name_plural = _("会后传达")

    def __str__(self) -> str:
        return str(self.participant)

    @property
    def due(self):
        """R-NO-4: set by the selector that read this briefing; never stored, so never stale."""
        try:
            return self._due
        except AttributeError:
            raise AttributeError("Briefing.due is derived on read: use governance.selectors.due_dates") from None

    @due.setter
    def due(self, value) -> None:
        self._due = value


class Transition(models.Model):
    """Who moved what from which state to which, when and why (docs/architecture.md, Workflows)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("原状态"), max_length=20)
    to_state = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Notification(models.Model):
    """An in-app message to one person; e-mail goes out alongside it."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人"))
    kind = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知消息")
        verbose_name_plural = _("通知消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "created_at"])]
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "meeting"], condition=Q(meeting__isnull=False),
                                               name="one_notification_per_kind_per_meeting")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """A notification sent on one channel (e-mail, ...): one row per pair, so none is sent twice."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=30)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    delivered = models.BooleanField(_("已送达"), default=True, help_text=_("不适用（如无邮箱）时为否。"))

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="deliver_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.notification} · {self.channel}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar feed token; revoking it makes the old URL stop working."""

    person = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return str(self.person)
