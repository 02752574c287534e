"""How a meeting type's rules read to a person: each rule in words, with the clause it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from governance.models import MeetingType, Post, RuleSource, UnitKind

POST_LABELS = dict(Post.choices)
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


def describe_meeting_type(t: MeetingType) -> MeetingTypeView:
    """Every rule of `t` in plain Chinese, paired with its clause (from prefetched rule_sources)."""
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
        cadence += _("；须由局党组会议或局长办公会议决定召开")
    lines.append(("cadence", _("召开周期"), cadence))

    lines.append(("quorum", _("法定人数"),
                  _("须有%(t)s成员到会") % {"t": t.quorum.describe()} if t.quorum else _("未规定")))
    if t.special_quorum:
        lines.append(("special_quorum", _("人事议题法定人数"),
                      _("研究干部人事问题时，须有%(t)s成员到会（逐项核对）") % {"t": t.special_quorum.describe()}))
    lines.append(("vote", _("表决规则"), _("少数服从多数，逐项表决；赞成票须%(t)s%(basis)s") % {
        "t": t.vote_threshold.describe(), "basis": t.get_vote_basis_display()}))

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
    if t.minutes_access_by_grant:
        lines.append(("confidentiality", _("保密"), _("干部人事等机密事项仅限成员和经授权者；记录本由办公室保管，凭授权查阅")))
    follow = []
    if t.follow_up_tracked:
        follow.append(_("决定事项明确责任人和期限，督查落实"))
    if t.progress_reports:
        follow.append(_("落实情况向下次会议汇报"))
    if t.pre_meeting_filings:
        follow.append(_("会前提交自我剖析和发言提纲"))
    if t.rectification:
        follow.append(_("会后制定并落实整改措施"))
    if follow:
        lines.append(("follow_up", _("督查落实"), "；".join(follow)))
    if any(c.is_mandatory_for_unit for c in t.categories.all()):
        lines.append(("mandatory", _("必须上会事项"), _("业务、内部建设、项目、资金使用、重大处罚等事项必须提交本会研究决定")))

    return MeetingTypeView(
        type=t,
        lines=[RuleLine(key, str(label), str(text), sources.get(key)) for key, label, text in lines],
        categories=list(t.categories.all()),
    )
