"""The agenda (R-AG-1..7): topics proposed, reviewed, carried and approved, and the notice (R-NO-1)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Appointment,
    Material,
    Meeting,
    MeetingStatus,
    MeetingType,
    Scope,
    Topic,
    TopicCategory,
    TopicStatus,
    Unit,
)
from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.rules.workflow import (
    materials_refusal,
)
from governance.selectors.confidential import public_text, public_title
from governance.selectors.due_dates import notice_late
from governance.selectors.org import display_name
from governance.services.common import notify, record_transition
from governance.services.workflow import check_approver, clause_of, lock_row, move_meeting, move_topic


@transaction.atomic
def propose_topic(*, actor, meeting: Meeting, category: TopicCategory, title: str, summary: str = "",
                  important: bool = False, for_information: bool = False, concerned_unit: Unit | None = None,
                  unit_matter: str = "", unit_decision: Topic | None = None) -> Topic:
    """R-AG-1, R-AG-2, R-AG-5, R-AG-6, R-AG-9: propose a topic of one of the type's categories while the
    agenda is open; where the office gathers the topics, from the office or a division only."""
    meeting = lock_row(Meeting, meeting.pk)
    if meeting.status != MeetingStatus.AGENDA_OPEN:
        raise TransitionRefused(_("议程已提交或已审定，不能再提出议题。"))
    check_proposer(actor, meeting)
    if category.meeting_type_id != meeting.meeting_type_id:
        raise TransitionRefused(_("议题类别不属于这类会议。"))
    if not title.strip():
        raise TransitionRefused(_("请填写议题名称。"))
    unit = Appointment.objects.on(timezone.localdate()).filter(person=actor, unit__isnull=False).values_list(
        "unit", flat=True).first()
    unit_matter = unit_matter or ""
    if unit_matter:
        # R-AG-6: the division concerned is the one declared or, when none is, the proposer's own.
        if concerned_unit is None and unit is not None:
            concerned_unit = Unit.objects.get(pk=unit)
        if concerned_unit is None or not mandatory_types_for(concerned_unit, unit_matter):
            raise TransitionRefused(_("须经处务会研究的事项须同时选择涉及的处室。"))
    if unit_decision is not None:
        unit_decision = Topic.objects.select_related("meeting__meeting_type").get(pk=unit_decision.pk)
    if unit_decision is not None and (unit_decision.status != TopicStatus.PASSED
                                      or unit_decision.meeting.unit_id != getattr(concerned_unit, "pk", None)
                                      or unit_matter not in unit_decision.meeting.meeting_type.mandatory_matters):
        raise TransitionRefused(_("所引用的处务会决定须是该处室已通过的决定。"))
    order = meeting.topics.count() + 1
    topic = Topic.objects.create(
        meeting=meeting, category=category, title=title.strip()[:200], summary=summary.strip(), important=important,
        for_information=for_information, proposer=actor, proposing_unit_id=unit, order=order,
        concerned_unit=concerned_unit, unit_matter=unit_matter, unit_decision=unit_decision,
    )
    record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor, reason=_("提出议题"))
    return topic


@transaction.atomic
def mark_unit_matter(*, actor, topic: Topic, unit_matter: str, concerned_unit: Unit) -> Topic:
    """R-AG-6: the office running the meeting or its approver marks a topic as a division's matter that
    must go to that division's own meeting, whatever its proposer declared; a topic already decided or
    noted is judged at once."""
    topic = lock_row(Topic, topic.pk)
    meeting = topic.meeting
    if not (may_meeting(actor, meeting, "manage") or may_meeting(actor, meeting, "approve")):
        raise TransitionRefused(_("由会务人员或议题审定人标注必须上会事项。"))
    if meeting.status == MeetingStatus.CANCELLED or topic.status in {TopicStatus.WITHDRAWN, TopicStatus.REJECTED}:
        raise TransitionRefused(_("这个议题已不在议程中。"))
    if concerned_unit is None or concerned_unit.bureau_id != meeting.bureau_id \
            or not mandatory_types_for(concerned_unit, unit_matter):
        raise TransitionRefused(_("须经处务会研究的事项须同时选择涉及的处室。"))
    topic.unit_matter, topic.concerned_unit = unit_matter, concerned_unit
    topic._change_reason = _("标注必须上会事项")
    topic.save(update_fields=["unit_matter", "concerned_unit"])
    if topic.status in {TopicStatus.PASSED, TopicStatus.NOTED}:
        from governance.services.followup import check_mandatory_matter

        check_mandatory_matter(topic=topic, actor=actor)
    return topic


def mandatory_types_for(unit: Unit, matter: str) -> list[MeetingType]:
    """R-AG-6: the meeting types of `unit` that a matter of this kind must go to."""
    return [t for t in MeetingType.objects.filter(bureau_id=unit.bureau_id, active=True, scope=Scope.UNIT)
            if matter in t.mandatory_matters and unit.kind in t.unit_kinds]


def check_proposer(actor, meeting: Meeting) -> None:
    """R-AG-9, R-AG-1: where the office gathers a type's topics from the divisions, only the office
    (the meeting's managers) and the divisions (the type's proposer posts) put topics forward; a member
    who is neither does not put one straight on the agenda. Elsewhere whoever was granted may propose."""
    if not may_meeting(actor, meeting, "propose"):
        raise TransitionRefused(_("您不能为这次会议提出议题。"))
    t = meeting.meeting_type
    if not t.topics_gathered_by_office or may_meeting(actor, meeting, "manage"):
        return
    if not Appointment.objects.on(timezone.localdate()).filter(person=actor, post__in=t.topic_proposer_posts).exists():
        raise TransitionRefused(_("这类会议的议题由办公室征求各处室意见后提出：请通过处室向办公室提交议题。"),
                                clause=clause_of(t, "topics"))


def copy_materials(source: Topic, target: Topic) -> None:
    """R-AG-4: the written materials travel with a carried topic (deferred, or submitted to another
    meeting), so an important topic is accepted again; the copy names the same stored file (files
    are never changed once stored)."""
    for m in source.materials.all():  # one by one: each copy gets its history row
        Material.objects.create(topic=target, file=m.file.name, original_name=m.original_name,
                                content_type=m.content_type, size=m.size, sha256=m.sha256, uploaded_by=m.uploaded_by)


@transaction.atomic
def carry_deferred_topics(*, meeting: Meeting, actor) -> list[Topic]:
    """R-AG-7, R-VO-3: topics deferred at an earlier meeting of the same type and scope, not yet
    carried anywhere, are carried onto `meeting` with a link to their history, their written materials
    (R-AG-4) and what they concern (R-AG-6), so that the agenda rules judge them as before."""
    deferred = (Topic.objects.select_for_update(of=("self",))
                .filter(meeting__meeting_type=meeting.meeting_type, meeting__unit=meeting.unit,
                        meeting__starts_at__lt=meeting.starts_at, status=TopicStatus.DEFERRED, carried_to__isnull=True)
                .exclude(meeting=meeting).order_by("meeting__starts_at", "order"))
    carried = []
    order = meeting.topics.count()
    for old in deferred:
        order += 1
        topic = Topic.objects.create(
            meeting=meeting, category=old.category, title=old.title, summary=old.summary, important=old.important,
            for_information=old.for_information, proposer=old.proposer, proposing_unit=old.proposing_unit,
            order=order, carried_from=old, concerned_unit=old.concerned_unit, unit_matter=old.unit_matter,
            unit_decision=old.unit_decision,
        )
        copy_materials(old, topic)
        record_transition(topic, to_state=TopicStatus.PROPOSED, actor=actor,
                          reason=_("上次会议暂缓表决，转入本次会议（%(m)s）") % {"m": old.meeting.title})
        carried.append(topic)
    return carried


@transaction.atomic
def submit_agenda(*, actor, meeting: Meeting) -> Meeting:
    """Send the proposed agenda to the type's approver (R-AG-1..3)."""
    meeting = lock_row(Meeting, meeting.pk)
    if not meeting.topics.exclude(status__in=[TopicStatus.WITHDRAWN, TopicStatus.REJECTED]).exists():
        raise TransitionRefused(_("议程中还没有议题。"))
    move_meeting(meeting, MeetingStatus.AGENDA_SUBMITTED, actor=actor, reason=_("提交审定"))
    notify(recipients=[meeting.approver], kind="agenda_submitted", meeting=meeting,
           title=_("待审定议程：%(m)s") % {"m": meeting.title}, url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


def check_consulted(topic: Topic) -> None:
    """R-VO-5: a topic deferred at an earlier meeting is tabled again only once every member of that
    meeting has been consulted on it (where the type asks for it: the party group). R-AG-9: an
    important topic only once the units consulted on it and their opinions are recorded."""
    from governance.selectors.followup import consultation_status

    if (topic.important and topic.meeting.meeting_type.consult_units_on_important
            and not topic.unit_opinions.exists()):
        # R-AG-9: 提交党组会议研究的重要议题，会前要充分调查研究，广泛征求意见
        raise TransitionRefused(_("重要议题须先登记征求意见的处室及其意见，方可列入议程。"),
                                clause=clause_of(topic.meeting.meeting_type, "topics"))
    status = consultation_status(topic)
    if status and status[1]:
        raise TransitionRefused(_("暂缓表决的议题须先征求每位成员意见后再议，尚未征求：%(names)s。") % {
            "names": "、".join(display_name(m) for m in status[1])},
            clause=clause_of(topic.meeting.meeting_type, "carry_over"))


@transaction.atomic
def review_topic(*, actor, topic: Topic, decision: str, reason: str = "") -> Topic:
    """The approver accepts a topic onto the agenda, returns it for materials, or rejects it."""
    topic = lock_row(Topic, topic.pk)
    meeting = topic.meeting
    check_approver(actor, meeting)
    if meeting.status not in {MeetingStatus.AGENDA_OPEN, MeetingStatus.AGENDA_SUBMITTED}:
        raise TransitionRefused(_("议程已审定，不能再调整议题。"))
    targets = {"accept": TopicStatus.ACCEPTED, "return": TopicStatus.RETURNED, "reject": TopicStatus.REJECTED}
    if decision not in targets:
        raise TransitionRefused(_("未知的审定意见。"))
    if decision == "accept":
        refusal = materials_refusal(important=topic.important, materials_required=meeting.meeting_type.materials_required,
                                    material_count=topic.materials.count())
        if refusal:
            raise TransitionRefused(refusal, clause=clause_of(meeting.meeting_type, "materials"))
        check_consulted(topic)
    elif not reason.strip():
        raise TransitionRefused(_("退回或不予列入须说明理由。"))
    topic.status_reason = reason.strip()[:500]
    move_topic(topic, targets[decision], actor=actor, reason=reason.strip(), extra=("status_reason",))
    if decision != "accept":
        notify(recipients=[topic.proposer], kind=f"topic_{decision}",
               title=_("议题“%(t)s”：%(d)s") % {"t": public_title(topic), "d": topic.get_status_display()},
               body=public_text(topic, reason), url=reverse("meeting_detail", args=[meeting.pk]))
    return topic


@transaction.atomic
def resubmit_topic(*, actor, topic: Topic) -> Topic:
    """A returned topic, its materials added, goes back to the approver."""
    topic = lock_row(Topic, topic.pk)
    if actor.pk != topic.proposer_id and not may_meeting(actor, topic.meeting, "manage"):
        raise TransitionRefused(_("只有提出人或会务人员可以重新提交议题。"))
    move_topic(topic, TopicStatus.PROPOSED, actor=actor, reason=_("补充材料后重新提交"))
    return topic


@transaction.atomic
def approve_agenda(*, actor, meeting: Meeting) -> Meeting:
    """The approver approves the agenda: every topic reviewed, at least one on it (R-AG-1..3)."""
    meeting = lock_row(Meeting, meeting.pk)
    check_approver(actor, meeting)
    pending = meeting.topics.filter(status=TopicStatus.PROPOSED).count()
    if pending:
        raise TransitionRefused(_("还有 %(n)s 个议题未审定。") % {"n": pending})
    if not meeting.topics.filter(status=TopicStatus.ACCEPTED).exists():
        raise TransitionRefused(_("议程中没有列入的议题。"))
    meeting.agenda_approved_at = timezone.now()
    move_meeting(meeting, MeetingStatus.AGENDA_APPROVED, actor=actor, reason=_("议程审定"), extra=("agenda_approved_at",))
    notify(recipients=[meeting.scheduled_by, *( [meeting.recorder] if meeting.recorder else [])],
           kind="agenda_approved", meeting=meeting, title=_("议程已审定：%(m)s") % {"m": meeting.title},
           url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def return_agenda(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """The approver sends the agenda back to be reworked, with a reason."""
    meeting = lock_row(Meeting, meeting.pk)
    check_approver(actor, meeting)
    if not reason.strip():
        raise TransitionRefused(_("退回议程须说明理由。"))
    meeting.status_reason = reason.strip()[:500]
    move_meeting(meeting, MeetingStatus.AGENDA_OPEN, actor=actor, reason=reason.strip(), extra=("status_reason",))
    notify(recipients=[meeting.scheduled_by], kind="agenda_returned", title=_("议程被退回：%(m)s") % {"m": meeting.title},
           body=reason, url=reverse("meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def send_notice(*, actor, meeting: Meeting) -> Meeting:
    """R-NO-1: notify every member and invitee with topics, time, place and materials; flag a notice
    later than the type's lead time."""
    meeting = lock_row(Meeting, meeting.pk)
    now = timezone.now()
    meeting.notice_sent_at = now  # whether it was late is derived when read (selectors.due_dates.notice_late)
    move_meeting(meeting, MeetingStatus.NOTICE_SENT, actor=actor, reason=_("发出会议通知"),
          extra=("notice_sent_at",))
    meeting.notice_late = notice_late(meeting)
    send_notice_messages(meeting)
    for participant in meeting.participants.filter(notified_at__isnull=True):
        participant.notified_at = now
        participant.save(update_fields=["notified_at"])
    return meeting


def send_notice_messages(meeting: Meeting) -> None:
    participants = list(meeting.participants.select_related("person"))
    topics = list(meeting.topics.filter(status=TopicStatus.ACCEPTED).select_related("category").order_by("order"))
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    url = reverse("meeting_detail", args=[meeting.pk])
    for p in participants:
        lines = []
        for i, topic in enumerate(topics, start=1):
            # R-CO-1: a notice is stored, mailed and kept by mail servers: a confidential topic is named
            # by the placeholder for everyone, its members read it on the meeting page.
            lines.append(f"{i}. {public_title(topic)}")
        body = _("时间：%(when)s\n地点：%(place)s\n身份：%(role)s\n议题：\n%(topics)s\n会议材料请登录系统查阅。") % {
            "when": when, "place": meeting.place, "role": p.get_role_display(), "topics": "\n".join(lines)}
        notify(recipients=[p.person], kind="notice", meeting=meeting,
               title=_("会议通知：%(m)s") % {"m": meeting.title}, body=body, url=url)
