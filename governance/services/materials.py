"""Written materials (R-AG-4): an allow-list of document types checked by content, a size cap,
random names outside every static folder, downloads only through a permission-checked view."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from governance.permissions import may_meeting
from governance.rules.refusals import TransitionRefused

from ..models import Material, MeetingStatus, Topic, TopicStatus


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
DOCX = Kind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = Kind("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
OLE = Kind("Office 97-2003", "application/octet-stream", (".doc", ".xls", ".ppt"))
OFD = Kind("OFD", "application/ofd", (".ofd",))
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
ALLOWED_EXTENSIONS = sorted({e for k in (PDF, DOCX, XLSX, PPTX, OLE, OFD, PNG, JPEG) for e in k.extensions})


def sniff(head: bytes, data: io.BufferedIOBase | None = None) -> Kind | None:
    """The document kind by its content, whatever the file is called; None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
            if any(n.startswith("ppt/") for n in names):
                return PPTX
        if "OFD.xml" in names:
            return OFD
    return None


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


@transaction.atomic
def add_material(*, actor, topic: Topic, upload) -> Material:
    """Attach an uploaded file to a topic after checking its size and what it really is."""
    topic = Topic.objects.select_for_update().select_related("meeting").get(pk=topic.pk)
    if topic.meeting.status not in {MeetingStatus.AGENDA_OPEN, MeetingStatus.AGENDA_SUBMITTED,
                                    MeetingStatus.AGENDA_APPROVED}:
        raise TransitionRefused(_("会议通知发出后不能再增加材料。"))
    if topic.status not in {TopicStatus.PROPOSED, TopicStatus.RETURNED, TopicStatus.ACCEPTED}:
        raise TransitionRefused(_("这个议题已不能增加材料。"))
    if actor.pk != topic.proposer_id and not may_meeting(actor, topic.meeting, "manage"):
        raise TransitionRefused(_("只有议题提出人或会务人员可以上传材料。"))
    limit = settings.MATERIAL_MAX_BYTES
    if upload.size > limit:
        raise TransitionRefused(_("文件过大：%(size).1f MB，上限为 %(limit)d MB。") % {
            "size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024})
    if upload.size == 0:
        raise TransitionRefused(_("文件是空的。"))
    # Per topic: how many files and how much in all (MATERIALS_PER_TOPIC_MAX, _MAX_BYTES).
    held = Material.objects.filter(topic=topic).aggregate(n=Count("id"), total=Sum("size"))
    if held["n"] >= getattr(settings, "MATERIALS_PER_TOPIC_MAX", 20):
        raise TransitionRefused(_("这个议题的材料已达上限（%(n)d 份）。") % {"n": held["n"]})
    total_limit = getattr(settings, "MATERIALS_PER_TOPIC_MAX_BYTES", 100 * 1024 * 1024)
    if (held["total"] or 0) + upload.size > total_limit:
        raise TransitionRefused(_("这个议题的材料总大小将超过上限 %(limit)d MB。") % {
            "limit": total_limit // 1024 // 1024})
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "material"
    ext = _extension(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise TransitionRefused(_("不支持的文件类型“%(ext)s”。可上传：%(allowed)s。") % {
            "ext": ext or _("无扩展名"), "allowed": " ".join(ALLOWED_EXTENSIONS)})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = sniff(head, upload.file if hasattr(upload, "file") else upload)
    upload.seek(0)
    if kind is None or ext not in kind.extensions:
        raise TransitionRefused(_("文件内容与扩展名“%(ext)s”不符，可能不是真正的%(ext)s文件，已拒绝。") % {"ext": ext})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    material = Material(topic=topic, original_name=name, content_type=kind.content_type, size=upload.size,
                        sha256=digest.hexdigest(), uploaded_by=actor)
    material.file.save(name, upload, save=False)
    material.save()
    return material
