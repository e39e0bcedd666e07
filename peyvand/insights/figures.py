"""Figures for the pages, the press report and the map — all read from the KPI registry (``core/kpis.py``).

Nothing here defines a figure: it picks KPIs, evaluates them for a query (one aggregate query each,
through ``kpis.evaluate`` — the one place a cache may sit), and lays them out over Jalali months,
Jalali years, the same period last year, and counties.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from peyvand.core import caching, jalali, kpis, permissions
from peyvand.core.kpis import Figure, Period, Query
from peyvand.estates.models import County, IndustrialEstate
from peyvand.units.choices import PRODUCING, UnitStatus
from peyvand.units.models import units_in_production_of_estate

HOME = ["operating_units", "returned_to_production", "idle_units", "estates", "export_share"]
INVESTMENT = [
    "new_investors",
    "applications_in_review",
    "land_allocated_ha",
    "planned_jobs",
    "new_investors_knowledge_based",
]
BRIDGE = ["linkages", "contracts", "contract_value", "indirect_exports", "jobs_created"]
# The press statement's figures, in the order the CEO reads them out.
PRESS = [
    "operating_units",
    "returned_to_production",
    "new_investors",
    "plants_due_by_year_end",
    "direct_exports",
    "indirect_exports",
    "linkages",
    "contracts",
    "contract_value",
    "jobs_created",
    "idle_units",
    "export_share",
]


def query_for(
    user: Any, on: dt.date | None = None, kind: str = kpis.LAST_12_MONTHS, filters: dict | None = None
) -> Query:
    return Query(user, Period(on or timezone.localdate(), kind), dict(filters or {}))


def home_figures(user: Any, today: dt.date | None = None) -> list[Figure]:
    return kpis.figures(query_for(user, today), HOME)


def bridge_figures(user: Any, today: dt.date | None = None) -> list[Figure]:
    if not permissions.is_staff_member(user):
        return []
    return kpis.figures(query_for(user, today), BRIDGE)


def investment_figures(user: Any, today: dt.date | None = None) -> list[Figure]:
    if not permissions.is_staff_member(user):
        return []
    return kpis.figures(query_for(user, today), INVESTMENT)


@dataclass(frozen=True)
class Comparison:
    """A figure beside the same figure one year earlier."""

    figure: Figure
    last_year: Figure

    @property
    def change(self) -> float | None:
        """Per cent change on last year (``None`` when either side has no value or last year is 0)."""
        now, before = self.figure.value, self.last_year.value
        if now is None or before in (None, 0) or self.figure.kpi.unit == kpis.PERCENT:
            return None
        return round(100 * (float(now) - float(before)) / float(before), 1)


def compare(query: Query, codes: list[str] | None = None) -> list[Comparison]:
    """Every figure the user may see, beside the same period last year."""
    before = query.with_period(query.period.a_year_before())
    kpi_list = [kpis.get(code) for code in codes] if codes else kpis.registry()
    return [
        Comparison(*kpis.evaluate_many(kpi, [query, before]))
        for kpi in kpi_list
        if kpis.visible(kpi, query.user)
    ]


# --- Series over Jalali months and years -----------------------------------------------------------
def month_label(year: int, month: int) -> str:
    if jalali.is_persian():
        return jalali.persian_digits(f"{jalali.JALALI_MONTHS[month - 1]} {year}")
    return f"{jalali.JALALI_MONTHS_EN[month - 1]} {year}"


def year_label(year: int) -> str:
    return jalali.localize_digits(year)


def _months_back(on: dt.date, count: int) -> list[tuple[int, int]]:
    jday = jalali.to_jalali(on)
    months = []
    year, month = jday.year, jday.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


@dataclass(frozen=True)
class Point:
    label: str
    figure: Figure
    last_year: Figure | None = None


def monthly(kpi: kpis.KPI, query: Query, count: int = 12) -> list[Point]:
    """The figure for each of the ``count`` Jalali months up to the query's date (a flow: within the
    month; a stock: at the month's end), beside the same month a year earlier — all of them evaluated
    together (``kpis.evaluate_many``: one pass over the history for a status on a date)."""
    months = _months_back(query.on, count)
    periods = [
        Period(min(kpis.jalali_month_bounds(year, month)[1], query.on), kpis.JALALI_MONTH)
        for year, month in months
    ]
    queries = [query.with_period(period) for period in periods]
    queries += [query.with_period(period.a_year_before()) for period in periods]
    evaluated = kpis.evaluate_many(kpi, queries)
    return [
        Point(month_label(year, month), evaluated[position], evaluated[len(months) + position])
        for position, (year, month) in enumerate(months)
    ]


def yearly(kpi: kpis.KPI, query: Query, count: int = 5) -> list[Point]:
    """The figure for each of the last ``count`` Jalali years (the current one up to the date)."""
    current = jalali.to_jalali(query.on).year
    years = range(current - count + 1, current + 1)
    queries = [
        query.with_period(Period(min(kpis.jalali_year_bounds(year)[1], query.on), kpis.JALALI_YEAR))
        for year in years
    ]
    return [
        Point(year_label(year), figure)
        for year, figure in zip(years, kpis.evaluate_many(kpi, queries), strict=True)
    ]


def trend_kpis(user: Any) -> list[kpis.KPI]:
    """The figures that have a dated history to draw (not the register-today ones, not placeholders)."""
    return [
        kpi
        for kpi in kpis.registry()
        if kpi.available and kpi.period != kpis.CURRENT and kpis.visible(kpi, user)
    ]


# --- Counties and estates (the map) ---------------------------------------------------------------
def by_county(kpi: kpis.KPI, query: Query) -> list[dict[str, Any]]:
    """The figure in each county (one evaluation per county, each an aggregate query), with its list."""
    rows = []
    for county in County.objects.order_by("sort_name"):
        figure = kpis.evaluate(kpi, query.with_filters(county=str(county.pk)))
        rows.append(
            {
                "county": county,
                "name": county.display_name,
                "code": county.code,
                "value": figure.value,
                "url": figure.url,
            }
        )
    return rows


def estate_points(user: Any) -> list[dict[str, Any]]:
    """Each estate with its units in production and a position: its own coordinates, else a point
    inside its county's boundary (``approximate``) — the map says which."""
    estates = (
        IndustrialEstate.objects.select_related("county")
        .annotate(units_in_production=units_in_production_of_estate())
        .order_by("sort_name")
    )
    points = []
    for estate in estates:
        approximate = estate.latitude is None or estate.longitude is None
        if approximate:
            inside = estate.county.inside_point
            if inside is None:
                continue
            lon, lat = inside
        else:
            lon, lat = float(estate.longitude), float(estate.latitude)
        points.append(
            {
                "estate": estate,
                "name": estate.display_name,
                "county": estate.county.display_name,
                "value": [round(lon, 5), round(lat, 5), estate.units_in_production],
                "approximate": approximate,
            }
        )
    return points


def status_breakdown(user: Any) -> list[dict[str, Any]]:
    """Units per life-cycle status today (the home chart)."""
    from peyvand.units.kpis import units_in_scope

    counts = caching.remember(
        ("status_breakdown", caching.audience(user)),
        lambda: dict(
            units_in_scope(user)
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        ),
    )
    return [
        {"code": status.value, "name": str(status.label), "value": counts.get(status.value, 0)}
        for status in UnitStatus
        if counts.get(status.value)
    ]


def units_by_county(user: Any) -> list[dict[str, Any]]:
    """Units in production per county (the home chart), in one grouped query."""
    from peyvand.units.kpis import units_in_scope

    rows = caching.remember(
        ("units_by_county", caching.audience(user)),
        lambda: list(
            units_in_scope(user)
            .filter(status__in=PRODUCING)
            .values("estate__county_id", "estate__county__name", "estate__county__name_en")
            .annotate(n=Count("id"))
            .order_by("-n")
        ),
    )
    english = not jalali.is_persian()
    return [
        {
            "key": row["estate__county_id"],
            "name": (
                row["estate__county__name_en"]
                if english and row["estate__county__name_en"]
                else row["estate__county__name"]
            ),
            "value": row["n"],
        }
        for row in rows
    ]
