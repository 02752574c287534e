"""What the audit trail records, one test per kind, through the real screens and services: logins,
failed logins, lockouts, logouts, password changes and resets, workflow transitions, admin changes,
downloads, exports, and reads of confidential content (once per page view, never its text)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from governance.models import Transition
from governance.services import agenda
from tests.audit.conftest import SECRET, events
from tests.factories import UserFactory

PASSWORD = "pass-for-tests-2026"  # tests/factories.py
pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD, address="203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, HTTP_USER_AGENT="TestBrowser/1.0")


def _no_secret_anywhere():
    for e in AuditEvent.objects.all():
        assert SECRET not in f"{e.object_label} {e.reason} {e.detail} {e.action}", e


# Logins, failures, lockouts, logouts


def test_a_login_is_recorded_with_address_and_client(client):
    user = UserFactory(username="wang")
    assert _login(client, "wang").status_code == 302
    [e] = events(category="login")
    assert (e.actor, e.actor_username, e.outcome, e.ip_address, e.user_agent) == (
        user, "wang", "success", "203.0.113.5", "TestBrowser/1.0")


def test_a_failed_login_is_recorded_with_the_name_typed(client):
    user = UserFactory(username="wang")
    _login(client, "wang", password="wrong")
    _login(client, "nobody-here", password="wrong", address="198.51.100.9")
    linked, unknown = events(category="login_failed")
    assert (linked.actor, linked.actor_name, linked.outcome, linked.object_id) == (user, "wang", "failure", str(user.pk))
    assert (unknown.actor, unknown.actor_name, unknown.actor_username, unknown.ip_address) == (
        None, "nobody-here", "nobody-here", "198.51.100.9")
    assert not events(category="login")


def test_a_lockout_is_recorded_when_axes_locks_the_account_out(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory(username="wang")
    _login(client, "wang", password="wrong")
    assert not events(category="lockout")
    _login(client, "wang", password="wrong")
    [lockout] = events(category="lockout")
    assert (lockout.actor, lockout.actor_name, lockout.outcome, lockout.ip_address) == (
        user, "wang", "refused", "203.0.113.5")
    _login(client, "wang")  # the right password, during the lockout: refused again
    assert len(events(category="lockout")) == 2 and not events(category="login")
    assert events(category="login_failed")[-1].reason == "locked out"


def test_a_logout_is_recorded(client):
    user = UserFactory(username="wang")
    _login(client, "wang")
    client.post(reverse("logout"), REMOTE_ADDR="203.0.113.5")
    [e] = events(category="logout")
    assert (e.actor, e.ip_address) == (user, "203.0.113.5")


# Passwords


def test_changing_ones_own_password_is_a_password_change(client):
    from tests.conftest import make_admin

    user = make_admin("wang", "system")  # the admin's own password page: the one a system administrator has
    client.force_login(user)
    response = client.post(reverse("admin:password_change"), {
        "old_password": PASSWORD, "new_password1": "Another-pass-2026!", "new_password2": "Another-pass-2026!"},
        REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    [e] = events(category="password_change")
    assert (e.actor, e.object_id, e.ip_address) == (user, str(user.pk), "203.0.113.5")
    assert not events(category="password_reset")


def test_setting_someone_elses_password_is_a_password_reset_by_the_person_acting(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
    target = UserFactory(username="wang")
    client.force_login(admin)
    response = client.post(reverse("admin:auth_user_password_change", args=[target.pk]), {
        "password1": "Another-pass-2026!", "password2": "Another-pass-2026!", "set_usable_password": "true"})
    assert response.status_code == 302
    [e] = events(category="password_reset")
    assert (e.actor, e.object_type, e.object_id, e.action) == (admin, "auth.user", str(target.pk), "reset")
    assert not events(category="password_change")


def test_a_password_set_outside_any_request_is_a_reset_by_nobody():
    """manage.py changepassword and a script: no one is logged in."""
    target = UserFactory(username="wang")
    target.set_password("Another-pass-2026!")
    target.save()
    [e] = events(category="password_reset")
    assert e.actor is None and e.object_id == str(target.pk) and "command line" in e.reason


def test_a_hash_upgraded_at_login_is_not_a_password_change(client, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="wang")
    type(user).objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="md5"))
    _login(client, "wang")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")  # upgraded
    assert events(category="login") and not events(category__in=["password_change", "password_reset"])


# Workflow transitions


def test_every_transition_is_recorded_with_who_why_and_the_meeting(confidential_meeting, presets):
    meeting = confidential_meeting
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    e = AuditEvent.objects.filter(category="transition", object_type="governance.meeting").first()
    assert (e.actor, e.object_id, e.action, e.object_label) == (presets.clerk, str(meeting.pk), "agenda_submitted",
                                                                meeting.title)
    assert e.detail["from"] == "agenda_open" and e.detail["to"] == "agenda_submitted"
    transitions = Transition.objects.count()
    assert AuditEvent.objects.filter(category="transition").count() == transitions  # one for every Transition row


def test_a_confidential_topics_transition_is_recorded_without_its_reason(confidential_meeting, presets):
    agenda.submit_agenda(actor=presets.clerk, meeting=confidential_meeting)
    topic = confidential_meeting.secret_topic
    agenda.review_topic(actor=presets.secretary, topic=topic, decision="return", reason="补充" + SECRET + "的考察材料")
    e = AuditEvent.objects.get(category="transition", object_type="governance.topic", object_id=str(topic.pk),
                               action="returned")
    assert e.actor == presets.secretary and e.reason == "保密议题" and e.object_label == ""
    assert e.detail["meeting"] == confidential_meeting.pk
    _no_secret_anywhere()


# Admin changes


def test_an_admin_change_is_recorded_with_the_fields_not_the_values(client):
    """What the admin writes to its LogEntry (an addition, a change) becomes an audit row naming the
    fields changed, never their values."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    from tests.conftest import make_admin

    admin = make_admin("sysadmin", "system")
    group = Group.objects.create(name="秘密组" + SECRET)
    LogEntry.objects.log_actions(user_id=admin.pk, queryset=[group], action_flag=ADDITION,
                                 change_message=[{"added": {}}], single_object=True)
    LogEntry.objects.log_actions(user_id=admin.pk, queryset=[group], action_flag=CHANGE,
                                 change_message=[{"changed": {"fields": ["Name"]}}], single_object=True)
    added, changed = events(category="admin_change")
    assert (added.actor, added.action, added.object_type, added.object_id) == (admin, "add", "auth.group", str(group.pk))
    field = changed.detail["messages"][0]["changed"]["fields"][0]
    assert (changed.action, changed.reason, field.lower()) == ("change", f"changed: {field}", "name")
    _no_secret_anywhere()


