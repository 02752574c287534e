"""Consultation before a party group topic (R-AG-9): an important topic is tabled only once the units
consulted on it, with their opinions, are recorded (会前要充分调查研究，广泛征求意见); by the proposer or
the office, one per unit of the bureau, until the topic is on the agenda; an ordinary topic needs none,
nor does a type that does not ask (the director's office meeting)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import MeetingType, UnitOpinion
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, scheduling
from governance.services.followup import record_unit_opinion
from governance.services.materials import add_material
from tests.world import soon

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 x %%EOF"


def important_topic(p, code="PG"):
    t = MeetingType.objects.get(bureau=p.bureau, code=code)
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=t, starts_at=soon(5), place="会议室")
    category = t.categories.exclude(is_personnel=True).exclude(is_progress_report=True).first()
    topic = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=category, title="机关绩效考核办法",
                                 important=True)
    add_material(actor=p.clerk, topic=topic, upload=SimpleUploadedFile("办法.pdf", PDF))
    agenda.submit_agenda(actor=p.clerk, meeting=meeting)
    return meeting, topic


def test_r_ag_9_an_important_topic_is_tabled_once_a_unit_was_consulted(presets):
    p = presets
    meeting, topic = important_topic(p)
    with pytest.raises(TransitionRefused, match="征求意见的处室"):
        agenda.review_topic(actor=meeting.approver, topic=topic, decision="accept")
    record_unit_opinion(actor=p.clerk, topic=topic, unit=p.trade, opinion="同意，建议增加考核权重说明。")
    assert agenda.review_topic(actor=meeting.approver, topic=topic, decision="accept").status == "accepted"
    with pytest.raises(TransitionRefused, match="列入议程后"):
        record_unit_opinion(actor=p.clerk, topic=topic, unit=p.invest, opinion="补充")


def test_r_ag_9_side_paths_are_refused(presets):
    p = presets
    meeting, topic = important_topic(p)
    with pytest.raises(TransitionRefused, match="提出人或会务人员"):
        record_unit_opinion(actor=p.staff, topic=topic, unit=p.trade, opinion="x")
    other_unit = type(p.trade).objects.create(bureau=p.other_bureau, code="x", name="外局处室")
    with pytest.raises(TransitionRefused, match="本局处室"):
        record_unit_opinion(actor=p.clerk, topic=topic, unit=other_unit, opinion="x")
    with pytest.raises(TransitionRefused, match="填写意见"):
        record_unit_opinion(actor=p.clerk, topic=topic, unit=p.trade, opinion="  ")
    record_unit_opinion(actor=p.clerk, topic=topic, unit=p.trade, opinion="同意")
    with pytest.raises(TransitionRefused, match="已登记"):
        record_unit_opinion(actor=p.clerk, topic=topic, unit=p.trade, opinion="再登记")
    assert UnitOpinion.objects.count() == 1


def test_r_ag_9_not_asked_of_a_type_that_does_not_ask(presets):
    meeting, topic = important_topic(presets, code="DO")
    assert agenda.review_topic(actor=meeting.approver, topic=topic, decision="accept").status == "accepted"


def test_r_ag_9_on_the_page_and_through_the_url(client, presets):
    p = presets
    meeting, topic = important_topic(p)
    client.force_login(p.clerk)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="unit-opinions"' in page and "尚未登记" in page
    url = reverse("unit_opinion_new", args=[topic.pk])
    assert client.post(url, {"unit": "x", "opinion": "同意"}).status_code == 302  # refused, no 500
    assert client.post(url, {"unit": p.trade.pk, "opinion": "同意，建议试行一年。"}).status_code == 302
    assert list(UnitOpinion.objects.values_list("unit__code", flat=True)) == ["trade"]
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "同意，建议试行一年。" in page
    client.force_login(p.other_staff)
    assert client.post(url, {"unit": p.invest.pk, "opinion": "x"}).status_code in (403, 404)
