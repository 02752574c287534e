"""Meeting screens: every view permission-checked per persona (docs/architecture.md, Who does what), query counts flat, bad input
refused clearly with nothing half-saved, HTML shown as text."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import LeaveRequest, Material, Meeting, MeetingType, Topic, TopicStatus
from governance.services import agenda, attendance, scheduling, voting
from governance.services.materials import add_material


def soon(days=3):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def pg(presets):
    return MeetingType.objects.get(bureau=presets.bureau, code="PG")


@pytest.fixture
def meeting(presets, pg):
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="第一会议室",
                             invitees=[presets.supervisor])
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="policy"), title="政策文件议题")
    secret = agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="personnel"),
                               title="人事议题SECRET-4711", summary="拟任命SECRET-4711")
    add_material(actor=presets.clerk, topic=secret,
                 upload=SimpleUploadedFile("任免.pdf", b"%PDF-1.4 SECRET-4711 %%EOF"))
    return m


@pytest.fixture
def division_meeting(presets):
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    return scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=soon(), place="处会议室")


def login(client, user):
    client.force_login(user)
    return client


def test_schedule_form_creates_a_meeting(client, presets, pg):
    login(client, presets.clerk)
    assert client.get(reverse("meeting_new")).status_code == 200
    when = soon(4).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("meeting_new"), {"meeting_type": pg.pk, "starts_at": when, "place": "二楼会议室"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meeting_detail", args=[meeting.pk])


def test_schedule_form_refuses_a_date_in_the_past_and_saves_nothing(client, presets, pg):
    login(client, presets.clerk)
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("meeting_new"), {"meeting_type": pg.pk, "starts_at": past, "place": "会议室"})
    assert response.status_code == 200 and "会议时间不能早于现在" in response.content.decode()
    assert not Meeting.objects.exists()


def test_division_staff_cannot_open_the_schedule_form(client, presets):
    login(client, presets.staff)
    assert client.get(reverse("meeting_new")).status_code == 403


@pytest.mark.parametrize(("persona", "status"), [
    ("secretary", 200), ("deputy", 200), ("clerk", 200), ("supervisor", 200),  # member, member, recorder, invitee
    ("staff", 404), ("head", 404), ("outsider", 404),
])
def test_meeting_page_visible_to_its_people_only(client, presets, meeting, persona, status):
    login(client, getattr(presets, persona))
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == status


def test_division_staff_cannot_reach_another_divisions_meeting_by_url(client, presets, division_meeting):
    login(client, presets.other_staff)
    assert client.get(reverse("meeting_detail", args=[division_meeting.pk])).status_code == 404
    assert client.post(reverse("leave_ask", args=[division_meeting.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("meeting_action", args=[division_meeting.pk, "cancel"]), {"reason": "x"}).status_code == 404
    login(client, presets.staff)
    assert client.get(reverse("meeting_detail", args=[division_meeting.pk])).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("secretary", 302), ("clerk", 403), ("supervisor", 403), ("staff", 404)])
def test_only_the_approver_approves_the_agenda(client, presets, meeting, persona, status):
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    login(client, getattr(presets, persona))
    response = client.post(reverse("meeting_action", args=[meeting.pk, "approve"]))
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [("clerk", 302), ("deputy", 403), ("secretary", 403), ("outsider", 404)])
def test_only_managers_send_the_notice(client, presets, meeting, persona, status):
    login(client, getattr(presets, persona))
    assert client.post(reverse("meeting_action", args=[meeting.pk, "notice"])).status_code == status


def test_topic_review_is_for_the_approver(client, presets, meeting):
    topic = meeting.topics.first()
    login(client, presets.deputy)
    assert client.post(reverse("topic_action", args=[topic.pk, "accept"])).status_code == 403
    login(client, presets.secretary)
    assert client.post(reverse("topic_action", args=[topic.pk, "accept"])).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ACCEPTED


def test_r_co_1_confidential_topic_content_hidden_from_invitee_page_and_download(client, presets, meeting):
    """R-CO-1."""
    secret = Topic.objects.get(title__contains="SECRET")
    material = Material.objects.get(topic=secret)
    login(client, presets.supervisor)  # an invitee: sees the meeting, not the personnel topic
    body = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "SECRET-4711" not in body and "保密议题" in body and "政策文件议题" in body
    assert client.get(reverse("material_download", args=[material.pk])).status_code == 404
    login(client, presets.deputy)  # a member reads it
    assert "SECRET-4711" in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    response = client.get(reverse("material_download", args=[material.pk]))
    assert response.status_code == 200 and b"SECRET-4711" in b"".join(response.streaming_content)
    login(client, presets.staff)
    assert client.get(reverse("material_download", args=[material.pk])).status_code == 404


def test_r_co_1_explicit_grant_opens_a_confidential_topic(client, presets, meeting):
    """R-CO-1."""
    from guardian.shortcuts import assign_perm

    secret = Topic.objects.get(title__contains="SECRET")
    assign_perm("view_confidential_topic", presets.supervisor, secret)
    login(client, presets.supervisor)
    assert "SECRET-4711" in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()


def test_r_co_1_calendar_and_list_and_feed_never_carry_topic_content(client, presets, meeting):
    """R-CO-1."""
    login(client, presets.supervisor)
    for url in (reverse("meeting_list"), reverse("calendar_month") + f"?month={meeting.starts_at:%Y-%m}",
                reverse("calendar_week") + f"?date={timezone.localtime(meeting.starts_at).date()}", reverse("home")):
        body = client.get(url).content.decode()
        assert "SECRET-4711" not in body
    assert meeting.title in client.get(reverse("calendar_month") + f"?month={timezone.localtime(meeting.starts_at):%Y-%m}").content.decode()


def test_ical_feed_with_secret_token_and_revocation(client, presets, meeting):
    login(client, presets.deputy)
    client.post(reverse("calendar_feed_token"))
    token = presets.deputy.calendar_feed.token
    client.logout()
    response = client.get(reverse("calendar_feed", args=[token]))
    body = response.content.decode()
    assert response.status_code == 200 and "BEGIN:VCALENDAR" in body and "SUMMARY:" in body
    assert "SECRET-4711" not in body
    login(client, presets.deputy)
    client.post(reverse("calendar_feed_token"), {"revoke": "1"})
    client.logout()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_leave_through_the_screens(client, presets, meeting):
    login(client, presets.deputy2)
    client.post(reverse("leave_ask", args=[meeting.pk]), {"reason": "外出学习"})
    leave = LeaveRequest.objects.get()
    login(client, presets.deputy)
    assert client.post(reverse("leave_decide", args=[leave.pk, "grant"])).status_code == 302
    leave.refresh_from_db()
    assert leave.status == "pending"  # refused: not the chair
    login(client, presets.secretary)
    assert "外出学习" in client.get(reverse("approval_queue")).content.decode()
    client.post(reverse("leave_decide", args=[leave.pk, "grant"]))
    leave.refresh_from_db()
    assert leave.status == "granted"


def test_html_in_text_fields_is_shown_as_text(client, presets, pg):
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="<b>会议室</b>",
                             title="<script>alert(1)</script>会议")
    login(client, presets.clerk)
    client.post(reverse("topic_new", args=[m.pk]), {"category": pg.categories.get(code="other").pk,
                                                    "title": "<img src=x onerror=alert(2)>", "summary": "<script>x</script>"})
    body = client.get(reverse("meeting_detail", args=[m.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(2)&gt;" in body
    assert "<b>会议室</b>" not in body


def test_upload_of_renamed_executable_through_the_form_saves_nothing(client, presets, pg):
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="会议室")
    login(client, presets.clerk)
    exe = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("topic_new", args=[m.pk]), {
        "category": pg.categories.get(code="other").pk, "title": "带附件的议题", "material": exe}, follow=True)
    assert "文件内容与扩展名" in response.content.decode()
    assert not Topic.objects.filter(meeting=m).exists() and not Material.objects.exists()


def test_vote_by_invitee_through_the_screen_is_refused(client, presets, meeting):
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    for topic in meeting.topics.all():
        if topic.category.code == "personnel":
            add_material(actor=presets.clerk, topic=topic, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"))
        agenda.review_topic(actor=presets.secretary, topic=topic, decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    for person in (presets.secretary, presets.deputy, presets.deputy2, presets.supervisor):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=person)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    topic = meeting.topics.get(category__code="policy")
    voting.open_topic(actor=presets.clerk, topic=topic)
    login(client, presets.clerk)
    response = client.post(reverse("vote", args=[topic.pk]), {"member": presets.supervisor.pk, "choice": "for"}, follow=True)
    assert "列席人员不参加表决" in response.content.decode()
    assert not topic.votes.exists()
    response = client.post(reverse("vote", args=[topic.pk]), {"member": presets.deputy.pk, "choice": "maybe"})
    assert response.status_code == 400


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_meeting_list_query_count_does_not_grow(client, presets, pg):
    login(client, presets.clerk)
    scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(2), place="会议室")
    few = _count(client, reverse("meeting_list"))
    for days in range(5, 15):
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(days), place="会议室")
    assert _count(client, reverse("meeting_list")) == few


def test_meeting_page_query_count_does_not_grow_with_topics(client, presets, pg, meeting):
    login(client, presets.clerk)
    url = reverse("meeting_detail", args=[meeting.pk])
    few = _count(client, url)
    for i in range(8):
        t = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                              title=f"人事议题{i}")
        add_material(actor=presets.clerk, topic=t, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    assert _count(client, url) == few


def test_calendar_and_queue_pages_query_count_flat(client, presets, pg):
    login(client, presets.secretary)
    month = reverse("calendar_month") + f"?month={soon():%Y-%m}"
    scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(2), place="会议室")
    few = (_count(client, month), _count(client, reverse("approval_queue")))
    for days in range(3, 9):
        m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(days), place="会议室")
        agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="other"), title="x")
        agenda.submit_agenda(actor=presets.clerk, meeting=m)
    assert (_count(client, month), _count(client, reverse("approval_queue"))) == few


def test_notifications_inbox_and_mark_read(client, presets, meeting):
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    login(client, presets.secretary)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread">1<' in body
    assert "待审定议程" in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notification_read", args=[0]), {"next": "https://evil.example/"})
    assert 'data-testid="unread"' not in client.get(reverse("home")).content.decode()


def test_anonymous_users_are_sent_to_login_everywhere(client, presets, meeting):
    for name, args in (("meeting_list", []), ("meeting_new", []), ("meeting_detail", [meeting.pk]),
                       ("approval_queue", []), ("calendar_month", []), ("calendar_week", []), ("notifications", [])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
