"""The input boundary (meetings_site.middleware.CleanInputMiddleware) and the parsers of governance/forms.py:
control characters never get past the boundary, tab and newline do, uploads are untouched, and the
hostile inputs the assessor measured are refused with a 4xx or the form, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.forms import parse_date, parse_id, parse_int, parse_month
from governance.models import Material, Meeting, MeetingType, Topic
from governance.services import agenda, scheduling
from meetings_site.middleware import clean_input
from tests.world import soon


@pytest.mark.parametrize(("sent", "kept"), [
    ("议题\x00一", "议题一"), ("a\x01\x02\x08\x0b\x0c\x0e\x1f\x7fb", "ab"), ("a\x80\x85\x9fb", "ab"),
    ("行一\r\n行二\r行三\n行四", "行一\n行二\n行三\n行四"), ("列\t列", "列\t列"), ("\ufeffa\ufffe\uffff", "\ufeffa"),
    ("<b>金额<5万</b> =SUM(A1) 🀄 ＝", "<b>金额<5万</b> =SUM(A1) 🀄 ＝"), ("", ""),
])
def test_clean_input_keeps_text_and_drops_control_characters(sent, kept):
    assert clean_input(sent) == kept


def test_parsers_refuse_what_is_not_an_id_a_date_or_a_month():
    assert parse_id("12") == 12 and parse_id(12) == 12
    for bad in ("", "abc", "-1", "0", "１２", "²", "1.5", " 1", "9223372036854775808", "1" * 40, None, True):
        assert parse_id(bad) is None, bad
    assert parse_int("-3", low=-5, high=5) == -3 and parse_int("6", low=-5, high=5) is None
    assert parse_int("１", low=0, high=9) is None and parse_int("x", low=0, high=9) is None
    assert parse_date("2026-03-01") == datetime.date(2026, 3, 1)
    for bad in ("0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "abc", "", None, "２０２６-01-01"):
        assert parse_date(bad) is None, bad
    assert parse_month("2026-3") == datetime.date(2026, 3, 1) and parse_month("2026-03") == datetime.date(2026, 3, 1)
    for bad in ("0001-01", "9999-12", "99999-01", "2026-13", "2026-0", "2026", "abc", None):
        assert parse_month(bad) is None, bad


@pytest.fixture
def pg(presets):
    return MeetingType.objects.get(bureau=presets.bureau, code="PG")


@pytest.fixture
def meeting(presets, pg):
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="第一会议室")
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="policy"), title="政策文件议题")
    return m


def test_a_posted_title_arrives_without_control_characters_and_with_its_line_breaks(client, presets, pg, meeting):
    client.force_login(presets.clerk)
    client.post(reverse("topic_new", args=[meeting.pk]), {
        "category": pg.categories.get(code="other").pk, "title": "议题\x00\x07标题", "summary": "第一行\r\n第二行\t完"})
    topic = Topic.objects.get(title="议题标题")
    assert topic.summary == "第一行\n第二行\t完"


def test_an_upload_is_kept_byte_for_byte(client, presets, pg, meeting):
    data = b"%PDF-1.4 \x00\x01\r\n\x7f binary %%EOF"
    client.force_login(presets.clerk)
    client.post(reverse("topic_new", args=[meeting.pk]), {
        "category": pg.categories.get(code="other").pk, "title": "带附件", "material": SimpleUploadedFile("报告.pdf", data)})
    material = Material.objects.get(topic__title="带附件")
    assert material.file.read() == data


@pytest.mark.parametrize("query", ["status=a%00b", "type=%00", "unit=x%00&start=%00&end=%00", "page=%00"])
def test_a_nul_in_a_filter_is_no_server_error(client, presets, meeting, query):
    """On PostgreSQL a NUL reached the query and failed it ("cannot contain NUL"); it no longer arrives."""
    client.force_login(presets.clerk)
    for name in ("meeting_list", "ledgers", "action_list", "search"):
        assert client.get(reverse(name) + "?" + query + "&q=a%00b").status_code == 200, name


def test_a_control_character_in_the_path_is_a_bad_request(client, presets):
    client.force_login(presets.clerk)
    assert client.get("/rules/%00/").status_code == 400
    assert client.get("/calendar/feed/%00.ics").status_code == 400


def test_a_person_id_that_is_not_a_number_is_refused_on_sign_in(client, presets, meeting):
    client.force_login(presets.clerk)
    for person in ("abc", "1.5", "-1", "9223372036854775808", "１"):
        response = client.post(reverse("sign_in", args=[meeting.pk]), {"person": person}, follow=True)
        assert response.status_code == 200 and "没有这个人" in response.content.decode(), person


def test_a_topic_id_that_is_not_a_number_is_not_found(client, presets, meeting):
    client.force_login(presets.clerk)
    for topic in ("abc", "9999-12-31", "1" * 40):
        assert client.get(reverse("action_new", args=[meeting.pk]) + f"?topic={topic}").status_code == 404


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2026-02-30", "0001-01-07", "9999-12-27"])
def test_the_week_calendar_at_the_ends_of_time_shows_this_week(client, presets, date):
    client.force_login(presets.clerk)
    response = client.get(reverse("calendar_week") + f"?date={date}")
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "99999-01", "2026-13"])
def test_the_month_calendar_at_the_ends_of_time_shows_this_month(client, presets, month):
    client.force_login(presets.clerk)
    assert client.get(reverse("calendar_month") + f"?month={month}").status_code == 200
    assert client.get(reverse("action_list") + f"?month={month}").status_code == 200


def test_a_meeting_at_the_ends_of_time_is_refused_by_the_form(client, presets, pg):
    client.force_login(presets.clerk)
    for when in ("0001-01-01T00:00", "9999-12-31T23:59"):
        response = client.post(reverse("meeting_new"), {"meeting_type": pg.pk, "starts_at": when, "place": "会议室"})
        assert response.status_code == 200 and "1900" in response.content.decode()
    response = client.post(reverse("meeting_new"), {"meeting_type": pg.pk, "starts_at": soon(5).strftime("%Y-%m-%dT%H:%M"),
                                                    "place": "会议室", "invitees": ["1" * 40]})
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_a_next_that_is_not_a_path_goes_to_the_inbox(client, presets):
    client.force_login(presets.clerk)
    for target in ("１２", "9999-12-31T23:59", "home", "https://evil.example/", "//evil.example/"):
        response = client.post(reverse("notification_read", args=[0]), {"next": target})
        assert response.status_code == 302 and response["Location"] == reverse("notifications"), target
    assert client.post(reverse("notification_read", args=[0]), {"next": "/meetings/"})["Location"] == "/meetings/"


def test_an_overlong_user_name_is_refused_by_the_login_form(client, db):
    """The lockout records keep the user name in a 255-character column: PostgreSQL refused 10k."""
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "x"})
    assert response.status_code == 200 and response.context["form"].errors