def test_deleting_several_rows_at_once_in_the_admin_records_each():
    """The admin logs a bulk delete with one bulk_create, which sends no signal: each row is still recorded."""
    from django.contrib.admin.models import DELETION, LogEntry

    from tests.conftest import make_admin

    admin = make_admin("sysadmin", "system")
    groups = [Group.objects.create(name=f"组{i}") for i in range(3)]
    LogEntry.objects.log_actions(user_id=admin.pk, queryset=groups, action_flag=DELETION)
    deleted = events(category="admin_change", action="delete")
    assert sorted(e.object_id for e in deleted) == sorted(str(g.pk) for g in groups)
    assert {e.actor for e in deleted} == {admin}


# Downloads and exports


def test_ledger_exports_are_recorded(client, presets, confidential_meeting):
    client.force_login(presets.clerk)
    assert client.get(reverse("ledger_export", args=["xlsx"])).status_code == 200
    response = client.get(reverse("ledger_export", args=["csv"]) + "?register=meetings")
    b"".join(response.streaming_content)
    xlsx, csv_ = events(category="export")
    assert (xlsx.actor, xlsx.action, xlsx.object_type) == (presets.clerk, "ledgers.xlsx", "governance.bureau")
    assert csv_.action == "ledger.meetings.csv" and set(csv_.detail) == {"unit", "type", "start", "end"}


