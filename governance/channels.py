"""Channels a notification goes out on, besides the in-app inbox (which is the Notification row
itself). A channel is a class with a `name` and `send(notification)`; settings.NOTIFICATION_CHANNELS
lists them, so another (an instant-messaging webhook, say) is added without touching the sweep."""

from __future__ import annotations

import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .documents.text import one_line


class Channel(Protocol):
    name: str

    def send(self, notification) -> bool:
        """Deliver one notification; True when sent, False when it does not apply (no address).
        Raise OSError (or a subclass) on a transient failure so the task retries; any other error
        means this one message cannot go out (a bad address): it is recorded as failed, the others go on."""


class Undeliverable(Exception):  # noqa: N818 - what it says: this message cannot be delivered
    """This one message can never go out on this channel (the mail server refuses its address)."""


class EmailChannel:
    name = "email"

    def send(self, notification) -> bool:
        address = notification.recipient.email.strip()
        if not address:
            return False
        body = f"{notification.body}\n\n{notification.url}".strip()
        # A subject is one header line: a line break in a title would be refused (BadHeaderError).
        try:
            send_mail(one_line(notification.title)[:200], body, None, [address])
        except smtplib.SMTPRecipientsRefused as error:  # an OSError, but trying again will not help
            raise Undeliverable(f"recipient refused: {error.recipients}") from error
        return True


def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]
