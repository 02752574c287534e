"""One undeliverable message never blocks the others or the deadline sweep (R-CA-2): a title with a line
break becomes a one-line subject, a message whose send fails for good (an address the mail library
refuses) is recorded as not delivered and never holds the loop, and a transient failure is retried
without failing the sweep."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from governance.models import Alert, Delivery, MeetingType, Notification
from governance.services import scheduling
from governance.services.common import deliver
from governance.services.sweep import sweep
from tests.world import soon


def _backdate(minutes: int = 5) -> None:
    """Make every notification old enough for the sweep's redelivery (it leaves the last 2 minutes to the task)."""
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


@pytest.fixture
def addressed(presets):
    for person in (presets.clerk, presets.secretary, presets.head, presets.supervisor, presets.staff):
        person.email = f"{person.username}@example.gov.cn"
        person.save(update_fields=["email"])
    return presets


def test_a_title_with_a_line_break_no_longer_fails_every_sweep(addressed):
    """Measured: a meeting titled with a line break put a newline into the reminder's e-mail subject; the
    send raised BadHeaderError inside the sweep's redelivery, and every sweep after it failed the same
    way (the message stayed unsent, so each sweep tried it again) while the messages behind it waited."""
    pg = MeetingType.objects.get(bureau=addressed.bureau, code="PG")
    scheduling.schedule_meeting(actor=addressed.clerk, meeting_type=pg, starts_at=soon(1), place="会议室",
                                title="党组会议\n（调整时间）")
    scheduling.schedule_meeting(actor=addressed.clerk, meeting_type=pg, starts_at=soon(2), place="会议室",
                                title="长" * 200)  # the reminder's title is longer than its column
    assert sweep().recorded
    _backdate()
    for _ in range(3):  # the next sweeps: each one completes
        sweep()
    assert all(len(a.title) <= 200 and "\n" not in a.title for a in Alert.objects.all())
    assert mail.outbox, "the reminders went out"
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    assert any("党组会议 （调整时间）" in m.subject for m in mail.outbox)
    assert not Notification.objects.exclude(deliveries__channel="email").exists()


def test_one_undeliverable_message_is_recorded_and_the_others_go_out(addressed):
    p = addressed
    broken = Notification.objects.create(recipient=p.head, kind="test", title="给处长")
    p.head.email = "head@example.gov.cn\nBcc: everyone@example.gov.cn"  # refused by the mail library
    p.head.save(update_fields=["email"])
    # A row written before titles were kept to one line: its subject is made one line when it is sent.
    old = Notification.objects.create(recipient=p.clerk, kind="test", title="标题\n第二行")
    fine = [Notification.objects.create(recipient=person, kind="test", title=f"通知{i}")
            for i, person in enumerate((p.secretary, p.supervisor, p.staff))]
    _backdate()
    sweep()
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted(f"{u.username}@example.gov.cn" for u in (p.clerk, p.secretary, p.supervisor, p.staff))
    assert Delivery.objects.get(notification=broken, channel="email").delivered is False
    assert Delivery.objects.get(notification=old).delivered and all(Delivery.objects.get(notification=n).delivered for n in fine)
    assert "标题 第二行" in [m.subject for m in mail.outbox]
    sweep()  # recorded as failed: not tried again
    assert len(mail.outbox) == 4


def test_a_transient_failure_leaves_the_message_for_the_next_sweep_without_failing_this_one(addressed, monkeypatch):
    p = addressed
    notes = [Notification.objects.create(recipient=person, kind="test", title=f"通知{i}")
             for i, person in enumerate((p.clerk, p.secretary))]
    from governance import channels

    real_send = channels.EmailChannel.send

    def flaky(self, notification):
        if notification.pk == notes[0].pk:
            raise smtplib.SMTPServerDisconnected("the mail server went away")
        return real_send(self, notification)

    monkeypatch.setattr(channels.EmailChannel, "send", flaky)
    with pytest.raises(OSError):
        deliver([n.pk for n in notes])  # the task sees the transient error, and retries
    assert [m.to[0] for m in mail.outbox] == ["secretary@example.gov.cn"]  # the other one still went
    _backdate()
    sweep()  # the sweep's redelivery meets the same failure: logged, the sweep completes
    assert not Delivery.objects.filter(notification=notes[0]).exists()
    monkeypatch.setattr(channels.EmailChannel, "send", real_send)
    sweep()
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk@example.gov.cn", "secretary@example.gov.cn"]


def test_a_refused_recipient_is_not_retried(addressed, monkeypatch):
    """SMTPRecipientsRefused is an OSError, but the server will refuse that address again."""
    from governance import channels

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"clerk@example.gov.cn": (550, b"no such user")})

    monkeypatch.setattr(channels, "send_mail", refuse)
    note = Notification.objects.create(recipient=addressed.clerk, kind="test", title="通知")
    assert deliver([note.pk]) == 0
    assert Delivery.objects.get(notification=note).delivered is False
