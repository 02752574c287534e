"""The minutes workflow (R-MI-1..7): draft from the meeting record, submit, approve and lock, number,
distribute, acknowledge, file, review, query, correct, archive. One transition service each."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from governance import calendar as workcal
from governance.models import (
    Attendance,
    Meeting,
    MeetingStatus,
    Post,
    RecorderSource,
    Role,
    Scope,
    TopicStatus,
    UnitKind,
)
from governance.selectors import display_name
from governance.services.common import TransitionRefused, notify, record_transition
from governance.services.meetings import holders

from .models import Minutes, MinutesCounter, MinutesStatus, Query, Recipient, Revision, RevisionStatus

User = get_user_model()

OUTCOMES = {TopicStatus.PASSED: "通过", TopicStatus.NOT_PASSED: "未通过", TopicStatus.DEFERRED: "暂缓表决",
            TopicStatus.NOTED: "通报"}


_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def plain(text: str, limit: int = 20000) -> str:
    """Recorder-written text is kept as plain text, exactly as typed (nothing lost: "金额<5万" stays),
    minus control characters; every screen escapes it and documents write it as text, so markup
    is never rendered. (Stripping tags with nh3 would eat "a<b" and is not needed for plain text.)"""
    return (text or "").replace("\r\n", "\n").translate(_CONTROL).strip()[:limit]




def _lock_minutes(pk) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__meeting_type", "issuing_unit").get(pk=pk)


def issuing_unit_for(meeting: Meeting):
    """R-MI-2: the division numbers its own minutes; the General Office numbers bureau minutes."""
    if meeting.unit_id and meeting.meeting_type.recorder_source == RecorderSource.DESIGNATED:
        return meeting.unit
    from governance.selectors import general_office

    office = general_office(bureau=meeting.bureau)
    if office is None:
        raise TransitionRefused(_("本局没有办公室，无法为纪要编号。"))
    return office


def record_from_meeting(meeting: Meeting) -> dict:
    """The meeting record a draft starts from: attendance and each topic's outcome (R-MI-1, R-VO-4)."""
    participants = list(meeting.participants.select_related("person__person"))
    by = {k: [] for k in ("present", "leave", "absent", "invitees")}
    for p in participants:
        name = display_name(p.person)
        if p.role == Role.INVITEE:
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
    if actor.pk != meeting.recorder_id and not actor.has_perm("governance.manage_meeting", meeting):
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
    revision = Revision.objects.create(minutes=minutes, number=1, title=_("%(m)s纪要") % {"m": meeting.title},
                                       body=record["body"], attendance=record["attendance"], drafted_by=actor)
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
    if not actor.has_perm("minutes.draft_minutes", revision.minutes):
        raise TransitionRefused(_("只有起草人可以修改纪要。"))
    if not title.strip():
        raise TransitionRefused(_("请填写纪要标题。"))
    revision.title, revision.summary = plain(title, 200), plain(summary)
    body = []
    for i, item in enumerate(revision.body):
        item = dict(item)
        if i in decisions:
            item["decision"] = plain(decisions[i])
        if i in dissents:
            item["dissent"] = plain(dissents[i])
        body.append(item)
    revision.body = body
    revision._change_reason = _("修改纪要草稿")
    revision.save(update_fields=["title", "summary", "body"])
    return revision


@transaction.atomic
def submit_revision(*, actor, revision: Revision) -> Revision:
    """Send the draft to the chair for approval (R-MI-3)."""
    revision = Revision.objects.select_for_update().select_related("minutes__meeting").get(pk=revision.pk)
    if not actor.has_perm("minutes.draft_minutes", revision.minutes):
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
    if not actor.has_perm("minutes.approve_minutes", revision.minutes):
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
    minutes = _lock_minutes(revision.minutes_id)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if not actor.has_perm("minutes.approve_minutes", minutes):
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
    else:
        _notify_recipients(minutes, correction=revision)
    return revision


def resolve_recipients(minutes: Minutes) -> list[tuple[object, str]]:
    """R-MI-4: who receives the minutes: the posts the type names (the leader in charge of the
    meeting's unit, for a unit's meeting) and, where the type says so, the meeting's members."""
    meeting, t = minutes.meeting, minutes.meeting.meeting_type
    on = timezone.localtime(meeting.starts_at).date()
    found: dict[int, tuple[object, str]] = {}
    for post in t.minutes_recipient_posts:
        scope = Scope.UNIT if post == Post.LEADER_IN_CHARGE and meeting.unit_id else Scope.BUREAU
        for person in holders(bureau=meeting.bureau, post=post, on=on, unit=meeting.unit, scope=scope):
            found.setdefault(person.pk, (person, str(Post(post).label)))
    if t.minutes_circulate_to_members:
        for p in meeting.participants.filter(role=Role.MEMBER).select_related("person"):
            found.setdefault(p.person_id, (p.person, _("本会成员传阅")))
    return list(found.values())


