"""Meeting types as data (docs/rules.md): every rule a type follows is a field here, with its clause.

Code never branches on a type's code; it reads these fields. The eight presets are loaded by
`python manage.py loadpresets` from governance/presets.py.
"""

from __future__ import annotations

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.quorum import Threshold
from .fields import ChoiceListField
from .org import POST_UNIT_KINDS, Bureau, Post, UnitKind


class Scope(models.TextChoices):
    BUREAU = "bureau", _("全局")
    UNIT = "unit", _("各处室/单位")


class Cadence(models.TextChoices):
    NONE = "none", _("不定期")
    WEEK = "week", _("每周")
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class RecorderSource(models.TextChoices):
    GENERAL_OFFICE = "general_office", _("办公室负责记录")
    DESIGNATED = "designated", _("处室指定专人记录")


class VoteBasis(models.TextChoices):
    MEMBERS = "members", _("应到会成员")
    PRESENT = "present", _("实到会成员")


class MandatoryMatter(models.TextChoices):
    """R-AG-6: the matters a division must take to its own division affairs meeting (commerce 四)."""

    BUSINESS = "business", _("业务工作")
    INTERNAL = "internal", _("内部建设")
    PROJECTS = "projects", _("项目安排")
    FUNDS = "funds", _("资金使用")
    PENALTIES = "penalties", _("重大处罚")


class LeaveApprover(models.TextChoices):
    CHAIR = "chair", _("会议主持人")
    UNIT_HEAD = "unit_head", _("处室主要负责人")


def _threshold_constraints(prefix: str, label: str, required: bool) -> list[models.BaseConstraint]:
    """Keep a stored fraction between 0 and 1 with a positive denominator (R-QU-3)."""
    ok = Q(**{f"{prefix}_num__gte": 0, f"{prefix}_den__gte": 1, f"{prefix}_num__lte": F(f"{prefix}_den")})
    if not required:
        ok = Q(**{f"{prefix}_num__isnull": True, f"{prefix}_den__isnull": True}) | ok
    return [
        models.CheckConstraint(
            condition=ok,
            name=f"meetingtype_{prefix}_between_0_and_1",
            violation_error_message=_("%(label)s必须在0到1之间，分母至少为1。") % {"label": label},
        )
    ]


class Retention(models.TextChoices):
    """保管期限 of a type's minutes in the archive (R-MI-9): 永久 for the party group's and the director's
    office meetings' records, 定期30年 for the bureau's other meetings, 定期10年 for a division's own."""

    PERMANENT = "Y", _("永久")
    THIRTY = "D30", _("定期30年")
    TEN = "D10", _("定期10年")


