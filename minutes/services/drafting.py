"""Minutes from draft to approval (R-MI-1..3): drafted from the meeting record, submitted, approved by
the chair and locked, numbered per issuing unit and year without gaps."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
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
    VoteChoice,
)
from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.selectors.org import display_name
from governance.selectors.record import record_text
from governance.services.common import notify, record_transition
from governance.services.record import lock_record
from governance.services.workflow import VOTED_STATES, check_decision
from minutes.models import Minutes, MinutesCounter, MinutesStatus, Revision, RevisionStatus
from minutes.permissions import may_minutes
from minutes.services.common import lock_minutes, plain
from minutes.services.distribution import distribute, notify_recipients, refile_correction

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
    # The due date (R-MI-4) is not stored: minutes.selectors.attach_due derives it when read.
    minutes = Minutes.objects.create(meeting=meeting, issuing_unit=issuing_unit_for(meeting))
    record = record_from_meeting(meeting)
    # R-MI-8: the draft starts from the meeting record: its general part becomes the 会议概况.
    revision = Revision.objects.create(minutes=minutes, number=1, title=_("%(m)s纪要") % {"m": meeting.title},
                                       summary=record_text(meeting, None), body=record["body"],
                                       attendance=record["attendance"], drafted_by=actor)
    _grant_minutes_rights(minutes, actor=actor)
    return revision


def _grant_minutes_rights(minutes: Minutes, *, actor) -> None:
    """Who reads the minutes one by one: the meeting's people, its chair, recorder and drafter. R-CO-2:
    where the type's minutes book is read by grant (会议记录本由办公室妥为保管), invitees (列席) are not
    among them: they read these minutes only with a grant of the book (`minutes.permissions.book_grants`)."""
    meeting = minutes.meeting
    participants = meeting.participants.all()
    if meeting.meeting_type.minutes_access_by_grant:
        participants = participants.filter(role=Role.MEMBER)
    readers = {p.person_id for p in participants} | {meeting.chair_id, actor.pk}
    if meeting.recorder_id:
        readers.add(meeting.recorder_id)
    for user in User.objects.filter(pk__in=readers):
        assign_perm("minutes.view_minutes", user, minutes)
    for user in User.objects.filter(pk__in={actor.pk, meeting.recorder_id} - {None}):
        assign_perm("minutes.draft_minutes", user, minutes)
    assign_perm("minutes.approve_minutes", meeting.chair, minutes)


def _recorded(revision: Revision) -> dict[int, tuple[str, int]]:
    """R-VO-4: per topic of the revision, the dissent recorded at the meeting and the votes against
    (the counted figure or the members' recorded votes, whichever is more)."""
    ids = [item.get("topic") for item in revision.body if item.get("topic")]
    topics = Topic.objects.filter(pk__in=ids).annotate(against=Count("votes", filter=Q(votes__choice=VoteChoice.AGAINST)))
    return {t.pk: (plain(t.dissent), max(t.votes_against or 0, t.against)) for t in topics}


def _dissent_refusal(i: int, item: dict) -> TransitionRefused:
    return TransitionRefused(_("第%(n)s项议题“%(t)s”：会上记录的不同意见须如实完整载入纪要，不能删改。") % {
        "n": i + 1, "t": item.get("title", "") if not item.get("confidential") else _("保密议题")}, clause="R-VO-4")


def check_dissent(revision: Revision) -> None:
    """R-VO-4 (对不同意见要真实完整记录): every dissent recorded at the meeting is in the minutes as
    recorded, and a topic with a vote against carries a dissent; refused otherwise, on every path
    that submits or approves (whatever wrote the revision's text)."""
    recorded = _recorded(revision)
    for i, item in enumerate(revision.body):
        dissent, against = recorded.get(item.get("topic"), ("", 0))
        written = plain(item.get("dissent", ""))
        if dissent and written != dissent:
            raise _dissent_refusal(i, item)
        if max(against, item.get("votes_against") or 0) and not written:
            raise TransitionRefused(_("第%(n)s项议题有反对票，纪要未记录不同意见，不能提交或审定。") % {"n": i + 1},
                                    clause="R-VO-4")


@transaction.atomic
def edit_revision(*, actor, revision: Revision, title: str, summary: str, decisions: dict[int, str],
                  dissents: dict[int, str]) -> Revision:
    """Edit a draft (or returned) revision; recorder-written text is kept plain. R-VO-4: a dissent
    recorded at the meeting is carried as recorded: the drafter may not blank or rewrite it (only
    supply one where the meeting recorded none)."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.status not in {RevisionStatus.DRAFT, RevisionStatus.RETURNED}:
        raise TransitionRefused(_("已提交或已审定的纪要不能修改。"))
    if not may_minutes(actor, revision.minutes, "draft"):
        raise TransitionRefused(_("只有起草人可以修改纪要。"))
    if not title.strip():
        raise TransitionRefused(_("请填写纪要标题。"))
    revision.title, revision.summary = plain(title, 200), plain(summary)
    recorded = _recorded(revision)
    body = []
    for i, item in enumerate(revision.body):
        item = dict(item)
        if i in decisions:
            text = plain(decisions[i])
            if text != item.get("decision", "") and item.get("topic"):
                _check_decision_text(item["topic"], text)
            item["decision"] = text
        if i in dissents:
            dissent = recorded.get(item.get("topic"), ("", 0))[0]
            if dissent and plain(dissents[i]) != dissent:
                raise _dissent_refusal(i, item)
            item["dissent"] = dissent or plain(dissents[i])
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
    check_dissent(revision)
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


def numbering_year(meeting: Meeting) -> int:
    """R-MI-2: the number's year is the year the meeting was held, not the year it was approved."""
    return timezone.localtime(meeting.held_at or meeting.starts_at).year


def _take_number(minutes: Minutes, series: str, year: int) -> int:
    """R-MI-2: the next number of the issuing unit's `series` in `year`, without gaps, under a row lock."""
    where = {"unit": minutes.issuing_unit, "series": series, "year": year}
    counter = MinutesCounter.objects.select_for_update().filter(**where).first()
    if counter is None:
        try:
            with transaction.atomic():
                MinutesCounter.objects.create(**where, last=0)
        except IntegrityError:
            pass  # another approval created it first; lock the one that exists
        counter = MinutesCounter.objects.select_for_update().get(**where)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def approve_revision(*, actor, revision: Revision) -> Revision:
    """R-MI-3: the chair approves; the revision locks. The first approval numbers the minutes
    (R-MI-2) in the type's series and the meeting's year, and distributes them (R-MI-4); a correction
    is re-sent to the same recipients and, if the minutes were filed, filed again (R-MI-7).
    R-VO-4: refused while the dissent is not the one recorded at the meeting."""
    revision = Revision.objects.select_related("minutes").get(pk=revision.pk)
    minutes = lock_minutes(revision.minutes_id)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if not may_minutes(actor, minutes, "approve"):
        raise TransitionRefused(_("纪要由会议主持人审定。"))
    if revision.status != RevisionStatus.SUBMITTED:
        raise TransitionRefused(_("只有待审定的纪要可以审定。"))
    check_dissent(revision)
    now = timezone.now()
    revision.approved_by, revision.approved_at = actor, now
    record_transition(revision, to_state=RevisionStatus.APPROVED, actor=actor, reason=_("审定"),
                      extra_fields=("approved_by", "approved_at"))
    if not minutes.sequence:
        # R-MI-2: each meeting type numbers in its own series (a parameter on the type), by the meeting's year.
        minutes.series = minutes.meeting.meeting_type.minutes_series
        minutes.year = numbering_year(minutes.meeting)
        minutes.sequence = _take_number(minutes, minutes.series, minutes.year)
        minutes.save(update_fields=["series", "year", "sequence"])
        record_transition(minutes, to_state=MinutesStatus.APPROVED, actor=actor,
                          reason=_("审定并编号 %(n)s") % {"n": minutes.number})
        distribute(minutes=minutes, actor=actor)
        lock_record(meeting=minutes.meeting, actor=actor)  # R-MI-8: the record the minutes came from
    else:
        notify_recipients(minutes, correction=revision)
        if minutes.filed_at:
            refile_correction(minutes=minutes, revision=revision, actor=actor)
    return revision
