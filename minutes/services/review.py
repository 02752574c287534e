"""Filing with the Supervision Office, its review and queries (R-MI-7), and archiving (R-MI-6)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused
from governance.services.common import notify, record_transition
from minutes.models import Minutes, MinutesStatus, Query, RevisionStatus
from minutes.permissions import may_minutes
from minutes.services.common import lock_minutes, plain
from minutes.services.distribution import supervision_staff

User = get_user_model()


@transaction.atomic
def receive_filing(*, actor, minutes: Minutes) -> Minutes:
    """The Supervision Office signs for filed minutes (R-MI-4 报备)."""
    minutes = lock_minutes(minutes.pk)
    if not may_minutes(actor, minutes, "review"):
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
    minutes = lock_minutes(minutes.pk)
    if not may_minutes(actor, minutes, "review"):
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
    minutes = lock_minutes(minutes.pk)
    if not may_minutes(actor, minutes, "review"):
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
    minutes = lock_minutes(minutes.pk)
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
    minutes = lock_minutes(minutes.pk)
    meeting = minutes.meeting
    if not (may_meeting(actor, meeting, "manage") or actor.pk == meeting.recorder_id):
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
    """R-MI-4: distributed on or before its due date as the calendar now stands (minutes.selectors.on_time)."""
    from minutes.selectors import on_time as verdict

    return verdict(minutes)
