"""Re-study after deferral (R-VO-5): a topic whose vote the party group deferred is tabled again only
once every member of that meeting has been consulted on it; one opinion per member, only members,
only until it is tabled; a type that does not ask for it (the director's office meeting) carries
the topic without."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Consultation, MeetingType
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, attendance, followup, scheduling, voting
from tests.world import soon

pytestmark = pytest.mark.django_db


def members(p):
    return [p.secretary, p.deputy, p.deputy2, p.discipline]


def deferred_then_carried(p, code="PG"):
    """A meeting of `code` defers its topic; the next one, scheduled, carries it (R-AG-7)."""
    t = MeetingType.objects.get(bureau=p.bureau, code=code)
    category = t.categories.exclude(is_progress_report=True).exclude(is_personnel=True).first()
    first = scheduling.schedule_meeting(actor=p.clerk, meeting_type=t, starts_at=soon(3), place="会议室")
    topic = agenda.propose_topic(actor=p.clerk, meeting=first, category=category, title="机关绩效考核办法")
    agenda.submit_agenda(actor=p.clerk, meeting=first)
    approver = first.approver
    for x in first.topics.all():
        agenda.review_topic(actor=approver, topic=x, decision="accept")
    agenda.approve_agenda(actor=approver, meeting=first)
    agenda.send_notice(actor=p.clerk, meeting=first)
    for person in first.participants.filter(role="member"):
        attendance.sign_in(actor=p.clerk, meeting=first, person=person.person)
    attendance.start_meeting(actor=p.clerk, meeting=first)
    voting.open_topic(actor=p.clerk, topic=topic)
    voting.defer_topic(actor=p.clerk, topic=topic, reason="意见分歧较大，会后再研究")
    for x in first.topics.exclude(pk=topic.pk):
        voting.note_topic(actor=p.clerk, topic=x)
    attendance.close_meeting(actor=p.clerk, meeting=first)
    nxt = scheduling.schedule_meeting(actor=p.clerk, meeting_type=t, starts_at=soon(20), place="会议室")
    carried = nxt.topics.get(carried_from=topic)
    agenda.submit_agenda(actor=p.clerk, meeting=nxt)
    return topic, carried


def test_r_vo_5_tabled_again_only_when_every_member_was_consulted(presets):
    p = presets
    topic, carried = deferred_then_carried(p)
    with pytest.raises(TransitionRefused, match="尚未征求：王书记、孙书记、李副局长、赵副局长"):
        agenda.review_topic(actor=p.secretary, topic=carried, decision="accept")
    for m in members(p)[:3]:
        followup.record_consultation(actor=p.clerk, topic=topic, member=m, opinion="同意再研究后提交")
    with pytest.raises(TransitionRefused, match="尚未征求：孙书记。"):  # one short: still refused
        agenda.review_topic(actor=p.secretary, topic=carried, decision="accept")
    followup.record_consultation(actor=p.discipline, topic=topic, member=p.discipline, opinion="建议增加监督条款")
    assert agenda.review_topic(actor=p.secretary, topic=carried, decision="accept").status == "accepted"
    with pytest.raises(TransitionRefused, match="征求意见已结束"):
        followup.record_consultation(actor=p.clerk, topic=topic, member=p.deputy, opinion="再补充")


def test_r_vo_5_side_paths_are_refused(presets):
    p = presets
    topic, carried = deferred_then_carried(p)
    with pytest.raises(TransitionRefused, match="原会议成员"):
        followup.record_consultation(actor=p.clerk, topic=topic, member=p.staff, opinion="x")
    with pytest.raises(TransitionRefused, match="成员本人或会务人员"):
        followup.record_consultation(actor=p.deputy, topic=topic, member=p.deputy2, opinion="替别人登记")
    with pytest.raises(TransitionRefused, match="填写意见"):
        followup.record_consultation(actor=p.deputy, topic=topic, member=p.deputy, opinion="  ")
    followup.record_consultation(actor=p.deputy, topic=topic, member=p.deputy, opinion="同意")
    with pytest.raises(TransitionRefused, match="已登记"):
        followup.record_consultation(actor=p.clerk, topic=topic, member=p.deputy, opinion="再登记")
    with pytest.raises(TransitionRefused, match="暂缓表决的议题"):  # the carried copy is not the deferred topic
        followup.record_consultation(actor=p.clerk, topic=carried, member=p.deputy2, opinion="x")
    assert Consultation.objects.count() == 1


def test_r_vo_5_a_type_that_does_not_ask_carries_the_topic_without(presets):
    p = presets
    topic, carried = deferred_then_carried(p, code="DO")
    assert not carried.meeting.meeting_type.consult_after_deferral
    assert agenda.review_topic(actor=carried.meeting.approver, topic=carried, decision="accept").status == "accepted"


def test_r_vo_5_on_the_meeting_page_and_through_the_url(client, presets):
    p = presets
    topic, carried = deferred_then_carried(p)
    client.force_login(p.clerk)
    page = client.get(reverse("meeting_detail", args=[carried.meeting_id])).content.decode()
    assert 'data-testid="consultation"' in page and "已征求 0/4" in page
    url = reverse("consultation_new", args=[carried.pk])
    assert client.post(url, {"member": p.deputy.pk, "opinion": "同意再议"}).status_code == 302
    assert client.post(url, {"member": "x", "opinion": "同意"}).status_code == 302  # a hostile id: refused, no 500
    assert client.post(url, {"member": p.outsider.pk, "opinion": "同意"}).status_code == 302
    assert list(Consultation.objects.values_list("member__username", flat=True)) == ["deputy"]
    page = client.get(reverse("meeting_detail", args=[carried.meeting_id])).content.decode()
    assert "已征求 1/4" in page and "同意再议" in page  # each opinion on the carried topic
    client.force_login(p.staff)
    assert client.post(url, {"opinion": "我也说两句"}).status_code in (403, 404)
    assert Consultation.objects.count() == 1
