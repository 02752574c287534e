"""Password composition (等保 2.0 三级, 身份鉴别: 口令具有复杂度要求并定期更换).

Pure rules on plain strings; the Django validators in `governance.services.passwords` call them with
the limits from settings. Where 等保 and OWASP ASVS disagree (ASVS 5.0 §6.2 asks for no composition
rules and a 12+ character minimum; 等保 assessors expect three kinds of characters), this follows 等保:
see README, Passwords.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

KINDS = ("upper", "lower", "digit", "symbol")


def character_kinds(password: str) -> set[str]:
    """Which of the four kinds (upper and lower case letters, digits, symbols) `password` uses."""
    kinds = set()
    for char in password:
        if char in string.ascii_uppercase:
            kinds.add("upper")
        elif char in string.ascii_lowercase:
            kinds.add("lower")
        elif char in string.digits:
            kinds.add("digit")
        elif not char.isspace():  # punctuation, and any other character (a Chinese one too)
            kinds.add("symbol")
    return kinds


@dataclass(frozen=True)
class Problem:
    code: str  # too_short, too_few_kinds, contains_username
    limit: int = 0


def composition_problems(password: str, *, username: str = "", min_length: int = 8,
                         min_kinds: int = 3) -> list[Problem]:
    """What keeps `password` from the composition rules: at least `min_length` characters, at least
    `min_kinds` of the four kinds, and not containing the user name (case ignored)."""
    problems = []
    if len(password) < min_length:
        problems.append(Problem("too_short", min_length))
    if len(character_kinds(password)) < min_kinds:
        problems.append(Problem("too_few_kinds", min_kinds))
    if username and len(username) >= 3 and username.casefold() in password.casefold():
        problems.append(Problem("contains_username"))
    return problems


def is_expired(age_days: float, max_age_days: int) -> bool:
    """A password older than `max_age_days` must be changed; 0 or less means it never expires."""
    return max_age_days > 0 and age_days >= max_age_days
