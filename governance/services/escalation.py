"""Between meetings (R-AG-10): a division's or the director's office meeting submits a matter to the
party group (研究需报请局党委和局领导班子研究决定的事项; 研究酝酿需要提交党组会议研究决定的重大问题): the
topic is carried to the party group's next agenda with its origin linked both ways; and the party
group's and the director's office meeting's decisions are reported to the next middle-cadre meeting
(通报有关局党组、局长办公会议决定事项)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Meeting, MeetingStatus, MeetingType, Topic, TopicStatus
from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.selectors.confidential import public_title
from governance.selectors.org import general_office, office_staff
from governance.services.common import notify, record_transition
from governance.services.workflow import clause_of, lock_row


def target_type(meeting_type: MeetingType) -> MeetingType | None:
    if not meeting_type.escalates_to:
        return None
    return MeetingType.objects.filter(bureau_id=meeting_type.bureau_id, code=meeting_type.escalates_to,
                                      active=True).first()


@transaction.atomic
def escalate_topic(*, actor, topic: Topic) -> Topic:
    """R-AG-10: a matter the meeting decided to submit to the party group (a passed decision to 报请),
    asked by whoever runs the meeting; carried now to an open agenda of the target type, or to the
    next one scheduled. Once only."""
    topic = lock_row(Topic, topic.pk)
    meeting = topic.meeting
    t = meeting.meeting_type
    target = target_type(t)
    if target is None:
        raise TransitionRefused(_("%(type)s不能报请其他会议研究决定。") % {"type": t.name},
                                clause=clause_of(t, "escalation"))
    if not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("由会务人员办理报请事项。"))
    if topic.status != TopicStatus.PASSED:
        raise TransitionRefused(_("须先由本次会议作出报请%(target)s研究决定的决定。") % {"target": target.name},
                                clause=clause_of(t, "escalation"))
    if topic.escalation_requested_at or topic.escalated_to.exists():
        raise TransitionRefused(_("这个事项已报请研究。"))
    topic.escalation_requested_at = timezone.now()
    topic.save(update_fields=["escalation_requested_at"])
    record_transition(topic, to_state=topic.status, actor=actor, reason=_("报请%(t)s研究决定") % {"t": target.name})
    opened = (Meeting.objects.filter(bureau_id=meeting.bureau_id, meeting_type=target, status=MeetingStatus.AGENDA_OPEN,
                                     starts_at__gte=timezone.now()).order_by("starts_at").first())
    if opened is not None:
        carry_escalated(meeting=opened, actor=actor)
    else:
        office = general_office(bureau=meeting.bureau)
        notify(recipients=office_staff(bureau=meeting.bureau, kind=office.kind, on=timezone.localdate()) if office else [],
               kind="escalation_pending", title=_("待列入%(t)s议程的报请事项：%(s)s") % {
                   "t": target.name, "s": public_title(topic)},
               url=reverse("meeting_detail", args=[meeting.pk]) + f"#topic-{topic.pk}")
    return topic


def carry_escalated(*, meeting: Meeting, actor) -> list[Topic]:
    """R-AG-10: every matter submitted to this meeting's type and not yet carried becomes a proposed
    topic on it, linked to where it came from (its materials and what it concerns travel with it)."""
    from governance.services.agenda import copy_materials

    pending = (Topic.objects.filter(meeting__bureau_id=meeting.bureau_id, escalation_requested_at__isnull=False,
                                    escalated_to__isnull=True,
                                    meeting__meeting_type__escalates_to=meeting.meeting_type.code)
               .select_related("meeting__meeting_type", "category").order_by("escalation_requested_at", "pk"))
    category = (meeting.meeting_type.categories.filter(code="other").first()
                or meeting.meeting_type.categories.filter(is_progress_report=False, is_personnel=False).first())
    carried = []
    order = meeting.topics.count()
    for source in pending:
        order += 1
        topic = Topic.objects.create(
            meeting=meeting, category=category, proposer=actor, order=order, escalated_from=source,
            title=source.title, summary=_("%(m)s报请研究决定。%(d)s") % {"m": source.meeting.title, "d": source.decision},
            important=source.important, concerned_unit=source.concerned_unit or source.meeting.unit)
        copy_materials(source, topic)
        record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor,
                          reason=_("%(m)s报请研究（R-AG-10）") % {"m": source.meeting.title})
        carried.append(topic)
    return carried


def propose_decisions_report(*, meeting: Meeting, actor) -> Topic | None:
    """R-AG-10: the next middle-cadre meeting hears the decisions of the types that report to it
    (the party group, the director's office meeting) passed since its last meeting: one topic for
    information, listing them; a confidential topic's decision by its placeholder only."""
    t = meeting.meeting_type
    sources = list(MeetingType.objects.filter(bureau_id=t.bureau_id, decisions_reported_to=t.code))
    if not sources:
        return None
    last = (Meeting.objects.filter(meeting_type=t, status__in=[MeetingStatus.HELD, MeetingStatus.CLOSED])
            .exclude(pk=meeting.pk).order_by("-starts_at").first())
    decided = Topic.objects.filter(meeting__meeting_type__in=sources, status=TopicStatus.PASSED,
                                   meeting__status=MeetingStatus.CLOSED).select_related("meeting", "category")
    if last is not None:
        decided = decided.filter(meeting__starts_at__gte=last.starts_at)
    decided = list(decided.order_by("meeting__starts_at", "order"))
    if not decided:
        return None
    category = t.categories.filter(code="decisions").first() or t.categories.filter(is_progress_report=False).first()
    lines = [f"{i}. {d.meeting.title}（{timezone.localtime(d.meeting.starts_at):%Y-%m-%d}）：{public_title(d)}"
             for i, d in enumerate(decided, start=1)]
    topic = Topic.objects.create(meeting=meeting, category=category, proposer=actor, for_information=True,
                                 order=meeting.topics.count() + 1,
                                 title=_("通报局党组会议、局长办公会议决定事项（%(n)s 项）") % {"n": len(decided)},
                                 summary="\n".join(lines))
    record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor, reason=_("自动通报决定事项（R-AG-10）"))
    return topic
