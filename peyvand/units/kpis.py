"""The registry's figures of production units (see ``core/kpis.py``): each with the unit list that
produces it — the same filters, so the list's count is the figure."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import caching, kpis, permissions
from peyvand.core.jalali import jalali_text
from peyvand.taxonomy.models import Classification

from .choices import PRODUCING, UnitStatus
from .filters import returned_to_production
from .models import ProductionUnit

# KPI filter -> the unit list's query parameter
LIST_PARAMS = {"estate": "estate", "county": "county", "isic": "division", "size": "size"}


def units_in_scope(user) -> QuerySet:
    """Staff count their own company's units; reports (no user) the whole registry; everybody else
    reads the public statistics of all units."""
    units = ProductionUnit.objects.all()
    if user is not None and permissions.is_staff_member(user):
        return permissions.restrict(units, user, permissions.VIEW)
    return units


def filtered(units: QuerySet, filters, prefix: str = "") -> QuerySet:
    """``units`` (or rows reached through ``prefix``, e.g. ``unit__``) narrowed by the KPI filters,
    exactly as the unit list's FilterSet narrows them."""
    if filters.get("estate"):
        units = units.filter(**{f"{prefix}estate_id": filters["estate"]})
    if filters.get("county"):
        units = units.filter(**{f"{prefix}estate__county_id": filters["county"]})
    if filters.get("isic"):
        division = Classification.objects.filter(pk=filters["isic"]).first()
        if division is None:
            return units.none()
        units = units.filter(
            **{f"{prefix}isic__code__startswith": division.code, f"{prefix}isic__scheme": division.scheme}
        )
    if filters.get("size"):
        if prefix:
            matching = ProductionUnit.objects.of_size(filters["size"]).values("pk")
            units = units.filter(**{f"{prefix}pk__in": matching})
        else:
            units = units.of_size(filters["size"])
    return units


def unit_list_url(query: kpis.Query, params: list[tuple[str, str]]) -> str:
    filters = [(LIST_PARAMS[name], str(value)) for name, value in query.filters.items() if value]
    encoded = urlencode([*params, *filters])
    return reverse("units:list") + (f"?{encoded}" if encoded else "")


def _staff(query: kpis.Query) -> bool:
    return kpis.is_staff_view(query.user)


def _in_status(statuses) -> kpis.Rows:
    def rows(query: kpis.Query) -> QuerySet:
        units = filtered(units_in_scope(query.user), query.filters)
        return units.in_status(statuses, on=query.on)

    return rows


def _in_status_series(statuses, among: str = "") -> kpis.Series:
    """``_in_status(statuses)``'s counts on many dates (``UnitQuerySet.counts_in_status``); with
    ``among``, the units of those that have that flag set over all of them (a share's numbers). The
    history pass is kept per audience, filters and data version, so every status figure of a page
    (the comparison with a year before, the months, the years) reads the same one."""

    def series(query: kpis.Query, days: list) -> dict:
        units = filtered(units_in_scope(query.user), query.filters)
        shared = tuple(sorted((name, str(value)) for name, value in query.filters.items() if value))

        def edges() -> list:
            return caching.remember(
                ("unit_status_edges", caching.audience(query.user), shared),
                lambda: units.status_edges(among=EXPORT_FLAG),
            )

        counts = units.counts_in_status(statuses, days, among=among, edges=edges)
        if among:
            return {day: (flagged, counted) for day, (counted, flagged) in counts.items()}
        return {day: (counted, None) for day, (counted, _flagged) in counts.items()}

    return series


def _status_url(statuses, extra: tuple[tuple[str, str], ...] = (), public: bool = False):
    """The staff list filtered by status (on the date, when it is not today) and ``extra``; with
    ``public``, the public directory — which holds exactly the units in production — for the others."""

    def url(query: kpis.Query) -> str | None:
        if not _staff(query):
            return unit_list_url(query, list(extra)) if public and query.is_today else None
        params = [("status", str(status)) for status in statuses]
        if not query.is_today:
            params.append(("on", jalali_text(query.on)))
        return unit_list_url(query, [*params, *extra])

    return url


UNIT_FILTERS = ("estate", "county", "isic", "size")
EXPORT_FLAG = "export_oriented"  # the unit field the export share counts

kpis.register(
    kpis.KPI(
        code="operating_units",
        name=_("Operating units"),
        definition=_(
            "Production units whose life-cycle status was “operating” on the date: the last change in "
            "each unit's dated status history on or before that day."
        ),
        period=kpis.AS_OF,
        filters=UNIT_FILTERS,
        rows=_in_status([UnitStatus.OPERATING]),
        series=_in_status_series([UnitStatus.OPERATING]),
        list_url=_status_url([UnitStatus.OPERATING]),
        public=True,
        order=10,
        tone="success",
        app="units",
    )
)

kpis.register(
    kpis.KPI(
        code="returned_to_production",
        name=_("Returned to production"),
        definition=_(
            "Distinct units with at least one change from “idle” to “operating” or “semi-active” dated "
            "inside the period (a unit that returned twice counts once)."
        ),
        period=kpis.WINDOW,
        filters=UNIT_FILTERS,
        rows=lambda query: returned_to_production(
            filtered(units_in_scope(query.user), query.filters), query.period.start, query.period.end
        ),
        list_url=lambda query: unit_list_url(
            query,
            [
                ("returned_from", jalali_text(query.period.start)),
                ("returned_to", jalali_text(query.period.end)),
            ],
        ),
        public=True,
        order=20,
        tone="info",
        app="units",
    )
)

kpis.register(
    kpis.KPI(
        code="idle_units",
        name=_("Idle units"),
        definition=_("Production units whose life-cycle status was “idle” on the date."),
        period=kpis.AS_OF,
        filters=UNIT_FILTERS,
        rows=_in_status([UnitStatus.IDLE]),
        series=_in_status_series([UnitStatus.IDLE]),
        list_url=_status_url([UnitStatus.IDLE]),
        public=True,
        order=30,
        tone="warning",
        app="units",
    )
)

kpis.register(
    kpis.KPI(
        code="units_in_production",
        name=_("Units in production"),
        definition=_(
            "Production units that were “operating” or “semi-active” on the date — the units of the "
            "public directory."
        ),
        period=kpis.AS_OF,
        filters=UNIT_FILTERS,
        rows=_in_status(PRODUCING),
        series=_in_status_series(PRODUCING),
        list_url=_status_url(PRODUCING, public=True),
        public=True,
        public_list=True,
        order=35,
        app="units",
    )
)

kpis.register(
    kpis.KPI(
        code="export_share",
        name=_("Export-oriented"),
        definition=_(
            "Share of the units in production on the date (operating or semi-active) that are marked "
            "export-oriented in the registry."
        ),
        unit=kpis.PERCENT,
        period=kpis.AS_OF,
        filters=UNIT_FILTERS,
        rows=lambda query: _in_status(PRODUCING)(query).filter(**{EXPORT_FLAG: True}),
        list_url=_status_url(PRODUCING, (("export_oriented", "true"),), public=True),
        denominator=_in_status(PRODUCING),
        denominator_url=_status_url(PRODUCING, public=True),
        series=_in_status_series(PRODUCING, among=EXPORT_FLAG),
        public=True,
        public_list=True,
        order=50,
        app="units",
    )
)
