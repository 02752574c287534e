"""Accountability (责任追究, R-FU-8): the Supervision Office opens a case on a recorded breach or an
action, records the facts and its finding; the discipline secretary decides the measure or that no one
is held accountable. Each step is a named action, recorded (history, transition, audit) and notified."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import AccountabilityCase, Action, Appointment, Breach, CaseStatus, Measure, Unit
from governance.rules.refusals import TransitionRefused
from governance.selectors.accountability import (
    CASE_BREACHES,
    deciders,
    investigators,
    may_decide,
    may_investigate,
    subject_action,
)
from governance.services.common import notify, record_event, record_transition

TEXT_MAX = 5000


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionRefused(_("请填写%(what)s。") % {"what": what})
    if len(value) > TEXT_MAX:
        raise TransitionRefused(_("%(what)s不能超过 %(n)d 字。") % {"what": what, "n": TEXT_MAX})
    return value


def _neutral_title(case: AccountabilityCase) -> str:
    """The case as a notification names it: its number and the kind of breach, never a topic's words."""
    what = case.breach.get_kind_display() if case.breach_id else _("决定事项逾期未落实")
    return f"{case.number}：{what}（{case.responsible_unit.name}）"


@transaction.atomic
def open_case(*, actor, responsible, responsible_unit: Unit, facts: str, breach: Breach | None = None,
              action: Action | None = None) -> AccountabilityCase:
    """R-FU-8: a Supervision Office officer opens a case on a breach (a late or evaded decision, a
    missed meeting, late minutes ...) or directly on an action; one case per breach. The responsible
    person holds a post in the bureau; nobody opens a case on themselves."""
    if breach is None and action is None:
        raise TransitionRefused(_("案件须针对一项违规记录或督办事项。"))
    if breach is not None:
        breach = Breach.objects.select_for_update().select_related("bureau").get(pk=breach.pk)
        if breach.kind not in CASE_BREACHES:
            raise TransitionRefused(_("这类记录不立案问责。"))
        bureau = breach.bureau
        action = action or subject_action(breach)
    else:
        bureau = action.meeting.bureau
    if not may_investigate(actor, bureau):
        raise TransitionRefused(_("由监察室立案。"))
    if responsible is None or not Appointment.objects.on(timezone.localdate()).filter(
            person=responsible, bureau=bureau).exists():
        raise TransitionRefused(_("责任人须是本局在职人员。"))
    if responsible.pk == actor.pk:
        raise TransitionRefused(_("不能对本人立案，请由监察室其他人员办理。"))
    if responsible_unit is None or responsible_unit.bureau_id != bureau.pk:
        raise TransitionRefused(_("责任处室不属于本局。"))
    facts = _text(facts, _("基本事实"))
    case = AccountabilityCase(bureau=bureau, breach=breach, action=action, responsible=responsible,
                              responsible_unit=responsible_unit, facts=facts, opened_by=actor)
    case._change_reason = _("立案")
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        raise TransitionRefused(_("这项违规记录已立案。")) from error
    record_event(case, from_state="", to_state=CaseStatus.OPEN, actor=actor, reason=_("立案"))
    notify(recipients=[responsible], kind="case_opened", title=_("您被立案问责：%(c)s") % {"c": _neutral_title(case)},
           url=reverse("case_detail", args=[case.pk]))
    return case


def _locked(case: AccountabilityCase) -> AccountabilityCase:
    return AccountabilityCase.objects.select_for_update(of=("self",)).select_related(
        "bureau", "breach", "responsible_unit").get(pk=case.pk)


@transaction.atomic
def record_finding(*, actor, case: AccountabilityCase, finding: str) -> AccountabilityCase:
    """R-FU-8: the Supervision Office records its finding on the facts; the decider is asked to decide."""
    case = _locked(case)
    if not may_investigate(actor, case.bureau):
        raise TransitionRefused(_("由监察室提出认定意见。"))
    if case.status not in (CaseStatus.OPEN, CaseStatus.FOUND):
        raise TransitionRefused(_("案件已办结，不能再修改认定意见。"))
    case.finding, case.found_by, case.found_at = _text(finding, _("认定意见")), actor, timezone.now()
    record_transition(case, to_state=CaseStatus.FOUND, actor=actor, reason=_("提出认定意见"),
                      extra_fields=("finding", "found_by", "found_at"))
    notify(recipients=deciders(bureau=case.bureau), kind="case_found",
           title=_("问责案件待决定：%(c)s") % {"c": _neutral_title(case)}, url=reverse("case_detail", args=[case.pk]))
    return case


@transaction.atomic
def decide_case(*, actor, case: AccountabilityCase, measure: str, decision: str) -> AccountabilityCase:
    """R-FU-8: the discipline secretary (or the leader in charge of the Supervision Office) decides the
    measure, after the finding; not on a case about themselves. `measure` "" dismisses the case (不予追究)."""
    case = _locked(case)
    if not may_decide(actor, case.bureau):
        raise TransitionRefused(_("由纪委书记（或分管监察室的局领导）作出处理决定。"))
    if case.responsible_id == actor.pk:
        raise TransitionRefused(_("本人作为责任人的案件，须回避，不能自行决定。"))
    if case.status != CaseStatus.FOUND:
        raise TransitionRefused(_("监察室提出认定意见后才能作出处理决定。") if case.status == CaseStatus.OPEN
                                else _("案件已办结。"))
    if measure and measure not in Measure.values:
        raise TransitionRefused(_("未知的处理措施。"))
    case.measure, case.decision = measure, _text(decision, _("处理决定"))
    case.decided_by, case.decided_at = actor, timezone.now()
    to_state = CaseStatus.DECIDED if measure else CaseStatus.DISMISSED
    record_transition(case, to_state=to_state, actor=actor,
                      reason=case.get_measure_display() if measure else _("不予追究"),
                      extra_fields=("measure", "decision", "decided_by", "decided_at"))
    notify(recipients=[case.responsible, *investigators(bureau=case.bureau)], kind="case_decided",
           title=_("问责案件已作出处理：%(c)s") % {"c": _neutral_title(case)}, url=reverse("case_detail", args=[case.pk]))
    return case
