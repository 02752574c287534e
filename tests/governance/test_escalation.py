"""Between meetings (R-AG-10): a division affairs meeting submits a matter to the party group, which
finds it on its next agenda linked both ways (with its materials); only a type that may, only a passed
decision, once; and the middle-cadre meeting hears the party group's and the director's office
meeting's decisions, a confidential one by its placeholder."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Material, MeetingType, Topic
from governance.rules.refusals import TransitionRefused
from governance.services import escalation, scheduling
from tests.governance.test_followup import run_pg
from tests.minutes.conftest import make_closed_da
from tests.world import soon

pytestmark = pytest.mark.django_db


def test_r_ag_10_a_division_meeting_submits_a_matter_to_the_next_party_group_agenda(presets, client):
    p = presets
    da = make_closed_da(p)
    passed = da.topics.get(status="passed")
    with pytest.raises(TransitionRefused, match="会务人员"):
        escalation.escalate_topic(actor=p.staff, topic=passed)
    escalation.escalate_topic(actor=p.head, topic=passed)  # no party group agenda open yet: pending
    assert not Topic.objects.filter(escalated_from=passed).exists()
    with pytest.raises(TransitionRefused, match="已报请"):
        escalation.escalate_topic(actor=p.head, topic=passed)
    pg = MeetingType.objects.get(bureau=p.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(10), place="第一会议室")
    carried = Topic.objects.get(escalated_from=passed)
    assert carried.meeting == meeting and carried.status == "proposed" and carried.title == passed.title
    assert list(passed.escalated_to.all()) == [carried]
    client.force_login(p.clerk)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="escalated-from"' in page and da.title in page
    client.force_login(p.head)
    page = client.get(reverse("meeting_detail", args=[da.pk])).content.decode()
    assert 'data-testid="escalated"' in page and meeting.title in page


def test_r_ag_10_an_open_agenda_takes_it_at_once_with_its_materials(presets):
    p = presets
    pg = MeetingType.objects.get(bureau=p.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(10), place="第一会议室")
    da = make_closed_da(p)
    passed = da.topics.get(status="passed")
    # the written material the division's topic had
    Material.objects.create(topic=passed, file="materials/x.pdf", original_name="方案.pdf",
                            content_type="application/pdf", size=10, sha256="0" * 64, uploaded_by=p.head)
    escalation.escalate_topic(actor=p.head, topic=passed)
    carried = meeting.topics.get(escalated_from=passed)
    assert [m.original_name for m in carried.materials.all()] == ["方案.pdf"]


def test_r_ag_10_only_a_passed_decision_of_a_type_that_may_submit(presets):
    p = presets
    meeting, decided = run_pg(p)  # the party group submits to nobody
    with pytest.raises(TransitionRefused, match="不能报请"):
        escalation.escalate_topic(actor=p.clerk, topic=decided)
    da = make_closed_da(p)
    deferred = da.topics.exclude(status="passed").first()
    with pytest.raises(TransitionRefused, match="须先由本次会议作出"):
        escalation.escalate_topic(actor=p.head, topic=deferred)


def test_r_ag_10_the_middle_cadre_meeting_hears_the_decisions(presets):
    p = presets
    run_pg(p, extra_title="政策文件")
    run_pg(p, days=4, personnel=True, extra_title="拟任免人选")
    mc = MeetingType.objects.get(bureau=p.bureau, code="MC")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=mc, starts_at=soon(12), place="大会议室")
    report = meeting.topics.get(category__code="decisions")
    assert report.for_information and "（2 项）" in report.title
    assert "政策文件" in report.summary and "拟任免人选" not in report.summary and "保密" in report.summary


def test_r_ag_10_the_url_refuses_whoever_does_not_run_the_meeting(client, presets):
    p = presets
    da = make_closed_da(p)
    passed = da.topics.get(status="passed")
    url = reverse("topic_escalate", args=[passed.pk])
    client.force_login(p.other_head)
    assert client.post(url).status_code in (403, 404)
    client.force_login(p.head)
    assert client.post(url).status_code == 302
    passed.refresh_from_db()
    assert passed.escalation_requested_at is not None