def test_meeting_documents_and_materials_downloads_are_recorded(client, presets, confidential_meeting):
    meeting = confidential_meeting
    material = meeting.secret_topic.materials.get()
    client.force_login(presets.clerk)
    assert client.get(reverse("notice_docx", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("attendance_docx", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("material_download", args=[material.pk])).status_code == 200
    notice, sheet, download = events(category="download")
    assert (notice.action, notice.object_id, sheet.action) == ("notice.docx", str(meeting.pk), "attendance.docx")
    assert (download.action, download.object_type, download.object_id) == ("material", "governance.material",
                                                                            str(material.pk))
    assert download.detail == {"confidential": True, "topic": meeting.secret_topic.pk}
    _no_secret_anywhere()


def test_a_minutes_document_download_is_recorded_with_the_confidential_topics_it_held(client, presets,
                                                                                      confidential_minutes):
    client.force_login(presets.deputy)  # a member: reads the confidential topic
    assert client.get(reverse("minutes_docx", args=[confidential_minutes.pk])).status_code == 200
    [e] = events(category="download")
    assert (e.action, e.object_type, e.object_id) == ("minutes.docx", "minutes.minutes", str(confidential_minutes.pk))
    assert e.detail["confidential_topics"] == [confidential_minutes.secret_topic.pk]
    _no_secret_anywhere()


def test_an_archive_export_download_is_recorded(client, presets):
    from django.core.files.base import ContentFile

    from minutes.models import ArchiveExport

    job = ArchiveExport.objects.create(bureau=presets.bureau, year=2026, requested_by=presets.supervisor,
                                       status="done")
    job.file.save("archive.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    client.force_login(presets.supervisor)
    response = client.get(reverse("minutes_export_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    [e] = events(category="export")
    assert (e.actor, e.action, e.object_id, e.detail["year"]) == (presets.supervisor, "minutes.archive", str(job.pk),
                                                                  2026)


# Reads of confidential content


def test_a_meeting_page_showing_a_confidential_topic_is_recorded_once(client, presets, confidential_meeting):
    client.force_login(presets.secretary)  # a member
    url = reverse("meeting_detail", args=[confidential_meeting.pk])
    assert SECRET in client.get(url).content.decode()
    [e] = events(category="confidential_read")
    assert (e.actor, e.object_type, e.object_id, e.action) == (presets.secretary, "governance.meeting",
                                                               str(confidential_meeting.pk), "view")
    assert e.detail == {"topics": [confidential_meeting.secret_topic.pk]}  # the ids, once, not per topic
    client.get(url)
    assert len(events(category="confidential_read")) == 2  # once per page view
    _no_secret_anywhere()


def test_a_meeting_page_that_withholds_the_topic_records_no_confidential_read(client, presets, confidential_meeting):
    client.force_login(presets.supervisor)  # an invitee: sees the meeting, not the personnel topic
    body = client.get(reverse("meeting_detail", args=[confidential_meeting.pk])).content.decode()
    assert SECRET not in body
    client.force_login(presets.secretary)
    client.get(reverse("meeting_detail", args=[confidential_meeting.pk]) + "?part=attendance", HTTP_HX_REQUEST="true")
    assert not events(category="confidential_read")


def test_a_minutes_page_showing_a_confidential_topic_is_recorded_once(client, presets, confidential_minutes):
    from guardian.shortcuts import assign_perm

    from governance.models import Post
    from tests.factories import make_person

    officer = make_person(presets.bureau, "officer", "监察员", Post.UNIT_STAFF, unit=presets.supervision)
    url = reverse("minutes_detail", args=[confidential_minutes.pk])
    client.force_login(presets.deputy)
    assert SECRET in client.get(url).content.decode()
    [e] = events(category="confidential_read")
    assert (e.actor, e.object_type, e.object_id, e.detail) == (
        presets.deputy, "minutes.minutes", str(confidential_minutes.pk), {"topics": [confidential_minutes.secret_topic.pk]})
    assert e.object_label == confidential_minutes.number
    # A reader who gets the topic withheld: no confidential read; once granted, one.
    assign_perm("minutes.view_minutes", officer, confidential_minutes)
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and SECRET not in response.content.decode()
    assert len(events(category="confidential_read")) == 1
    assign_perm("governance.view_confidential_topic", officer, confidential_minutes.secret_topic)
    assert SECRET in client.get(url).content.decode()
    assert events(category="confidential_read")[-1].actor == officer
    _no_secret_anywhere()


def test_events_are_newest_first_by_time():
    old = AuditEvent(category="login", action="login", at=timezone.now() - datetime.timedelta(days=1))
    old.save()
    new = AuditEvent(category="login", action="login")
    new.save()
    assert list(AuditEvent.objects.all()) == [new, old]


def test_search_results_showing_a_confidential_topic_are_recorded_once(client, presets, confidential_meeting):
    client.force_login(presets.supervisor)  # an invitee: the personnel topic is not found for them
    assert SECRET not in client.get(reverse("search"), {"q": "AUDIT-SECRET"}).content.decode()
    assert not events(category="confidential_read")
    client.force_login(presets.secretary)
    assert SECRET in client.get(reverse("search"), {"q": "议题"}).content.decode()
    [e] = events(category="confidential_read")
    assert (e.actor, e.action, e.object_type, e.detail) == (presets.secretary, "search", "",
                                                            {"topics": [confidential_meeting.secret_topic.pk]})
    _no_secret_anywhere()
