"""The three administrators (三员分立) and the grants the security administrator makes (R-CO-1, R-CO-2).

Every change is one named action here: it checks the rules (`rules.admin_roles`), writes a row that
says who, when and why (never deleted: a revocation stamps the row), leaves a simple-history row
with the reason, and reports to the audit trail when the audit app is installed. The roles' model
permissions live in one Django group per role, kept to `ROLE_PERMISSIONS` by `ensure_role_groups`;
staff status (the Django admin) follows the system administrator's role and nothing else.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermissionBase
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import record as audit_record
from governance.models import (
    AdminRole,
    AdminRoleAssignment,
    Appointment,
    City,
    CityOversight,
    MeetingType,
    MinutesBookGrant,
    Person,
    Topic,
    TopicGrant,
)
from governance.permissions import admin_role_of, holds
from governance.rules.admin_roles import (
    ROLE_PERMISSIONS,
    STAFF_ROLES,
    assignment_refusal,
    grant_refusal,
    role_change_refusal,
    separation_refusal,
)
from governance.rules.refusals import TransitionRefused

User = get_user_model()
log = logging.getLogger("governance.services")

GROUP_NAMES = {AdminRole.SYSTEM: "三员·系统管理员", AdminRole.SECURITY: "三员·安全管理员", AdminRole.AUDIT: "三员·审计管理员"}


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    """The Permission rows for "app_label.codename" names; names whose app is not installed are skipped."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query)) if names else []


def ensure_role_groups() -> dict[str, Group]:
    """One group per role with exactly its permissions (idempotent; run after migrate and before
    every assignment, so a permission that appears with a new app is taken up)."""
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = {p.pk for p in _permissions(ROLE_PERMISSIONS[role])}
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)
        groups[role] = group
    return groups


def ensure_role_groups_after_migrate(**kwargs) -> None:
    ensure_role_groups()


def _report(category: str, *, actor, subject, reason: str, action: str, **detail) -> None:
    """Every role and grant change goes to the audit trail (等保 2.0 L3 安全审计): who, what, on what, why.
    The subject is named by its type and id only: a topic grant's label never carries the topic."""
    audit_record(category=category, actor=actor, action=action, obj=subject, reason=reason,
                 detail={k: v if isinstance(v, str | int | None) else str(v) for k, v in detail.items()})


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise TransitionRefused(reason)


def _sync_account(user, role: str | None, groups: dict[str, Group]) -> None:
    """The user's role group and staff status follow the role they hold (`role` None: none)."""
    for held, group in groups.items():
        if held == role:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    staff = role in STAFF_ROLES or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_admin_role", None)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


def _holds_content_rights(user) -> bool:
    """Any object right (guardian grants are all on meetings, topics, minutes and actions) or a minutes book."""
    tables = [f.related_model for f in user._meta.get_fields()
              if f.one_to_many and f.auto_created and issubclass(f.related_model, UserObjectPermissionBase)]
    return (any(t.objects.filter(user=user).exists() for t in tables)
            or MinutesBookGrant.objects.filter(person=user, revoked_at__isnull=True).exists())


