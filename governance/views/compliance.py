"""The Supervision Office's and leaders' compliance view, ledgers (台账) with exports, and search."""

from __future__ import annotations

import csv
import datetime
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record as audit_record
from audit.services import record_confidential_read
from governance.documents import spreadsheet
from governance.selectors import accountability as case_reads
from governance.selectors import compliance as figures
from governance.selectors import ledgers, org
from governance.selectors import search as search_reads
from governance.selectors.periods import within
from governance.selectors.search import search as search_everything

from ..forms import parse_date
from ..models import Breach, BreachKind, Post, QuorumRefusal, UnitKind
from ..models import Unit as UnitModel
from .bureau import current_bureau
from .limits import limited
from .pages import decorate, page_number, paginate

LEDGER_PAGE = 50
OVERSIGHT_POSTS = [Post.PARTY_SECRETARY, Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.DISCIPLINE_SECRETARY,
                   Post.PARTY_MEMBER]


def oversees(user, bureau) -> bool:
    """The Supervision Office, the General Office and the bureau's leaders see the whole bureau's
    compliance and ledgers (counts and registers; confidential content stays behind R-CO-1)."""
    offices = (UnitKind.SUPERVISION_OFFICE, UnitKind.GENERAL_OFFICE)
    return any(p.bureau_id == bureau.pk and (p.post in OVERSIGHT_POSTS or (
        p.unit is not None and p.unit.kind in offices and p.post in org.STAFF_POSTS)) for p in org.current_posts(user))


def _bureau_overseen(request):
    bureau = current_bureau(request)
    if bureau is None or not oversees(request.user, bureau):
        raise PermissionDenied
    return bureau


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


