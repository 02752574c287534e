"""Writes for the organisation and meeting types: each public function is one named action."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from ..models import Bureau, MeetingType, RuleKey, RuleSource, Seed, TopicCategory

TYPE_FIELDS = {
    f.name for f in MeetingType._meta.concrete_fields if f.name not in {"id", "bureau"}
}
CATEGORY_FIELDS = {"code", "name", "order", "is_personnel", "is_confidential", "is_mandatory_for_unit",
                   "is_progress_report", "is_unit_report", "section"}


class PresetError(Exception):
    """Preset data that cannot be loaded; `problems` lists every reason, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class PresetReport:
    bureau: Bureau
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _describe(error: ValidationError, model) -> list[str]:
    out = []
    for name, messages in error.message_dict.items():
        label = name
        if name != "__all__":
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - an unknown key is reported by its own name
                label = name
        for message in messages:
            out.append(f"{label}：{message}" if name != "__all__" else message)
    return out


def _check_shape(presets: list[dict]) -> list[str]:
    """Refuse unknown keys and duplicate codes before touching the database."""
    problems: list[str] = []
    seen: set[str] = set()
    for index, preset in enumerate(presets, start=1):
        if not isinstance(preset, dict):
            problems.append(_("第 %(n)s 项不是一个会议类型对象。") % {"n": index})
            continue
        code = str(preset.get("code") or "").strip()
        where = code or _("第 %(n)s 项") % {"n": index}
        if not code:
            problems.append(_("%(where)s：缺少会议类型代码（code）。") % {"where": where})
        elif code in seen:
            problems.append(_("会议类型代码“%(code)s”重复出现。") % {"code": code})
        seen.add(code)
        unknown = set(preset) - TYPE_FIELDS - {"categories", "sources"}
        if unknown:
            problems.append(_("%(where)s：未知字段 %(fields)s。") % {"where": where, "fields": "、".join(sorted(unknown))})
        for cat in preset.get("categories", []):
            unknown = set(cat) - CATEGORY_FIELDS
            if unknown:
                problems.append(_("%(where)s：议题类别含未知字段 %(fields)s。")
                                % {"where": where, "fields": "、".join(sorted(unknown))})
        for key, source in (preset.get("sources") or {}).items():
            if key not in RuleKey.values:
                problems.append(_("%(where)s：未知规则“%(key)s”。") % {"where": where, "key": key})
            elif not (isinstance(source, list | tuple) and len(source) == 4 and source[1] in Seed.values):
                problems.append(_("%(where)s：规则“%(key)s”的出处应为 [规则编号, 出处, 条款, 原文]。")
                                % {"where": where, "key": key})
    return problems


@transaction.atomic
def load_presets(*, bureau: Bureau, presets: list[dict], update: bool = False) -> PresetReport:
    """Write the meeting types in `presets` onto `bureau`, validating every rule first.

    Types the bureau already has are kept as they are (an admin may have tuned them) unless `update`
    is set. Everything is validated before anything is kept: one bad rule rolls the whole load back.
    """
    problems = _check_shape(presets)
    if problems:
        raise PresetError(problems)
    report = PresetReport(bureau=bureau)
    existing = {t.code: t for t in MeetingType.objects.filter(bureau=bureau)}
    unit_kinds = set(bureau.units.filter(active=True).values_list("kind", flat=True))
    for preset in presets:
        code = preset["code"]
        current = existing.get(code)
        if current is not None and not update:
            report.kept.append(code)
            continue
        if current is None and preset.get("scope") == "unit" and not set(preset.get("unit_kinds") or []) & unit_kinds:
            # A bureau without divisions (yet) simply has no per-division meetings to hold.
            report.skipped.append(code)
            continue
        meeting_type = current or MeetingType(bureau=bureau)
        defaults = MeetingType()  # unspecified fields return to the model default on --update
        for name in TYPE_FIELDS:
            setattr(meeting_type, name, preset.get(name, getattr(defaults, name)))
        try:
            meeting_type.full_clean()
        except ValidationError as error:
            problems.extend(f"{code} {p}" for p in _describe(error, MeetingType))
            continue
        meeting_type.save()
        update_change_reason(meeting_type, "loadpresets")
        _load_children(meeting_type, preset, problems)
        (report.updated if current else report.created).append(code)
    if problems:
        raise PresetError(problems)
    return report


def _load_children(meeting_type: MeetingType, preset: dict, problems: list[str]) -> None:
    """Categories and clauses: replaced by the preset's list, matched by code and key."""
    wanted_codes = set()
    for order, data in enumerate(preset.get("categories", []), start=1):
        data = {"order": order, **data}
        wanted_codes.add(data["code"])
        category = TopicCategory.objects.filter(meeting_type=meeting_type, code=data["code"]).first() \
            or TopicCategory(meeting_type=meeting_type)
        for name in CATEGORY_FIELDS:
            setattr(category, name, data.get(name, TopicCategory._meta.get_field(name).get_default()))
        try:
            category.full_clean()
        except ValidationError as error:
            problems.extend(f"{meeting_type.code} {data['code']} {p}" for p in _describe(error, TopicCategory))
            continue
        category.save()
    for stale in TopicCategory.objects.filter(meeting_type=meeting_type).exclude(code__in=wanted_codes):
        stale.delete()
    wanted_keys = set()
    for key, (rule_ids, seed, section, excerpt) in (preset.get("sources") or {}).items():
        wanted_keys.add(key)
        source = RuleSource.objects.filter(meeting_type=meeting_type, key=key).first() \
            or RuleSource(meeting_type=meeting_type, key=key)
        source.rule_ids, source.seed, source.section, source.excerpt = rule_ids, seed, section, excerpt
        try:
            source.full_clean()
        except ValidationError as error:
            problems.extend(f"{meeting_type.code} {key} {p}" for p in _describe(error, RuleSource))
            continue
        source.save()
    for stale in RuleSource.objects.filter(meeting_type=meeting_type).exclude(key__in=wanted_keys):
        stale.delete()
