"""Formula injection (OWASP "CSV injection") is neutralised in every spreadsheet and CSV export, through
one helper (governance/documents/spreadsheet.py), and a control character in a title never fails an
export (openpyxl raises IllegalCharacterError for one)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.documents.spreadsheet import FORMULA_STARTS, cell, row
from governance.models import Meeting, MeetingType
from governance.services import scheduling
from minutes.models import ArchiveExport, Minutes
from minutes.services import archive_export, drafting
from tests.minutes.conftest import make_closed_da
from tests.world import soon

FORMULA = '=HYPERLINK("http://x","y")'
CONTROL = "会议\x07标题\x1b"  # a bell and an escape: legal in a str, illegal in XML


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), (FORMULA, "'" + FORMULA), ("\x07=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("a\x00b\x1f", "ab"), ("1-2", "1-2"), ("会议 = 决定", "会议 = 决定"), ("", ""), (3, 3), (-3, -3), (None, None),
])
def test_a_cell_never_starts_a_formula_nor_holds_a_character_excel_refuses(value, written):
    assert cell(value) == written
    assert row([value, value]) == [written, written]


@pytest.fixture
def hostile_meetings(presets):
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    for i, title in enumerate((FORMULA, CONTROL), start=2):
        # Through the service, as an import or the admin would: past the web's input boundary.
        scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=soon(i), place="@第一会议室",
                                    title=title)
    return presets


def _column(rows: list, header: str) -> list:
    index = list(rows[0]).index(header)
    return [r[index] for r in rows[1:]]


def test_ledger_excel_export_quotes_formulas_and_survives_control_characters(client, hostile_meetings):
    client.force_login(hostile_meetings.clerk)
    response = client.get(reverse("ledger_export", args=["xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    titles = _column([[c.value for c in r] for r in sheet.iter_rows()], "会议名称")
    places = _column([[c.value for c in r] for r in sheet.iter_rows()], "地点")
    assert "'" + FORMULA in titles and "会议标题" in titles
    assert set(places) == {"'@第一会议室"}
    for r in sheet.iter_rows(min_row=2):
        for c in r:
            assert c.data_type != "f", (c.coordinate, c.value)  # no cell is a formula
            assert not (isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)), c.value


def test_ledger_csv_export_quotes_formulas_and_drops_control_characters(client, hostile_meetings):
    client.force_login(hostile_meetings.clerk)
    response = client.get(reverse("ledger_export", args=["csv"]) + "?register=meetings")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    titles = _column(rows, "会议名称")
    assert "'" + FORMULA in titles and "会议标题" in titles
    assert not [value for r in rows[1:] for value in r if value.startswith(FORMULA_STARTS)]


def test_archive_export_index_quotes_formulas_and_survives_control_characters(presets):
    for title in (FORMULA, CONTROL):
        meeting = make_closed_da(presets)
        meeting.title = title
        meeting.save(update_fields=["title"])
        revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
        drafting.submit_revision(actor=presets.head, revision=revision)
        drafting.approve_revision(actor=presets.head, revision=revision)
    year = Minutes.objects.first().year
    job = ArchiveExport.objects.create(bureau=presets.bureau, unit=None, year=year, requested_by=presets.supervisor)
    job = archive_export.build_export(job.pk)
    assert job.status == "done", job.error
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        sheet = load_workbook(io.BytesIO(archive.read("索引.xlsx"))).active
    titles = _column([[c.value for c in r] for r in sheet.iter_rows()], "会议名称")
    assert sorted(titles) == sorted(["'" + FORMULA, "会议标题"])
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    assert Meeting.objects.filter(title=CONTROL).exists()  # the record itself is as it was written
