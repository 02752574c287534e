"""The city view (part of a city's supervision): every bureau's compliance side by side, and one
bureau's compliance grid, read-only, for the holders of a city oversight grant; nobody else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from governance.selectors import city as city_reads

from .compliance import _int


def _year(request) -> int:
    today = timezone.localdate()
    return _int(request.GET.get("year"), today.year, 2000, 2100)


@login_required
def city_overview(request):
    """One row per bureau of the city: cadence met and missed, minutes on time and late, open and
    overdue actions, quorum refusals, R-AG-6 flags, R-NO-5 absences; each links to its grid."""
    cities = list(city_reads.overseen_cities(request.user))
    if not cities:
        raise PermissionDenied
    city = next((c for c in cities if c.code == request.GET.get("city")), cities[0])
    today = timezone.localdate()
    year = _year(request)
    rows = city_reads.city_figures(city=city, year=year, today=today)
    return render(request, "governance/city.html", {
        "city": city, "cities": cities, "year": year, "rows": rows, "years": range(today.year - 3, today.year + 1)})


@login_required
def city_bureau(request, pk: int):
    """One bureau's compliance grid as the city's overseer sees it: figures only, no records behind them."""
    bureau = city_reads.overseen_bureau(request.user, pk)
    if bureau is None:
        raise Http404("not a bureau of a city you oversee")
    today = timezone.localdate()
    year = _year(request)
    granularity = request.GET.get("by") if request.GET.get("by") in {"month", "quarter", "year"} else "month"
    cols, rows = city_reads.bureau_grid(bureau=bureau, year=year, granularity=granularity, today=today)
    return render(request, "governance/city_bureau.html", {
        "bureau": bureau, "year": year, "by": granularity, "cols": cols,
        "grid": [(row, [(c, row.cells[c.key]) for c in cols]) for row in rows],
        "years": range(today.year - 3, today.year + 1)})