def supervision_staff(bureau) -> list:
    from governance.selectors import office_staff

    return office_staff(bureau=bureau, kind=UnitKind.SUPERVISION_OFFICE, on=timezone.localdate())


def distribute(*, minutes: Minutes, actor) -> Minutes:
    """R-MI-4, R-MI-5: send to each recipient (in-app and e-mail) and file with the Supervision
    Office where the type says so; whether it was on time is kept against the due date."""
    now = timezone.now()
    for person, reason in resolve_recipients(minutes):
        Recipient.objects.get_or_create(minutes=minutes, person=person, defaults={"reason": reason, "sent_at": now})
        assign_perm("minutes.view_minutes", person, minutes)
    minutes.distributed_at = now
    minutes.save(update_fields=["distributed_at"])
    record_transition(minutes, to_state=MinutesStatus.DISTRIBUTED, actor=actor, reason=_("分送"))
    _notify_recipients(minutes)
    if minutes.meeting.meeting_type.minutes_filed_with_supervision:
        minutes.filed_at = now
        minutes.save(update_fields=["filed_at"])
        record_transition(minutes, to_state=MinutesStatus.FILED, actor=actor, reason=_("向监察室报备"))
        office = supervision_staff(minutes.meeting.bureau)
        for officer in office:
            assign_perm("minutes.view_minutes", officer, minutes)
            assign_perm("minutes.review_minutes", officer, minutes)
        notify(recipients=office, kind="minutes_filed", title=_("纪要报备：%(n)s") % {"n": minutes.number},
               url=reverse("minutes_detail", args=[minutes.pk]))
    return minutes


def _notify_recipients(minutes: Minutes, correction: Revision | None = None) -> None:
    people = [r.person for r in minutes.recipients.select_related("person")]
    if correction is None:
        title = _("请阅纪要：%(n)s") % {"n": minutes.number}
    else:
        title = _("纪要更正（第%(v)s版）：%(n)s") % {"v": correction.number, "n": minutes.number}
        for r in minutes.recipients.all():  # a correction must be read again
            if r.read_at:
                r.read_at, r.read_revision = None, r.read_revision
                r.save(update_fields=["read_at"])
    notify(recipients=people, kind="minutes", title=title, url=reverse("minutes_detail", args=[minutes.pk]))


@transaction.atomic
def acknowledge(*, actor, minutes: Minutes) -> Recipient:
    """R-MI-5: a recipient acknowledges receipt of the current version."""
    recipient = Recipient.objects.select_for_update().filter(minutes=minutes, person=actor).first()
    if recipient is None:
        raise TransitionRefused(_("您不是这份纪要的接收人。"))
    current = minutes.revisions.filter(status=RevisionStatus.APPROVED).order_by("-number").first()
    if recipient.read_at is None:
        recipient.read_at, recipient.read_revision = timezone.now(), current.number if current else None
        recipient.save(update_fields=["read_at", "read_revision"])
    return recipient


@transaction.atomic
def start_correction(*, actor, minutes: Minutes, reason: str) -> Revision:
    """R-MI-3: a correction is a new revision, copied from the approved one, approved again."""
    minutes = _lock_minutes(minutes.pk)
    if not actor.has_perm("minutes.draft_minutes", minutes):
        raise TransitionRefused(_("只有起草人可以提出更正。"))
    if not reason.strip():
        raise TransitionRefused(_("更正须说明理由。"))
    latest = minutes.revisions.order_by("-number").first()
    if latest.status != RevisionStatus.APPROVED:
        raise TransitionRefused(_("已有一个未审定的版本，请先完成它。"))
    return Revision.objects.create(
        minutes=minutes, number=latest.number + 1, title=latest.title, summary=latest.summary, body=latest.body,
        attendance=latest.attendance, correction_reason=plain(reason, 500), drafted_by=actor)


@transaction.atomic
def receive_filing(*, actor, minutes: Minutes) -> Minutes:
    """The Supervision Office signs for filed minutes (R-MI-4 报备)."""
    minutes = _lock_minutes(minutes.pk)
    if not actor.has_perm("minutes.review_minutes", minutes):
        raise TransitionRefused(_("只有监察室可以签收报备的纪要。"))
    if minutes.filed_at is None:
        raise TransitionRefused(_("这份纪要尚未报备。"))
    if minutes.received_at is None:
        minutes.received_by, minutes.received_at = actor, timezone.now()
        minutes._change_reason = _("监察室签收")
        minutes.save(update_fields=["received_by", "received_at"])
    return minutes


