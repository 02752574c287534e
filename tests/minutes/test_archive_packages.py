"""Periodic archiving (定期存档, R-MI-9): a year's approved minutes of a unit and type become one
immutable package with the documents (.docx and PDF), the 归档文件目录 with 档号 and 件号, and a manifest
whose checksums hold; a second run archives nothing twice and what came later is the next batch; the
list is the offices', the download is for whoever may open everything in it; beat runs it on 1 January."""

from __future__ import annotations

import html
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from governance.services import record
from minutes.models import ArchiveItem, ArchivePackage, Minutes
from minutes.services import archive_package, drafting
from minutes.tasks import YEAR_END_ARCHIVE_TASK, archive_year
from tests.minutes.conftest import make_closed_da

pytestmark = pytest.mark.django_db


def approved_da(presets, days=2, record_text: str = "") -> Minutes:
    meeting = make_closed_da(presets, days=days)
    if record_text:  # R-MI-8: typed before the minutes are approved, which locks it
        record.add_entry(actor=presets.head, meeting=meeting, speaker=presets.head, text=record_text,
                         topic=meeting.topics.get(title="外贸发展专项资金划拨方案"))
    revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
    drafting.submit_revision(actor=presets.head, revision=revision)
    drafting.approve_revision(actor=presets.head, revision=revision)
    return Minutes.objects.get(meeting=meeting)


def docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def open_package(package) -> zipfile.ZipFile:
    with package.file.open("rb") as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


def test_r_mi_9_a_year_of_a_units_minutes_becomes_one_package_with_index_manifest_and_pdfs(presets, tmp_path):
    first, second = approved_da(presets, days=2), approved_da(presets, days=3)
    year = first.year
    [package] = archive_package.archive_year(year=year, bureau=presets.bureau)
    assert (package.unit, package.meeting_type.code, package.year, package.batch) == (presets.trade, "DA", year, 1)
    assert package.reference == f"TEST-WS·{year}-D10-TRADE·DA" and package.items == 2
    items = list(ArchiveItem.objects.filter(package=package).order_by("number"))
    assert [(i.minutes_id, i.number, i.reference) for i in items] == [
        (first.pk, 1, f"TEST-WS·{year}-D10-TRADE·DA-0001"), (second.pk, 2, f"TEST-WS·{year}-D10-TRADE·DA-0002")]
    assert archive_package.verify(package) == []
    archive = open_package(package)
    names = set(archive.namelist())
    assert {"归档文件目录.xlsx", "manifest.json"} <= names
    docx = sorted(n for n in names if n.endswith(".docx"))
    assert len(docx) == 2 and docx[0].startswith("文件/0001-")
    manifest = json.loads(archive.read("manifest.json"))
    assert [i["档号"] for i in manifest["items"]] == [i.reference for i in items]
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    sheet = load_workbook(io.BytesIO(archive.read("归档文件目录.xlsx"))).active
    rows = [[html.unescape(str(c.value or "")) for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[0], r[1], r[3]) for r in rows] == [("1", items[0].reference, first.number),
                                                  ("2", items[1].reference, second.number)]
    assert rows[0][8] == "定期10年"
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the package holds the .docx only")
    assert package.pdf and len([n for n in names if n.endswith(".pdf")]) == 2
    assert rows[0][7] and int(rows[0][7]) >= 1  # pages, from the PDF
    if shutil.which("pdftoppm"):
        pdf = tmp_path / "first.pdf"
        pdf.write_bytes(archive.read(docx[0][:-5] + ".pdf"))
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                       check=True, capture_output=True, timeout=60)
        assert list(tmp_path.glob("page*.png")), "pdftoppm rendered no page 1"


@pytest.fixture
def no_pdf(monkeypatch):
    """The PDFs are tested once (above); elsewhere LibreOffice's seconds per document are spared."""
    monkeypatch.setattr(archive_package, "to_pdf", lambda files: None)


def test_r_mi_9_nothing_is_archived_twice_and_later_minutes_are_the_next_batch(presets, no_pdf):
    first = approved_da(presets, days=2, record_text="同意划拨，报分管局领导。")
    [one] = archive_package.archive_year(year=first.year, bureau=presets.bureau)
    archive = open_package(one)
    [record_doc] = [n for n in archive.namelist() if n.endswith("会议记录.docx")]  # R-MI-8: the record is archived
    assert "同意划拨，报分管局领导。" in docx_text(archive.read(record_doc))
    assert archive_package.archive_year(year=first.year, bureau=presets.bureau) == []
    later = approved_da(presets, days=4)
    [two] = archive_package.archive_year(year=first.year, bureau=presets.bureau)
    assert (two.batch, two.items) == (2, 1)
    assert ArchiveItem.objects.get(minutes=later).number == 2  # 件号 runs on across batches
    assert not two.pdf and archive_package.verify(two) == []
    with pytest.raises(ValidationError):
        one.save()
    with pytest.raises(ValidationError):
        one.delete()
    assert ArchivePackage.objects.count() == 2


