"""Cells of every spreadsheet and CSV the site exports (the ledgers, the archive index), made safe in
one place. Plain values in and out: no openpyxl, no Django.

- Formula injection (OWASP "CSV injection"): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a
  carriage return would be read by Excel or WPS as a formula (`=HYPERLINK(...)`, `=cmd|...`); it gets a
  leading `'`, so it is shown as the text it is.
- Characters that XML 1.0 forbids (control characters, U+FFFE/U+FFFF, lone surrogates) are removed:
  openpyxl refuses them (IllegalCharacterError) and would fail the whole export for one title.

Numbers, dates and empty values pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from .text import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """One cell's value, safe to write: text cleaned and, if it could start a formula, quoted."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(values: Iterable[object]) -> list[object]:
    """A row of cells, each through `cell`."""
    return [cell(value) for value in values]

