"""Topics at the meeting: per-topic quorum, votes and decisions (R-QU-2, R-VO-1..4)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Attendance,
    Meeting,
    MeetingStatus,
    Role,
    Topic,
    TopicStatus,
    Vote,
    VoteChoice,
)
from governance.rules.quorum import vote_outcome
from governance.rules.refusals import TransitionRefused
from governance.selectors.org import display_name
from governance.selectors.quorum import topic_quorum_for
from governance.services.agenda import carry_deferred_topics
from governance.services.workflow import check_decision, clause_of, lock_row, move_topic, quorum_refusal


@transaction.atomic
def open_topic(*, actor, topic: Topic) -> Topic:
    """R-QU-2: a topic is opened for discussion only when its quorum is present."""
    topic = lock_row(Topic, topic.pk)
    meeting = topic.meeting
    if meeting.status != MeetingStatus.HELD:
        raise TransitionRefused(_("会议开始后才能研究议题。"))
    check = topic_quorum_for(topic)
    if not check.ok:
        raise quorum_refusal(check, meeting.meeting_type, personnel=topic.category.is_personnel)
    move_topic(topic, TopicStatus.DISCUSSING, actor=actor, reason=_("开始研究"))
    return topic


@transaction.atomic
def record_vote(*, actor, topic: Topic, member, choice: str) -> Vote:
    """R-VO-1, R-QU-4: one vote per member present; invitees and others never vote."""
    topic = lock_row(Topic, topic.pk)
    if topic.status != TopicStatus.DISCUSSING:
        raise TransitionRefused(_("议题不在研究中，不能表决。"))
    if choice not in VoteChoice.values:
        raise TransitionRefused(_("表决意见须为赞成、反对或弃权。"))
    participant = topic.meeting.participants.filter(person=member).first()
    if participant is None:
        raise TransitionRefused(_("%(who)s 不是本次会议成员，不能表决。") % {"who": display_name(member)})
    if participant.role != Role.MEMBER:
        raise TransitionRefused(_("列席人员不参加表决。"), clause=clause_of(topic.meeting.meeting_type, "members"))
    if participant.attendance != Attendance.PRESENT:
        raise TransitionRefused(_("%(who)s 未签到出席，不能表决。") % {"who": display_name(member)})
    if topic.category.is_personnel:
        check = topic_quorum_for(topic)
        if not check.ok:
            raise quorum_refusal(check, topic.meeting.meeting_type, personnel=True)
    if topic.votes.filter(member=member).exists():
        raise TransitionRefused(_("%(who)s 已对此议题表决，不能重复表决。") % {"who": display_name(member)})
    try:
        with transaction.atomic():
            return Vote.objects.create(topic=topic, member=member, choice=choice, recorded_by=actor)
    except IntegrityError as error:  # a concurrent second vote lost the race to the constraint
        raise TransitionRefused(_("%(who)s 已对此议题表决，不能重复表决。") % {"who": display_name(member)}) from error


@transaction.atomic
def decide_topic(*, actor, topic: Topic, decision: str, dissent: str = "") -> Topic:
    """R-VO-1, R-VO-2, R-VO-4: count the votes against the type's threshold and basis; record the
    decision and every differing opinion."""
    topic = lock_row(Topic, topic.pk)
    meeting = topic.meeting
    t = meeting.meeting_type
    votes = list(topic.votes.all())
    counts = {c: sum(1 for v in votes if v.choice == c) for c in VoteChoice.values}
    participants = list(meeting.participants.all())
    members = [p for p in participants if p.role == Role.MEMBER]
    present = sum(1 for p in members if p.attendance == Attendance.PRESENT)
    if not votes:
        raise TransitionRefused(_("还没有人表决。仅通报的议题请选择“通报”。"))
    check_decision(topic, voted=True, text=decision)
    outcome = vote_outcome(votes_for=counts["for"], against=counts["against"], abstain=counts["abstain"],
                           members=len(members), present_members=present, threshold=t.vote_threshold,
                           basis=t.vote_basis)
    if counts["against"] and not dissent.strip():
        raise TransitionRefused(_("有反对票，须如实记录不同意见。"), clause=clause_of(t, "recorder") or "R-VO-4")
    topic.votes_for, topic.votes_against, topic.votes_abstain = counts["for"], counts["against"], counts["abstain"]
    topic.decision, topic.dissent, topic.decided_at = decision.strip(), dissent.strip(), timezone.now()
    target = TopicStatus.PASSED if outcome.passed else TopicStatus.NOT_PASSED
    reason = _("赞成 %(f)s，反对 %(a)s，弃权 %(b)s；须赞成 %(r)s 票（%(t)s%(basis)s）") % {
        "f": counts["for"], "a": counts["against"], "b": counts["abstain"], "r": outcome.required,
        "t": t.vote_threshold.describe(), "basis": t.get_vote_basis_display()}
    move_topic(topic, target, actor=actor, reason=reason,
                extra=("votes_for", "votes_against", "votes_abstain", "decision", "dissent", "decided_at"))
    from governance.services.followup import check_mandatory_matter

    check_mandatory_matter(topic=topic, actor=actor)
    return topic


@transaction.atomic
def defer_topic(*, actor, topic: Topic, reason: str) -> Topic:
    """R-VO-3: where views are sharply divided the vote is deferred; the topic goes to the next
    meeting of the same type and scope (R-AG-7)."""
    topic = lock_row(Topic, topic.pk)
    if topic.meeting.status != MeetingStatus.HELD:
        raise TransitionRefused(_("会议开始后才能暂缓表决。"))
    if not reason.strip():
        raise TransitionRefused(_("暂缓表决须说明理由。"))
    topic.status_reason = reason.strip()[:500]
    topic.votes.all().delete()  # a deferred vote is not a vote: it is taken again next time
    move_topic(topic, TopicStatus.DEFERRED, actor=actor, reason=reason.strip(), extra=("status_reason",))
    later = (Meeting.objects.filter(meeting_type=topic.meeting.meeting_type, unit=topic.meeting.unit,
                                    starts_at__gt=topic.meeting.starts_at, status=MeetingStatus.AGENDA_OPEN)
             .order_by("starts_at").first())
    if later is not None:
        carry_deferred_topics(meeting=later, actor=actor)
    return topic


@transaction.atomic
def note_topic(*, actor, topic: Topic, decision: str = "") -> Topic:
    """A topic for information is noted without a vote; R-QU-2, R-VO-1: a personnel topic is noted only
    with its special quorum present, and never with a decision (check_decision)."""
    topic = lock_row(Topic, topic.pk)
    check_decision(topic, voted=False, text=decision)
    topic.decision = decision.strip()
    move_topic(topic, TopicStatus.NOTED, actor=actor, reason=_("通报"), extra=("decision",))
    from governance.services.followup import check_mandatory_matter

    check_mandatory_matter(topic=topic, actor=actor)  # R-AG-6: a matter to decide, only noted, is flagged
    return topic
