"""What every transition service shares: the refusal type, the audit trail, notifications."""

from __future__ import annotations

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import update_change_reason

from audit.services import record as audit_record

from ..documents.text import one_line
from ..models import Meeting, Notification, Transition
from ..selectors.confidential import public_reason

log = logging.getLogger("governance.services")


def record_transition(obj, *, field: str = "status", to_state: str, actor, reason: str = "",
                      extra_fields: tuple[str, ...] = ()) -> None:
    """Move `obj` to `to_state`, saving only the touched fields, and record who/when/why."""
    reason = public_reason(obj, reason)  # R-CO-1: the history never carries a confidential topic's words
    from_state = getattr(obj, field)
    setattr(obj, field, to_state)
    obj._change_reason = reason or f"{from_state} → {to_state}"
    obj.save(update_fields=[field, *extra_fields])
    record_event(obj, from_state=from_state, to_state=to_state, actor=actor, reason=reason)


def record_event(obj, *, from_state: str, to_state: str, actor, reason: str) -> None:
    """The who/when/why row of docs/architecture.md, Workflows, also for a change that keeps the state (a postponement)."""
    Transition.objects.create(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
                              from_state=from_state, to_state=to_state, actor=actor, reason=reason[:500])
    reason = public_reason(obj, reason)  # R-CO-1: the audit trail never carries a confidential topic's words
    audit_record(actor=actor, category="transition", action=str(to_state), obj=obj,
                 label=obj.title if isinstance(obj, Meeting) else "", reason=reason,
                 detail={"from": str(from_state), "to": str(to_state), "meeting": getattr(obj, "meeting_id", None)})


def audit(obj, reason: str) -> None:
    update_change_reason(obj, reason[:100])


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", meeting=None) -> list[Notification]:
    """An in-app message to each recipient, and e-mail sent after the transaction commits.

    With a meeting, one message per kind per person: a retried service never notifies twice. The
    title is one line (it becomes an e-mail subject) and fits its column.
    """
    title = one_line(title)[:200]
    created = []
    for person in {p.pk: p for p in recipients}.values():
        if meeting is not None:
            note, fresh = Notification.objects.get_or_create(
                recipient=person, kind=kind, meeting=meeting, defaults={"title": title, "body": body, "url": url})
            if not fresh:
                continue
        else:
            note = Notification.objects.create(recipient=person, kind=kind, title=title, body=body, url=url)
        created.append(note)
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _queue_emails(ids))
    return created


def notify_many(messages: list[dict]) -> list[Notification]:
    """One in-app message per item of `messages` (recipient_id, kind, title, body, url), inserted in one
    statement, and their e-mail queued in one task after the transaction commits (the sweep's alerts)."""
    created = Notification.objects.bulk_create([
        Notification(recipient_id=m["recipient_id"], kind=m["kind"], title=one_line(m["title"])[:200],
                     body=m.get("body", ""), url=m.get("url", "")) for m in messages])
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _queue_emails(ids))
    return created


def _queue_emails(ids: list[int]) -> None:
    if not queue_task("governance.tasks.send_notification_emails", ids):
        log.warning("could not queue e-mail for notifications %s; they stay unsent for the sweep", ids)


def queue_task(name: str, *args) -> bool:
    """Hand background work to Celery by task name, so that services never import the task modules
    (which import the services: the layers read top-down). False when the broker cannot be reached;
    the caller decides what then (the sweep resends notifications; an export is built in-process)."""
    from celery import current_app

    try:
        current_app.tasks[name].delay(*args)
    except Exception:  # noqa: BLE001 - the broker being down must not break the page
        return False
    return True


def deliver(ids: list[int]) -> int:
    """Send each notification on every configured channel it has not gone out on yet.

    The Delivery row is claimed first (a unique row per notification and channel), inside a
    transaction that also sends: a concurrent worker finds the row taken and skips it. A transient
    failure (OSError: the mail server is away) rolls the claim back so the sweep tries again; it is
    raised once every other message has had its turn, so that the task retries. Any other failure
    belongs to that one message (an address the mail library refuses): it is recorded as not
    delivered and logged, never tried again, and never keeps the others back. (An e-mail accepted by
    the mail server just before a crash could go twice; nothing short of the mail server's own
    de-duplication avoids that.)
    """
    from ..channels import channels
    from ..models import Delivery

    sent = 0
    transient: OSError | None = None
    notes = list(Notification.objects.filter(pk__in=ids).select_related("recipient"))
    for channel in channels():
        for note in notes:
            try:
                with transaction.atomic():
                    claim = Delivery.objects.create(notification=note, channel=channel.name)
                    try:
                        claim.delivered = channel.send(note)
                    except OSError:
                        raise
                    except Exception:  # noqa: BLE001 - this message cannot go out; the others must
                        log.exception("notification %s cannot be sent by %s; recorded as not delivered",
                                      note.pk, channel.name)
                        claim.delivered = False
                    claim.save(update_fields=["delivered"])
            except IntegrityError:
                continue  # already sent on this channel
            except OSError as error:
                log.warning("notification %s not sent by %s (%s); it will be tried again", note.pk, channel.name, error)
                transient = transient or error
                continue
            sent += int(claim.delivered)
    if transient is not None:
        raise transient
    return sent


def redeliver_pending(*, older_than: datetime.timedelta) -> int:
    """Hand to the channels again what never went out (the broker was down, a worker died); a
    channel that is still away leaves them for the next sweep, without failing this one."""
    from ..channels import channels

    names = [c.name for c in channels()]
    cutoff = timezone.now() - older_than
    pending = (Notification.objects.filter(created_at__lt=cutoff, created_at__gte=cutoff - datetime.timedelta(days=7))
               .exclude(deliveries__channel__in=names).values_list("pk", flat=True)[:500])
    ids = list(pending)
    if not ids:
        return 0
    try:
        return deliver(ids)
    except OSError:
        return 0  # logged per message in deliver; the next sweep tries again
