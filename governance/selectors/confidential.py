"""R-CO-1, the one boundary for confidential text.

A cadre personnel topic's content (its title, summary, decision, dissent, the reason it was deferred or
returned, its materials, its votes, the actions made from it and their progress reports) is read only
by the meeting's members, its recorder, its proposer and those granted `view_confidential_topic` on it.
Everything that shows such text to a person asks a `Reader` made for that person; everything stored to
be shown to others later (notifications, e-mail, alerts, breaches, transition reasons) carries only the
neutral wording of `public_*` by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from governance.models import Action, Participant, Role, Topic
from governance.permissions import (
    confidential_readers,
    granted_confidential_topics,
    granted_rows,
    readable_confidential,
    visible_meetings,
)

# A topic whose category is neither personnel nor confidential is ordinary (TopicCategory.confidential).
ORDINARY = Q(category__is_personnel=False, category__is_confidential=False)


def withheld() -> str:
    """The words shown instead of confidential content: 「保密议题」."""
    return _("保密议题")


def is_confidential(topic: Topic | None) -> bool:
    return topic is not None and topic.category.confidential


@dataclass(frozen=True)
class TopicText:
    """What one reader may read of one topic: its words, or the placeholder in every field."""

    readable: bool
    title: str
    summary: str
    decision: str
    dissent: str
    reason: str


class Reader:
    """What one person may read of confidential content. Two queries the first time it is asked about
    a confidential topic, none after that, however many rows follow."""

    def __init__(self, user, meetings=None):
        """`meetings`: the ids of the meetings the caller will ask about (a page's rows), when known."""
        self.user = user
        self.scope = meetings
        self._meetings: set[int] | None = None
        self._granted: set[int] | None = None

    @classmethod
    def of_meeting(cls, user, meeting, participants) -> Reader:
        """A reader for one meeting's page, whose members and recorder are already loaded: one query
        (the topics granted one by one), and only if the page shows a confidential topic."""
        reader = cls(user, meetings=[meeting.pk])
        reader._meetings = {meeting.pk} if user.pk in confidential_readers(meeting, participants) else set()
        return reader

    def _load(self) -> None:
        if self._granted is None:
            if not getattr(self.user, "is_authenticated", False):
                self._meetings, self._granted = set(), set()
                return
            if self._meetings is None:
                self._meetings, self._granted = readable_confidential(self.user, self.scope)
            else:
                self._granted = granted_confidential_topics(self.user, self.scope)

    def may_read(self, topic: Topic | None) -> bool:
        """R-CO-1: anyone who may see the meeting reads an ordinary topic; a confidential one only its
        members, its recorder, its proposer and those granted on it."""
        if not is_confidential(topic):
            return True
        if self.user.pk is not None and topic.proposer_id == self.user.pk:
            return True
        self._load()
        return topic.meeting_id in self._meetings or topic.pk in self._granted

    def may_read_topic_id(self, *, topic_id: int | None, meeting_id: int, confidential: bool) -> bool:
        """The same question for a row read with `values()` (exports, ledgers)."""
        if not confidential or topic_id is None:
            return True
        self._load()
        return meeting_id in self._meetings or topic_id in self._granted

    def topic(self, topic: Topic) -> TopicText:
        if self.may_read(topic):
            return TopicText(True, topic.title, topic.summary, topic.decision, topic.dissent, topic.status_reason)
        return TopicText(False, withheld(), "", "", "", "")

    def title(self, topic: Topic) -> str:
        return topic.title if self.may_read(topic) else withheld()

    def action_title(self, action: Action) -> str:
        """An action made from a confidential decision is as confidential as the decision."""
        return action.title if self.may_read(action.topic if action.topic_id else None) else public_action_title(action)

    def may_read_action(self, action: Action) -> bool:
        return self.may_read(action.topic if action.topic_id else None)


def readable_topics(user) -> QuerySet[Topic]:
    """Topics `user` may open and read: in a meeting they see and, when confidential, readable (R-CO-1).
    Every select that offers topics draws from here: a select never offers what its user could not open."""
    if not getattr(user, "is_authenticated", False):
        return Topic.objects.none()
    member = Participant.objects.filter(meeting=OuterRef("meeting"), person=user, role=Role.MEMBER)
    granted = granted_rows(user, "governance.view_confidential_topic", Topic)
    return (Topic.objects.filter(meeting__in=visible_meetings(user))
            .filter(ORDINARY | Q(proposer=user) | Q(meeting__recorder=user) | Exists(member) | Q(pk__in=granted)))


def can_read_topic(user, topic: Topic) -> bool:
    """R-CO-1 for one topic (one page showing one topic: a material download)."""
    return Reader(user).may_read(topic)


def readable_topic_ids(user, meeting, topic_ids: list[int]) -> set[int]:
    """R-CO-1: of the confidential topics in `topic_ids`, those `user` may read (for snapshots)."""
    if not topic_ids:
        return set()
    reader = Reader(user)
    return {t.pk for t in Topic.objects.filter(pk__in=topic_ids, meeting=meeting).select_related("category")
            if reader.may_read(t)}


def public_title(topic: Topic) -> str:
    """A topic's title as text stored for others to read later: the placeholder when it is confidential."""
    return withheld() if is_confidential(topic) else topic.title


def public_action_title(action: Action) -> str:
    """An action's title as text stored for others: neutral wording when it comes from a confidential topic."""
    if action.topic_id and is_confidential(action.topic):
        return _("保密议题决定事项（%(m)s）") % {"m": action.meeting.title}
    return action.title


def public_text(topic: Topic | None, text: str) -> str:
    """Text typed about a topic (a reason, a note) as stored for others: nothing of it when confidential."""
    return withheld() if is_confidential(topic) else text


def public_reason(obj, reason: str) -> str:
    """A transition's reason as stored in the history (Transition rows, simple-history): typed about a
    confidential topic or an action made from one, it is kept only in the record itself (read through
    a Reader), never in the history that administrators and auditors browse."""
    if isinstance(obj, Topic):
        return public_text(obj, reason) if reason else reason
    if isinstance(obj, Action) and obj.topic_id:
        return public_text(obj.topic, reason) if reason else reason
    return reason
