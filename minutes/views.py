"""Minutes screens: draft and approve, read and acknowledge, the Supervision Office's review,
documents and the archive export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record as audit_record
from audit.services import record_confidential_read
from governance.forms import parse_date, parse_int
from governance.models import MeetingType, Unit
from governance.permissions import access_meeting
from governance.rules.refusals import TransitionRefused
from governance.selectors import org
from governance.views.bureau import current_bureau
from governance.views.documents import docx_response
from governance.views.limits import limited
from governance.views.pages import paginate
from minutes import documents, selectors
from minutes.services import archive_export, distribution, drafting, review

from .forms import ExportForm, TextForm
from .models import ArchiveExport, ExportStatus, Recipient, Revision, RevisionStatus
from .permissions import access_minutes, may_minutes, visible_minutes


def _back(minutes, anchor: str = ""):
    response = redirect("minutes_detail", pk=minutes.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def minutes_list(request):
    """Minutes I may read."""
    qs = (visible_minutes(request.user).select_related("meeting__meeting_type", "meeting__unit", "issuing_unit")
          .order_by("-created_at", "-pk"))
    page = paginate(request, qs, 25)
    page.object_list = selectors.attach_due(page.object_list)  # R-MI-4: as the calendar now stands
    unread = set(request.user.minutes_received.filter(read_at__isnull=True).values_list("minutes_id", flat=True))
    bureau = current_bureau(request)
    # Only the links this person may follow (no button that leads to a 403).
    links = {"supervision": _is_supervision(request.user), "exports": bool(bureau and _may_export(request.user, bureau)),
             "archive": selectors.archive_packages(request.user, current_bureau(request)) is not None}
    return render(request, "minutes/list.html", {"page": page, "unread": unread, "links": links})


@login_required
@require_POST
def minutes_start(request, meeting_pk: int):
    """The recorder starts the minutes from the meeting record (R-MI-1)."""
    meeting = access_meeting(request.user, meeting_pk)
    try:
        revision = drafting.start_minutes(actor=request.user, meeting=meeting)
    except TransitionRefused as error:
        messages.error(request, str(error))
        return redirect("meeting_detail", pk=meeting.pk)
    messages.success(request, _("已根据会议记录生成纪要草稿。"))
    return redirect("minutes_detail", pk=revision.minutes_id)


@login_required
def minutes_detail(request, pk: int):
    """The minutes: the current version (or one asked for), its readers, filing, review and queries."""
    minutes = selectors.attach_due([access_minutes(request.user, pk)])[0]  # R-MI-4: as the calendar now stands
    prefetch_related_objects([minutes], "revisions", Prefetch("recipients", queryset=Recipient.objects.select_related(
        "person__person")), "meeting__meeting_type__rule_sources")  # each read once for the whole page
    number = request.GET.get("rev")
    revision = selectors.visible_revision(request.user, minutes, parse_int(number, low=1, high=10**6) if number else None)
    if revision is None:
        raise Http404("no such revision")
    snapshot = selectors.minutes_snapshot(request.user, minutes, revision)
    can_draft, can_approve = may_minutes(request.user, minutes, "draft"), may_minutes(request.user, minutes, "approve")
    revisions = [r for r in sorted(minutes.revisions.all(), key=lambda r: r.number)
                 if r.status == RevisionStatus.APPROVED or can_draft or can_approve]
    recipients = sorted(minutes.recipients.all(), key=lambda r: (r.read_at is not None, r.read_at or 0, r.pk))
    me = next((r for r in recipients if r.person_id == request.user.pk), None)
    record_confidential_read(actor=request.user, obj=minutes, label=minutes.number,
                             topic_ids=_confidential_shown(revision, snapshot))
    return render(request, "minutes/detail.html", {
        "mn": minutes, "rev": revision, "snap": snapshot, "revisions": revisions, "recipients": recipients, "me": me,
        "queries": list(minutes.queries.select_related("author__person")),
        "can_draft": can_draft, "can_approve": can_approve,
        "can_review": may_minutes(request.user, minutes, "review"),
        "can_answer": request.user.pk in {minutes.meeting.chair_id, minutes.meeting.recorder_id},
        "on_time": review.on_time(minutes), "read_count": sum(1 for r in recipients if r.read_at),
        "clause": minutes.meeting.meeting_type.clause_for("minutes"), "editable": revision.status in {
            RevisionStatus.DRAFT, RevisionStatus.RETURNED},
        "open_revision": any(r.status != RevisionStatus.APPROVED for r in revisions),
        "newer": [r for r in revisions if r.number > revision.number and r.status == RevisionStatus.APPROVED]})


def _confidential_shown(revision, snapshot) -> list:
    """The confidential topics of `revision` whose content `snapshot` shows (not withheld), for the audit trail."""
    return [item.get("topic") for item, entry in zip(revision.body, snapshot.topics, strict=False)
            if item.get("confidential") and not entry.withheld]


@login_required
def revision_edit(request, pk: int):
    """Edit a draft revision: title, summary, each topic's decision and dissent, as plain text."""
    revision = get_object_or_404(Revision.objects.select_related("minutes"), pk=pk)
    minutes = access_minutes(request.user, revision.minutes_id, "draft")
    snapshot = selectors.minutes_snapshot(request.user, minutes, revision)
    if request.method == "POST":
        decisions = {i: request.POST.get(f"decision-{i}", "") for i, e in enumerate(snapshot.topics) if not e.withheld}
        dissents = {i: request.POST.get(f"dissent-{i}", "") for i, e in enumerate(snapshot.topics) if not e.withheld}
        try:
            drafting.edit_revision(actor=request.user, revision=revision, title=request.POST.get("title", ""),
                                   summary=request.POST.get("summary", ""), decisions=decisions, dissents=dissents)
            messages.success(request, _("草稿已保存。"))
            return _back(minutes)
        except TransitionRefused as error:
            messages.error(request, str(error))
    record_confidential_read(actor=request.user, obj=minutes, label=minutes.number,
                             topic_ids=_confidential_shown(revision, snapshot))
    return render(request, "minutes/edit.html", {"mn": minutes, "rev": revision, "snap": snapshot})


