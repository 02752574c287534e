"""The admin cannot rewrite what the workflow owns: decisions, votes, dissent, topics, minutes (locked
versions, and simple-history's revert), supervision queries and answers, transitions, notifications,
alerts, grants. Held meetings and actions are deleted nowhere. What the system administrator may change
(organisation, meeting types, calendar) takes a reason, kept in the history. No admin URL answers 500."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from governance.admin.base import RecordMixin
from governance.models import (
    Action,
    Bureau,
    CalendarDay,
    HeldMeetingError,
    Meeting,
    MeetingStatus,
    Topic,
    Unit,
    Vote,
)
from governance.services import admin_roles, followup
from minutes.models import Minutes, Query, Revision, RevisionStatus
from minutes.services import drafting, review

User = get_user_model()


@pytest.fixture
def record(presets, admins):
    """A held party group meeting with a personnel decision and its votes, approved and filed minutes, a
    supervision query and its answer, an action, grants and the periodic tasks: a row of almost every kind."""
    from governance.models import MeetingType
    from governance.tasks import ensure_periodic_tasks
    from tests.governance.test_followup import run_pg
    from tests.minutes.conftest import make_closed_da

    meeting, topic = run_pg(presets, personnel=True, extra_title="干部任免")
    da = make_closed_da(presets)  # a division's minutes are filed with the Supervision Office, which queries them
    revision = drafting.start_minutes(actor=presets.head, meeting=da)
    drafting.submit_revision(actor=presets.head, revision=revision)
    drafting.approve_revision(actor=presets.head, revision=revision)
    minutes = Minutes.objects.get(pk=revision.minutes_id)
    query = review.raise_query(actor=presets.supervisor, minutes=minutes, text="第1项的表决人数请核实。")
    review.answer_query(actor=presets.head, minutes=minutes, text="已核实。")
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="印发并组织落实",
                                    owner_unit=presets.trade, leader=presets.deputy, due_workdays=10)
    admin_roles.grant_topic(actor=admins.security, topic=topic, person=presets.staff, reason="核查")
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    admin_roles.grant_minutes_book(actor=admins.security, meeting_type=pg, person=presets.office_head, reason="保管")
    ensure_periodic_tasks()
    topic.refresh_from_db()
    return {"meeting": meeting, "topic": topic, "minutes": minutes, "revision": Revision.objects.get(pk=revision.pk),
            "query": query, "action": action, "vote": Vote.objects.filter(topic=topic).first()}


def _superuser():
    return User.objects.create_superuser("root", "root@example.com", "pw-2026-x")


# --- the workflow's records ----------------------------------------------------------------------------

def test_admin_cannot_change_a_decision_a_vote_a_dissent_a_locked_minutes_version_or_a_query(client, admins, record):
    topic, vote, revision, query = record["topic"], record["vote"], record["revision"], record["query"]
    attempts = [
        ("governance_topic", topic.pk, {"decision": "改写的决定", "dissent": "改写的不同意见", "title": "改"}),
        ("governance_vote", vote.pk, {"choice": "against"}),
        ("minutes_revision", revision.pk, {"title": "篡改", "summary": "篡改"}),
        ("minutes_query", query.pk, {"text": "改写的质询"}),
        ("governance_meeting", record["meeting"].pk, {"title": "改名", "status": "draft"}),
        ("governance_action", record["action"].pk, {"title": "改", "status": "done"}),
    ]
    for user in (admins.system, _superuser()):
        client.force_login(user)
        for name, pk, data in attempts:
            assert client.get(reverse(f"admin:{name}_change", args=[pk])).status_code == 403, name
            assert client.post(reverse(f"admin:{name}_change", args=[pk]), data).status_code == 403, name
            assert client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403, name
    topic_after = Topic.objects.get(pk=topic.pk)
    assert (topic_after.decision, topic_after.dissent, topic_after.title) == (topic.decision, topic.dissent, topic.title)
    assert Vote.objects.get(pk=vote.pk).choice == vote.choice
    assert Revision.objects.get(pk=revision.pk).title == revision.title
    assert Query.objects.get(pk=query.pk).text == query.text
    assert Meeting.objects.get(pk=record["meeting"].pk).status == MeetingStatus.CLOSED
    assert Action.objects.filter(pk=record["action"].pk).exists()


def test_history_revert_of_a_locked_minutes_version_is_refused_with_a_message(client, admins, record):
    """R-MI-3: simple-history's revert (admin/minutes/revision/<id>/history/<hid>/, POST) saves an old version
    for anyone who may view it; here it is refused with a message, never a 500, and nothing changes."""
    revision = record["revision"]
    assert revision.status == RevisionStatus.APPROVED
    draft = revision.history.order_by("history_date").first()
    url = reverse("admin:minutes_revision_simple_history", args=[revision.pk, draft.history_id])
    assert url == f"/admin/minutes/revision/{revision.pk}/history/{draft.history_id}/"
    reader = User.objects.create_user("reader", password="pw-2026-x", is_staff=True, is_superuser=True)
    reader.user_permissions.add(Permission.objects.get(content_type__app_label="minutes", codename="view_revision"))
    for user in (admins.system, _superuser(), reader):
        client.force_login(user)
        response = client.post(url, {"title": "旧版本", "summary": "", "body": "[]", "attendance": "{}"}, follow=True)
        assert response.status_code == 200
        assert "此记录由业务流程维护，不能在管理后台恢复旧版本或修改。" in response.content.decode()
    client.force_login(reader)
    assert client.get(url).status_code == 200  # one who was granted the view sees the old version, read-only
    after = Revision.objects.get(pk=revision.pk)
    assert (after.title, after.status, after.summary) == (revision.title, revision.status, revision.summary)
    assert after.history.count() == revision.history.count()


def test_history_revert_of_a_decided_topic_is_refused(client, admins, record):
    topic = record["topic"]
    first = topic.history.order_by("history_date").first()
    client.force_login(_superuser())
    response = client.post(reverse("admin:governance_topic_simple_history", args=[topic.pk, first.history_id]),
                           {"title": "x"}, follow=True)
    assert "不能在管理后台恢复旧版本" in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).status == topic.status


def test_a_held_meeting_is_deleted_nowhere(client, admins, record):
    meeting = record["meeting"]
    with pytest.raises(HeldMeetingError, match="已召开的会议"):
        meeting.delete()
    with pytest.raises(HeldMeetingError):
        Meeting.objects.filter(pk=meeting.pk).delete()
    stale = Meeting.objects.get(pk=meeting.pk)
    stale.status = MeetingStatus.DRAFT  # changed in memory only: the stored row decides
    with pytest.raises(HeldMeetingError):
        stale.delete()
    client.force_login(_superuser())
    assert client.post(reverse("admin:governance_meeting_delete", args=[meeting.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:governance_action_delete", args=[record["action"].pk]),
                       {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists() and Action.objects.filter(pk=record["action"].pk).exists()


# --- what the system administrator keeps: each change with a reason --------------------------------------

def _bureau_post(bureau, **extra):
    data = {"name": bureau.name, "code": bureau.code, "short_name": bureau.short_name,
            "cadence_since": bureau.cadence_since.isoformat() if bureau.cadence_since else "",
            "units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0", "units-MIN_NUM_FORMS": "0",
            "units-MAX_NUM_FORMS": "1000"}
    data.update(extra)
    return data


def test_organisation_changes_require_a_reason_kept_as_the_history_reason(client, presets, admins):
    client.force_login(admins.system)
    bureau = presets.bureau
    url = reverse("admin:governance_bureau_change", args=[bureau.pk])
    assert "变更原因" in client.get(url).content.decode()
    response = client.post(url, _bureau_post(bureau, name="测试商务局（新）"))
    assert response.status_code == 200 and "change_reason" in response.context["adminform"].form.errors
    assert Bureau.objects.get(pk=bureau.pk).name == "测试商务局"
    new_unit = {"units-TOTAL_FORMS": "1", "units-0-code": "new", "units-0-name": "新设处", "units-0-short_name": "新设处",
                "units-0-kind": "division", "units-0-order": "9", "units-0-active": "on"}
    response = client.post(url, _bureau_post(bureau, name="测试商务局（新）", change_reason="机构改革", **new_unit))
    assert response.status_code == 302
    assert Bureau.objects.get(pk=bureau.pk).history.first().history_change_reason == "机构改革"
    assert Unit.objects.get(code="new").history.first().history_change_reason == "机构改革"


def test_deleting_a_calendar_day_requires_a_reason(client, admins):
    client.force_login(admins.system)
    day = CalendarDay.objects.order_by("date").first()
    url = reverse("admin:governance_calendarday_delete", args=[day.pk])
    assert 'name="change_reason"' in client.get(url).content.decode()
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "请填写变更原因" in response.content.decode() and CalendarDay.objects.filter(pk=day.pk).exists()
    assert client.post(url, {"post": "yes", "change_reason": "国办更正"}).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert CalendarDay.history.filter(id=day.pk, history_type="-").get().history_change_reason == "国办更正"


# --- every admin URL --------------------------------------------------------------------------------------

def _urls(model, obj):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    yield "changelist", reverse(f"{name}_changelist")
    yield "add", reverse(f"{name}_add")
    if obj is None:
        return
    for view in ("change", "delete", "history"):
        yield view, reverse(f"{name}_{view}", args=[obj.pk])
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "filter"):
        version = model.history.filter(**{opts.pk.attname: obj.pk}).first()
        if version is not None:
            try:
                yield "revert", reverse(f"{name}_simple_history", args=[obj.pk, version.history_id])
            except NoReverseMatch:
                pass


def test_walk_every_admin_url_as_the_system_admin_none_answers_500(client, admins, record):
    """Every registered model: list, add, change, delete, history and a history version, with a real id.
    The system administrator opens what they keep; the workflow's records answer 403, and POSTs to change,
    delete or revert them are refused (403, or a refusal message) and change nothing."""
    client.force_login(admins.system)
    kept, records, seen = [], [], 0
    for model, model_admin in sorted(django_admin.site._registry.items(), key=lambda kv: kv[0]._meta.label):
        obj = model._default_manager.order_by("pk").first()
        workflow = isinstance(model_admin, RecordMixin)
        (records if workflow else kept).append(model._meta.label)
        for _view, url in _urls(model, obj):
            response = client.get(url)
            seen += 1
            assert response.status_code < 500, (url, response.status_code)
            if workflow:
                assert response.status_code == 403, (url, response.status_code)
        if workflow and obj is not None:
            for view, url in _urls(model, obj):
                if view in {"change", "delete"}:
                    assert client.post(url, {"post": "yes"}).status_code == 403, url
                if view == "revert":
                    response = client.post(url, {})
                    assert response.status_code == 302 and response["Location"] == reverse("admin:index"), url
            assert model._default_manager.filter(pk=obj.pk).exists()
    assert seen > 150
    for label in ("governance.Topic", "governance.Vote", "governance.Meeting", "governance.Action",
                  "governance.Transition", "governance.Notification", "governance.Alert", "governance.Breach",
                  "governance.TopicGrant", "governance.AdminRoleAssignment", "minutes.Revision", "minutes.Query",
                  "minutes.Minutes"):
        assert label in records, label
    for label in ("governance.Bureau", "governance.Unit", "governance.Person", "governance.Appointment",
                  "governance.MeetingType", "governance.CalendarDay", "auth.User", "django_celery_beat.PeriodicTask"):
        assert label in kept, label


def test_the_security_and_audit_admins_do_not_enter_the_admin(client, admins):
    for user in (admins.security, admins.audit):
        client.force_login(user)
        assert client.get(reverse("admin:index")).status_code == 403
        assert client.get(reverse("admin:governance_bureau_changelist")).status_code == 403


def test_a_new_system_admin_gets_the_admin_through_the_role_only(client, admins):
    user = User.objects.create_user("sys2", password="pw-2026-x")
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302
    admin_roles.assign_role(actor=admins.security, user=user, role="system", reason="增设")
    # The role alone does not open the admin: its holder first sets up the second factor (身份鉴别).
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp_setup"))
    client.force_login(User.objects.get(pk=user.pk))  # signed in again, with the code (tests/conftest.py)
    assert client.get(reverse("admin:index")).status_code == 200
