"""R-CO-2: where a type's minutes book is read by grant (`minutes_access_by_grant`; the party group's:
会议记录本由办公室妥为保管), the minutes are read by the meeting's members, chair and recorder and the
recipients; an invitee (列席) who sat in reads them only once the security administrator grants the
book. Where the type does not say so, the invitee reads them as a participant."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import MeetingType
from governance.services import admin_roles, agenda, attendance, scheduling, voting
from minutes.models import Minutes
from minutes.permissions import may_minutes, visible_minutes
from minutes.services import drafting


def held_with_invitee(presets, code: str, chair):
    """A bureau meeting of `code` with 外贸处's head invited (列席), one topic passed, minutes approved."""
    t = MeetingType.objects.get(bureau=presets.bureau, code=code)
    starts = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=t, starts_at=starts, place="会议室",
                                          invitees=[presets.head])
    topic = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=t.categories.exclude(
        is_personnel=True).exclude(is_progress_report=True).first(), title="政策文件")
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    for tp in meeting.topics.all():
        agenda.review_topic(actor=chair, topic=tp, decision="accept")
    agenda.approve_agenda(actor=chair, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    for p in meeting.participants.select_related("person"):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=p.person)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    voting.open_topic(actor=presets.clerk, topic=topic)
    for p in (presets.secretary, presets.deputy, presets.deputy2):
        voting.record_vote(actor=presets.clerk, topic=topic, member=p, choice="for")
    voting.decide_topic(actor=presets.clerk, topic=topic, decision="同意印发。")
    for tp in meeting.topics.exclude(pk=topic.pk):
        voting.note_topic(actor=presets.clerk, topic=tp)
    attendance.close_meeting(actor=presets.clerk, meeting=meeting)
    revision = drafting.start_minutes(actor=presets.clerk, meeting=meeting)
    drafting.submit_revision(actor=presets.clerk, revision=revision)
    drafting.approve_revision(actor=meeting.chair, revision=revision)
    return Minutes.objects.get(pk=revision.minutes_id)


def test_r_co_2_an_invitee_does_not_read_party_group_minutes_without_a_grant(client, presets, admins):
    """R-CO-2: service gate, list and URL refuse the invitee; a grant of the book opens them."""
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    assert pg.minutes_access_by_grant
    minutes = held_with_invitee(presets, "PG", presets.secretary)
    url = reverse("minutes_detail", args=[minutes.pk])
    assert not may_minutes(presets.head, minutes, "view")
    assert not visible_minutes(presets.head).filter(pk=minutes.pk).exists()
    client.force_login(presets.head)
    assert client.get(url).status_code == 404
    assert client.get(reverse("minutes_docx", args=[minutes.pk])).status_code == 404
    for member in (presets.deputy, presets.clerk):  # a member; the recorder (the General Office)
        assert may_minutes(member, minutes, "view")
    admin_roles.grant_minutes_book(actor=admins.security, meeting_type=pg, person=presets.head, reason="因工作需要查阅")
    assert may_minutes(presets.head, minutes, "view")
    assert client.get(url).status_code == 200


def test_r_co_2_where_the_book_is_not_by_grant_the_invitee_reads_the_minutes(client, presets):
    """R-CO-2: the flag is what decides: the same meeting under a type whose book is not read by grant."""
    MeetingType.objects.filter(bureau=presets.bureau, code="PG").update(minutes_access_by_grant=False)
    minutes = held_with_invitee(presets, "PG", presets.secretary)
    assert may_minutes(presets.head, minutes, "view")
    client.force_login(presets.head)
    assert client.get(reverse("minutes_detail", args=[minutes.pk])).status_code == 200


@pytest.mark.parametrize("code", ["DO"])
def test_r_co_2_an_invitee_reads_minutes_of_a_type_not_read_by_grant(presets, code):
    """R-CO-2: 局长办公会议 keeps no book by grant: its invitee reads its minutes."""
    assert not MeetingType.objects.get(bureau=presets.bureau, code=code).minutes_access_by_grant
    minutes = held_with_invitee(presets, code, presets.director)
    assert may_minutes(presets.head, minutes, "view")
