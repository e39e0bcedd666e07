"""Headline figures, each defined once and traceable to the list that produced it.

A KPI's value is the count of a queryset; its link opens the list page with the very filters that
build that queryset, so the list's count equals the figure (tests hold both to hand counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peyvand.core import permissions
from peyvand.core.jalali import is_persian, jalali_text
from peyvand.estates.models import IndustrialEstate
from peyvand.units.choices import PRODUCING, UnitStatus
from peyvand.units.filters import returned_to_production
from peyvand.units.models import ProductionUnit


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise
    value: int | float
    url: str | None
    hint: str | Promise = ""
    tone: str = ""
    denominator: int | None = None


def last_twelve_months(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The 12 months ending today, both ends inclusive (from the day after the same date last year)."""
    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + dt.timedelta(days=1), today


def units_in_scope(user: Any) -> QuerySet:
    """Staff count their own company's units; everybody else sees the public statistics of all units."""
    units = ProductionUnit.objects.all()
    return permissions.restrict(units, user, permissions.VIEW) if permissions.is_staff_member(user) else units


def estates_in_scope(user: Any) -> QuerySet:
    estates = IndustrialEstate.objects.all()
    return (
        permissions.restrict(estates, user, permissions.VIEW)
        if permissions.is_staff_member(user)
        else estates
    )


def _list_url(name: str, params: list[tuple[str, str]], linkable: bool) -> str | None:
    if not linkable:
        return None
    query = urlencode(params)
    return reverse(name) + (f"?{query}" if query else "")


def home_figures(user: Any, today: dt.date | None = None) -> list[Figure]:
    units = units_in_scope(user)
    linkable = permissions.is_staff_member(user)
    start, end = last_twelve_months(today)
    operating = units.filter(status=UnitStatus.OPERATING).count()
    idle = units.filter(status=UnitStatus.IDLE).count()
    returned = returned_to_production(units, start, end).count()
    producing = units.filter(status__in=PRODUCING)
    producing_count = producing.count()
    exporting = producing.filter(export_oriented=True).count()
    share = round(100 * exporting / producing_count, 1) if producing_count else 0
    producing_params = [("status", UnitStatus.OPERATING), ("status", UnitStatus.SEMI_ACTIVE)]
    return [
        Figure(
            "operating_units",
            _("Operating units"),
            operating,
            _list_url("units:list", [("status", UnitStatus.OPERATING)], linkable),
            _("units in operation today"),
            "success",
        ),
        Figure(
            "returned_12m",
            _("Returned to production"),
            returned,
            _list_url(
                "units:list",
                [("returned_from", jalali_text(start)), ("returned_to", jalali_text(end))],
                linkable,
            ),
            _("idle units back in production in the last 12 months"),
            "info",
        ),
        Figure(
            "idle_units",
            _("Idle units"),
            idle,
            _list_url("units:list", [("status", UnitStatus.IDLE)], linkable),
            _("units standing idle today"),
            "warning",
        ),
        Figure(
            "estates",
            _("Estates and zones"),
            estates_in_scope(user).count(),
            reverse("estates:list"),
            _("industrial estates and zones"),
        ),
        Figure(
            "export_share",
            _("Export-oriented"),
            share,
            _list_url("units:list", [*producing_params, ("export_oriented", "true")], linkable),
            _("share of units in production that export"),
            "",
            denominator=producing_count,
        ),
    ]


def status_breakdown(user: Any) -> list[dict[str, Any]]:
    """Units per life-cycle status (for the home chart)."""
    counts = dict(
        units_in_scope(user).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [
        {"code": status.value, "name": str(status.label), "value": counts.get(status.value, 0)}
        for status in UnitStatus
        if counts.get(status.value)
    ]


def units_by_county(user: Any) -> list[dict[str, Any]]:
    """Units in production per county (for the home chart)."""
    rows = (
        units_in_scope(user)
        .filter(status__in=PRODUCING)
        .values("estate__county_id", "estate__county__name", "estate__county__name_en")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    english = not is_persian()
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


def bridge_totals(user: Any) -> dict[str, Any] | None:
    """The ledger's totals for staff (the ledger page shows the same figures over the same rows)."""
    if not permissions.is_staff_member(user):
        return None
    from peyvand.sourcing.models import Linkage

    return permissions.restrict(Linkage.objects.all(), user, permissions.VIEW).totals()
