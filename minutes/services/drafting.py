"""Minutes from draft to approval (R-MI-1..3): drafted from the meeting record, submitted, approved by
the chair and locked, numbered per issuing unit and year without gaps."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from governance.models import (
    Attendance,
    Meeting,
    MeetingStatus,
    RecorderSource,
    Role,
    Topic,
    TopicStatus,
)
from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.selectors import workdays as workcal
from governance.selectors.org import display_name
from governance.selectors.record import record_text
from governance.services.common import notify, record_transition
from governance.services.record import lock_record
from governance.services.workflow import VOTED_STATES, check_decision
from minutes.models import Minutes, MinutesCounter, MinutesStatus, Revision, RevisionStatus
from minutes.permissions import may_minutes
from minutes.services.common import lock_minutes, plain
from minutes.services.distribution import distribute, notify_recipients

User = get_user_model()

OUTCOMES = {TopicStatus.PASSED: "通过", TopicStatus.NOT_PASSED: "未通过", TopicStatus.DEFERRED: "暂缓表决",
            TopicStatus.NOTED: "通报"}


def issuing_unit_for(meeting: Meeting):
    """R-MI-2: the division numbers its own minutes; the General Office numbers bureau minutes."""
    if meeting.unit_id and meeting.meeting_type.recorder_source == RecorderSource.DESIGNATED:
        return meeting.unit
    from governance.selectors.org import general_office

    office = general_office(bureau=meeting.bureau)
    if office is None:
        raise TransitionRefused(_("本局没有办公室，无法为纪要编号。"))
    return office


def record_from_meeting(meeting: Meeting) -> dict:
    """The meeting record a draft starts from: attendance and each topic's outcome (R-MI-1, R-VO-4).
    R-NO-3: an invitee is 列席 only when recorded present; one who did not come is not in the minutes."""
    participants = list(meeting.participants.select_related("person__person"))
    by = {k: [] for k in ("present", "leave", "absent", "invitees")}
    for p in participants:
        name = display_name(p.person)
        if p.role == Role.INVITEE:
            if p.attendance == Attendance.PRESENT:
                by["invitees"].append(name)
        elif p.attendance == Attendance.PRESENT:
            by["present"].append(name)
        elif p.attendance == Attendance.LEAVE:
            by["leave"].append(name)
        else:
            by["absent"].append(name)
    body = []
    for t in meeting.topics.filter(status__in=list(OUTCOMES)).select_related("category").order_by("order", "id"):
        body.append({"topic": t.pk, "title": t.title, "category": t.category.name, "outcome": OUTCOMES[t.status],
                     "decision": t.decision, "votes_for": t.votes_for, "votes_against": t.votes_against,
                     "votes_abstain": t.votes_abstain, "dissent": t.dissent,
                     "confidential": t.category.confidential})
    return {"attendance": by, "body": body}


@transaction.atomic
def start_minutes(*, actor, meeting: Meeting) -> Revision:
    """R-MI-1: the recorder starts the minutes from the meeting record, once the meeting has ended."""
    meeting = Meeting.objects.select_for_update().select_related("meeting_type").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise TransitionRefused(_("会议结束后才能起草纪要。"))
    if actor.pk != meeting.recorder_id and not may_meeting(actor, meeting, "manage"):
        raise TransitionRefused(_("纪要由本次会议的记录人起草。"))
    if hasattr(meeting, "minutes"):
        raise TransitionRefused(_("本次会议已有纪要。"))
    t = meeting.meeting_type
    held_on = timezone.localtime(meeting.held_at or meeting.starts_at).date()
    due, fallback = None, False
    if t.minutes_deadline_workdays is not None:
        result = workcal.add_workdays(held_on, t.minutes_deadline_workdays)
        due, fallback = result.date, bool(result.fallback_years)
    minutes = Minutes.objects.create(meeting=meeting, issuing_unit=issuing_unit_for(meeting), due=due,
                                     due_fallback=fallback)
    record = record_from_meeting(meeting)
    # R-MI-8: the draft starts from the meeting record: its general part becomes the 会议概况.
    revision = Revision.objects.create(minutes=minutes, number=1, title=_("%(m)s纪要") % {"m": meeting.title},
                                       summary=record_text(meeting, None), body=record["body"],
                                       attendance=record["attendance"], drafted_by=actor)
    _grant_minutes_rights(minutes, actor=actor)
    return revision


def _grant_minutes_rights(minutes: Minutes, *, actor) -> None:
    meeting = minutes.meeting
    readers = {p.person_id for p in meeting.participants.all()} | {meeting.chair_id, actor.pk}
    if meeting.recorder_id:
        readers.add(meeting.recorder_id)
    for user in User.objects.filter(pk__in=readers):
        assign_perm("minutes.view_minutes", user, minutes)
    for user in User.objects.filter(pk__in={actor.pk, meeting.recorder_id} - {None}):
        assign_perm("minutes.draft_minutes", user, minutes)
    assign_perm("minutes.approve_minutes", meeting.chair, minutes)


@transaction.atomic
def edit_revision(*, actor, revision: Revision, title: str, summary: str, decisions: dict[int, str],
                  dissents: dict[int, str]) -> Revision:
    """Edit a draft (or returned) revision; recorder-written text is kept plain (nh3)."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.status not in {RevisionStatus.DRAFT, RevisionStatus.RETURNED}:
        raise TransitionRefused(_("已提交或已审定的纪要不能修改。"))
    if not may_minutes(actor, revision.minutes, "draft"):
        raise TransitionRefused(_("只有起草人可以修改纪要。"))
    if not title.strip():
        raise TransitionRefused(_("请填写纪要标题。"))
    revision.title, revision.summary = plain(title, 200), plain(summary)
    body = []
    for i, item in enumerate(revision.body):
        item = dict(item)
        if i in decisions:
            text = plain(decisions[i])
            if text != item.get("decision", "") and item.get("topic"):
                _check_decision_text(item["topic"], text)
            item["decision"] = text
        if i in dissents:
            item["dissent"] = plain(dissents[i])
        body.append(item)
    revision.body = body
    revision._change_reason = _("修改纪要草稿")
    revision.save(update_fields=["title", "summary", "body"])
    return revision


