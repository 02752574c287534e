"""R-MI-6: a year's minutes (one unit or the whole bureau) as one zip of documents with an index
spreadsheet, built in the background; progress is stamped on the job as it goes."""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from governance.documents import spreadsheet
from minutes import documents, selectors
from minutes.models import ArchiveExport, ExportStatus, RevisionStatus
from minutes.permissions import visible_minutes
from minutes.services import review

log = logging.getLogger("minutes.exports")
User = get_user_model()

HEADERS = ["编号", "会议名称", "会议类型", "处室/单位", "会议日期", "版本", "审定日期", "分送期限", "分送时间",
           "是否按期", "报备时间", "审阅时间", "归档时间", "文件"]


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)[:120]


def request_export(*, actor, bureau, unit, year: int) -> ArchiveExport:
    """R-MI-6: ask for a year's archive; it is built in the background once the request is saved,
    or here and now when the broker cannot be reached (the request is never lost)."""
    from django.db import transaction

    from governance.services.common import queue_task

    with transaction.atomic():
        job = ArchiveExport.objects.create(bureau=bureau, unit=unit, year=year, requested_by=actor)
        transaction.on_commit(lambda: queue_task("minutes.tasks.build_archive_export", job.pk) or build_export(job.pk))
    return job


def build_export(pk: int) -> ArchiveExport:
    """Build the zip for job `pk`; safe to run twice (a finished job is left as it is)."""
    claimed = ArchiveExport.objects.filter(pk=pk, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    job = ArchiveExport.objects.select_related("requested_by", "unit", "bureau").get(pk=pk)
    if not claimed:
        return job  # another worker has it, or it is done
    try:
        # Exactly what the requester may open on screen (R-CO-1, R-CO-2: the party group's minutes book
        # by grant), each in the requester's own snapshot.
        minutes = list(visible_minutes(job.requested_by)
                       .filter(meeting__bureau=job.bureau, year=job.year, sequence__isnull=False)
                       .filter(**({"issuing_unit": job.unit} if job.unit else {}))
                       .select_related("meeting__meeting_type", "meeting__unit", "issuing_unit", "meeting__bureau",
                                       "meeting__chair__person", "meeting__recorder__person")
                       .order_by("issuing_unit__order", "issuing_unit_id", "sequence"))
        minutes = selectors.attach_due(minutes)  # R-MI-4: the due date as the calendar now stands
        job.total = len(minutes)
        job.save(update_fields=["total"])
        book = Workbook()
        sheet = book.active
        sheet.title = "纪要索引"
        sheet.append(spreadsheet.row(HEADERS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for i, m in enumerate(minutes, start=1):
                for revision in m.revisions.filter(status=RevisionStatus.APPROVED).order_by("number"):
                    # The reader's own snapshot: what the requester may not read (R-CO-1) is not in it.
                    snapshot = selectors.minutes_snapshot(job.requested_by, m, revision)
                    filename = _safe(f"{m.issuing_unit.short_name}/{m.sequence:03d}-{m.meeting.title}-v{revision.number}.docx")
                    archive.writestr(filename, documents.render_minutes_docx(snapshot))
                    on_time = review.on_time(m)
                    sheet.append(spreadsheet.row([
                        m.number, m.meeting.title, m.meeting.meeting_type.name, m.meeting.unit.name if m.meeting.unit else "全局",
                        timezone.localtime(m.meeting.starts_at).date().isoformat(), revision.number,
                        timezone.localtime(revision.approved_at).date().isoformat() if revision.approved_at else "",
                        m.due.isoformat() if m.due else "", _stamp(m.distributed_at),
                        "" if on_time is None else ("按期" if on_time else "逾期"),
                        _stamp(m.filed_at), _stamp(m.reviewed_at), _stamp(m.archived_at), filename]))
                job.done = i
                job.save(update_fields=["done"])
            index = io.BytesIO()
            for column, width in zip("ABCDEFGHIJKLMN", (22, 30, 14, 12, 12, 6, 12, 12, 18, 8, 18, 18, 18, 50), strict=True):
                sheet.column_dimensions[column].width = width
            book.save(index)
            archive.writestr("索引.xlsx", index.getvalue())
        scope = job.unit.short_name if job.unit else job.bureau.short_name
        job.file.save(f"minutes-{job.year}-{job.pk}.zip", ContentFile(buffer.getvalue()), save=False)
        job.status, job.finished_at = ExportStatus.DONE, timezone.now()
        job.save(update_fields=["file", "status", "finished_at"])
        log.info("archive export %s (%s %s): %s minutes", job.pk, scope, job.year, job.total)
    except Exception as error:  # noqa: BLE001 - the person who asked must see that it failed, and why
        log.exception("archive export %s failed", pk)
        job.status, job.error = ExportStatus.FAILED, str(error)[:500]
        job.save(update_fields=["status", "error"])
    return job


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
