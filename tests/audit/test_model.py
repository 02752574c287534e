"""The audit trail is append-only in the ORM; the service keeps who, from where and what, for every
category (role and grant changes are recorded by the callers that make them); the settings are checked."""

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory

from audit.checks import audit_settings
from audit.models import AppendOnlyError, AuditEvent, Category
from audit.services import context, record, record_confidential_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return record(actor=UserFactory(username="someone"), category="login", action="login")


def test_saving_an_existing_event_is_refused(event):
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError, match="append-only"):
        event.save()
    fresh = AuditEvent.objects.get(pk=event.pk)
    with pytest.raises(AppendOnlyError):
        fresh.save(update_fields=["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError, match="deleting"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError, match="update"):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError, match="update"):
        AuditEvent.objects.update(reason="x")
    with pytest.raises(AppendOnlyError, match="delete"):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError, match="delete"):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"reason": "x"})
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_actor_cannot_be_deleted_while_events_name_them(event):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        event.actor.delete()


def test_record_keeps_actor_name_address_client_and_object():
    user = UserFactory(username="zhangsan", first_name="三", last_name="张")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 500)
    e = record(actor=user, category="download", action="notice.docx", obj=user, label="中性名称",
               detail={"n": 1}, reason="因为", request=request)
    e = AuditEvent.objects.get(pk=e.pk)
    assert (e.actor, e.actor_username, e.ip_address, e.category, e.action) == (user, "zhangsan", "10.1.2.3",
                                                                                "download", "notice.docx")
    assert e.actor_name == "三 张" and len(e.user_agent) == 256 and e.user_agent.startswith("Mozilla/5.0")
    assert (e.object_type, e.object_id, e.object_label, e.outcome, e.detail, e.reason) == (
        "auth.user", str(user.pk), "中性名称", "success", {"n": 1}, "因为")


def test_the_name_kept_still_reads_after_the_account_is_renamed_and_disabled(presets):
    e = record(actor=presets.head, category="login", action="login")
    presets.head.person.name = "改名后"
    presets.head.person.save()
    presets.head.username = "renamed"
    presets.head.is_active = False
    presets.head.save()
    e = AuditEvent.objects.get(pk=e.pk)
    assert (e.actor_name, e.actor_username) == ("陈处长", "head")


def test_record_takes_the_request_from_the_middlewares_context():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="curl/8")
    token = context.set_request(request)
    try:
        e = record(actor=None, category="export", action="x")
    finally:
        context.reset(token)
    assert (e.ip_address, e.user_agent, e.actor, e.actor_name) == ("192.0.2.7", "curl/8", None, "")
    assert record(actor=None, category="export", action="x").ip_address is None  # outside a request


def test_an_anonymous_user_is_recorded_as_nobody():
    from django.contrib.auth.models import AnonymousUser

    assert record(actor=AnonymousUser(), category="login_failed", action="login", outcome="failure").actor is None


def test_unknown_category_or_outcome_is_a_mistake():
    with pytest.raises(ValueError, match="category"):
        record(actor=None, category="coffee", action="x")
    with pytest.raises(ValueError, match="outcome"):
        record(actor=None, category="login", action="x", outcome="maybe")


def test_a_large_detail_is_not_stored():
    e = record(actor=None, category="export", action="x", detail={"blob": "x" * 5000})
    assert e.detail["truncated"] is True and "blob" not in e.detail


@pytest.mark.parametrize("category", ["role_change", "grant_change"])
def test_role_and_grant_changes_are_recorded_by_their_callers(category):
    """The administrator roles and the grants of confidential topics are made by another part of the
    system, which calls record() as here: who changed what, for whom, with what outcome and why."""
    admin, target = UserFactory(username="secadmin"), UserFactory(username="target")
    e = record(actor=admin, category=category, action="add", obj=target, label="target", reason="岗位调整",
               detail={"group": "审计管理员"} if category == "role_change" else {"perm": "view_confidential_topic",
                                                                             "topic": 12})
    e = AuditEvent.objects.get(pk=e.pk)
    assert e.category == category and e.get_category_display() == dict(Category.choices)[category]
    assert (e.actor, e.object_type, e.object_id, e.reason) == (admin, "auth.user", str(target.pk), "岗位调整")
    refused = record(actor=admin, category=category, action="add", obj=target, outcome="refused", reason="无权限")
    assert refused.outcome == "refused"


def test_confidential_read_is_recorded_once_and_only_when_something_was_shown():
    user = UserFactory(username="reader")
    assert record_confidential_read(actor=user, obj=user, topic_ids=[]) is None
    assert record_confidential_read(actor=user, obj=user, topic_ids=[None]) is None
    e = record_confidential_read(actor=user, obj=user, topic_ids=[3, 1, 3])
    assert e.category == "confidential_read" and e.detail == {"topics": [1, 3]}


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (0, "203.0.113.9", "10.0.0.1"),  # the header is not believed without a trusted proxy
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left entry was written by the client
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, "203.0.113.9", "203.0.113.9"),  # fewer hops than proxies: the furthest one known
    (1, "not-an-address", "10.0.0.1"),
    (1, "", "10.0.0.1"),
])
def test_client_address_behind_trusted_proxies(settings, count, forwarded, expected):
    settings.AUDIT_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert context.client_address(request) == expected


def test_retention_below_180_days_is_a_check_error(settings):
    assert not [m for m in audit_settings() if m.id == "audit.E001"]
    settings.AUDIT_RETENTION_DAYS = 90
    assert [m.id for m in audit_settings()] == ["audit.E001"]
    assert "audit.E001" in [m.id for m in run_checks()]


def test_a_proxy_without_a_trusted_count_is_warned(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert [m.id for m in audit_settings()] == ["audit.W001"]
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    assert audit_settings() == []
    settings.AUDIT_TRUSTED_PROXY_COUNT = -1
    assert [m.id for m in audit_settings()] == ["audit.E002"]


def test_the_admin_never_shows_or_changes_the_trail(client, auditor, django_user_model):
    """三员分立: the audit administrator reads the trail on /audit/, not in the Django admin (entered by the
    system administrator only); neither the system administrator nor a superuser reads or changes it there."""
    from django.urls import reverse

    from tests.conftest import make_admin

    record(actor=auditor, category="login", action="login")
    e = AuditEvent.objects.first()
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-2026")
    for person in (root, make_admin("sysadmin", "system"), auditor):
        client.force_login(person)
        assert client.get(reverse("admin:audit_auditevent_changelist")).status_code in (302, 403)
        assert client.post(reverse("admin:audit_auditevent_change", args=[e.pk]), {"reason": "x"}).status_code in (302, 403)
        assert client.get(reverse("admin:audit_auditevent_add")).status_code in (302, 403)
        assert client.post(reverse("admin:audit_auditevent_delete", args=[e.pk]), {"post": "yes"}).status_code in (302, 403)
    assert AuditEvent.objects.get(pk=e.pk).reason == ""
    client.force_login(auditor)
    assert client.get(reverse("audit_events")).status_code == 200