ACTIONS = {
    "submit": lambda r, m, rev, text: drafting.submit_revision(actor=r.user, revision=rev),
    "approve": lambda r, m, rev, text: drafting.approve_revision(actor=r.user, revision=rev),
    "return": lambda r, m, rev, text: drafting.return_revision(actor=r.user, revision=rev, reason=text),
    "ack": lambda r, m, rev, text: distribution.acknowledge(actor=r.user, minutes=m),
    "correct": lambda r, m, rev, text: distribution.start_correction(actor=r.user, minutes=m, reason=text),
    "receive": lambda r, m, rev, text: review.receive_filing(actor=r.user, minutes=m),
    "review": lambda r, m, rev, text: review.review(actor=r.user, minutes=m, note=text),
    "query": lambda r, m, rev, text: review.raise_query(actor=r.user, minutes=m, text=text),
    "answer": lambda r, m, rev, text: review.answer_query(actor=r.user, minutes=m, text=text),
    "archive": lambda r, m, rev, text: review.archive(actor=r.user, minutes=m),
}
DONE = {"submit": _("已提交审定。"), "approve": _("纪要已审定。"), "return": _("已退回。"), "ack": _("已确认阅知。"),
        "correct": _("已建立更正版本，请修改后再次提交审定。"), "receive": _("已签收。"), "review": _("已完成审阅。"),
        "query": _("质询已发出。"), "answer": _("已答复。"), "archive": _("已归档。")}


@login_required
@require_POST
@limited("raise_query", only_action="query")
def minutes_action(request, pk: int, action: str):
    """One transition of the minutes; each service checks who may do it and refuses with a reason."""
    if action not in ACTIONS:
        raise Http404("no such action")
    minutes = access_minutes(request.user, pk)
    form = TextForm(request.POST)
    form.is_valid()
    revision = minutes.revisions.order_by("-number").first()
    try:
        ACTIONS[action](request, minutes, revision, form.cleaned_data.get("text", ""))
        messages.success(request, DONE[action])
    except TransitionRefused as error:
        messages.error(request, str(error))
    return _back(minutes, "queries" if action in {"query", "answer"} else "")


@login_required
def minutes_docx(request, pk: int):
    """The minutes as an official document, built from the reader's own snapshot (R-CO-1)."""
    minutes = access_minutes(request.user, pk)
    number = request.GET.get("rev")
    revision = selectors.visible_revision(request.user, minutes, parse_int(number, low=1, high=10**6) if number else None)
    if revision is None:
        raise Http404("no such revision")
    snapshot = selectors.minutes_snapshot(request.user, minutes, revision)
    audit_record(actor=request.user, category="download", action="minutes.docx", obj=minutes, label=minutes.number,
                 detail={"revision": revision.number, "confidential_topics": _confidential_shown(revision, snapshot)})
    return docx_response(documents.render_minutes_docx(snapshot), f"{minutes.number or revision.title}-v{revision.number}.docx")


@login_required
def supervision(request):
    """R-MI-7: the Supervision Office's screen: every filed minutes, with filters."""
    if not _is_supervision(request.user):
        raise PermissionDenied
    f = {k: request.GET.get(k, "") for k in ("unit", "type", "start", "end", "timeliness", "reviewed")}
    qs = selectors.supervision_list(request.user, unit=f["unit"], type_code=f["type"], start=parse_date(f["start"]),
                                    end=parse_date(f["end"]), timeliness=f["timeliness"], reviewed=f["reviewed"])
    page = paginate(request, qs, 30)
    page.object_list = selectors.attach_due(page.object_list)  # R-MI-4: as the calendar now stands
    bureau = current_bureau(request)
    return render(request, "minutes/supervision.html", {
        "page": page, "f": f, "units": Unit.objects.filter(bureau=bureau) if bureau else [],
        "types": MeetingType.objects.filter(bureau=bureau) if bureau else [], "today": timezone.localdate()})


