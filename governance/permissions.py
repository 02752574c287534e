"""The one permission gate per object kind (docs/architecture.md, Gates) and the confidentiality rule (R-CO-1)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.core import ObjectPermissionChecker
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
    and its recorder (grants are checked per topic by `can_read_topic`)."""
    rows = participants if participants is not None else meeting.participants.all()
    readers = {p.person_id for p in rows if p.role == Role.MEMBER}
    if meeting.recorder_id:
        readers.add(meeting.recorder_id)
    return readers


def can_read_topic(user, topic: Topic, readers: set[int] | None = None) -> bool:
    """R-CO-1: anyone who may see the meeting reads an ordinary topic; a confidential one only its
    members, its recorder, its proposer and those granted `view_confidential_topic` on it."""
    if not topic.category.confidential:
        return True
    if readers is None:
        readers = confidential_readers(topic.meeting)
    if user.pk in readers or user.pk == topic.proposer_id:
        return True
    return user.has_perm("governance.view_confidential_topic", topic)


def readable_topic_ids(user, meeting: Meeting, topic_ids: list[int]) -> set[int]:
    """R-CO-1: of the confidential topics in `topic_ids`, those `user` may read: members, the
    recorder, the proposer, and those granted on the topic."""
    if not topic_ids:
        return set()
    readers = confidential_readers(meeting, list(meeting.participants.all()))
    topics = list(Topic.objects.filter(pk__in=topic_ids))
    checker = ObjectPermissionChecker(user)
    checker.prefetch_perms(topics)
    return {t.pk for t in topics if user.pk in readers or user.pk == t.proposer_id
            or checker.has_perm("view_confidential_topic", t)}


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