@transaction.atomic
def assign_role(*, actor, user, role: str, reason: str) -> AdminRoleAssignment:
    """三员分立: give `user` one of the three administrator roles. `actor` is the security
    administrator; None only for the operator's command line and the demo."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _refuse_if(role_change_refusal(actor_id=actor.pk if actor else None, actor_role=admin_role_of(actor),
                                   target_id=user.pk, reason=reason))
    today = timezone.localdate()
    held = AdminRoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True).first()
    _refuse_if(assignment_refusal(
        role=role, held_role=held, is_superuser=user.is_superuser, is_active=user.is_active,
        holds_posts=Appointment.objects.filter(person=user).filter(Q(end__isnull=True) | Q(end__gte=today)).exists(),
        holds_content_rights=_holds_content_rights(user)))
    assignment = AdminRoleAssignment(user=user, role=role, granted_by=actor, reason=reason.strip()[:500])
    assignment._change_reason = reason.strip()[:100]
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:  # the database's own guard: one active role per person
        raise TransitionRefused(separation_refusal()) from error
    _sync_account(user, role, ensure_role_groups())
    _report("role_change", actor=actor, subject=assignment, reason=reason, action="assign", role=role,
            user=user.get_username())
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: AdminRoleAssignment, reason: str) -> AdminRoleAssignment:
    """Withdraw a role, with a reason; the row stays, stamped, as the record of who held it when."""
    assignment = (AdminRoleAssignment.objects.select_for_update(of=("self",)).select_related("user")
                  .get(pk=assignment.pk))
    _refuse_if(role_change_refusal(actor_id=actor.pk if actor else None, actor_role=admin_role_of(actor),
                                   target_id=assignment.user_id, reason=reason))
    if assignment.revoked_at is not None:
        raise TransitionRefused(_("该角色已撤销。"))
    assignment.revoked_at, assignment.revoked_by = timezone.now(), actor
    assignment.revoke_reason = reason.strip()[:500]
    assignment._change_reason = reason.strip()[:100]
    assignment.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _sync_account(assignment.user, None, ensure_role_groups())
    _report("role_change", actor=actor, subject=assignment, reason=reason, action="revoke", role=assignment.role,
            user=assignment.user.get_username())
    return assignment


def _check_grant(*, actor, person, bureau_id: int, reason: str) -> None:
    person_bureau = getattr(getattr(person, "person", None), "bureau_id", None)
    _refuse_if(grant_refusal(actor_id=actor.pk, actor_role=admin_role_of(actor), grantee_id=person.pk,
                             grantee_role=admin_role_of(person), grantee_active=person.is_active,
                             same_bureau=person_bureau == bureau_id, reason=reason))


def _check_revoke(*, actor, reason: str) -> None:
    if not reason.strip():
        raise TransitionRefused(_("请填写理由。"))
    if admin_role_of(actor) != AdminRole.SECURITY:
        raise TransitionRefused(_("只有安全管理员可以授予或撤销查阅授权。"))


@transaction.atomic
def grant_topic(*, actor, topic: Topic, person, reason: str) -> TopicGrant:
    """R-CO-1: let `person` read one confidential topic. If they could not see its meeting, they may
    now (and lose that again with the grant, unless another grant of the same meeting remains)."""
    topic = Topic.objects.select_related("meeting", "category").get(pk=topic.pk)
    _check_grant(actor=actor, person=person, bureau_id=topic.meeting.bureau_id, reason=reason)
    if not topic.category.confidential:
        raise TransitionRefused(_("该议题不是保密议题，无需授权。"))
    if TopicGrant.objects.filter(topic=topic, person=person, revoked_at__isnull=True).exists():
        raise TransitionRefused(_("此人已获授权。"))
    opens_meeting = not holds(person, "governance.view_meeting", topic.meeting)
    grant = TopicGrant(topic=topic, person=person, granted_by=actor, reason=reason.strip()[:500],
                       opened_meeting=opens_meeting)
    grant._change_reason = reason.strip()[:100]
    grant.save()
    assign_perm("governance.view_confidential_topic", person, topic)
    if opens_meeting:
        assign_perm("governance.view_meeting", person, topic.meeting)
    _report("grant_change", actor=actor, subject=grant, reason=reason, action="grant", right="view_confidential_topic",
            topic=topic.pk, person=person.get_username())
    return grant


@transaction.atomic
def revoke_topic_grant(*, actor, grant: TopicGrant, reason: str) -> TopicGrant:
    grant = (TopicGrant.objects.select_for_update(of=("self",)).select_related("topic__meeting", "person")
             .get(pk=grant.pk))
    _check_revoke(actor=actor, reason=reason)
    if grant.revoked_at is not None:
        raise TransitionRefused(_("该授权已撤销。"))
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason.strip()[:500]
    grant._change_reason = reason.strip()[:100]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    remove_perm("governance.view_confidential_topic", grant.person, grant.topic)
    meeting = grant.topic.meeting
    still_open = TopicGrant.objects.filter(person=grant.person, topic__meeting=meeting, revoked_at__isnull=True,
                                           opened_meeting=True).exists()
    if grant.opened_meeting and not still_open:
        remove_perm("governance.view_meeting", grant.person, meeting)
    _report("grant_change", actor=actor, subject=grant, reason=reason, action="revoke", right="view_confidential_topic",
            topic=grant.topic_id, person=grant.person.get_username())
    return grant


@transaction.atomic
def grant_minutes_book(*, actor, meeting_type: MeetingType, person, reason: str) -> MinutesBookGrant:
    """R-CO-2: let `person` read the approved minutes of every meeting of a type whose minutes book is
    kept by the General Office and read by grant (the party group's)."""
    _check_grant(actor=actor, person=person, bureau_id=meeting_type.bureau_id, reason=reason)
    if not meeting_type.minutes_access_by_grant:
        raise TransitionRefused(_("这类会议的纪要不凭授权查阅，无需授权。"))
    if MinutesBookGrant.objects.filter(meeting_type=meeting_type, person=person, revoked_at__isnull=True).exists():
        raise TransitionRefused(_("此人已获授权。"))
    grant = MinutesBookGrant(meeting_type=meeting_type, person=person, granted_by=actor, reason=reason.strip()[:500])
    grant._change_reason = reason.strip()[:100]
    grant.save()
    _report("grant_change", actor=actor, subject=grant, reason=reason, action="grant", right="minutes_book",
            meeting_type=meeting_type.pk, person=person.get_username())
    return grant


@transaction.atomic
def revoke_minutes_book_grant(*, actor, grant: MinutesBookGrant, reason: str) -> MinutesBookGrant:
    grant = MinutesBookGrant.objects.select_for_update(of=("self",)).select_related("meeting_type", "person").get(
        pk=grant.pk)
    _check_revoke(actor=actor, reason=reason)
    if grant.revoked_at is not None:
        raise TransitionRefused(_("该授权已撤销。"))
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason.strip()[:500]
    grant._change_reason = reason.strip()[:100]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _report("grant_change", actor=actor, subject=grant, reason=reason, action="revoke", right="minutes_book",
            meeting_type=grant.meeting_type_id, person=grant.person.get_username())
    return grant


@transaction.atomic
def grant_city_oversight(*, actor, city: City, person, reason: str) -> CityOversight:
    """Part of a city's supervision (市纪委监委, 市政府督查室): let `person`, of one of the city's bureaus,
    see the compliance figures of every bureau of `city` and each one's compliance view, read-only;
    never a meeting's content (R-CO-1). Granted by the security administrator, with a reason."""
    person_bureau = Person.objects.filter(user=person).values_list("bureau__city_id", flat=True).first()
    _refuse_if(grant_refusal(actor_id=actor.pk if actor else None, actor_role=admin_role_of(actor),
                             grantee_id=person.pk, grantee_role=admin_role_of(person), grantee_active=person.is_active,
                             same_bureau=True, reason=reason))
    if person_bureau != city.pk:
        raise TransitionRefused(_("被授权人不属于该市的局。"))
    if CityOversight.objects.filter(city=city, person=person, revoked_at__isnull=True).exists():
        raise TransitionRefused(_("此人已获授权。"))
    grant = CityOversight(city=city, person=person, granted_by=actor, reason=reason.strip()[:500])
    grant._change_reason = reason.strip()[:100]
    grant.save()
    _report("grant_change", actor=actor, subject=grant, reason=reason, action="grant", right="city_oversight",
            city=city.pk, person=person.get_username())
    return grant


@transaction.atomic
def revoke_city_oversight(*, actor, grant: CityOversight, reason: str) -> CityOversight:
    """Withdraw a city oversight grant, with a reason; the row stays, stamped."""
    grant = CityOversight.objects.select_for_update(of=("self",)).select_related("city", "person").get(pk=grant.pk)
    _check_revoke(actor=actor, reason=reason)
    if grant.revoked_at is not None:
        raise TransitionRefused(_("该授权已撤销。"))
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason.strip()[:500]
    grant._change_reason = reason.strip()[:100]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    _report("grant_change", actor=actor, subject=grant, reason=reason, action="revoke", right="city_oversight",
            city=grant.city_id, person=grant.person.get_username())
    return grant
