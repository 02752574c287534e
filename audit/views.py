"""The audit administrator's screen: search the trail, page through it, export what was found."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import documents, selectors
from .forms import EventSearchForm
from .models import AuditEvent, Category
from .permissions import EXPORT, require_export, require_view
from .services import record

PER_PAGE = 50


@login_required
def event_list(request):
    """Newest first, 50 a page, filtered by time, actor, category, outcome, object and address."""
    perms = require_view(request)
    form = EventSearchForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    qs = selectors.search(form.filter()) if valid else AuditEvent.objects.none()
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # What templates/_pagination.html shows (governance.views.pages.decorate; audit imports no governance).
    page.window = range(max(1, page.number - 2), min(page.paginator.num_pages, page.number + 2) + 1)
    page.query = query.urlencode()
    return render(request, "audit/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "may_export": EXPORT in perms,
        "retention_days": settings.AUDIT_RETENTION_DAYS,
        "rows": [(e, selectors.type_label(e.object_type)) for e in page]})


@login_required
def event_export(request, fmt: str):
    """The filtered events as CSV or .xlsx; the export is itself recorded."""
    require_export(request.user)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("no such format")
    form = EventSearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest(_("筛选条件有误，未导出。"))
    f = form.filter()
    qs = selectors.search(f)
    event = record(actor=request.user, category=Category.EXPORT, action=f"audit.{fmt}", request=request,
                   detail={"rows": qs.count(), "filters": {k: v for k, v in vars(f).items() if v}})
    qs = qs.filter(pk__lt=event.pk)  # what was there when asked: not this export's own row, nor later ones
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    headers = selectors.export_headers()
    if fmt == "xlsx":
        data = documents.xlsx_bytes(_("审计记录"), headers, selectors.export_rows(qs))
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename=audit-{stamp}.xlsx"
    else:
        response = StreamingHttpResponse(documents.csv_chunks(headers, selectors.export_rows(qs)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename=audit-{stamp}.csv"
    response["Cache-Control"] = "private, no-store"
    return response
