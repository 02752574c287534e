"""Validation of a meeting type's rules as a pure function: the admin and `loadpresets` both use it."""

from __future__ import annotations

from collections.abc import Mapping

from .wording import _

POST_FIELDS = ("convener_post", "chair_post", "agenda_approver_post")
POST_LIST_FIELDS = ("delegate_posts", "member_posts", "invitee_posts", "topic_proposer_posts",
                    "minutes_recipient_posts")
THRESHOLDS = {"quorum": "法定人数", "special_quorum": "人事议题法定人数", "vote": "表决通过比例"}
DEADLINES = ("notice_lead_workdays", "briefing_deadline_workdays", "minutes_deadline_workdays")


def _threshold_errors(values: Mapping, prefix: str, label: str, required: bool) -> dict[str, str]:
    num, den = values.get(f"{prefix}_num"), values.get(f"{prefix}_den")
    if num is None and den is None:
        return {} if not required else {f"{prefix}_num": _("%(label)s必须填写。") % {"label": label}}
    if num is None or den is None:
        return {f"{prefix}_den" if den is None else f"{prefix}_num": _("%(label)s的分子和分母须同时填写或同时留空。")
                % {"label": label}}
    if den < 1:
        return {f"{prefix}_den": _("%(label)s的分母至少为1。") % {"label": label}}
    if num < 0:
        return {f"{prefix}_num": _("%(label)s不能小于0（现为 %(num)s/%(den)s）。") % {"label": label, "num": num, "den": den}}
    if num > den:
        return {f"{prefix}_num": _("%(label)s不能大于1（现为 %(num)s/%(den)s）。") % {"label": label, "num": num, "den": den}}
    return {}


def validate_meeting_type(
    values: Mapping, *, post_unit_kinds: Mapping[str, frozenset[str]], post_labels: Mapping[str, str],
    unit_kinds_in_bureau: set[str] | None = None,
) -> dict[str, str]:
    """Return {field: reason} for every rule that cannot hold; empty when the type is sound.

    `unit_kinds_in_bureau`, when given, is the set of unit kinds the bureau actually has, so that a
    post that no unit of the bureau can hold is refused.
    """
    errors: dict[str, str] = {}
    for prefix, label in THRESHOLDS.items():
        errors.update(_threshold_errors(values, prefix, _(label), required=prefix == "vote"))
    for field in DEADLINES:
        value = values.get(field)
        if value is not None and value < 0:
            errors[field] = _("期限不能为负数（现为 %(value)s 个工作日）。") % {"value": value}

    scope = values.get("scope")
    type_kinds = set(values.get("unit_kinds") or [])
    if scope == "unit" and not type_kinds:
        errors["unit_kinds"] = _("按处室/单位召开的会议必须选择适用的单位类别。")
    if scope == "bureau" and type_kinds:
        errors["unit_kinds"] = _("全局会议不选择单位类别。")
    if scope == "unit" and unit_kinds_in_bureau is not None and type_kinds and not (type_kinds & unit_kinds_in_bureau):
        errors["unit_kinds"] = _("本局没有这些类别的处室/单位，无法按单位召开。")

    def holdable(post: str) -> str | None:
        """Why `post` cannot be held in this type's scope, or None when it can."""
        if post not in post_unit_kinds:
            return _("未知职务“%(post)s”。") % {"post": post}
        kinds = post_unit_kinds[post]
        label = post_labels.get(post, post)
        if scope == "bureau" and kinds:
            return _("“%(post)s”是处室职务，全局会议无法确定由哪个处室的人担任。") % {"post": label}
        if scope == "unit":
            if not kinds:
                return _("“%(post)s”是局领导职务，任何处室/单位都不设此职务。") % {"post": label}
            usable = kinds & type_kinds
            if unit_kinds_in_bureau is not None and "unit_kinds" not in errors:
                usable &= unit_kinds_in_bureau
            if type_kinds and not usable:
                return _("本局没有可设“%(post)s”职务的处室/单位。") % {"post": label}
        return None

    for field in POST_FIELDS:
        post = values.get(field)
        if not post:
            errors[field] = _("必须填写。")
            continue
        reason = holdable(post)
        if reason:
            errors[field] = reason
    for field in POST_LIST_FIELDS:
        unknown = [p for p in values.get(field) or [] if p not in post_unit_kinds]
        if unknown:
            errors[field] = _("未知职务：%(posts)s。") % {"posts": "、".join(unknown)}
    if not values.get("member_posts"):
        errors["member_posts"] = _("至少要有一种参会成员职务。")
    if values.get("chair_delegable") and not values.get("delegate_posts"):
        errors["delegate_posts"] = _("可委托主持时，须选择可受委托的职务。")
    if not values.get("chair_delegable") and values.get("delegate_posts"):
        errors["delegate_posts"] = _("不可委托主持时，不应选择受委托职务。")
    for post in values.get("delegate_posts") or []:
        if post in post_unit_kinds and "delegate_posts" not in errors:
            reason = holdable(post)
            if reason:
                errors["delegate_posts"] = reason
    if values.get("may_call_by_decision") and values.get("called_by_decision"):
        errors["may_call_by_decision"] = _("须由会议决定召开的会议，不能再决定召开此类会议（R-FU-6）。")
    series = (values.get("minutes_series") or "").strip()
    if not series:
        errors["minutes_series"] = _("R-MI-2：纪要编号系列必须填写。")
    elif any(ch in series for ch in "〔〕[]()（）第号 "):
        errors["minutes_series"] = _("纪要编号系列只填代字（如“党组纪”），不含括号、年度或“第…号”。")
    cadence = values.get("cadence")
    if cadence and cadence != "none" and (values.get("cadence_min_count") or 0) < 1:
        errors["cadence_min_count"] = _("定期召开的会议每周期至少召开1次。")
    if values.get("cadence_weekday") is not None and cadence != "week":
        errors["cadence_weekday"] = _("只有每周召开的会议才能指定星期。")
    # R-AG-10: a type submits matters to, and reports its decisions to, another type.
    for field in ("escalates_to", "decisions_reported_to"):
        if values.get(field) and values.get(field) == values.get("code"):
            errors[field] = _("不能指向本类会议自身。")
    # R-FU-9, R-FU-7: talks, opinions and cell meetings are filed with the pre-meeting filings.
    for flag in ("talks_before_start", "cell_meeting_required"):
        if values.get(flag) and not values.get("pre_meeting_filings"):
            errors[flag] = _("须同时设定“会前提交自我剖析和发言提纲”，成员才能登记准备材料。")
    if (not cadence or cadence == "none") and values.get("ad_hoc_allowed") is False:
        errors["ad_hoc_allowed"] = _("不定期召开的会议只能临时召开：请勾选“可临时召开”或设定召开周期。")
    if values.get("mandatory_matters") and scope != "unit":
        errors["mandatory_matters"] = _("必须上会事项只适用于按处室/单位召开的会议（R-AG-6）。")
    if values.get("follow_up_leader_required") and not values.get("follow_up_tracked"):
        errors["follow_up_leader_required"] = _("须确定分管局领导的，决定事项须督查落实。")
    return errors
