"""How a meeting type's rules read to a person: each rule in words, with the clause it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from governance.models import MandatoryMatter, MeetingType, Post, RuleSource, UnitKind

POST_LABELS = dict(Post.choices)
MATTER_LABELS = dict(MandatoryMatter.choices)
KIND_LABELS = dict(UnitKind.choices)


@dataclass(frozen=True)
class RuleLine:
    key: str
    label: str
    text: str
    source: RuleSource | None


@dataclass(frozen=True)
class MeetingTypeView:
    type: MeetingType
    lines: list[RuleLine]
    categories: list

    def line(self, key: str) -> RuleLine | None:
        return next((line for line in self.lines if line.key == key), None)


def posts_text(posts: list[str]) -> str:
    return "、".join(str(POST_LABELS.get(p, p)) for p in posts) or _("无")


def calling_names(bureau_id: int, types: list[MeetingType] | None = None) -> tuple[list[str], list[str]]:
    """R-FU-6: the names of the bureau's active types that may call a meeting by decision, and of those
    called so (from `types` when the caller has them all)."""
    if types is None:
        types = list(MeetingType.objects.filter(bureau_id=bureau_id, active=True).order_by("order", "code"))
    return ([t.name for t in types if t.may_call_by_decision], [t.name for t in types if t.called_by_decision])


def describe_meeting_type(t: MeetingType, *, calling: tuple[list[str], list[str]] | None = None) -> MeetingTypeView:
    """Every rule of `t` in plain Chinese, paired with its clause (from prefetched rule_sources);
    `calling` is `calling_names(...)` when the caller describes several types."""
    if calling is None and (t.called_by_decision or t.may_call_by_decision):
        calling = calling_names(t.bureau_id)
    callers, called = calling or ([], [])
    sources = {s.key: s for s in t.rule_sources.all()}
    lines: list[tuple[str, str, str]] = []

    chair = POST_LABELS[t.chair_post]
    if t.chair_delegable:
        chair = _("%(chair)s（可委托%(delegates)s）") % {"chair": chair, "delegates": posts_text(t.delegate_posts)}
    scope = _("全局") if t.scope == "bureau" else _("按%(kinds)s分别召开") % {
        "kinds": "、".join(str(KIND_LABELS.get(k, k)) for k in t.unit_kinds)}
    lines.append(("convener", _("召集与主持"),
                  _("%(scope)s；召集人：%(convener)s；主持人：%(chair)s") % {
                      "scope": scope, "convener": POST_LABELS[t.convener_post], "chair": chair}))
    members = posts_text(t.member_posts)
    if t.invitee_posts:
        members += _("；可列席：%(posts)s（不表决，不计入法定人数）") % {"posts": posts_text(t.invitee_posts)}
    else:
        members += _("；不设列席人员")
    lines.append(("members", _("参会人员"), members))
    lines.append(("recorder", _("会议记录"), t.get_recorder_source_display()))

    cadence = t.get_cadence_display()
    if t.cadence != "none" and t.cadence_min_count > 1:
        cadence += _("至少%(n)s次") % {"n": t.cadence_min_count}
    if t.cadence_weekday is not None:
        cadence += _("（%(day)s）") % {"day": t.get_cadence_weekday_display()}
    if t.ad_hoc_allowed:
        cadence += _("；可临时召开")
    if t.called_by_decision:
        cadence += _("；须由%(types)s决定召开") % {"types": _("或").join(callers) or _("（未设定可决定召开的会议类型）")}
    lines.append(("cadence", _("召开周期"), cadence))

    lines.append(("quorum", _("法定人数"),
                  _("须有%(t)s成员到会") % {"t": t.quorum.describe()} if t.quorum else _("未规定")))
    if t.special_quorum:
        lines.append(("special_quorum", _("人事议题法定人数"),
                      _("研究干部人事问题时，须有%(t)s成员到会（逐项核对）") % {"t": t.special_quorum.describe()}))
    vote = _("少数服从多数，逐项表决；赞成票须%(t)s%(basis)s") % {
        "t": t.vote_threshold.describe(), "basis": t.get_vote_basis_display()}
    if t.vote_basis == "members":
        # The seed says 少数服从多数; "of all members" is the catalogue's default (R-VO-2): said here,
        # beside the quoted clause, never inside it.
        vote += _("（以应到会成员为基数，依规则目录 R-VO-2）")
    lines.append(("vote", _("表决规则"), vote))
    lines.append(("carry_over", _("暂缓表决议题转下次会议"),
                  _("暂缓表决的议题连同材料、涉及处室和历史转入同类、同范围会议的下次会议")))

    topics = _("提出：%(who)s；审定：%(approver)s") % {
        "who": posts_text(t.topic_proposer_posts), "approver": POST_LABELS[t.agenda_approver_post]}
    if t.topics_gathered_by_office:
        topics = _("办公室征求各处室意见后提出；") + topics
    if t.monthly_unit_reports:
        topics += _("；各处室、局属单位每月汇报工作")
    lines.append(("topics", _("议题提出与审定"), topics))
    lines.append(("materials", _("书面材料"),
                  _("重要议题须有书面材料，会前发给与会人员") if t.materials_required else _("不强制")))
    lines.append(("notice", _("会议通知"), _("至少提前%(n)s个工作日通知") % {"n": t.notice_lead_workdays}))
    lines.append(("attendance", _("到会登记"), _("逐人登记出席、请假、无故缺席；列席人员另行登记，不计入法定人数")))
    leave = _("向%(who)s请假") % {"who": t.get_leave_approver_display()}
    if not t.unexcused_absence_allowed:
        leave += _("；不得无故缺席")
    lines.append(("leave", _("请假"), leave))
    if t.brief_absentees:
        lines.append(("briefing", _("向缺席成员传达"),
                      _("会后%(n)s个工作日内向缺席成员传达") % {"n": t.briefing_deadline_workdays}))
    minutes = []
    if t.minutes_deadline_workdays is not None:
        minutes.append(_("会议结束后%(n)s个工作日内分送") % {"n": t.minutes_deadline_workdays})
    minutes.append(_("编号：“%(series)s”系列，按会议召开的年度单独连续编号") % {"series": t.minutes_series})
    if t.minutes_recipient_posts:
        minutes.append(_("分送：%(posts)s") % {"posts": posts_text(t.minutes_recipient_posts)})
    if t.minutes_circulate_to_members:
        minutes.append(_("本会成员传阅"))
    if t.minutes_filed_with_supervision:
        minutes.append(_("向监察室报备"))
    lines.append(("minutes", _("纪要分送与报备"), "；".join(minutes) or _("未规定")))
    lines.append(("minutes_format", _("纪要格式与编号"), _("统一格式，按发文单位、年度连续编号，不留空号")))
    lines.append(("minutes_revision", _("纪要审定与更正"), _("主持人审定后锁定；更正须另行审定修订稿，保留全部修改历史")))
    lines.append(("receipt", _("纪要签收"), _("接收人签收，显示已阅、未阅")))
    lines.append(("archive", _("存档"), _("完整存档，纪要本定期存档，年度纪要可连同目录导出")))
    if t.minutes_filed_with_supervision:
        lines.append(("review", _("监察室审查"), _("监察室审查报备的纪要，可提出询问，由处室答复")))
    if t.minutes_access_by_grant:
        lines.append(("confidentiality", _("保密"), _("干部人事等机密事项仅限成员和经授权者；记录本由办公室保管，凭授权查阅")))
    follow = []
    if t.follow_up_tracked:
        follow.append(_("通过的决定事项交办督办，明确责任人和期限；逾期未交办的报告"))
    else:
        follow.append(_("决定事项不交办督办"))
    if t.follow_up_leader_required:
        follow.append(_("须确定一位局领导分管（本会成员或责任处室的分管领导），办公室协调督办"))
    if t.progress_reports:
        follow.append(_("落实情况向下次会议汇报"))
    if t.pre_meeting_filings:
        follow.append(_("会前提交自我剖析和发言提纲"))
    if t.rectification:
        follow.append(_("会后制定并落实整改措施"))
    if t.talks_before_start:
        follow.append(_("会前每位成员开展谈心谈话、征求干部职工意见，登记后方可召开"))
    if t.outcome_report:
        follow.append(_("会后由办公室通报会议情况"))
    if t.cell_meeting_required:
        follow.append(_("成员每年参加所在党小组组织生活会，参加情况记入档案"))
    if follow:
        lines.append(("follow_up", _("督查落实"), "；".join(follow)))
    if t.may_call_by_decision:
        lines.append(("calls", _("决定召开其他会议"), _("本会议通过的决定可以决定召开%(types)s") % {
            "types": "、".join(called) or _("须由会议决定召开的会议")}))
    if t.mandatory_matters:
        matters = "、".join(str(MATTER_LABELS.get(m, m)) for m in t.mandatory_matters)
        lines.append(("mandatory", _("必须上会事项"), _(
            "各处室涉及%(matters)s的事项，必须提交本处室的这类会议研究决定；在其他会议决定或仅作通报的，报监察室") % {
            "matters": matters}))
    if t.escalates_to or t.decisions_reported_to:  # R-AG-10, by the preset names (no query per type)
        from governance.rules.presets import PRESETS

        names = {p["code"]: p["name"] for p in PRESETS}
        parts = []
        if t.escalates_to:
            parts.append(_("可决定将重大事项报请%(t)s研究决定，列入其下次会议议程") % {
                "t": names.get(t.escalates_to, t.escalates_to)})
        if t.decisions_reported_to:
            parts.append(_("决定事项在下次%(t)s上通报") % {"t": names.get(t.decisions_reported_to, t.decisions_reported_to)})
        lines.append(("escalation", _("报请研究与通报决定"), "；".join(parts)))
    lines.append(("deadlines", _("期限提醒与督办"), _("各项期限到期前提醒、逾期后督办，每次只发送一次")))

    return MeetingTypeView(
        type=t,
        lines=[RuleLine(key, str(label), str(text), sources.get(key)) for key, label, text in lines],
        categories=list(t.categories.all()),
    )
