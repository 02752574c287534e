"""The city view: a city's overseers (市纪委监委, 市政府督查室, by a `CityOversight` grant) see the
compliance figures (R-CA-1, R-MI-4, R-FU-1, R-QU-1..2, R-AG-6, R-NO-5) of every bureau of the city side
by side, counted for all bureaus at once by the compliance view's grouped queries (not bureau by
bureau), and each bureau's grid read-only. Only counts: never a meeting's title, topic or minutes
(R-CO-1)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from governance.models import Bureau, City
from governance.selectors.compliance import Cell, Column, Row, compliance_of_bureaus


def overseen_cities(user) -> QuerySet:
    """The cities `user` holds an active oversight grant for (none for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return City.objects.none()
    return City.objects.filter(oversights__person=user, oversights__revoked_at__isnull=True).distinct().order_by("name")


def overseen_bureau(user, pk: int) -> Bureau | None:
    """The bureau `pk` when it belongs to a city `user` oversees, else None."""
    return Bureau.objects.filter(pk=pk, city__in=overseen_cities(user)).select_related("city").first()


def _sum(rows: list[Row]) -> Cell:
    total = Cell()
    for row in rows:
        cell = row.total()
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(cell, name))
    return total


def city_figures(*, city: City, year: int, today: datetime.date) -> list[tuple[Bureau, Cell]]:
    """One row per bureau of `city`: the year's compliance figures summed over its units."""
    bureaus = list(Bureau.objects.filter(city=city).order_by("name"))
    _cols, grids = compliance_of_bureaus(bureaus=bureaus, year=year, granularity="year", today=today)
    return [(b, _sum(grids[b.pk])) for b in bureaus]


def bureau_grid(*, bureau: Bureau, year: int, granularity: str, today: datetime.date
                ) -> tuple[list[Column], list[Row]]:
    """One bureau's compliance grid, as the city's overseer sees it (figures only)."""
    cols, grids = compliance_of_bureaus(bureaus=[bureau], year=year, granularity=granularity, today=today)
    return cols, grids[bureau.pk]