def test_r_mi_9_listed_for_the_offices_downloaded_by_who_may_read_it_all(client, presets, no_pdf):
    minutes = approved_da(presets)
    [package] = archive_package.archive_year(year=minutes.year, bureau=presets.bureau)
    url = reverse("archive_download", args=[package.pk])
    client.force_login(presets.staff)  # a division's staff: no list, no download
    assert client.get(reverse("archive_packages")).status_code == 403
    assert client.get(url).status_code == 404
    client.force_login(presets.clerk)  # the General Office keeps the list, but may not read 外贸处's minutes
    page = client.get(reverse("archive_packages")).content.decode()
    assert package.reference in page and "凭授权查阅" in page and url not in page
    assert client.get(url).status_code == 403
    client.force_login(presets.supervisor)  # DA minutes are filed with the Supervision Office: readable
    page = client.get(reverse("archive_packages")).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="minutes.archive_package", actor_name__isnull=False).count() == 1


def test_r_mi_9_beat_archives_the_year_just_ended_on_the_first_of_january(presets, no_pdf):
    from django_celery_beat.models import PeriodicTask

    from governance.tasks import ensure_periodic_tasks

    ensure_periodic_tasks()
    task = PeriodicTask.objects.get(name=YEAR_END_ARCHIVE_TASK)
    cron = task.crontab
    assert (task.task, cron.minute, cron.hour, cron.day_of_month, cron.month_of_year) == (
        "minutes.tasks.archive_year", "0", "2", "1", "1")
    assert task.interval is None
    ensure_periodic_tasks()
    assert PeriodicTask.objects.filter(name=YEAR_END_ARCHIVE_TASK).count() == 1
    minutes = approved_da(presets)
    assert archive_year() == []  # from beat: last year, which has no minutes here
    ids = archive_year(minutes.year, presets.bureau.pk, presets.clerk.pk)
    assert ArchivePackage.objects.get(pk=ids[0]).created_by == presets.clerk


def test_r_mi_9_on_demand_from_the_screen_by_the_general_office_only(client, presets, no_pdf):
    minutes = approved_da(presets)
    client.force_login(presets.supervisor)
    assert client.post(reverse("archive_packages"), {"year": minutes.year}).status_code == 403
    client.force_login(presets.clerk)
    assert client.post(reverse("archive_packages"), {"year": "1999"}).status_code == 302
    assert not ArchivePackage.objects.exists()
    response = client.post(reverse("archive_packages"), {"year": minutes.year})
    assert response.status_code == 302 and ArchivePackage.objects.count() == 1


def test_r_mi_9_a_meeting_on_31_december_is_archived_with_its_year(presets, no_pdf):
    """R-MI-9: the year's range, both ends: minutes of a meeting on 31 December 2025 (approved in 2026) go
    into the 2025 package, those of a meeting on 1 January 2026 into the 2026 one."""
    from tests.minutes.test_numbering_series import at, closed, number

    dec31 = closed(presets, "DA", unit=presets.trade, actor=presets.head, held=at(2025, 12, 31, 15))
    jan1 = closed(presets, "DA", unit=presets.trade, actor=presets.head, held=at(2026, 1, 1, 9))
    assert (number(presets, dec31), number(presets, jan1)) == ("外贸处纪〔2025〕第1号", "外贸处纪〔2026〕第1号")
    [old] = archive_package.archive_year(year=2025, bureau=presets.bureau)
    [new] = archive_package.archive_year(year=2026, bureau=presets.bureau)
    assert (old.year, old.reference, new.year, new.reference) == (
        2025, "TEST-WS·2025-D10-TRADE·DA", 2026, "TEST-WS·2026-D10-TRADE·DA")
    assert list(ArchiveItem.objects.filter(package=old).values_list("minutes__meeting", flat=True)) == [dec31.pk]
    assert list(ArchiveItem.objects.filter(package=new).values_list("minutes__meeting", flat=True)) == [jan1.pk]


def test_r_mi_9_the_year_end_task_archives_the_demo_bureau_and_every_package_verifies(settings, tmp_path):
    """On the demo data (`loaddemo`, with its recent past), the beat task archives the year's approved
    minutes: every package's checksums hold, its index lists each document with its 档号, and (with
    LibreOffice here) its PDFs open: pdftoppm renders page 1 of one."""
    from io import StringIO

    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loaddemo", stdout=StringIO())
    years = sorted(set(Minutes.objects.filter(sequence__isnull=False).values_list("year", flat=True)))
    assert years, "the demo has approved minutes"
    for year in years:
        archive_year(year)
    packages = list(ArchivePackage.objects.all())
    assert packages and sum(p.items for p in packages) == Minutes.objects.filter(sequence__isnull=False).count()
    for package in packages:
        assert archive_package.verify(package) == []
        archive = open_package(package)
        sheet = load_workbook(io.BytesIO(archive.read("归档文件目录.xlsx"))).active
        references = {html.unescape(str(row[1].value)) for row in sheet.iter_rows(min_row=3)}
        assert references == {i.reference for i in package.entries.all()}
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        archive = open_package(packages[0])
        pdf = tmp_path / "one.pdf"
        pdf.write_bytes(archive.read(next(n for n in archive.namelist() if n.endswith(".pdf"))))
        subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                       check=True, capture_output=True, timeout=60)
        assert list(tmp_path.glob("p*.png"))
