"""R-MI-9: periodic archiving (定期存档). At each year's end (beat, `minutes.tasks.archive_year`) and on
demand, the year's approved minutes of each issuing unit and meeting type become one immutable package:
every approved version and the meeting record (R-MI-8) as .docx and as PDF (LibreOffice, headless, in the worker), the 归档文件目录
(index) with 档号 and 件号 in the spirit of DA/T 22-2015 归档文件整理规则, and a manifest with every
file's SHA-256. A minutes is archived once; what is approved after a package was made goes into the
next batch of the same unit, type and year.

档号 = 全宗号-WS·年度-保管期限-机构代码·会议类型-件号, e.g. ``DEMO-WS·2026-D10-TRADE·DA-0003``: the fonds
is the bureau's code, WS the document category (文书), the retention the meeting type's (永久 Y, 定期30年
D30, 定期10年 D10), the organisational code the issuing unit's, and 件号 the item's place in the year's
run of that unit and type."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from governance.documents import spreadsheet
from governance.documents.record import render_record_docx
from governance.models import Bureau
from governance.selectors.record import archival_record
from minutes import documents, selectors
from minutes.models import ArchiveItem, ArchivePackage, Minutes, RevisionStatus

log = logging.getLogger("minutes.archive")

INDEX_HEADERS = ["件号", "档号", "责任者", "文号", "题名", "日期", "版本", "页数", "保管期限", "备注"]
PDF_TIMEOUT_SECONDS = 300


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)[:80]


def reference_prefix(*, bureau, unit, meeting_type, year: int) -> str:
    """The package's 档号 without the 件号."""
    return f"{bureau.code.upper()}-WS·{year}-{meeting_type.archive_retention}-{unit.code.upper()}·{meeting_type.code}"


