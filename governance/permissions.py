"""The one permission gate per object kind (docs/architecture.md, Gates), the confidentiality rule
(R-CO-1) and the administrator roles (三员分立).

Every right to a meeting, topic, minutes or action is a grant on the object to a person (guardian, in
its direct foreign-key tables: governance.models.rights), so a list filtered by rights is an indexed
join and a gate is one query. The gates ask `holds`, never `user.has_perm`: Django answers True to any `has_perm`
of an active superuser before the backends are asked, and guardian's `ObjectPermissionChecker` does
the same; a superuser here holds exactly what was granted to them, like everyone else. Being one of
the three administrators grants nothing on meetings either.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from guardian.utils import get_user_obj_perms_model

from .models import Action, AdminRole, AdminRoleAssignment, Meeting, Participant, Role, Topic

MEETING_PERMS = {"view": "governance.view_meeting", "manage": "governance.manage_meeting",
                 "approve": "governance.approve_agenda", "chair": "governance.chair_meeting",
                 "propose": "governance.propose_topic"}


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _rights(user, model, codename: str | None = None) -> QuerySet:
    """`user`'s rights on objects of `model` (its direct foreign-key table), of one permission or all."""
    table = get_user_obj_perms_model(model)
    if table.objects.is_generic():  # every gated kind has its own table; test_rights keeps it so
        raise ImproperlyConfigured(f"{model._meta.label} has no rights table")
    rows = table.objects.filter(user=user, permission__content_type=ContentType.objects.get_for_model(model))
    return rows.filter(permission__codename=codename) if codename else rows


def holds(user, perm: str, obj: Model) -> bool:
    """Whether `user` was granted `perm` on `obj`: never as a superuser, never by a model-wide
    permission. One indexed query."""
    if not _signed_in(user):
        return False
    return _rights(user, type(obj), perm.split(".", 1)[-1]).filter(content_object=obj).exists()


def holds_model_perm(user, perm: str) -> bool:
    """Whether a model-wide permission was granted to `user` or one of their groups explicitly: a
    superuser's implied "every permission" does not count."""
    if not _signed_in(user):
        return False
    app_label, codename = perm.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=user) | Q(group__user=user)).exists()


def granted_perms(user, obj: Model) -> set[str]:
    """The codenames `user` was granted on `obj`, superuser or not (one query)."""
    if not _signed_in(user):
        return set()
    return set(_rights(user, type(obj)).filter(content_object=obj).values_list("permission__codename", flat=True))


def granted_rows(user, perm: str, model) -> QuerySet:
    """The ids of the `model` rows on which `user` was granted `perm`, as a subquery."""
    return _rights(user, model, perm.split(".", 1)[-1]).values("content_object_id")


class WithRights(QuerySet):
    """A queryset whose rows come with `granted`: the codenames the person holds on each row."""

    def _fetch_all(self):
        super()._fetch_all()
        for row in self._result_cache or []:
            if isinstance(row, Model) and not hasattr(row, "granted"):
                row.granted = {c for c in self._codenames if getattr(row, f"right_{c}", False)}

    def _clone(self):
        clone = super()._clone()
        clone._codenames = self._codenames
        return clone


def with_rights(queryset: QuerySet, user, perms) -> QuerySet:
    """`queryset` with, on each row, `granted`: which of `perms` `user` holds on it, in the same
    query (an EXISTS on the rights table's unique index per permission)."""
    codenames = [p.split(".", 1)[-1] for p in perms]
    if _signed_in(user):
        rights = _rights(user, queryset.model)
        queryset = queryset.annotate(**{f"right_{c}": Exists(rights.filter(content_object=OuterRef("pk"),
                                                                               permission__codename=c))
                                        for c in codenames})
    else:
        queryset = queryset.none()
    queryset.__class__ = WithRights
    queryset._codenames = codenames
    return queryset


