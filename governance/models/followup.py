"""Follow-up (督查督办, R-FU-1..7) and the records the compliance view counts (R-AG-6, R-QU-1..2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meetings import Meeting, Topic
from .org import Unit

User = settings.AUTH_USER_MODEL


class ActionKind(models.TextChoices):
    DECISION = "decision", _("决定事项")
    RECTIFICATION = "rectification", _("整改措施")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")


class Action(models.Model):
    """A tracked action from a decision (R-FU-1, R-FU-3) or a rectification measure for a problem
    raised at the democratic life meeting (R-FU-4); overdue ones escalate through the sweep."""

    kind = models.CharField(_("类别"), max_length=14, choices=ActionKind.choices, default=ActionKind.DECISION)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions", verbose_name=_("会议"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
                              verbose_name=_("决定事项所在议题"))
    problem = models.TextField(_("存在的问题"), max_length=5000, blank=True, help_text=_("整改措施针对的问题。"))
    title = models.CharField(_("事项"), max_length=300)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_actions",
                              verbose_name=_("责任人"))
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
                                   verbose_name=_("责任处室"))
    leader = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="led_actions",
                               verbose_name=_("分管局领导"))
    coordinator = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="coordinated_actions",
                                    verbose_name=_("协调督办单位"))
    due = models.DateField(_("完成期限"))
    due_workdays = models.PositiveSmallIntegerField(
        _("期限（工作日）"), null=True, blank=True,
        help_text=_("交办之日起多少个工作日内完成；管理员修改放假安排时，完成期限随之重算。"))
    status = models.CharField(_("状态"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("交办人"))
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    verified_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("核实人"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"]), models.Index(fields=["owner_unit", "due"]),
                   models.Index(fields=["due", "id"])]  # the lists' and the register's order
        constraints = [models.CheckConstraint(condition=Q(owner__isnull=False) | Q(owner_unit__isnull=False),
                                              name="action_has_an_owner",
                                              violation_error_message=_("须指定责任人或责任处室。"))]
        permissions = [("verify_action", _("核实办结"))]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """An owner's report of progress on an action (R-FU-1)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reports", verbose_name=_("督办事项"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告人"))
    text = models.TextField(_("进展情况"), max_length=5000)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["action", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class PreparationKind(models.TextChoices):
    SELF_ANALYSIS = "self_analysis", _("自我剖析和发言提纲")
    TALK = "talk", _("谈心谈话")
    OPINION = "opinion", _("征求的意见建议")
    CELL_MEETING = "cell_meeting", _("参加党小组组织生活会")
    OUTCOME = "outcome", _("会后情况通报")


class Preparation(models.Model):
    """The democratic life meeting's file (R-FU-5, R-FU-7): each member's self-analysis and speech
    outline, the heart-to-heart talks held, the opinions gathered from staff, and each member's
    organisational life meeting in their own party cell."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="preparations", verbose_name=_("会议"))
    kind = models.CharField(_("类别"), max_length=14, choices=PreparationKind.choices)
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("成员"))
    other = models.CharField(_("谈话对象/党小组"), max_length=100, blank=True)
    held_on = models.DateField(_("日期"), null=True, blank=True)
    text = models.TextField(_("内容"), max_length=20000)
    outline = models.TextField(_("发言提纲"), max_length=20000, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("民主生活会准备材料")
        verbose_name_plural = _("民主生活会准备材料")
        ordering = ["meeting", "kind", "created_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], condition=Q(kind="self_analysis"),
                                               name="one_self_analysis_per_member",
                                               violation_error_message=_("已提交过自我剖析材料。"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.member}"


class QuorumRefusal(models.Model):
    """A meeting or topic refused for want of quorum (R-QU-1, R-QU-2), kept for the compliance view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="quorum_refusals")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="quorum_refusals")
    members = models.PositiveSmallIntegerField()
    present = models.PositiveSmallIntegerField()
    required = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法定人数不足")
        verbose_name_plural = _("法定人数不足")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.present}/{self.required}"


class Consultation(models.Model):
    """R-VO-5: after a topic's vote was deferred, each member's opinion gathered before it is tabled
    again (会后重新进行调查研究，充分征求每位党组会议成员意见), on the topic as it was deferred."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("议题"))
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("成员"))
    opinion = models.TextField(_("意见"), max_length=5000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("暂缓议题征求意见")
        verbose_name_plural = _("暂缓议题征求意见")
        ordering = ["topic", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="one_opinion_per_member",
                                               violation_error_message=_("这位成员的意见已登记。"))]

    def __str__(self) -> str:
        return f"{self.topic_id} · {self.member_id}"


class UnitOpinion(models.Model):
    """R-AG-9: a unit consulted on an important topic before the meeting, and its opinion
    (会前要充分调查研究，广泛征求意见)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="unit_opinions", verbose_name=_("议题"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("处室/单位"))
    opinion = models.TextField(_("意见"), max_length=5000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处室意见")
        verbose_name_plural = _("处室意见")
        ordering = ["topic", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["topic", "unit"], name="one_opinion_per_unit",
                                               violation_error_message=_("这个处室的意见已登记。"))]

    def __str__(self) -> str:
        return f"{self.topic_id} · {self.unit_id}"
