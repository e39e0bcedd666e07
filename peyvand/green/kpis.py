"""Green estates' figures (see ``core/kpis.py``): plants operating and due to open by year end, units
connected to the sewer, effluent compliance, tonnes diverted by symbiosis — each with the list behind it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis, permissions
from peyvand.core.jalali import jalali_text
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

from .choices import PlantStage
from .models import EffluentTest, SymbiosisLink, TreatmentPlant

PLACE_FILTERS = ("estate", "county")


def in_scope(queryset: QuerySet, user) -> QuerySet:
    """Staff count their own company's rows; reports (no user) and the public read every row."""
    if user is not None and permissions.is_staff_member(user):
        return permissions.restrict(queryset, user, permissions.VIEW)
    return queryset


def _place(queryset: QuerySet, filters, estate_path: str) -> QuerySet:
    if filters.get("estate"):
        queryset = queryset.filter(**{estate_path: filters["estate"]})
    if filters.get("county"):
        queryset = queryset.filter(**{f"{estate_path}__county": filters["county"]})
    return queryset


def _plants(query: kpis.Query) -> QuerySet:
    plants = in_scope(TreatmentPlant.objects.all(), query.user)
    if query.filters.get("estate") or query.filters.get("county"):
        served = _place(TreatmentPlant.objects.all(), query.filters, "estates")
        plants = plants.filter(pk__in=served.values("pk"))
    return plants


def _url(name: str, query: kpis.Query, params: list[tuple[str, str]]) -> str:
    place = [(key, str(value)) for key, value in query.filters.items() if value and key in PLACE_FILTERS]
    encoded = urlencode([*params, *place])
    return reverse(name) + (f"?{encoded}" if encoded else "")


kpis.register(
    kpis.KPI(
        code="plants_operating",
        name=_("Treatment plants operating"),
        definition=_(
            "Wastewater treatment plants whose stage was “operating” on the date: the last change in each "
            "plant's dated stage history on or before that day."
        ),
        period=kpis.AS_OF,
        filters=PLACE_FILTERS,
        rows=lambda query: _plants(query).in_stage([PlantStage.OPERATING], query.on),
        list_url=lambda query: _url("green:plant_list", query, [("operating_on", jalali_text(query.on))]),
        public=True,
        order=27,
        tone="success",
        app="green",
    )
)

kpis.register(
    kpis.KPI(
        code="plants_due_by_year_end",
        name=_("Treatment plants due by year end"),
        definition=_(
            "Wastewater treatment plants not yet operating whose planned opening date falls on or before "
            "the end of the Jalali year of the date."
        ),
        period=kpis.AS_OF,
        filters=PLACE_FILTERS,
        rows=lambda query: _plants(query).due_by_year_end(query.on),
        list_url=lambda query: _url("green:plant_list", query, [("due_on", jalali_text(query.on))]),
        public=True,
        order=26,
        tone="info",
        app="green",
    )
)


def _producing_units(query: kpis.Query) -> QuerySet:
    return _place(in_scope(ProductionUnit.objects.all(), query.user), query.filters, "estate").filter(
        status__in=PRODUCING
    )


kpis.register(
    kpis.KPI(
        code="sewer_connection_share",
        name=_("Units connected to the sewer"),
        definition=_(
            "Share of the units in production (operating or semi-active) that are connected to their "
            "estate's sewer, as registered today."
        ),
        unit=kpis.PERCENT,
        period=kpis.CURRENT,
        filters=PLACE_FILTERS,
        rows=lambda query: _producing_units(query).filter(connection__connected=True),
        list_url=lambda query: _url(
            "green:connection_list", query, [("producing", "true"), ("connected", "true")]
        ),
        denominator=_producing_units,
        denominator_url=lambda query: _url("green:connection_list", query, [("producing", "true")]),
        order=71,
        app="green",
    )
)


def _tests(query: kpis.Query) -> QuerySet:
    tests = _place(in_scope(EffluentTest.objects.all(), query.user), query.filters, "unit__estate")
    return tests.filter(sampled_on__gte=query.period.start, sampled_on__lte=query.period.end)


def _tests_url(passed: bool | None):
    def url(query: kpis.Query) -> str:
        params = [
            ("sampled_from", jalali_text(query.period.start)),
            ("sampled_to", jalali_text(query.period.end)),
        ]
        if passed is not None:
            params.append(("passed", "true" if passed else "false"))
        return _url("green:test_list", query, params)

    return url


kpis.register(
    kpis.KPI(
        code="effluent_compliance",
        name=_("Effluent tests within the limits"),
        definition=_(
            "Share of the units' effluent tests sampled inside the period whose every measured parameter "
            "was within the company's discharge limits for the receiving body."
        ),
        unit=kpis.PERCENT,
        period=kpis.WINDOW,
        filters=PLACE_FILTERS,
        rows=lambda query: _tests(query).filter(passed=True),
        list_url=_tests_url(True),
        denominator=_tests,
        denominator_url=_tests_url(None),
        order=72,
        app="green",
    )
)

kpis.register(
    kpis.KPI(
        code="tonnes_diverted",
        name=_("Tonnes diverted a year by symbiosis"),
        definition=_(
            "Tonnes a year of by-products and wastes that go to another unit as an input under the "
            "symbiosis exchanges at the contract or running stage, as registered today."
        ),
        unit="tonnes",
        period=kpis.CURRENT,
        filters=PLACE_FILTERS,
        rows=lambda query: _place(
            in_scope(SymbiosisLink.objects.all(), query.user), query.filters, "have__unit__estate"
        ).diverting(),
        aggregate=Sum("tonnes_per_year"),
        list_url=lambda query: _url("green:link_list", query, [("stage", "contract"), ("stage", "running")]),
        total_key="tonnes",
        order=73,
        tone="success",
        app="green",
    )
)
