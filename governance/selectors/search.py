"""Search over meetings, topics, minutes and actions (R-CO-1): a confidential topic's content is
searched only for those who may read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from governance.permissions import visible_actions, visible_meetings
from governance.selectors.confidential import readable_topics


@dataclass
class SearchResults:
    meetings: list
    topics: list
    actions: list
    minutes: list = field(default_factory=list)  # filled by the minutes app's section

    @property
    def empty(self) -> bool:
        return not (self.meetings or self.topics or self.minutes or self.actions)


# Sections other apps add to the results: name -> f(*, user, q, limit) -> list. The minutes app adds "minutes".
SEARCH_SECTIONS: dict[str, Callable[..., list]] = {}


def search_section(name: str):
    """Add a section to the search results from any app."""
    def add(fn: Callable[..., list]):
        SEARCH_SECTIONS[name] = fn
        return fn
    return add


def search(*, user, q: str, limit: int = 30) -> SearchResults:
    """R-CO-1: a confidential topic's content is searched only for those who may read it; for
    everyone else it cannot be found by its content at all (not even as a hidden hit)."""
    visible = visible_meetings(user)
    meetings = list(visible.filter(Q(title__icontains=q) | Q(place__icontains=q))
                    .select_related("meeting_type", "unit").order_by("-starts_at")[:limit])
    text = Q(title__icontains=q) | Q(summary__icontains=q) | Q(decision__icontains=q) | Q(dissent__icontains=q)
    readable = readable_topics(user)  # the one boundary: what cannot be read cannot be found
    topics = list(readable.filter(text).select_related("meeting", "category").order_by("-meeting__starts_at")[:limit])
    actions = list(visible_actions(user).filter(title__icontains=q)
                   .filter(Q(topic__isnull=True) | Q(topic__in=readable))
                   .select_related("meeting").order_by("due")[:limit])
    results = SearchResults(meetings=meetings, topics=topics, actions=actions)
    for name, section in SEARCH_SECTIONS.items():
        setattr(results, name, section(user=user, q=q, limit=limit))
    return results