class MeetingType(models.Model):
    """One kind of meeting a bureau holds, and the written rules for it."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="meeting_types", verbose_name=_("局"))
    code = models.CharField(_("代码"), max_length=8, help_text=_("如 PG、DA；同一局内唯一。"))
    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("主要任务"), blank=True)
    active = models.BooleanField(_("在用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    # Who: convener, chair, members, invitees, recorder.
    scope = models.CharField(_("范围"), max_length=8, choices=Scope.choices, default=Scope.BUREAU)
    unit_kinds = ChoiceListField(
        _("适用的处室/单位类别"), choices=UnitKind.choices,
        help_text=_("范围为“各处室/单位”时，按哪些类别的单位分别召开。"),
    )
    convener_post = models.CharField(_("召集人职务"), max_length=32, choices=Post.choices)
    chair_post = models.CharField(_("主持人职务"), max_length=32, choices=Post.choices)
    chair_delegable = models.BooleanField(_("可委托他人主持"), default=False)
    delegate_posts = ChoiceListField(_("可受委托主持的职务"), choices=Post.choices)
    member_posts = ChoiceListField(
        _("参会成员职务"), choices=Post.choices,
        help_text=_("担任这些职务的人是会议成员：参加表决，计入法定人数。处室职务按本处室（按单位召开时）或全局（全局会议时）确定。"),
    )
    invitee_posts = ChoiceListField(
        _("可列席人员职务"), choices=Post.choices, help_text=_("列席人员不参加表决，不计入法定人数（R-QU-4）。")
    )
    recorder_source = models.CharField(_("记录人"), max_length=16, choices=RecorderSource.choices)

    # When: cadence.
    cadence = models.CharField(_("召开周期"), max_length=8, choices=Cadence.choices, default=Cadence.NONE)
    cadence_min_count = models.PositiveSmallIntegerField(_("每周期至少召开次数"), default=1)
    cadence_weekday = models.PositiveSmallIntegerField(
        _("固定星期"), null=True, blank=True, choices=[(i, d) for i, d in enumerate(
            [_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日")])],
    )
    ad_hoc_allowed = models.BooleanField(_("可临时召开"), default=True)
    called_by_decision = models.BooleanField(
        _("须由会议决定召开"), default=False, help_text=_("如全体干部职工会议由局党组会议或局长办公会议决定召开（R-FU-6）。")
    )
    may_call_by_decision = models.BooleanField(
        _("可决定召开其他会议"), default=False,
        help_text=_("本类会议通过的决定可以决定召开须由会议决定召开的会议，如全体干部职工会议（R-FU-6）。"),
    )

    # Quorum (R-QU-1..4): exact fractions with an inclusive flag; empty means no quorum rule.
    quorum_num = models.SmallIntegerField(_("法定人数分子"), null=True, blank=True)
    quorum_den = models.SmallIntegerField(_("法定人数分母"), null=True, blank=True)
    quorum_inclusive = models.BooleanField(_("法定人数含本数（以上）"), default=True)
    special_quorum_num = models.SmallIntegerField(_("人事议题法定人数分子"), null=True, blank=True)
    special_quorum_den = models.SmallIntegerField(_("人事议题法定人数分母"), null=True, blank=True)
    special_quorum_inclusive = models.BooleanField(_("人事议题法定人数含本数"), default=True)

    # Votes (R-VO-1..2).
    vote_num = models.SmallIntegerField(_("表决通过分子"), default=1)
    vote_den = models.SmallIntegerField(_("表决通过分母"), default=2)
    vote_inclusive = models.BooleanField(
        _("表决通过含本数"), default=False, help_text=_("不勾选即“超过”（过半数）；勾选即“达到”（半数以上）。")
    )
    vote_basis = models.CharField(_("表决基数"), max_length=8, choices=VoteBasis.choices, default=VoteBasis.PRESENT)

    # Agenda (R-AG-1..8).
    topic_proposer_posts = ChoiceListField(_("可提出议题的职务"), choices=Post.choices)
    topics_gathered_by_office = models.BooleanField(
        _("议题由办公室征集"), default=False, help_text=_("办公室征求各处室意见后提出议题（R-AG-1）。")
    )
    agenda_approver_post = models.CharField(_("议题审定人职务"), max_length=32, choices=Post.choices)
    materials_required = models.BooleanField(
        _("重要议题须有书面材料"), default=False, help_text=_("重要议题须先有书面材料方可列入议程（R-AG-4）。")
    )
    mandatory_matters = ChoiceListField(
        _("必须提交本会研究决定的事项"), choices=MandatoryMatter.choices,
        help_text=_("各处室涉及这些事项的，必须提交本处室的这类会议研究决定；在别的会议决定或仅作通报的，报监察室（R-AG-6）。"),
    )
    monthly_unit_reports = models.BooleanField(
        _("各单位每月汇报"), default=False, help_text=_("排会时为每个处室、局属单位生成月度工作汇报议题（R-AG-8）。")
    )

    # Notice and attendance (R-NO-1..4).
    notice_lead_workdays = models.SmallIntegerField(_("提前通知工作日数"), default=1)
    leave_approver = models.CharField(_("请假审批人"), max_length=12, choices=LeaveApprover.choices)
    unexcused_absence_allowed = models.BooleanField(
        _("允许无故缺席"), default=True, help_text=_("不勾选时，无故缺席将被标记（处务会不得无故缺席）。")
    )
    brief_absentees = models.BooleanField(_("会后向缺席成员传达"), default=False)
    briefing_deadline_workdays = models.SmallIntegerField(_("传达期限（工作日）"), default=3)

    # Minutes (R-MI-1..7, R-CO-2).
    minutes_deadline_workdays = models.SmallIntegerField(
        _("纪要分送期限（工作日）"), null=True, blank=True, help_text=_("会议结束后多少个工作日内分送；留空表示不设期限。")
    )
    minutes_recipient_posts = ChoiceListField(
        _("纪要分送职务"), choices=Post.choices,
        help_text=_("分管领导按会议所在处室确定。"),
    )
    minutes_series = models.CharField(
        _("纪要编号系列"), max_length=20, default="纪",
        help_text=_("纪要编号中的代字，如“党组纪”“纪”：同一编号单位内每个系列按会议年度分别连续编号（R-MI-2）；"
                    "几类会议填相同的代字才共用一个系列。"),
    )
    minutes_circulate_to_members = models.BooleanField(_("纪要传阅本会成员"), default=False)
    minutes_filed_with_supervision = models.BooleanField(_("纪要向监察室报备"), default=False)
    archive_retention = models.CharField(_("归档保管期限"), max_length=3, choices=Retention.choices,
                                         default=Retention.THIRTY)
    minutes_access_by_grant = models.BooleanField(
        _("记录本凭授权查阅"), default=False, help_text=_("会议记录本由办公室保管，凭授权查阅（R-CO-2）。")
    )

    # Follow-up (R-FU-1..7).
    follow_up_tracked = models.BooleanField(
        _("决定事项督查落实"), default=False,
        help_text=_("勾选时，通过的决定事项须交办督办，逾期未交办的报告；不勾选的会议类型不交办督办事项（R-FU-1、R-FU-3）。"),
    )
    follow_up_leader_required = models.BooleanField(
        _("须确定一位局领导分管"), default=False,
        help_text=_("交办时须指定分管的局领导：本会成员或责任处室的分管领导（R-FU-1）。"),
    )
    progress_reports = models.BooleanField(_("落实情况向下次会议汇报"), default=False)
    pre_meeting_filings = models.BooleanField(_("会前提交自我剖析和发言提纲"), default=False)
    rectification = models.BooleanField(_("会后制定整改措施"), default=False)
    # R-AG-10: matters this type submits to another type's meeting, and the type its decisions are reported to.
    escalates_to = models.CharField(_("可报请研究决定的会议"), max_length=8, blank=True,
                                    help_text=_("会议类型代码，如 PG：本会可决定将事项报请该会议研究决定。"))
    decisions_reported_to = models.CharField(_("决定事项向其通报的会议"), max_length=8, blank=True,
                                             help_text=_("会议类型代码，如 MC：本会的决定事项在该会议上通报。"))
    # R-AG-9: an important topic records the units consulted, with their opinions, before it is tabled.
    consult_units_on_important = models.BooleanField(
        _("重要议题会前须征求有关处室意见"), default=False,
        help_text=_("重要议题登记征求意见的处室及其意见后，方可列入议程。"))
    # R-VO-5: a deferred topic is studied again and every member consulted before it is tabled again.
    consult_after_deferral = models.BooleanField(
        _("暂缓表决的议题须征求每位成员意见后再议"), default=False,
        help_text=_("转入下次会议的议题，须登记原会议每位成员的意见后方可列入议程。"))
    # R-FU-9, R-FU-7: the democratic life meeting's file.
    talks_before_start = models.BooleanField(
        _("会前须开展谈心谈话、征求干部职工意见"), default=False,
        help_text=_("每位成员登记谈心谈话和征求的意见建议后，会议方可开始。"))
    outcome_report = models.BooleanField(_("会后由办公室通报会议情况"), default=False)
    cell_meeting_required = models.BooleanField(
        _("成员每年参加所在党小组组织生活会"), default=False,
        help_text=_("每位成员登记当年参加党小组组织生活会的情况后，档案方可办结。"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["bureau", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "code"], name="meetingtype_code_unique_in_bureau",
                violation_error_message=_("本局已有相同代码的会议类型。"),
            ),
            *_threshold_constraints("quorum", _("法定人数"), required=False),
            *_threshold_constraints("special_quorum", _("人事议题法定人数"), required=False),
            *_threshold_constraints("vote", _("表决通过比例"), required=True),
            models.CheckConstraint(
                condition=Q(notice_lead_workdays__gte=0) & Q(briefing_deadline_workdays__gte=0)
                & (Q(minutes_deadline_workdays__isnull=True) | Q(minutes_deadline_workdays__gte=0)),
                name="meetingtype_deadlines_not_negative",
                violation_error_message=_("期限（工作日数）不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    # Thresholds as exact fractions (R-QU-3): never floats.
    @property
    def quorum(self) -> Threshold | None:
        if self.quorum_num is None or self.quorum_den is None:
            return None
        return Threshold(Fraction(self.quorum_num, self.quorum_den), self.quorum_inclusive)

    @property
    def special_quorum(self) -> Threshold | None:
        if self.special_quorum_num is None or self.special_quorum_den is None:
            return None
        return Threshold(Fraction(self.special_quorum_num, self.special_quorum_den), self.special_quorum_inclusive)

    @property
    def vote_threshold(self) -> Threshold:
        return Threshold(Fraction(self.vote_num, self.vote_den), self.vote_inclusive)

    def clean(self) -> None:
        from ..rules.meeting_types import validate_meeting_type

        errors = validate_meeting_type(
            {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields},
            post_unit_kinds=POST_UNIT_KINDS, post_labels=dict(Post.choices),
            unit_kinds_in_bureau=self._bureau_unit_kinds(),
        )
        if errors:
            raise ValidationError(errors)

    def _bureau_unit_kinds(self) -> set[str] | None:
        if not self.bureau_id:
            return None
        return set(self.bureau.units.filter(active=True).values_list("kind", flat=True).distinct())

    def clause_for(self, key: str) -> RuleSource | None:
        """The clause a rule comes from, for screens that answer "says who?"."""
        for source in self.rule_sources.all():
            if source.key == key:
                return source
        return None


class RuleKey(models.TextChoices):
    CONVENER = "convener", _("召集与主持")
    MEMBERS = "members", _("参会人员")
    RECORDER = "recorder", _("会议记录")
    CADENCE = "cadence", _("召开周期")
    QUORUM = "quorum", _("法定人数")
    SPECIAL_QUORUM = "special_quorum", _("人事议题法定人数")
    VOTE = "vote", _("表决规则")
    TOPICS = "topics", _("议题提出与审定")
    MATERIALS = "materials", _("书面材料")
    NOTICE = "notice", _("会议通知")
    LEAVE = "leave", _("请假")
    BRIEFING = "briefing", _("向缺席成员传达")
    MINUTES = "minutes", _("纪要分送与报备")
    CONFIDENTIALITY = "confidentiality", _("保密")
    FOLLOW_UP = "follow_up", _("督查落实")
    MANDATORY = "mandatory", _("必须上会事项")
    CALLS = "calls", _("决定召开其他会议")
    ESCALATION = "escalation", _("报请研究与通报决定")
    CARRY_OVER = "carry_over", _("暂缓表决议题转下次会议")
    ATTENDANCE = "attendance", _("到会登记")
    MINUTES_FORMAT = "minutes_format", _("纪要格式与编号")
    MINUTES_REVISION = "minutes_revision", _("纪要审定与更正")
    RECEIPT = "receipt", _("纪要签收")
    ARCHIVE = "archive", _("存档")
    REVIEW = "review", _("监察室审查")
    DEADLINES = "deadlines", _("期限提醒与督办")


class Seed(models.TextChoices):
    MUNICIPAL = "municipal_2023", _("《市级机关会议工作规定》（2023）")
    COMMERCE = "commerce_da", _("《商务局处务会会议纪要制度》")
    SPEC = "spec", _("规则目录（SPEC）")


class RuleSource(models.Model):
    """Where a rule of a meeting type comes from: the regulation, its section, and the words."""

    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.CASCADE, related_name="rule_sources", verbose_name=_("会议类型")
    )
    key = models.CharField(_("规则"), max_length=20, choices=RuleKey.choices)
    rule_ids = models.CharField(_("规则编号"), max_length=60, help_text=_("如 R-QU-1, R-QU-2。"))
    seed = models.CharField(_("出处"), max_length=20, choices=Seed.choices)
    section = models.CharField(_("条款"), max_length=40, help_text=_("如“一、（三）3”。"))
    excerpt = models.TextField(_("原文摘录"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规则出处")
        verbose_name_plural = _("规则出处")
        ordering = ["meeting_type", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_type", "key"], name="rulesource_one_per_key",
                violation_error_message=_("同一会议类型的同一规则只能有一条出处。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_seed_display()} {self.section}"

    @property
    def citation(self) -> str:
        return f"{self.get_seed_display()}{self.section}"


class TopicCategory(models.Model):
    """A category of topic for a meeting type (R-AG-5), with the rules that hang on it."""

    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.CASCADE, related_name="categories", verbose_name=_("会议类型")
    )
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=120)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    is_personnel = models.BooleanField(
        _("干部人事事项"), default=False, help_text=_("须三分之二以上成员到会（R-QU-2），内容保密（R-CO-1）。")
    )
    is_confidential = models.BooleanField(_("保密"), default=False, help_text=_("内容仅会议成员、记录人和经授权者可见（R-CO-1）。"))
    is_mandatory_for_unit = models.BooleanField(
        _("必须提交处务会研究决定"), default=False, help_text=_("此类事项须经本处室处务会研究决定（R-AG-6）。")
    )
    is_progress_report = models.BooleanField(
        _("落实情况汇报"), default=False, help_text=_("排会时自动提出此类议题，列出此前决定事项的落实情况（R-FU-2）。")
    )
    is_unit_report = models.BooleanField(
        _("各单位工作汇报"), default=False, help_text=_("排会时为每个处室、局属单位各提出一项此类议题（R-AG-8）。")
    )
    section = models.CharField(_("条款"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("议题类别")
        verbose_name_plural = _("议题类别")
        ordering = ["meeting_type", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_type", "code"], name="topiccategory_code_unique_in_type",
                violation_error_message=_("同一会议类型中议题类别代码不能重复。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def confidential(self) -> bool:
        """Personnel matters are always confidential (R-CO-1)."""
        return self.is_personnel or self.is_confidential
