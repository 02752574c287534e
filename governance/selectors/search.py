"""Search over meetings, topics, minutes and actions (R-CO-1): a confidential topic's content is
searched only for those who may read it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from governance.models import Topic
from governance.permissions import readable_confidential, visible_actions, visible_meetings


@dataclass
class SearchResults:
    meetings: list
    topics: list
    minutes: list
    actions: list

    @property
    def empty(self) -> bool:
        return not (self.meetings or self.topics or self.minutes or self.actions)


def search(*, user, q: str, limit: int = 30) -> SearchResults:
    """R-CO-1: a confidential topic's content is searched only for those who may read it; for
    everyone else it cannot be found by its content at all (not even as a hidden hit)."""
    from minutes.models import Revision, RevisionStatus
    from minutes.permissions import visible_minutes


    readable_meetings, granted = readable_confidential(user)
    visible = visible_meetings(user)
    meetings = list(visible.filter(Q(title__icontains=q) | Q(place__icontains=q))
                    .select_related("meeting_type", "unit").order_by("-starts_at")[:limit])
    text = Q(title__icontains=q) | Q(summary__icontains=q) | Q(decision__icontains=q) | Q(dissent__icontains=q)
    open_to_me = (Q(category__is_personnel=False, category__is_confidential=False) | Q(meeting_id__in=readable_meetings)
                  | Q(pk__in=granted) | Q(proposer=user))
    topics = list(Topic.objects.filter(meeting__in=visible).filter(text).filter(open_to_me)
                  .select_related("meeting", "category").order_by("-meeting__starts_at")[:limit])
    revisions = (Revision.objects.filter(minutes__in=visible_minutes(user), status=RevisionStatus.APPROVED)
                 .filter(Q(title__icontains=q) | Q(summary__icontains=q)).select_related("minutes__meeting",
                                                                                          "minutes__issuing_unit"))
    minutes = list({r.minutes_id: r for r in revisions.order_by("-number")[:limit]}.values())
    actions = list(visible_actions(user).filter(title__icontains=q)
                   .filter(Q(topic__isnull=True) | Q(topic__category__is_personnel=False, topic__category__is_confidential=False)
                           | Q(meeting_id__in=readable_meetings) | Q(topic_id__in=granted))
                   .select_related("meeting").order_by("due")[:limit])
    return SearchResults(meetings=meetings, topics=topics, minutes=minutes, actions=actions)
