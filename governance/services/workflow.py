"""The meeting and topic state machines as the workflow services share them: lock the row, ask the
rules (R-AG-*, R-QU-*), move, record who/when/why."""

from __future__ import annotations

from django.utils.translation import gettext as _

from governance.models import (
    Meeting,
    MeetingStatus,
    MeetingType,
    Post,
    Topic,
    TopicStatus,
)
from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.rules.workflow import (
    meeting_transition_refusal,
    topic_transition_refusal,
)
from governance.selectors.quorum import topic_quorum_for
from governance.services.common import record_transition

OPEN_TOPIC_STATES = {TopicStatus.PROPOSED, TopicStatus.ACCEPTED, TopicStatus.RETURNED}


def clause_of(meeting_type: MeetingType, key: str) -> str:
    source = meeting_type.clause_for(key)
    return source.citation if source else ""


def lock_row(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def move_meeting(meeting: Meeting, target: str, *, actor, reason: str = "", extra: tuple[str, ...] = ()) -> None:
    refusal = meeting_transition_refusal(meeting.status, target)
    if refusal:
        raise TransitionRefused(refusal)
    record_transition(meeting, to_state=target, actor=actor, reason=reason, extra_fields=extra)


def check_approver(actor, meeting: Meeting) -> None:
    """R-AG-1..3: only the type's approver (party secretary, director, division head) approves."""
    if not may_meeting(actor, meeting, "approve"):
        raise TransitionRefused(_("议程由%(who)s审定。") % {"who": Post(meeting.meeting_type.agenda_approver_post).label},
                                clause=clause_of(meeting.meeting_type, "topics"))


def move_topic(topic: Topic, target: str, *, actor, reason: str = "", extra: tuple[str, ...] = ()) -> None:
    refusal = topic_transition_refusal(topic.status, target)
    if refusal:
        raise TransitionRefused(refusal)
    record_transition(topic, to_state=target, actor=actor, reason=reason, extra_fields=extra)


def quorum_refusal(check, meeting_type: MeetingType, *, personnel: bool) -> TransitionRefused:
    key = "special_quorum" if personnel else "quorum"
    what = _("研究干部人事议题") if personnel else _("会议")
    error = TransitionRefused(
        _("%(what)s须有%(t)s成员到会：应到 %(m)s 人，需 %(r)s 人，实到 %(p)s 人，还差 %(n)s 人。") % {
            "what": what, "t": check.threshold.describe(), "m": check.members, "r": check.required,
            "p": check.present, "n": check.missing},
        clause=clause_of(meeting_type, key))
    error.quorum_check = check  # the view records the refusal for the compliance view
    return error


VOTED_STATES = {TopicStatus.PASSED, TopicStatus.NOT_PASSED}


def check_decision(topic: Topic, *, voted: bool, text: str = "", at_meeting: bool = True) -> None:
    """R-QU-2, R-VO-1: the one guard every path that records an outcome or a decision text for a topic
    calls (deciding, noting, the minutes' decision text). A cadre personnel topic is studied only with
    its special quorum present, on whatever path, and its decision is taken by a vote: noting it (通报)
    or writing a decision into the minutes never stands in for one."""
    meeting = topic.meeting
    if at_meeting and meeting.status != MeetingStatus.HELD:
        raise TransitionRefused(_("会议开始后才能研究议题。"))
    if not topic.category.is_personnel:
        return
    check = topic_quorum_for(topic)
    if not check.ok:
        raise quorum_refusal(check, meeting.meeting_type, personnel=True)
    if text.strip() and not voted:
        raise TransitionRefused(_("干部人事事项须经表决作出决定：未经表决，不能记录决定事项。"),
                                clause=clause_of(meeting.meeting_type, "vote"))
