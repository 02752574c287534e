"""Approved minutes sent to their recipients (R-MI-4), acknowledged (R-MI-5) and corrected by a new
revision (R-MI-3)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from governance.models import (
    Post,
    Role,
    Scope,
    UnitKind,
)
from governance.rules.refusals import TransitionRefused
from governance.selectors.roles import holders
from governance.services.common import notify, record_transition
from minutes.models import Minutes, MinutesStatus, Recipient, Revision, RevisionStatus
from minutes.permissions import may_minutes
from minutes.services.common import lock_minutes, plain


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
    from governance.selectors.org import office_staff

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
    notify_recipients(minutes)
    if minutes.meeting.meeting_type.minutes_filed_with_supervision:
        minutes.filed_at = now
        minutes.save(update_fields=["filed_at"])
        record_transition(minutes, to_state=MinutesStatus.FILED, actor=actor, reason=_("向监察室报备"))
        office = _file_with_supervision(minutes)
        notify(recipients=office, kind="minutes_filed", title=_("纪要报备：%(n)s") % {"n": minutes.number},
               url=reverse("minutes_detail", args=[minutes.pk]))
    return minutes


def _file_with_supervision(minutes: Minutes) -> list:
    office = supervision_staff(minutes.meeting.bureau)
    for officer in office:
        assign_perm("minutes.view_minutes", officer, minutes)
        assign_perm("minutes.review_minutes", officer, minutes)
    return office


def refile_correction(*, minutes: Minutes, revision: Revision, actor) -> Minutes:
    """R-MI-7: an approved correction to minutes filed with the Supervision Office is filed again:
    the signature and the review of the earlier version no longer hold, so the review is pending again
    (the earlier one stays in the history and the transitions), and the office is told."""
    minutes.filed_at = timezone.now()
    minutes.received_by, minutes.received_at = None, None
    minutes.reviewed_by, minutes.reviewed_at, minutes.review_note = None, None, ""
    minutes.archived_at = None  # the archived version lacks the correction; archived again once reviewed
    record_transition(minutes, to_state=MinutesStatus.FILED, actor=actor,
                      reason=_("更正（第%(v)s版）重新报备") % {"v": revision.number},
                      extra_fields=("filed_at", "received_by", "received_at", "reviewed_by", "reviewed_at",
                                    "review_note", "archived_at"))
    office = _file_with_supervision(minutes)
    notify(recipients=office, kind="minutes_filed",
           title=_("纪要更正后重新报备，请重新审阅：%(n)s（第%(v)s版）") % {"n": minutes.number, "v": revision.number},
           url=reverse("minutes_detail", args=[minutes.pk]))  # no body: the reason may name a confidential matter
    return minutes


def notify_recipients(minutes: Minutes, correction: Revision | None = None) -> None:
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
    minutes = lock_minutes(minutes.pk)
    if not may_minutes(actor, minutes, "draft"):
        raise TransitionRefused(_("只有起草人可以提出更正。"))
    if not reason.strip():
        raise TransitionRefused(_("更正须说明理由。"))
    latest = minutes.revisions.order_by("-number").first()
    if latest.status != RevisionStatus.APPROVED:
        raise TransitionRefused(_("已有一个未审定的版本，请先完成它。"))
    return Revision.objects.create(
        minutes=minutes, number=latest.number + 1, title=latest.title, summary=latest.summary, body=latest.body,
        attendance=latest.attendance, correction_reason=plain(reason, 500), drafted_by=actor)
