"""What the minutes services share: plain recorder text and the locked minutes row."""

from __future__ import annotations

from minutes.models import Minutes

_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def plain(text: str, limit: int = 20000) -> str:
    """Recorder-written text is kept as plain text, exactly as typed (nothing lost: "金额<5万" stays),
    minus control characters; every screen escapes it and documents write it as text, so markup
    is never rendered. (Stripping tags with nh3 would eat "a<b" and is not needed for plain text.)"""
    return (text or "").replace("\r\n", "\n").translate(_CONTROL).strip()[:limit]


def lock_minutes(pk) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__meeting_type", "issuing_unit").get(pk=pk)
