"""Search over meetings, topics, minutes and actions (R-CO-1): a confidential topic's content is
searched only for those who may read it.

Words are found through the text indexes of `governance.models.text_index` (pg_trgm on PostgreSQL,
FTS5 trigram tables on SQLite) for terms of three characters or more; a shorter term (a two-character
Chinese word) is matched on the table itself. Either way the index only proposes rows: each section is
the reader's visible (and, for topics, readable) rows intersected with the hits, so a word found only
in what the reader may not read finds nothing, not even a count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from governance.models import text_index
from governance.permissions import visible_actions, visible_meetings
from governance.selectors.confidential import readable_topics

PER_PAGE = 30


@dataclass
class SearchResults:
    meetings: list
    topics: list
    actions: list
    minutes: list = field(default_factory=list)  # filled by the minutes app's section
    counts: dict[str, int] = field(default_factory=dict)  # each section's hits in all, for the pages

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not (self.meetings or self.topics or self.minutes or self.actions)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def longest(self) -> int:
        """The largest section's count: the pages run as far as it does."""
        return max(self.counts.values(), default=0)


# Sections other apps add to the results: name -> f(*, user, q, offset, limit) -> (rows, count).
# The minutes app adds "minutes".
SEARCH_SECTIONS: dict[str, Callable[..., tuple[list, int]]] = {}


def search_section(name: str):
    """Add a section to the search results from any app."""
    def add(fn: Callable[..., tuple[list, int]]):
        SEARCH_SECTIONS[name] = fn
        return fn
    return add


def contains(index: text_index.TextIndex, q: str) -> Q:
    """Rows with `q` in one of the index's columns, through the engine's text index where it serves."""
    return text_index.matches(index, q, connection)


def _page(qs, offset: int, limit: int) -> tuple[list, int]:
    # Always counted: a page costs the same queries whether a section fills its page or not.
    return list(qs[offset:offset + limit]), qs.count()


def search(*, user, q: str, limit: int = PER_PAGE, page: int = 1) -> SearchResults:
    """R-CO-1: a confidential topic's content is searched only for those who may read it; for
    everyone else it cannot be found by its content at all (not even as a hidden hit or a count).
    `page` pages every section at once (`limit` a section a page)."""
    offset = (max(page, 1) - 1) * limit
    meetings, n_meetings = _page(visible_meetings(user).filter(contains(text_index.MEETING, q))
                                 .select_related("meeting_type", "unit").order_by("-starts_at", "-pk"), offset, limit)
    readable = readable_topics(user)  # the one boundary: what cannot be read cannot be found
    topics, n_topics = _page(readable.filter(contains(text_index.TOPIC, q)).select_related("meeting", "category")
                             .order_by("-meeting__starts_at", "-pk"), offset, limit)
    actions, n_actions = _page(visible_actions(user).filter(contains(text_index.ACTION, q))
                               .filter(Q(topic__isnull=True) | Q(topic__in=readable))
                               .select_related("meeting").order_by("due", "pk"), offset, limit)
    results = SearchResults(meetings=meetings, topics=topics, actions=actions,
                            counts={"meetings": n_meetings, "topics": n_topics, "actions": n_actions})
    for name, section in SEARCH_SECTIONS.items():
        rows, count = section(user=user, q=q, offset=offset, limit=limit)
        setattr(results, name, rows)
        results.counts[name] = count
    return results
