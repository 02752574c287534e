"""The one permission gate per object kind (docs/architecture.md, Gates) and the confidentiality rule (R-CO-1)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from .models import Action, Meeting, Participant, Role, Topic

MEETING_PERMS = {"view": "governance.view_meeting", "manage": "governance.manage_meeting",
                 "approve": "governance.approve_agenda", "chair": "governance.chair_meeting",
                 "propose": "governance.propose_topic"}


def visible_meetings(user):
    """Meetings `user` may see: those they were granted view on (guardian), in any bureau."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return get_objects_for_user(user, MEETING_PERMS["view"], klass=Meeting, accept_global_perms=False,
                                with_superuser=False)


def access_meeting(user, pk: int, perm: str = "view") -> Meeting:
    """The meeting, if `user` may `perm` it: 404 when they may not even see it, 403 otherwise."""
    meeting = Meeting.objects.select_related("meeting_type", "unit", "bureau", "chair__person",
                                             "recorder__person", "approver__person").filter(pk=pk).first()
    if meeting is None or not user.has_perm(MEETING_PERMS["view"], meeting):
        raise Http404("no such meeting")
    if perm != "view" and not user.has_perm(MEETING_PERMS[perm], meeting):
        raise PermissionDenied
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
    return get_objects_for_user(user, "governance.view_action", klass=Action, accept_global_perms=False,
                                with_superuser=False)


def access_action(user, pk: int) -> Action:
    """The action, if `user` may see it; 404 otherwise."""
    action = (Action.objects.select_related("meeting__meeting_type", "topic__category", "owner__person", "owner_unit",
                                            "leader__person", "coordinator", "verified_by__person").filter(pk=pk).first())
    if action is None or not user.has_perm("governance.view_action", action):
        raise Http404("no such action")
    return action


def readable_confidential(user) -> tuple[set[int], set[int]]:
    """R-CO-1 for lists: (meetings whose confidential topics `user` reads as member or recorder,
    topics granted to them one by one). Two queries, however many rows follow."""
    meetings = set(Participant.objects.filter(person=user, role=Role.MEMBER).values_list("meeting_id", flat=True))
    meetings |= set(Meeting.objects.filter(recorder=user).values_list("pk", flat=True))
    granted = set(get_objects_for_user(user, "governance.view_confidential_topic", klass=Topic,
                                       accept_global_perms=False, with_superuser=False).values_list("pk", flat=True))
    return meetings, granted
