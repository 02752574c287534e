"""Channels a notification goes out on, besides the in-app inbox (which is the Notification row
itself). A channel is a class with a `name` and `send(notification)`; settings.NOTIFICATION_CHANNELS
lists them, so another (an instant-messaging webhook, say) is added without touching the sweep."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class Channel(Protocol):
    name: str

    def send(self, notification) -> bool:
        """Deliver one notification; True when sent, False when it does not apply (no address).
        Raise OSError (or a subclass) on a transient failure so the task retries."""


class EmailChannel:
    name = "email"

    def send(self, notification) -> bool:
        address = notification.recipient.email
        if not address:
            return False
        body = f"{notification.body}\n\n{notification.url}".strip()
        send_mail(notification.title, body, None, [address])
        return True


def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]
