"""The audit exports as files, from plain rows (no Django): CSV and .xlsx. A cell that a spreadsheet
would read as a formula (starting with = + - @, a tab or a carriage return) is written with a leading
single quote, so a user name or label typed as "=HYPERLINK(...)" stays text (CSV/formula injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value as a spreadsheet must store it: text that could start a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_value(value):
    """Neutralised, and without the control characters that .xlsx cannot hold (openpyxl refuses them;
    a typed user name may carry one)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # first: what is left must not start a formula
    return neutralise(value)


def csv_chunks(headers: list[str], rows: Iterable[list], *, chunk: int = 64 * 1024) -> Iterator[str]:
    """The CSV text in pieces of about `chunk` characters, with a BOM so that Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
        if buffer.tell() > chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    """One sheet, bold headers, written row by row (openpyxl's write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(text))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