def _is_supervision(user) -> bool:
    """The Supervision Office's staff, and the discipline commission secretary who receives every
    division's minutes (docs/architecture.md, Who does what)."""
    from governance.models import Appointment, Post, UnitKind

    today = timezone.localdate()
    return (org.works_in(user=user, kinds=[UnitKind.SUPERVISION_OFFICE], on=today)
            or Appointment.objects.on(today).filter(person=user, post=Post.DISCIPLINE_SECRETARY).exists())


def _may_export(user, bureau) -> bool:
    from governance.models import UnitKind

    return org.works_in(user=user, kinds=[UnitKind.GENERAL_OFFICE, UnitKind.SUPERVISION_OFFICE],
                                  on=timezone.localdate(), bureau=bureau)


@login_required
def exports(request):
    """R-MI-6: ask for a year's archive (one unit or the whole bureau) and follow its progress."""
    bureau = current_bureau(request)
    if bureau is None or not _may_export(request.user, bureau):
        raise PermissionDenied
    form = ExportForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        unit = Unit.objects.filter(bureau=bureau, code=form.cleaned_data["unit"]).first() if form.cleaned_data["unit"] else None
        archive_export.request_export(actor=request.user, bureau=bureau, unit=unit, year=form.cleaned_data["year"])
        messages.success(request, _("已开始生成归档包，完成后可在此下载。"))
        return redirect("minutes_exports")
    jobs = ArchiveExport.objects.filter(requested_by=request.user).select_related("unit")[:20]
    template = "minutes/_partials/exports.html" if request.htmx else "minutes/exports.html"
    return render(request, template, {"form": form, "jobs": jobs, "units": Unit.objects.filter(bureau=bureau),
                                      "running": any(j.status in {ExportStatus.QUEUED, ExportStatus.RUNNING} for j in jobs)})


@login_required
def export_download(request, pk: int):
    job = get_object_or_404(ArchiveExport, pk=pk, requested_by=request.user, status=ExportStatus.DONE)
    audit_record(actor=request.user, category="export", action="minutes.archive", obj=job,
                 detail={"year": job.year, "unit": job.unit_id})
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"纪要归档-{job.year}.zip")


@login_required
def archive_packages(request):
    """R-MI-9: the archive packages (定期存档) of the bureau for the General Office and the Supervision
    Office; the General Office archives a year on demand (beat does it at each year's end)."""
    from governance.models import UnitKind
    from governance.services.common import queue_task
    from minutes.services import archive_package

    packages = selectors.archive_packages(request.user, current_bureau(request))
    if packages is None:
        raise PermissionDenied
    bureau = current_bureau(request)
    may_archive = org.works_in(user=request.user, kinds=[UnitKind.GENERAL_OFFICE], on=timezone.localdate(),
                               bureau=bureau)
    this_year = timezone.localdate().year
    if request.method == "POST":
        year = parse_int(request.POST.get("year"), low=2000, high=this_year)
        if not may_archive:
            raise PermissionDenied
        if year is None:
            messages.error(request, _("请选择 2000 年至今年之间的年度。"))
        else:
            if not queue_task("minutes.tasks.archive_year", year, bureau.pk, request.user.pk):
                archive_package.archive_year(year=year, bureau=bureau, actor=request.user)  # no broker: here and now
            messages.success(request, _("已开始归档 %(y)s 年的纪要，完成后列于此处。") % {"y": year})
        return redirect("archive_packages")
    page = paginate(request, packages, 50)
    return render(request, "minutes/archive_packages.html", {
        "page": page, "may_archive": may_archive, "years": range(this_year, this_year - 6, -1),
        "downloadable": {p.pk for p in page if selectors.may_download_package(request.user, p)}})


@login_required
def archive_download(request, pk: int):
    """One package, for someone who may open everything in it (R-CO-1, R-CO-2); audited."""
    packages = selectors.archive_packages(request.user, current_bureau(request))
    package = packages.filter(pk=pk).first() if packages is not None else None
    if package is None:
        raise Http404("no such package")
    if not selectors.may_download_package(request.user, package):
        raise PermissionDenied
    audit_record(actor=request.user, category="download", action="minutes.archive_package", obj=package,
                 label=package.reference, detail={"year": package.year, "batch": package.batch, "sha256": package.sha256})
    return FileResponse(package.file.open("rb"), as_attachment=True,
                        filename=f"{package.reference}-{package.batch}.zip")
