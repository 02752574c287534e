"""Accountability (责任追究, R-FU-8): the Supervision Office opens a case on a breach the sweep recorded,
records its finding; the discipline secretary decides the measure. Every side path is refused: another
division opening a case, a case on oneself, deciding before the finding, the responsible person
deciding their own case, a second case on one breach; the responsible person sees their own case only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from governance.models import AccountabilityCase, Breach, BreachKind, CaseStatus, Notification
from governance.rules.refusals import TransitionRefused
from governance.selectors import accountability as cases
from governance.services import accountability, followup
from governance.services.sweep import sweep
from tests.governance.test_followup import run_pg

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(presets):
    """A passed party group decision for 外贸处, overdue: the sweep records the breach (R-FU-3)."""
    meeting, topic = run_pg(presets)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="印发并组织落实",
                                    owner=presets.head, owner_unit=presets.trade, leader=presets.deputy,
                                    due_workdays=1)
    sweep(today=action.due + datetime.timedelta(days=1))
    breach = Breach.objects.get(kind=BreachKind.ACTION_OVERDUE, subject=f"action:{action.pk}")
    return action, breach


def test_r_fu_8_supervision_opens_a_case_on_an_overdue_action_and_the_discipline_secretary_decides(presets, overdue):
    """R-FU-8: opened on the breach (the action linked from it), the responsible person notified;
    the finding asks the decider; the decision with its measure closes the case and tells both."""
    action, breach = overdue
    p = presets
    assert cases.suggested_responsible(breach) == p.head  # the action's owner
    case = accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.head, responsible_unit=p.trade,
                                    facts="逾期未印发，未说明理由。")
    assert case.status == CaseStatus.OPEN and case.action == action and case.bureau == p.bureau
    assert Notification.objects.filter(recipient=p.head, kind="case_opened").count() == 1
    with pytest.raises(TransitionRefused, match="认定意见后"):
        accountability.decide_case(actor=p.discipline, case=case, measure="criticism", decision="批评教育")
    accountability.record_finding(actor=p.supervisor, case=case, finding="属拖延执行会议决定。")
    assert Notification.objects.filter(recipient=p.discipline, kind="case_found").count() == 1
    case = accountability.decide_case(actor=p.discipline, case=case, measure="admonition", decision="对责任人诫勉谈话。")
    assert case.status == CaseStatus.DECIDED and case.decided_by == p.discipline and case.decided_at
    assert case.get_measure_display() == "诫勉谈话"
    assert Notification.objects.filter(recipient=p.head, kind="case_decided").count() == 1
    assert Notification.objects.filter(recipient=p.supervisor, kind="case_decided").count() == 1
    with pytest.raises(TransitionRefused, match="已办结"):
        accountability.record_finding(actor=p.supervisor, case=case, finding="改")
    assert [h.status for h in case.history.order_by("history_date")] == ["open", "found", "decided"]


def test_r_fu_8_a_case_may_be_dismissed(presets, overdue):
    """R-FU-8: no measure is 不予追究, with its reasons, as a decision too."""
    _, breach = overdue
    case = accountability.open_case(actor=presets.supervisor, breach=breach, responsible=presets.head,
                                    responsible_unit=presets.trade, facts="逾期一天。")
    accountability.record_finding(actor=presets.supervisor, case=case, finding="因上级文件调整而延期，情有可原。")
    case = accountability.decide_case(actor=presets.discipline, case=case, measure="", decision="不予追究。")
    assert case.status == CaseStatus.DISMISSED and case.measure == ""


def test_r_fu_8_side_paths_are_refused(presets, overdue):
    """R-FU-8: only the Supervision Office opens and finds; nobody opens a case on themselves; one case
    per breach; only the discipline secretary decides, and never a case about themselves; the
    responsible person is someone of the bureau."""
    _, breach = overdue
    p = presets
    for actor in (p.clerk, p.head, p.secretary, p.discipline):
        with pytest.raises(TransitionRefused, match="监察室"):
            accountability.open_case(actor=actor, breach=breach, responsible=p.staff, responsible_unit=p.trade, facts="x")
    with pytest.raises(TransitionRefused, match="本人"):
        accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.supervisor, responsible_unit=p.trade,
                                 facts="x")
    with pytest.raises(TransitionRefused, match="本局"):
        accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.outsider, responsible_unit=p.trade,
                                 facts="x")
    with pytest.raises(TransitionRefused, match="基本事实"):
        accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.head, responsible_unit=p.trade,
                                 facts="   ")
    case = accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.discipline,
                                    responsible_unit=p.supervision, facts="分管领导未督促。")
    with pytest.raises(TransitionRefused, match="已立案"):
        accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.head, responsible_unit=p.trade,
                                 facts="再立一次")
    with pytest.raises(TransitionRefused, match="监察室"):
        accountability.record_finding(actor=p.head, case=case, finding="x")
    accountability.record_finding(actor=p.supervisor, case=case, finding="有责任。")
    with pytest.raises(TransitionRefused, match="回避"):
        accountability.decide_case(actor=p.discipline, case=case, measure="criticism", decision="自己批评自己")
    with pytest.raises(TransitionRefused, match="纪委书记"):
        accountability.decide_case(actor=p.supervisor, case=case, measure="criticism", decision="x")
    assert AccountabilityCase.objects.count() == 1


def test_r_fu_8_who_sees_a_case_on_the_screens(client, presets, overdue):
    """R-FU-8: the Supervision Office opens it from the compliance records; the responsible person sees
    their case, another division head gets 404; the list is the overseers' only; the decision goes
    through the URL and the ledgers carry the case."""
    _, breach = overdue
    p = presets
    client.force_login(p.supervisor)
    records = client.get(reverse("compliance_records"), {"kind": "action_overdue"}).content.decode()
    assert f'href="/accountability/new/?breach={breach.pk}"' in records
    form = client.get(reverse("case_new"), {"breach": breach.pk})
    assert form.status_code == 200 and "立案问责" in form.content.decode()
    response = client.post(reverse("case_new"), {"breach": breach.pk, "responsible": p.head.pk,
                                                 "responsible_unit": p.trade.pk, "facts": "逾期未办结。"})
    case = AccountabilityCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.pk])
    assert client.get(reverse("case_new"), {"breach": breach.pk}).url == reverse("case_detail", args=[case.pk])
    assert client.post(reverse("case_finding", args=[case.pk]), {"finding": "属拖延。"}).status_code == 302
    listed = client.get(reverse("case_list")).content.decode()
    assert case.number in listed and "商务局处务会会议纪要制度》六" in listed and "责任追究办法" in listed  # the clause
    client.force_login(p.head)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("case_new"), {"breach": breach.pk}).status_code == 404
    client.force_login(p.other_head)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    client.force_login(p.discipline)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "作出处理决定" in page
    client.post(reverse("case_decide", args=[case.pk]), {"measure": "circulated", "decision": "通报批评。"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.measure == "circulated"
    ledger = client.get(reverse("ledgers")).content.decode()
    assert "责任追究台账" in ledger and case.number in ledger and "通报批评" in ledger
    compliance = client.get(reverse("compliance")).content.decode()
    assert 'data-testid="cases"' in compliance and "外贸处" in compliance


def test_r_fu_8_a_hostile_case_form_is_refused_without_a_500(client, presets, overdue):
    _, breach = overdue
    client.force_login(presets.supervisor)
    for data in ({"breach": "x"}, {"breach": str(2 ** 70)}, {"breach": breach.pk, "responsible": "abc"},
                 {"breach": breach.pk, "responsible": presets.outsider.pk, "responsible_unit": presets.trade.pk,
                  "facts": "x"}):
        response = client.post(reverse("case_new"), data)
        assert response.status_code in (200, 404), data
    assert not AccountabilityCase.objects.exists()