@login_required
def compliance_view(request):
    """Per unit and per month (or quarter, year): cadence met, minutes on time and late, open and
    overdue actions, quorum refusals, R-AG-6 flags; each figure links to its records."""
    bureau = _bureau_overseen(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    granularity = request.GET.get("by") if request.GET.get("by") in {"month", "quarter", "year"} else "month"
    cols, rows = figures.compliance(bureau=bureau, year=year, granularity=granularity, today=today)
    totals = [(row, row.total()) for row in rows]
    widest = max([t.minutes_on_time + t.minutes_late for _, t in totals] + [t.missed for _, t in totals] + [1])
    chart = [{"row": row, "total": t, "on_time": 240 * t.minutes_on_time / widest, "late": 240 * t.minutes_late / widest,
              "missed": 240 * t.missed / widest} for row, t in totals]
    cases = None
    posts = org.current_posts(request.user)  # read once: who may see the cases, who may open one
    if case_reads.may_list_cases(request.user, posts):  # R-FU-8: the cases of the year, per responsible unit
        counts = case_reads.case_figures(bureau=bureau, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
        names = {row.unit.pk: row.unit.name for row in rows if row.unit}  # the grid's units, no query
        if set(counts) - set(names) - {None}:  # a case on a unit no longer shown
            names = dict(UnitModel.objects.filter(bureau=bureau).values_list("pk", "name"))
        cases = {"rows": [(names.get(unit_id, ""), c) for unit_id, c in counts.items()],
                 "kinds": [(k, BreachKind(k).label) for k in case_reads.CASE_BREACHES],
                 "may_open": case_reads.may_investigate(request.user, bureau, posts)}
    return render(request, "governance/compliance.html", {
        "bureau": bureau, "year": year, "by": granularity, "cols": cols, "chart": chart, "cases": cases,
        "grid": [(row, [(c, row.cells[c.key]) for c in cols]) for row in rows],
        "chart_height": 34 * len(chart) + 30, "years": range(today.year - 3, today.year + 1)})


@login_required
def compliance_records(request):
    """The records behind a compliance figure: breaches of one kind, or quorum refusals."""
    bureau = _bureau_overseen(request)
    kind = request.GET.get("kind", "")
    start = parse_date(request.GET.get("start")) or datetime.date(2000, 1, 1)
    end = parse_date(request.GET.get("end")) or datetime.date(2100, 1, 1)
    unit = request.GET.get("unit", "")
    if kind == "quorum":
        qs = QuorumRefusal.objects.filter(meeting__bureau=bureau, **within("at", start, end)) \
            .select_related("meeting", "topic__category", "actor__person")
        if unit:
            qs = qs.filter(meeting__unit__code=unit) if unit != "bureau" else qs.filter(meeting__unit__isnull=True)
        page = paginate(request, qs.order_by("-at", "-pk"), 100)
        return render(request, "governance/compliance_records.html", {"refusals": page, "page": page, "kind": kind})
    if kind not in BreachKind.values:
        raise Http404("no such kind")
    qs = Breach.objects.filter(bureau=bureau, kind=kind, due__gte=start, due__lte=end).select_related(
        "unit", "meeting_type", "accountability_case")
    if unit:
        qs = qs.filter(unit__code=unit) if unit != "bureau" else qs.filter(unit__isnull=True)
    # R-FU-8: the Supervision Office opens a case from the record; everyone who sees it sees the case's state.
    posts = org.current_posts(request.user)
    may_open = kind in case_reads.CASE_BREACHES and case_reads.may_investigate(request.user, bureau, posts)
    page = paginate(request, qs.order_by("-due", "-pk"), 100)
    return render(request, "governance/compliance_records.html", {
        "breaches": page, "page": page, "kind": kind, "kind_label": BreachKind(kind).label, "may_open": may_open,
        "sees_cases": case_reads.may_list_cases(request.user, posts)})


def _ledger_filters(request) -> dict:
    today = timezone.localdate()
    return {"unit": request.GET.get("unit", ""), "type": request.GET.get("type", ""),
            "start": parse_date(request.GET.get("start")) or today.replace(month=1, day=1),
            "end": parse_date(request.GET.get("end")) or today.replace(month=12, day=31)}


@login_required
def ledger_view(request):
    """Registers of meetings, minutes and actions (台账), filtered by unit, type and period."""
    bureau = current_bureau(request)
    if bureau is None:
        raise Http404("no bureau")
    f = _ledger_filters(request)
    whole = oversees(request.user, bureau)
    registers = ledgers.registers(user=request.user, bureau=bureau, whole_bureau=whole, **f)
    # Every register a page at once, 50 rows each; the pages run as far as the longest register.
    page = decorate(Paginator(range(max((r.count for r in registers.values()), default=0)), LEDGER_PAGE)
                    .get_page(page_number(request.GET.get("page"))), request.GET)
    page.total = sum(r.count for r in registers.values())
    offset = (page.number - 1) * LEDGER_PAGE
    preview = {name: list(reg.rows(limit=LEDGER_PAGE, offset=offset)) for name, reg in registers.items()}
    from ..models import MeetingType, Unit

    return render(request, "governance/ledgers.html", {
        "f": f, "registers": registers, "preview": preview, "whole": whole, "page": page,
        "units": Unit.objects.filter(bureau=bureau), "types": MeetingType.objects.filter(bureau=bureau),
        "query": request.GET.urlencode()})


@login_required
def ledger_export(request, fmt: str):
    """The registers as Excel (one sheet each, Chinese headers) or one register as CSV, streamed."""
    bureau = current_bureau(request)
    if bureau is None:
        raise Http404("no bureau")
    f = _ledger_filters(request)
    registers = ledgers.registers(user=request.user, bureau=bureau, whole_bureau=oversees(request.user, bureau), **f)
    stamp = f"{f['start']:%Y%m%d}-{f['end']:%Y%m%d}"
    filters = {"unit": f["unit"], "type": f["type"], "start": f["start"].isoformat(), "end": f["end"].isoformat()}
    if fmt == "xlsx":
        audit_record(actor=request.user, category="export", action="ledgers.xlsx", obj=bureau, detail=filters)
        data = ledgers.workbook(registers)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''%E5%8F%B0%E8%B4%A6-{stamp}.xlsx"
        return response
    if fmt == "csv":
        name = request.GET.get("register", "meetings")
        if name not in registers:
            raise Http404("no such register")
        register = registers[name]
        audit_record(actor=request.user, category="export", action=f"ledger.{name}.csv", obj=bureau, detail=filters)

        def stream():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")  # so that Excel opens the UTF-8 file with its Chinese intact
            writer.writerow(spreadsheet.row(register.headers))
            for row in register.rows():
                writer.writerow(spreadsheet.row(row))
                if buffer.tell() > 64 * 1024:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename={name}-{stamp}.csv"
        return response
    raise Http404("no such format")


@login_required
@limited("search", method="GET")
def search(request):
    """Search meetings, topics, minutes and actions; R-CO-1 applies to every result."""
    q = request.GET.get("q", "").strip()[:100]
    number = page_number(request.GET.get("page"))
    results = search_everything(user=request.user, q=q, page=number) if len(q) >= 2 else None
    page = None
    if results is not None:  # every section a page at once; the pages run as far as the longest section
        page = Paginator(range(results.longest), search_reads.PER_PAGE).get_page(number)
        if page.number != number:  # past the end: the last page's rows
            results = search_everything(user=request.user, q=q, page=page.number)
        page = decorate(page, request.GET)
        page.total = results.total
    record_confidential_read(actor=request.user, obj=None, action="search", request=request, topic_ids=[
        t.pk for t in (results.topics if results else []) if t.category.confidential])
    return render(request, "governance/search.html", {"q": q, "results": results, "page": page,
                                                      "too_short": bool(q) and len(q) < 2,
                                                      "hint": _("至少输入两个字。")})