def granted(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` on which `user` was granted `perm`: a semi-join on the rights table's
    unique index (person, permission, object), no cast, no superuser shortcut."""
    if not _signed_in(user):
        return queryset.none()
    return queryset.filter(pk__in=granted_rows(user, perm, queryset.model))


def visible_meetings(user):
    """Meetings `user` may see: those they were granted view on (guardian), in any bureau."""
    return granted(user, MEETING_PERMS["view"], Meeting.objects.all())


def access_meeting(user, pk: int, perm: str = "view") -> Meeting:
    """The meeting, if `user` may `perm` it: 404 when they may not even see it, 403 otherwise."""
    meeting = with_rights(Meeting.objects.select_related("meeting_type", "unit", "bureau", "chair__person",
                                                         "recorder__person", "approver__person").filter(pk=pk),
                          user, MEETING_PERMS.values()).first()
    perms = meeting.granted if meeting is not None else set()
    if "view_meeting" not in perms:
        raise Http404("no such meeting")
    if MEETING_PERMS[perm].split(".")[1] not in perms:
        raise PermissionDenied
    return meeting


def may_meeting(user, meeting: Meeting, perm: str) -> bool:
    """Whether `user` may `perm` ("manage", "approve", "chair", "propose") the meeting; for services."""
    return holds(user, MEETING_PERMS[perm], meeting)


def access_meeting_to_propose(user, pk: int) -> Meeting:
    """R-AG-9: the meeting, if `user` may propose a topic for it: a division asked for topics by the
    office proposes without seeing the meeting itself. 404 otherwise."""
    meeting = Meeting.objects.select_related("meeting_type", "unit", "bureau").filter(pk=pk).first()
    if meeting is None or not holds(user, MEETING_PERMS["propose"], meeting):
        raise Http404("no such meeting")
    return meeting


def access_topic(user, pk: int, perm: str = "view") -> Topic:
    """The topic of a meeting `user` may `perm`; 404 when its meeting is invisible to them."""
    topic = Topic.objects.select_related("meeting", "category").filter(pk=pk).first()
    if topic is None:
        raise Http404("no such topic")
    access_meeting(user, topic.meeting_id, perm)
    return topic


def confidential_readers(meeting: Meeting, participants=None) -> set[int]:
    """R-CO-1: ids of those who may read a confidential topic's content: the meeting's members
    and its recorder (grants are checked per topic by governance.selectors.confidential.Reader)."""
    rows = participants if participants is not None else meeting.participants.all()
    readers = {p.person_id for p in rows if p.role == Role.MEMBER}
    if meeting.recorder_id:
        readers.add(meeting.recorder_id)
    return readers


def visible_actions(user):
    """Actions `user` was granted view on: their own, their unit's, those they lead, coordinate or supervise."""
    return granted(user, "governance.view_action", Action.objects.all())


def access_action(user, pk: int) -> Action:
    """The action, if `user` may see it; 404 otherwise."""
    action = (Action.objects.select_related("meeting__meeting_type", "topic__category", "owner__person", "owner_unit",
                                            "leader__person", "coordinator", "verified_by__person").filter(pk=pk).first())
    if action is None or not holds(user, "governance.view_action", action):
        raise Http404("no such action")
    return action


def may_action(user, action: Action, perm: str) -> bool:
    """Whether `user` may report on ("change") or verify ("verify") the action."""
    return holds(user, f"governance.{perm}_action", action)


def readable_confidential(user, meeting_ids=None) -> tuple[set[int], set[int]]:
    """R-CO-1 for lists: (meetings whose confidential topics `user` reads as member or recorder,
    topics granted to them one by one), of the meetings `meeting_ids` when given (the rows of a page),
    so what is read stays the size of the page. Two queries, however many rows follow."""
    members = Participant.objects.filter(person=user, role=Role.MEMBER)
    recorded = Meeting.objects.filter(recorder=user)
    if meeting_ids is not None:
        members, recorded = members.filter(meeting_id__in=meeting_ids), recorded.filter(pk__in=meeting_ids)
    meetings = set(members.order_by().values_list("meeting_id", flat=True)
                   .union(recorded.order_by().values_list("pk", flat=True)))
    return meetings, granted_confidential_topics(user, meeting_ids)


def granted_confidential_topics(user, meeting_ids=None) -> set[int]:
    """R-CO-1: the confidential topics granted to `user` one by one (of `meeting_ids`, when given)."""
    topics = granted(user, "governance.view_confidential_topic", Topic.objects.all())
    if meeting_ids is not None:
        topics = topics.filter(meeting_id__in=meeting_ids)
    return set(topics.values_list("pk", flat=True))


# The three administrators (三员分立) -------------------------------------------------------------

def admin_role_of(user) -> str | None:
    """The administrator role `user` holds now (system, security or audit), or None; kept on the
    user object for the rest of the request."""
    if not _signed_in(user):
        return None
    if not hasattr(user, "_admin_role"):
        user._admin_role = (AdminRoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
                            .values_list("role", flat=True).first())
    return user._admin_role


def admin_accounts() -> QuerySet:
    """Ids of everyone who holds an administrator role now, as a subquery."""
    return AdminRoleAssignment.objects.filter(revoked_at__isnull=True).values("user_id")


def require_admin_role(user, role: str) -> None:
    """403 unless `user` holds `role` now. Being a superuser is not holding it."""
    if admin_role_of(user) != role:
        raise PermissionDenied


def may_use_admin_site(user) -> bool:
    """The Django admin is the system administrator's (and a superuser's, who has staff status)."""
    if not _signed_in(user):
        return False
    return admin_role_of(user) == AdminRole.SYSTEM or (user.is_superuser and user.is_staff)


def may_read_audit(user) -> bool:
    """The audit trail is the audit administrator's: the role and its permission, not a superuser's has_perm."""
    return admin_role_of(user) == AdminRole.AUDIT and "audit.view_auditevent" in user.get_group_permissions()
