"""The meeting's documents as downloads: the 会议通知 and the 签到表, and the .docx response that the
minutes' own download uses too."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from audit.services import record as audit_record

from ..documents.attendance import render_attendance_docx
from ..documents.notice import render_notice_docx
from ..permissions import access_meeting
from ..selectors import documents as document_selectors


def docx_response(data: bytes, filename: str) -> HttpResponse:
    """A .docx download named `filename` (UTF-8, RFC 5987), never kept by a shared cache."""
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notice_docx(request, meeting_pk: int):
    """The meeting notice (会议通知) as an official document."""
    meeting = access_meeting(request.user, meeting_pk)
    snapshot = document_selectors.notice_snapshot(request.user, meeting)
    audit_record(actor=request.user, category="download", action="notice.docx", obj=meeting, label=meeting.title)
    return docx_response(render_notice_docx(snapshot), f"{meeting.title}-通知.docx")


@login_required
def attendance_docx(request, meeting_pk: int):
    """The attendance sheet (签到表): for those who run the meeting."""
    meeting = access_meeting(request.user, meeting_pk, "manage")
    audit_record(actor=request.user, category="download", action="attendance.docx", obj=meeting, label=meeting.title)
    return docx_response(render_attendance_docx(document_selectors.attendance_snapshot(meeting)),
                         f"{meeting.title}-签到表.docx")
