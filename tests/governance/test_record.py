"""The meeting record (会议记录, R-MI-8): typed by the recorder during the meeting topic by topic,
distinct from the minutes drafted from it, read by the meeting's people (by grant for the party
group, R-CO-2, and never a confidential topic's entries for whoever may not read the topic, R-CO-1),
locked once the minutes are approved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import MeetingType, RecordEntry
from governance.rules.refusals import TransitionRefused
from governance.selectors.record import may_read_record, record_for
from governance.services import agenda, attendance, record, scheduling
from governance.services.admin_roles import grant_minutes_book
from minutes.models import Minutes
from minutes.services import drafting
from tests.conftest import make_admin
from tests.minutes.conftest import make_closed_da
from tests.world import soon

pytestmark = pytest.mark.django_db


def held_pg(p):
    """A party group meeting under way: a policy topic and a personnel (confidential) one."""
    pg = MeetingType.objects.get(bureau=p.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(3), place="会议室")
    policy = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=pg.categories.get(code="policy"), title="政策文件")
    secret = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                                  title="拟任免人选")
    agenda.submit_agenda(actor=p.clerk, meeting=meeting)
    for t in meeting.topics.all():
        agenda.review_topic(actor=p.secretary, topic=t, decision="accept")
    agenda.approve_agenda(actor=p.secretary, meeting=meeting)
    agenda.send_notice(actor=p.clerk, meeting=meeting)
    with pytest.raises(TransitionRefused, match="会议开始后"):  # not before the meeting
        record.add_entry(actor=meeting.recorder, meeting=meeting, topic=policy, text="提前写好的记录")
    for person in (p.secretary, p.deputy, p.deputy2, p.discipline):
        attendance.sign_in(actor=p.clerk, meeting=meeting, person=person)
    attendance.start_meeting(actor=p.clerk, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, policy, secret


def test_r_mi_8_the_recorder_keeps_the_record_topic_by_topic_during_the_meeting(presets):
    p = presets
    meeting, policy, secret = held_pg(p)
    recorder = meeting.recorder
    assert recorder is not None
    record.add_entry(actor=recorder, meeting=meeting, text="会议由王书记主持，应到4人，实到4人。")
    record.add_entry(actor=recorder, meeting=meeting, topic=policy, speaker=p.deputy, text="建议文件增加考核条款。")
    record.add_entry(actor=recorder, meeting=meeting, topic=secret, speaker=p.secretary, text="拟同意任命张某为科长。")
    for bad, match in (({"topic": policy, "speaker": p.staff, "text": "x"}, "参会人员"),
                       ({"topic": policy, "text": "   "}, "发言要点"),
                       ({"topic": policy, "text": "x" * 20001}, "20000")):
        with pytest.raises(TransitionRefused, match=match):
            record.add_entry(actor=recorder, meeting=meeting, **bad)
    with pytest.raises(TransitionRefused, match="记录人"):
        record.add_entry(actor=p.deputy, meeting=meeting, topic=policy, text="成员自己记")
    other, _, _ = held_pg(p)
    with pytest.raises(TransitionRefused, match="不属于本次会议"):
        record.add_entry(actor=recorder, meeting=other, topic=policy, text="x")
    assert RecordEntry.objects.filter(meeting=meeting).count() == 3


def test_r_mi_8_r_co_2_the_party_groups_record_is_read_by_grant_and_r_co_1_holds_inside(presets):
    p = presets
    meeting, policy, secret = held_pg(p)
    record.add_entry(actor=meeting.recorder, meeting=meeting, topic=secret, text="拟同意任命张某为科长。")
    record.add_entry(actor=meeting.recorder, meeting=meeting, topic=policy, text="同意印发。")
    assert may_read_record(meeting.recorder, meeting)
    assert not may_read_record(p.deputy, meeting)  # a member: the PG record book is read by grant only
    security = make_admin("secadmin", "security")
    grant_minutes_book(actor=security, meeting_type=meeting.meeting_type, person=p.supervisor, reason="审查需要")
    assert may_read_record(p.supervisor, meeting)
    _, sections = record_for(p.supervisor, meeting.pk)
    shown = {t.pk if t else None: entries for t, entries in sections}
    assert [e.text for e in shown[policy.pk]] == ["同意印发。"]
    assert shown[secret.pk] is None  # the book grant is not a grant on the confidential topic (R-CO-1)


def test_r_mi_8_the_minutes_start_from_the_record_and_their_approval_locks_it(presets, client):
    p = presets
    meeting = make_closed_da(p)
    record.add_entry(actor=p.head, meeting=meeting, text="处务会由陈处长主持，研究两项议题。")
    funds = meeting.topics.get(title="外贸发展专项资金划拨方案")
    entry = record.add_entry(actor=p.head, meeting=meeting, topic=funds, speaker=p.head, text="同意按方案划拨。")
    revision = drafting.start_minutes(actor=p.head, meeting=meeting)
    assert revision.summary == "处务会由陈处长主持，研究两项议题。"  # the draft starts from the record
    record.edit_entry(actor=p.head, entry=entry, text="同意按方案划拨，报分管局领导。")
    drafting.submit_revision(actor=p.head, revision=revision)
    drafting.approve_revision(actor=p.head, revision=revision)
    meeting.refresh_from_db()
    assert meeting.record_locked_at is not None and Minutes.objects.get(meeting=meeting).sequence
    with pytest.raises(TransitionRefused, match="已锁定"):
        record.add_entry(actor=p.head, meeting=meeting, topic=funds, text="补记")
    with pytest.raises(TransitionRefused, match="已锁定"):
        record.edit_entry(actor=p.head, entry=entry, text="改")
    assert [h.text for h in entry.history.order_by("history_date")] == ["同意按方案划拨。", "同意按方案划拨，报分管局领导。"]
    client.force_login(p.head)
    page = client.get(reverse("meeting_record", args=[meeting.pk])).content.decode()
    assert "已锁定" in page and "同意按方案划拨，报分管局领导。" in page and 'name="text"' not in page
    assert client.post(reverse("meeting_record", args=[meeting.pk]), {"text": "补记"}).status_code == 404


def test_r_mi_8_the_record_page_and_its_form_refuse_outsiders_and_hostile_ids(client, presets):
    p = presets
    meeting, policy, _ = held_pg(p)
    url = reverse("meeting_record", args=[meeting.pk])
    client.force_login(p.staff)
    assert client.get(url).status_code == 404
    client.force_login(meeting.recorder)
    assert client.get(url).status_code == 200
    for data in ({"topic": "x", "text": "a"}, {"topic": str(2 ** 70), "text": "a"}, {"speaker": "-1", "text": "a"},
                 {"topic": policy.pk, "speaker": p.outsider.pk, "text": "a"}):
        assert client.post(url, data).status_code == 302, data
    assert not RecordEntry.objects.exists()
    response = client.post(url, {"topic": policy.pk, "speaker": p.deputy.pk, "text": "建议增加考核条款。"})
    assert response.status_code == 302 and RecordEntry.objects.get().speaker == p.deputy