def _check_decision_text(topic_id: int, text: str) -> None:
    """R-QU-2, R-VO-1: a decision written into the minutes passes the same guard as one recorded at the
    meeting: a personnel topic that was not voted gets no decision here either."""
    topic = Topic.objects.select_related("category", "meeting__meeting_type").filter(pk=topic_id).first()
    if topic is not None:
        check_decision(topic, voted=topic.status in VOTED_STATES, text=text, at_meeting=False)


@transaction.atomic
def submit_revision(*, actor, revision: Revision) -> Revision:
    """Send the draft to the chair for approval (R-MI-3)."""
    revision = Revision.objects.select_for_update().select_related("minutes__meeting").get(pk=revision.pk)
    if not may_minutes(actor, revision.minutes, "draft"):
        raise TransitionRefused(_("只有起草人可以提交纪要。"))
    if revision.status not in {RevisionStatus.DRAFT, RevisionStatus.RETURNED}:
        raise TransitionRefused(_("这个版本已经提交过。"))
    revision.submitted_at = timezone.now()
    record_transition(revision, to_state=RevisionStatus.SUBMITTED, actor=actor, reason=_("提交审定"),
                      extra_fields=("submitted_at",))
    minutes = revision.minutes
    if minutes.status == MinutesStatus.DRAFT:
        record_transition(minutes, to_state=MinutesStatus.SUBMITTED, actor=actor, reason=_("提交审定"))
    notify(recipients=[minutes.meeting.chair], kind="minutes_submitted",
           title=_("待审定纪要：%(t)s（第%(n)s版）") % {"t": revision.title, "n": revision.number},
           url=reverse("minutes_detail", args=[minutes.pk]))
    return revision


@transaction.atomic
def return_revision(*, actor, revision: Revision, reason: str) -> Revision:
    revision = Revision.objects.select_for_update().select_related("minutes__meeting").get(pk=revision.pk)
    if not may_minutes(actor, revision.minutes, "approve"):
        raise TransitionRefused(_("纪要由会议主持人审定。"))
    if revision.status != RevisionStatus.SUBMITTED:
        raise TransitionRefused(_("只有待审定的纪要可以退回。"))
    if not reason.strip():
        raise TransitionRefused(_("退回须说明理由。"))
    revision.return_reason = reason.strip()[:500]
    record_transition(revision, to_state=RevisionStatus.RETURNED, actor=actor, reason=reason.strip(),
                      extra_fields=("return_reason",))
    notify(recipients=[revision.drafted_by], kind="minutes_returned", title=_("纪要被退回：%(t)s") % {"t": revision.title},
           body=reason, url=reverse("minutes_detail", args=[revision.minutes_id]))
    return revision


def _take_number(minutes: Minutes, year: int) -> int:
    """R-MI-2: the next number of the issuing unit in `year`, without gaps, under a row lock."""
    counter = MinutesCounter.objects.select_for_update().filter(unit=minutes.issuing_unit, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                MinutesCounter.objects.create(unit=minutes.issuing_unit, year=year, last=0)
        except IntegrityError:
            pass  # another approval created it first; lock the one that exists
        counter = MinutesCounter.objects.select_for_update().get(unit=minutes.issuing_unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def approve_revision(*, actor, revision: Revision) -> Revision:
    """R-MI-3: the chair approves; the revision locks. The first approval numbers the minutes
    (R-MI-2) and distributes them (R-MI-4); a correction is re-sent to the same recipients."""
    revision = Revision.objects.select_related("minutes").get(pk=revision.pk)
    minutes = lock_minutes(revision.minutes_id)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if not may_minutes(actor, minutes, "approve"):
        raise TransitionRefused(_("纪要由会议主持人审定。"))
    if revision.status != RevisionStatus.SUBMITTED:
        raise TransitionRefused(_("只有待审定的纪要可以审定。"))
    now = timezone.now()
    revision.approved_by, revision.approved_at = actor, now
    record_transition(revision, to_state=RevisionStatus.APPROVED, actor=actor, reason=_("审定"),
                      extra_fields=("approved_by", "approved_at"))
    if not minutes.sequence:
        minutes.year = timezone.localtime(now).year
        minutes.sequence = _take_number(minutes, minutes.year)
        minutes.save(update_fields=["year", "sequence"])
        record_transition(minutes, to_state=MinutesStatus.APPROVED, actor=actor,
                          reason=_("审定并编号 %(n)s") % {"n": minutes.number})
        distribute(minutes=minutes, actor=actor)
        lock_record(meeting=minutes.meeting, actor=actor)  # R-MI-8: the record the minutes came from
    else:
        notify_recipients(minutes, correction=revision)
    return revision
