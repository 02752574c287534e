"""How the pure rules word their reasons without importing Django.

A rule's refusal is a sentence a person reads, in the language they chose. The rules call `_` (and
`language`) from here; the governance app installs Django's gettext and active language at start-up
(`GovernanceConfig.ready`), so the words come out translated on every path while the rules stay
plain functions that a test can call without Django. `makemessages` finds these `_()` strings as
usual. Before `install` (a plain script), the Chinese source text is used as it is.
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = str
_language: Callable[[], str | None] = lambda: None  # noqa: E731


def install(*, translate: Callable[[str], str], language: Callable[[], str | None]) -> None:
    """Route the rules' wording through the application's translation (called once, at start-up)."""
    global _translate, _language
    _translate, _language = translate, language


def _(message: str) -> str:
    return _translate(message)


def language() -> str | None:
    """The language the reader chose (None: the product's default, Chinese)."""
    return _language()