def to_pdf(docx_files: dict[str, bytes]) -> dict[str, bytes] | None:
    """The PDFs of the given documents (name -> bytes), converted by LibreOffice in one run, or None
    when LibreOffice is not installed here (the package then holds the .docx only, and says so)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or not docx_files:
        return None if soffice is None else {}
    with tempfile.TemporaryDirectory(prefix="archive-") as tmp:
        folder = Path(tmp)
        names = {}
        for i, (name, data) in enumerate(docx_files.items()):
            source = folder / f"{i:05d}.docx"
            source.write_bytes(data)
            names[f"{i:05d}.pdf"] = name
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), *sorted(str(p) for p in folder.glob("*.docx"))],
                       check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS)
        return {names[p.name]: p.read_bytes() for p in folder.glob("*.pdf")}


def pdf_pages(data: bytes) -> int | None:
    """Pages of a PDF by its page objects (no extra library); None if it cannot be told."""
    count = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    if count <= 0:
        count = data.count(b"/Type/Page") - data.count(b"/Type/Pages")
    return count if count > 0 else None


def archivable(*, bureau, year: int):
    """Approved, numbered minutes of `year` not yet in any package, in the order of their numbers."""
    return (Minutes.objects.filter(meeting__bureau=bureau, year=year, sequence__isnull=False, archive_item__isnull=True)
            .select_related("meeting__meeting_type", "meeting__unit", "meeting__bureau", "meeting__recorder__person",
                            "meeting__chair__person", "issuing_unit")
            .order_by("issuing_unit_id", "meeting__meeting_type_id", "sequence"))


def archive_year(*, year: int, bureau: Bureau | None = None, actor=None, pdf: bool = True) -> list[ArchivePackage]:
    """R-MI-9: archive every bureau's (or one bureau's) approved minutes of `year` that are not yet
    archived, one package per issuing unit and meeting type. Safe to run again: what is archived is
    not archived twice, and a run with nothing new makes no package. `pdf=False` leaves the PDFs out
    (a test that walks the screens does not need LibreOffice's seconds per document)."""
    made = []
    for b in [bureau] if bureau else Bureau.objects.order_by("pk"):
        groups: dict[tuple[int, int], list[Minutes]] = {}
        for m in archivable(bureau=b, year=year):
            groups.setdefault((m.issuing_unit_id, m.meeting.meeting_type_id), []).append(m)
        for group in groups.values():
            package = build_package(minutes=group, year=year, actor=actor, pdf=pdf)
            if package is not None:
                made.append(package)
    return made


def build_package(*, minutes: list[Minutes], year: int, actor=None, pdf: bool = True) -> ArchivePackage | None:
    """One package of `minutes` (one unit, one type, one year). The documents are the official
    complete record: each approved version as its recorder reads it, confidential topics included;
    who may download the package is decided by the gate (R-CO-1, R-CO-2), not by cutting it down."""
    first = minutes[0]
    unit, meeting_type, bureau = first.issuing_unit, first.meeting.meeting_type, first.meeting.bureau
    prefix = reference_prefix(bureau=bureau, unit=unit, meeting_type=meeting_type, year=year)
    done_before = ArchiveItem.objects.filter(package__unit=unit, package__meeting_type=meeting_type, package__year=year)
    next_number = (done_before.aggregate(n=Max("number"))["n"] or 0) + 1
    batch = (ArchivePackage.objects.filter(unit=unit, meeting_type=meeting_type, year=year)
             .aggregate(n=Max("batch"))["n"] or 0) + 1

    docx, rows, items = {}, [], []
    for offset, m in enumerate(minutes):
        number = next_number + offset
        reference = f"{prefix}-{number:04d}"
        reader = m.meeting.recorder or m.meeting.chair
        for revision in m.revisions.filter(status=RevisionStatus.APPROVED).order_by("number"):
            snapshot = selectors.minutes_snapshot(reader, m, revision)
            name = f"文件/{number:04d}-{_safe(m.meeting.title)}-v{revision.number}.docx"
            docx[name] = documents.render_minutes_docx(snapshot)
            rows.append([number, reference, unit.name, m.number, revision.title or m.meeting.title,
                         timezone.localtime(m.meeting.starts_at).date().isoformat(), revision.number, name,
                         meeting_type.get_archive_retention_display(),
                         "更正版" if revision.number > 1 else ""])
        record = archival_record(m.meeting)  # R-MI-8: the record the minutes were drafted from
        if record is not None:
            name = f"文件/{number:04d}-{_safe(m.meeting.title)}-会议记录.docx"
            docx[name] = render_record_docx(record)
            rows.append([number, reference, unit.name, m.number, f"{m.meeting.title}记录",
                         timezone.localtime(m.meeting.starts_at).date().isoformat(), "", name,
                         meeting_type.get_archive_retention_display(), "会议记录"])
        items.append((m, number, reference))

    pdfs = to_pdf(docx) if pdf else None
    files: dict[str, bytes] = dict(docx)
    for name, data in (pdfs or {}).items():
        files[name[:-5] + ".pdf"] = data
    index = _index(rows, pdfs, title=f"{bureau.name}{unit.name}{year}年{meeting_type.name}纪要归档文件目录")
    files["归档文件目录.xlsx"] = index
    manifest = {
        "package": f"{prefix} 第{batch}批", "bureau": bureau.name, "unit": unit.name, "meeting_type": meeting_type.name,
        "year": year, "batch": batch, "retention": meeting_type.get_archive_retention_display(),
        "items": [{"件号": n, "档号": ref, "文号": m.number} for m, n, ref in items],
        "pdf": pdfs is not None,
        "files": [{"path": name, "bytes": len(data), "sha256": sha256(data)} for name, data in sorted(files.items())],
        "created_at": timezone.now().isoformat(timespec="seconds"),
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr("manifest.json", manifest_bytes)
    data = buffer.getvalue()
    try:
        with transaction.atomic():
            package = ArchivePackage(bureau=bureau, unit=unit, meeting_type=meeting_type, year=year, batch=batch,
                                     retention=meeting_type.archive_retention, reference=prefix, items=len(items),
                                     sha256=sha256(data), manifest_sha256=sha256(manifest_bytes), pdf=pdfs is not None,
                                     created_by=actor)
            package.file.save(f"{_safe(prefix)}-{batch}.zip", ContentFile(data), save=False)
            package.save()
            ArchiveItem.objects.bulk_create([ArchiveItem(package=package, minutes=m, number=n, reference=ref)
                                             for m, n, ref in items])
    except IntegrityError:
        log.info("archive %s batch %s: made by a concurrent run", prefix, batch)
        return None
    log.info("archived %s batch %s: %s minutes, %s files, pdf=%s", prefix, batch, len(items), len(files), pdfs is not None)
    return package


def _index(rows: list[list], pdfs: dict[str, bytes] | None, *, title: str) -> bytes:
    """The 归档文件目录: a title row, then one row per document with its page count from the PDF."""
    book = Workbook()
    sheet = book.active
    sheet.title = "归档文件目录"
    sheet.append(spreadsheet.row([title]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(spreadsheet.row(INDEX_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for number, reference, unit, doc_number, name_, date, version, path, retention, note in rows:
        pages = pdf_pages(pdfs[path]) if pdfs and path in pdfs else None
        sheet.append(spreadsheet.row([number, reference, unit, doc_number, name_, date, version, pages or "",
                                      retention, note]))
    for column, width in zip("ABCDEFGHIJ", (6, 36, 14, 22, 40, 12, 6, 6, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def verify(package: ArchivePackage) -> list[str]:
    """What is wrong with a stored package: its checksum, its manifest's, or any file's; [] when sound."""
    problems = []
    with package.file.open("rb") as f:
        data = f.read()
    if sha256(data) != package.sha256:
        problems.append("package checksum")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest_bytes = archive.read("manifest.json")
        if sha256(manifest_bytes) != package.manifest_sha256:
            problems.append("manifest checksum")
        for entry in json.loads(manifest_bytes)["files"]:
            if sha256(archive.read(entry["path"])) != entry["sha256"]:
                problems.append(entry["path"])
    return problems
