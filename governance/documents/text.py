"""Text for official documents: XML-legal text, lines and paragraphs of free text, Chinese numbers and
dates, and the width of a line in characters, with which a title is cut into balanced lines (GB/T 9704
§7.3.1). Plain strings in and out: no python-docx, no Django, nothing of meetings.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable

# XML 1.0 forbids these code points; python-docx/lxml would refuse the whole document because of one.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CN_DIGITS = "零一二三四五六七八九"
_WEEKDAYS = "一二三四五六日"
TRAILING_PUNCT = "。，、；;,. \u3000"
_NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
_NO_LINE_END = set("（《「『【〔〈“‘([{")


def clean_text(value: object) -> str:
    """Text that is legal in XML: control characters, U+FFFE/U+FFFF and lone surrogates removed.

    A surrogate pair that arrives as two code points (e.g. from a UTF-16 source) is joined into the
    character it encodes first, so an emoji survives. Everything else, emoji and characters outside the
    BMP included, is kept as is.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Join surrogate pairs; lone halves pass through unchanged and are removed by the regex.
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _XML_ILLEGAL.sub("", text)


def one_line(value: object) -> str:
    """One line of clean text: line breaks and tabs inside a name or title become spaces."""
    return " ".join(part.strip() for part in clean_text(value).replace("\t", " ").splitlines() if part.strip())


def paragraphs_of(value: object) -> list[str]:
    """Paragraphs of a free text: every non-blank line is a paragraph (blank lines only separate).

    Leading spaces, including the full-width ones people type to indent Chinese text, are dropped:
    the paragraph format indents.
    """
    return [part.strip() for part in clean_text(value).replace("\t", " ").splitlines() if part.strip()]


def names_of(values: Iterable[object] | None) -> list[str]:
    return [name for name in (one_line(value) for value in values or ()) if name]


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop (。)."""
    return text.rstrip(TRAILING_PUNCT) + "。"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五; for headings 一、 二、 ..."""
    if n <= 0 or n >= 10000:
        return str(n)
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out, zero = "", False
    for size, name in units:
        digit, n = divmod(n, size)
        if digit:
            if zero:
                out += "零"
            out += ("" if (size == 10 and digit == 1 and not out) else _CN_DIGITS[digit]) + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN_DIGITS[n]
    return out


def cn_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime.datetime | datetime.date | None) -> str:
    """2026年3月5日（星期四）上午9:00, in the time zone the selector gave; no time for a bare date."""
    if value is None:
        return ""
    day = f"{cn_date(value)}（星期{_WEEKDAYS[value.weekday()]}）"
    if not isinstance(value, datetime.datetime):
        return day
    hour = value.hour
    if hour < 12:
        period = "上午"
    elif hour < 13:
        period = "中午"
    elif hour < 18:
        period, hour = "下午", hour - 12
    else:
        period, hour = "晚上", hour - 12
    return f"{day}{period}{hour}:{value.minute:02d}"


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def display_width(text: str) -> float:
    """Width in characters of the text's size: CJK counts 1, Latin letters and digits 1/2, and each
    switch between Chinese and Latin 1/4 (the space word processors put there, w:autoSpaceDE/DN)."""
    width = sum(1.0 if _is_wide(ch) else 0.5 for ch in text)
    switches = sum(
        1 for a, b in zip(text, text[1:], strict=False) if a.isalnum() and b.isalnum() and _is_wide(a) != _is_wide(b)
    )
    return width + switches / 4


def balanced_lines(text: str, capacity: float) -> list[str]:
    """`text` cut into as few lines of at most `capacity` characters as possible, of even length with
    the upper lines no shorter (GB/T 9704 §7.3.1: a title wraps 梯形或菱形, not leaving a word alone).
    No cut inside a Latin word, next to a number, before closing or after opening punctuation."""
    width = display_width(text)
    if width <= capacity:
        return [text]
    target = width / math.ceil(width / capacity)

    def allowed(i: int) -> bool:
        before, after = text[i - 1], text[i]
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            return False
        if before.isdigit() or after.isdigit():  # 第3次, 2026年: a number stays with its unit
            return False
        return after not in _NO_LINE_START and before not in _NO_LINE_END

    lines, start = [], 0
    while display_width(text[start:]) > capacity:
        cut = None
        for i in range(start + 1, len(text)):
            if not allowed(i):
                continue
            if display_width(text[start:i]) > capacity:
                break
            cut = i
            if display_width(text[start:i]) >= target:
                break
        if cut is None:  # one unbreakable run longer than a line: the word processor wraps it
            break
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return lines
