"""三员分立: the system, security and audit administrators; one person holds at most one of the three;
none of them reads meeting content by virtue of the role; a superuser gets no meeting content and no
workflow action; the security administrator grants confidential topics (R-CO-1) and the party group's
minutes book (R-CO-2) without reading them."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm

from governance import permissions
from governance.models import (
    SEPARATION_REFUSAL,
    AdminRole,
    AdminRoleAssignment,
    Appointment,
    MeetingRight,
    MeetingType,
    MinutesBookGrant,
    Post,
    Topic,
    TopicGrant,
)
from governance.rules import admin_roles as rules
from governance.rules.refusals import TransitionRefused
from governance.selectors.confidential import can_read_topic
from governance.services import admin_roles, agenda, scheduling
from governance.services.admin_roles import GROUP_NAMES, ensure_role_groups

User = get_user_model()
ROOT = Path(__file__).resolve().parent.parent.parent
SEPARATION = str(SEPARATION_REFUSAL)


def soon(days=3):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def meeting(presets):
    """A party group meeting with an ordinary topic and a personnel (confidential) one, agenda submitted."""
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    m = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(), place="第一会议室")
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="policy"), title="政策文件议题")
    agenda.propose_topic(actor=presets.clerk, meeting=m, category=pg.categories.get(code="personnel"),
                         title="人事议题SECRET-4711", summary="拟任命SUMMARY-0815")
    agenda.submit_agenda(actor=presets.clerk, meeting=m)
    return m


def secret_topic() -> Topic:
    return Topic.objects.get(title__contains="SECRET-4711")


# --- the rules, as plain values ---------------------------------------------------------------------

def test_rules_one_person_one_role_and_no_business_account():
    ok = {"is_superuser": False, "is_active": True, "holds_posts": False, "holds_content_rights": False}
    assert rules.assignment_refusal(role="audit", held_role=None, **ok) is None
    assert rules.assignment_refusal(role="audit", held_role="system", **ok) == rules.separation_refusal()
    assert rules.assignment_refusal(role="system", held_role="system", **ok) == "此人已担任该角色。"
    assert "超级用户" in rules.assignment_refusal(role="audit", held_role=None, **{**ok, "is_superuser": True})
    assert "担任职务" in rules.assignment_refusal(role="audit", held_role=None, **{**ok, "holds_posts": True})
    assert "权限" in rules.assignment_refusal(role="audit", held_role=None, **{**ok, "holds_content_rights": True})
    assert rules.role_change_refusal(actor_id=1, actor_role="security", target_id=1, reason="x").startswith("不得为自己")
    assert rules.role_change_refusal(actor_id=1, actor_role="system", target_id=2, reason="x").startswith("只有安全管理员")
    assert rules.role_change_refusal(actor_id=1, actor_role="security", target_id=2, reason=" ") == "请填写理由。"
    assert rules.role_change_refusal(actor_id=None, actor_role=None, target_id=2, reason="初始化") is None


# --- exclusivity: the service, the database, the screen -----------------------------------------------

def test_one_person_cannot_hold_two_of_the_three_roles_in_the_service(admins):
    for role in ("security", "audit"):
        with pytest.raises(TransitionRefused) as refused:
            admin_roles.assign_role(actor=admins.security, user=admins.system, role=role, reason="兼任")
        assert str(refused.value) == SEPARATION
    with pytest.raises(TransitionRefused, match="此人已担任该角色"):
        admin_roles.assign_role(actor=admins.security, user=admins.system, role="system", reason="再次")
    assert AdminRoleAssignment.objects.filter(user=admins.system, revoked_at__isnull=True).count() == 1


def test_one_person_cannot_hold_two_roles_in_the_database(admins):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminRoleAssignment.objects.create(user=admins.system, role="audit", reason="绕过服务")
    with pytest.raises(ValidationError, match="三员分立"):
        AdminRoleAssignment(user=admins.system, role="audit", reason="绕过服务").full_clean()


def test_nobody_grants_themselves_a_role_in_the_service_or_the_database(admins):
    with pytest.raises(TransitionRefused, match="不得为自己"):
        admin_roles.revoke_role(actor=admins.security, assignment=admins.security.admin_role_assignments.get(),
                                reason="自己撤销")
    user = User.objects.create_user("newcomer", password="pw-2026-x")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminRoleAssignment.objects.create(user=user, role="audit", granted_by=user, reason="自己授予")


def test_only_the_security_admin_assigns_roles_not_the_system_admin_nor_a_superuser(admins):
    user = User.objects.create_user("newcomer", password="pw-2026-x")
    root = User.objects.create_superuser("root", "root@example.com", "pw-2026-x")
    for actor in (admins.system, admins.audit, root):
        with pytest.raises(TransitionRefused, match="只有安全管理员"):
            admin_roles.assign_role(actor=actor, user=user, role="audit", reason="试图授予")
    assert not AdminRoleAssignment.objects.filter(user=user).exists()


def test_no_role_for_a_superuser_or_a_business_account(presets, admins, meeting):
    root = User.objects.create_superuser("root", "root@example.com", "pw-2026-x")
    with pytest.raises(TransitionRefused, match="超级用户"):
        admin_roles.assign_role(actor=admins.security, user=root, role="audit", reason="兼任")
    with pytest.raises(TransitionRefused, match="担任职务"):
        admin_roles.assign_role(actor=admins.security, user=presets.clerk, role="audit", reason="兼任")
    invitee = User.objects.create_user("invitee", password="pw-2026-x")
    assign_perm("view_meeting", invitee, meeting)
    with pytest.raises(TransitionRefused, match="持有会议"):
        admin_roles.assign_role(actor=admins.security, user=invitee, role="audit", reason="兼任")


def test_an_administrator_takes_no_post(presets, admins):
    appointment = Appointment(bureau=presets.bureau, person=admins.audit, post=Post.PARTY_MEMBER, start="2026-01-01")
    with pytest.raises(ValidationError, match="管理员账号不担任职务"):
        appointment.full_clean()


def test_revoking_keeps_the_row_with_who_when_why_and_history(admins):
    user = User.objects.create_user("deputy-sys", password="pw-2026-x")
    assignment = admin_roles.assign_role(actor=admins.security, user=user, role="audit", reason="新任审计管理员")
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_NAMES["audit"]} and not user.is_staff
    admin_roles.revoke_role(actor=admins.security, assignment=assignment, reason="岗位调整")
    assignment.refresh_from_db()
    user.refresh_from_db()
    assert assignment.revoked_by == admins.security and assignment.revoke_reason == "岗位调整"
    assert [h.history_change_reason for h in assignment.history.order_by("history_date")] == ["新任审计管理员", "岗位调整"]
    assert not user.groups.exists()
    with pytest.raises(TransitionRefused, match="已撤销"):
        admin_roles.revoke_role(actor=admins.security, assignment=assignment, reason="再撤")
    # Now another role may follow, and staff status follows the system administrator's role.
    admin_roles.assign_role(actor=admins.security, user=user, role="system", reason="改任系统管理员")
    user.refresh_from_db()
    assert user.is_staff and AdminRoleAssignment.objects.filter(user=user).count() == 2


def test_role_groups_carry_exactly_the_role_permissions_audit_ones_once_the_app_exists(admins):
    groups = ensure_role_groups()
    system = {f"{p.content_type.app_label}.{p.codename}" for p in groups["system"].permissions.all()}
    assert system == set(rules.ROLE_PERMISSIONS["system"])
    workflow = {"governance.view_meeting", "governance.view_topic", "governance.view_vote", "governance.view_action",
                "governance.view_confidential_topic"}
    assert not system & workflow and not any(p.startswith("minutes.") for p in system)
    assert not groups["security"].permissions.exists()
    if not apps.is_installed("audit"):
        assert not groups["audit"].permissions.exists()  # tolerated: the app is not here yet
        ct = ContentType.objects.create(app_label="audit", model="auditevent")
        for codename in ("view_auditevent", "export_auditevent", "delete_auditevent"):
            Permission.objects.create(content_type=ct, codename=codename, name=codename)
        groups = ensure_role_groups()
    audit = {f"{p.content_type.app_label}.{p.codename}" for p in groups["audit"].permissions.all()}
    assert audit == {"audit.view_auditevent", "audit.export_auditevent"}
    auditor = User.objects.get(pk=admins.audit.pk)
    assert auditor.has_perm("audit.view_auditevent") and auditor.has_perm("audit.export_auditevent")
    assert not auditor.has_perm("audit.delete_auditevent")
    assert permissions.may_read_audit(auditor)
    for other in (admins.system, admins.security):
        other = User.objects.get(pk=other.pk)
        assert not other.has_perm("audit.view_auditevent") and not permissions.may_read_audit(other)


def test_every_change_is_reported_to_the_audit_trail(presets, admins, meeting):
    from audit.models import AuditEvent

    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    user = User.objects.create_user("auditor2", password="pw-2026-x")
    assignment = admin_roles.assign_role(actor=admins.security, user=user, role="audit", reason="增设")
    admin_roles.revoke_role(actor=admins.security, assignment=assignment, reason="撤销")
    grant = admin_roles.grant_topic(actor=admins.security, topic=secret_topic(), person=presets.staff, reason="核查")
    admin_roles.revoke_topic_grant(actor=admins.security, grant=grant, reason="核查完毕")
    events = AuditEvent.objects.filter(pk__gt=before, category__in=["role_change", "grant_change"]).order_by("pk")
    assert [(e.category, e.action, e.reason) for e in events] == [
        ("role_change", "assign", "增设"), ("role_change", "revoke", "撤销"),
        ("grant_change", "grant", "核查"), ("grant_change", "revoke", "核查完毕")]
    assert all(e.actor == admins.security for e in events)
    assert all("保密" not in e.object_label for e in events)


# --- what each role can and cannot do -----------------------------------------------------------------

def test_system_admin_keeps_the_admin_and_reaches_no_meeting(client, presets, admins, meeting):
    client.force_login(admins.system)
    assert client.get("/").url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:governance_bureau_changelist")).status_code == 200
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200  # a lost phone
    for url in (reverse("meeting_detail", args=[meeting.pk]), reverse("meeting_list"), reverse("minutes_list"),
                reverse("search") + "?q=SECRET", reverse("security"), "/audit/"):
        assert client.get(url).status_code in (403, 404), url
    assert not MeetingRight.objects.filter(user=admins.system).exists()
    assert not permissions.holds(admins.system, "governance.view_meeting", meeting)


def test_security_admin_grants_a_topic_without_reading_it_and_the_grantee_then_reads_it(client, presets, admins,
                                                                                         meeting):
    """R-CO-1: the grant is made from 「保密议题」 + meeting title and date + number; the title and summary never show."""
    page_url = reverse("meeting_detail", args=[meeting.pk])
    client.force_login(presets.staff)
    assert client.get(page_url).status_code == 404  # 外贸处's staff do not see the party group meeting
    client.force_login(admins.security)
    assert client.get("/").url == "/security/"
    body = client.get(reverse("security") + f"?meeting={meeting.pk}").content.decode()
    assert "保密议题 第2项" in body and meeting.title in body
    assert "SECRET-4711" not in body and "SUMMARY-0815" not in body and "政策文件议题" not in body
    response = client.post(reverse("security_topic_grant"),
                           {"topic": secret_topic().pk, "person": presets.staff.pk, "reason": "配合干部考察"}, follow=True)
    body = response.content.decode()
    assert "已授权查阅该保密议题" in body and "SECRET-4711" not in body
    grant = TopicGrant.objects.get()
    assert (grant.granted_by, grant.reason, grant.opened_meeting) == (admins.security, "配合干部考察", True)
    assert grant.history.get().history_change_reason == "配合干部考察"
    for url in (page_url, reverse("admin:index"), reverse("minutes_list")):
        assert client.get(url).status_code == 403, url  # the security administrator still reads nothing

    client.force_login(presets.staff)
    assert "SECRET-4711" in client.get(page_url).content.decode()

    client.force_login(admins.security)
    client.post(reverse("security_topic_revoke", args=[grant.pk]), {"reason": "考察结束"})
    grant.refresh_from_db()
    assert grant.revoked_at and grant.revoke_reason == "考察结束"
    client.force_login(presets.staff)
    assert client.get(page_url).status_code == 404


def test_a_topic_grant_keeps_the_meeting_open_to_one_who_saw_it_before(presets, admins, meeting):
    """R-CO-1: revoking the topic takes back only what the grant gave."""
    topic = secret_topic()
    viewer = presets.office_head
    assign_perm("view_meeting", viewer, meeting)  # sees the meeting, not the topic
    grant = admin_roles.grant_topic(actor=admins.security, topic=topic, person=viewer, reason="列席")
    assert not grant.opened_meeting and can_read_topic(viewer, topic)
    admin_roles.revoke_topic_grant(actor=admins.security, grant=grant, reason="结束")
    assert permissions.holds(viewer, "governance.view_meeting", meeting)
    assert not can_read_topic(viewer, topic)


def test_grants_are_refused_to_administrators_to_oneself_without_reason_or_across_bureaus(presets, admins, meeting):
    topic = secret_topic()
    cases = [(admins.security, "为自己", "不得为自己授权"), (admins.system, "兼看", "管理员账号不得获得"),
             (presets.staff, " ", "请填写理由"), (presets.outsider, "外局", "不属于该会议所在的局")]
    for person, reason, message in cases:
        with pytest.raises(TransitionRefused, match=message):
            admin_roles.grant_topic(actor=admins.security, topic=topic, person=person, reason=reason)
    with pytest.raises(TransitionRefused, match="只有安全管理员"):
        admin_roles.grant_topic(actor=admins.system, topic=topic, person=presets.staff, reason="越权")
    ordinary = Topic.objects.get(title="政策文件议题")
    with pytest.raises(TransitionRefused, match="不是保密议题"):
        admin_roles.grant_topic(actor=admins.security, topic=ordinary, person=presets.staff, reason="无需")
    assert not TopicGrant.objects.exists()


def _approved_pg_minutes(presets):
    from minutes.services import drafting
    from tests.governance.test_followup import run_pg

    meeting, _ = run_pg(presets)
    revision = drafting.start_minutes(actor=presets.clerk, meeting=meeting)
    drafting.submit_revision(actor=presets.clerk, revision=revision)
    drafting.approve_revision(actor=presets.secretary, revision=revision)
    from minutes.models import Minutes

    minutes = Minutes.objects.get(pk=revision.minutes_id)
    assert minutes.number
    return minutes


def test_r_co_2_security_admin_grants_the_party_group_minutes_book(client, presets, admins):
    """R-CO-2: the General Office keeps the party group's minutes book; others read it by grant, per bureau
    and meeting type, until the grant is revoked."""
    minutes = _approved_pg_minutes(presets)
    pg = minutes.meeting.meeting_type
    url = reverse("minutes_detail", args=[minutes.pk])
    client.force_login(presets.office_head)  # General Office head, neither recorder nor member
    assert client.get(url).status_code == 404
    client.force_login(admins.security)
    body = client.get(reverse("security")).content.decode()
    assert f'value="{pg.pk}"' in body and "局党组会议" in body
    client.post(reverse("security_book_grant"), {"meeting_type": pg.pk, "person": presets.office_head.pk,
                                                 "reason": "办公室保管记录本"})
    grant = MinutesBookGrant.objects.get()
    assert (grant.bureau, grant.person, grant.reason) == (presets.bureau, presets.office_head, "办公室保管记录本")
    client.force_login(presets.office_head)
    assert client.get(url).status_code == 200
    assert minutes.number in client.get(reverse("minutes_list")).content.decode()
    client.force_login(admins.security)
    assert client.get(url).status_code == 403
    client.post(reverse("security_book_revoke", args=[grant.pk]), {"reason": "岗位调整"})
    client.force_login(presets.office_head)
    assert client.get(url).status_code == 404


def test_r_co_2_a_minutes_book_is_granted_only_for_types_read_by_grant(presets, admins):
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    with pytest.raises(TransitionRefused, match="不凭授权查阅"):
        admin_roles.grant_minutes_book(actor=admins.security, meeting_type=da, person=presets.staff, reason="查阅")


def test_audit_admin_is_refused_everything_but_the_audit_trail(client, presets, admins, meeting):
    client.force_login(admins.audit)
    for url in (reverse("admin:index"), reverse("security"), reverse("meeting_detail", args=[meeting.pk]),
                reverse("meeting_list"), reverse("minutes_list"), reverse("ledgers"), reverse("compliance"),
                reverse("action_list"), reverse("search") + "?q=x", reverse("meeting_type_list")):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("security_role_assign"), {"person": admins.audit.pk, "role": "system",
                                                         "reason": "x"}).status_code == 403


def test_audit_admin_reads_the_audit_trail(client, admins):
    client.force_login(admins.audit)
    assert client.get("/").url == "/audit/"
    assert client.get("/audit/").status_code == 200


def test_exclusivity_and_self_grant_refused_on_the_screen(client, admins):
    client.force_login(admins.security)
    response = client.post(reverse("security_role_assign"), {"person": admins.system.pk, "role": "audit",
                                                             "reason": "兼任"}, follow=True)
    assert SEPARATION in response.content.decode()
    response = client.post(reverse("security_role_assign"), {"person": admins.security.pk, "role": "system",
                                                             "reason": "自己"}, follow=True)
    assert "不得为自己授予或撤销管理员角色" in response.content.decode()
    response = client.post(reverse("security_role_revoke", args=[admins.security.admin_role_assignments.get().pk]),
                           {"reason": "自己"}, follow=True)
    assert "不得为自己" in response.content.decode()
    assert AdminRoleAssignment.objects.filter(revoked_at__isnull=True).count() == 3


def test_security_screen_assigns_and_revokes_a_role_with_a_reason(client, admins):
    newcomer = User.objects.create_user("sys2", password="pw-2026-x")
    client.force_login(admins.security)
    body = client.get(reverse("security")).content.decode()
    assert f'value="{newcomer.pk}"' in body
    client.post(reverse("security_role_assign"), {"person": newcomer.pk, "role": "system", "reason": "增设系统管理员"})
    assignment = AdminRoleAssignment.objects.get(user=newcomer)
    assert assignment.granted_by == admins.security and User.objects.get(pk=newcomer.pk).is_staff
    response = client.post(reverse("security_role_revoke", args=[assignment.pk]), {"reason": ""}, follow=True)
    assert "请填写理由" in response.content.decode()
    client.post(reverse("security_role_revoke", args=[assignment.pk]), {"reason": "调离"})
    assert not User.objects.get(pk=newcomer.pk).is_staff
    body = client.get(reverse("security")).content.decode()
    assert "增设系统管理员" in body and "调离" in body  # the change record


def test_security_screen_is_the_security_admins_only(client, presets, admins, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-2026-x")
    for user in (admins.system, admins.audit, root, presets.secretary, presets.clerk):
        client.force_login(user)
        assert client.get(reverse("security")).status_code == 403
        assert client.post(reverse("security_topic_grant"), {}).status_code == 403


# --- a superuser ---------------------------------------------------------------------------------------

def test_superuser_from_createsuperuser_sees_no_confidential_topic_and_cannot_approve_an_agenda(
        client, monkeypatch, presets, meeting):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "pw-for-root-2026")
    call_command("createsuperuser", interactive=False, username="root", email="root@example.com", verbosity=0)
    root = User.objects.get(username="root")
    topic = secret_topic()
    # Why the gates do not ask has_perm: Django and guardian both answer True for any superuser.
    assert root.has_perm("governance.view_confidential_topic", topic)
    assert ObjectPermissionChecker(root).has_perm("view_confidential_topic", topic)
    assert not permissions.holds(root, "governance.view_confidential_topic", topic)
    assert not can_read_topic(root, topic)
    assert not permissions.visible_meetings(root).exists()
    assert permissions.readable_confidential(root) == (set(), set())
    with pytest.raises(TransitionRefused):
        agenda.approve_agenda(actor=root, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "agenda_submitted"
    client.force_login(root)
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meeting_action", args=[meeting.pk, "approve"])).status_code in (403, 404)
    assert "SECRET-4711" not in client.get(reverse("search") + "?q=人事议题").content.decode()
    assert client.get(reverse("security")).status_code == 403


def test_superuser_reads_no_minutes(client, presets, django_user_model):
    minutes = _approved_pg_minutes(presets)
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-2026-x")
    client.force_login(root)
    assert client.get(reverse("minutes_detail", args=[minutes.pk])).status_code == 404
    assert minutes.number not in client.get(reverse("minutes_list")).content.decode()


def test_no_view_or_service_asks_has_perm_for_meeting_rights():
    """Every check of a meeting, topic, minutes or action right goes through the gates (`holds`), which
    have no superuser shortcut; `user.has_perm(...)` would let any superuser through."""
    offenders = []
    for app in ("governance", "minutes", "demo", "meetings_site"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\.has_perm\(", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


# --- the admin site and accounts -----------------------------------------------------------------------

def test_admin_site_is_entered_by_role_not_by_a_staff_flag(client, django_user_model):
    staff = django_user_model.objects.create_user("staffer", password="pw-2026-x", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's login: not for them


def test_system_admin_cannot_take_over_another_administrators_account(client, admins):
    client.force_login(admins.system)
    url = reverse("admin:auth_user_change", args=[admins.security.pk])
    assert client.get(url).status_code == 200  # shown, read-only
    assert client.post(url, {"username": "taken", "is_active": ""}).status_code == 403
    assert client.get(reverse("admin:auth_user_password_change", args=[admins.security.pk])).status_code == 403
    assert User.objects.get(pk=admins.security.pk).username == "secadmin"
    newcomer = User.objects.create_user("clerk2", password="pw-2026-x")
    page = client.get(reverse("admin:auth_user_change", args=[newcomer.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page and 'name="user_permissions"' not in page


def test_adminrole_command_sets_up_the_first_security_admin(db):
    User.objects.create_user("first-sec", password="pw-2026-x")
    call_command("adminrole", "assign", "first-sec", "security", "--reason", "上线初始化", verbosity=0)
    assignment = AdminRoleAssignment.objects.get(user__username="first-sec")
    assert assignment.role == AdminRole.SECURITY and assignment.granted_by is None
    from django.core.management import CommandError
    with pytest.raises(CommandError, match="三员分立"):
        call_command("adminrole", "assign", "first-sec", "audit", "--reason", "兼任")
    call_command("adminrole", "revoke", "first-sec", "--reason", "交接完毕", verbosity=0)
    assert AdminRoleAssignment.objects.get(user__username="first-sec").revoked_at is not None