@transaction.atomic
def review(*, actor, minutes: Minutes, note: str = "") -> Minutes:
    """R-MI-7: the Supervision Office records its review of filed minutes."""
    minutes = _lock_minutes(minutes.pk)
    if not actor.has_perm("minutes.review_minutes", minutes):
        raise TransitionRefused(_("只有监察室可以审阅报备的纪要。"))
    if minutes.status != MinutesStatus.FILED:
        raise TransitionRefused(_("只有已报备、未审阅的纪要可以审阅。"))
    if minutes.queries.exists() and not minutes.queries.order_by("-created_at").first().is_answer:
        raise TransitionRefused(_("质询尚未答复，不能完成审阅。"))
    if minutes.received_at is None:
        minutes.received_by, minutes.received_at = actor, timezone.now()
    minutes.reviewed_by, minutes.reviewed_at, minutes.review_note = actor, timezone.now(), plain(note, 5000)
    record_transition(minutes, to_state=MinutesStatus.REVIEWED, actor=actor, reason=note.strip() or _("审阅"),
                      extra_fields=("reviewed_by", "reviewed_at", "review_note", "received_by", "received_at"))
    return minutes


@transaction.atomic
def raise_query(*, actor, minutes: Minutes, text: str) -> Query:
    """R-MI-7: the Supervision Office asks; the division is notified and answers in the thread."""
    minutes = _lock_minutes(minutes.pk)
    if not actor.has_perm("minutes.review_minutes", minutes):
        raise TransitionRefused(_("只有监察室可以提出质询。"))
    if minutes.filed_at is None:
        raise TransitionRefused(_("这份纪要尚未报备。"))
    if not plain(text):
        raise TransitionRefused(_("请填写质询内容。"))
    query = Query.objects.create(minutes=minutes, author=actor, text=plain(text, 5000))
    meeting = minutes.meeting
    notify(recipients=[u for u in (meeting.recorder, meeting.chair) if u], kind="minutes_query",
           title=_("监察室对纪要提出质询：%(n)s") % {"n": minutes.number}, body=query.text,
           url=reverse("minutes_detail", args=[minutes.pk]))
    return query


@transaction.atomic
def answer_query(*, actor, minutes: Minutes, text: str) -> Query:
    """R-MI-7: the division (its chair or recorder) answers in the same thread."""
    minutes = _lock_minutes(minutes.pk)
    meeting = minutes.meeting
    if actor.pk not in {meeting.chair_id, meeting.recorder_id}:
        raise TransitionRefused(_("由会议主持人或记录人答复质询。"))
    if not minutes.queries.exists():
        raise TransitionRefused(_("没有需要答复的质询。"))
    if not plain(text):
        raise TransitionRefused(_("请填写答复内容。"))
    answer = Query.objects.create(minutes=minutes, author=actor, text=plain(text, 5000), is_answer=True)
    notify(recipients=supervision_staff(meeting.bureau), kind="minutes_answer",
           title=_("质询已答复：%(n)s") % {"n": minutes.number}, body=answer.text,
           url=reverse("minutes_detail", args=[minutes.pk]))
    return answer


@transaction.atomic
def archive(*, actor, minutes: Minutes) -> Minutes:
    """R-MI-6: archive minutes whole once distributed (and, if filed, reviewed)."""
    minutes = _lock_minutes(minutes.pk)
    meeting = minutes.meeting
    if not (actor.has_perm("governance.manage_meeting", meeting) or actor.pk == meeting.recorder_id):
        raise TransitionRefused(_("由会务人员或记录人归档。"))
    expected = MinutesStatus.REVIEWED if minutes.filed_at else MinutesStatus.DISTRIBUTED
    if minutes.status != expected:
        raise TransitionRefused(_("纪要须先%(s)s才能归档。") % {"s": MinutesStatus(expected).label})
    if minutes.revisions.exclude(status=RevisionStatus.APPROVED).exists():
        raise TransitionRefused(_("还有未审定的更正版本，不能归档。"))
    minutes.archived_at = timezone.now()
    record_transition(minutes, to_state=MinutesStatus.ARCHIVED, actor=actor, reason=_("归档"),
                      extra_fields=("archived_at",))
    return minutes


def on_time(minutes: Minutes) -> bool | None:
    """R-MI-4: distributed on or before its due date (None while there is no due date or not sent)."""
    if minutes.due is None or minutes.distributed_at is None:
        return None
    return timezone.localtime(minutes.distributed_at).date() <= minutes.due


__all__ = ["acknowledge", "answer_query", "approve_revision", "archive", "distribute", "edit_revision",
           "on_time", "raise_query", "receive_filing", "resolve_recipients", "return_revision", "review",
           "start_correction", "start_minutes", "submit_revision"]
