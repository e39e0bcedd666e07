"""The clinic's figures in the KPI registry (see ``core/kpis.py``), each with the list that produces it.

"Returned to production" stays the units' figure (VOCABULARY.md); the clinic adds how many of those
returns had a case behind them, listed with their cases and interventions.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis, permissions
from peyvand.core.jalali import jalali_text
from peyvand.units.filters import returned_to_production
from peyvand.units.kpis import LIST_PARAMS, UNIT_FILTERS, filtered, units_in_scope

from .choices import OPEN_STAGES
from .filters import returns_with_case
from .models import RevivalCase


def _params(query: kpis.Query) -> list[tuple[str, str]]:
    return [(LIST_PARAMS[name], str(value)) for name, value in query.filters.items() if value]


def _returns_url(query: kpis.Query) -> str:
    params = [
        ("returned_from", jalali_text(query.period.start)),
        ("returned_to", jalali_text(query.period.end)),
        ("with_case", "true"),
        *_params(query),
    ]
    return reverse("revival:returns") + "?" + urlencode(params)


def _returns_rows(query: kpis.Query) -> QuerySet:
    units = filtered(units_in_scope(query.user), query.filters)
    returned = returned_to_production(units, query.period.start, query.period.end)
    return returns_with_case(returned, query.period.start, query.period.end)


def _open_cases(query: kpis.Query) -> QuerySet:
    cases = RevivalCase.objects.filter(stage__in=OPEN_STAGES)
    if query.user is not None:
        cases = permissions.restrict(cases, query.user, permissions.VIEW)
    if query.filters.get("estate"):
        cases = cases.filter(unit__estate_id=query.filters["estate"])
    if query.filters.get("county"):
        cases = cases.filter(unit__estate__county_id=query.filters["county"])
    return cases


def _open_cases_url(query: kpis.Query) -> str:
    params = [("open", "true")]
    params += [(name, str(query.filters[name])) for name in ("estate", "county") if query.filters.get(name)]
    return reverse("revival:case_list") + "?" + urlencode(params)


kpis.register(
    kpis.KPI(
        code="returns_with_case",
        name=_("Returns with a clinic case"),
        definition=_(
            "Of the units returned to production in the period (a change from “idle” to “operating” or "
            "“semi-active”), those whose return is linked to a case of the industrial clinic."
        ),
        period=kpis.WINDOW,
        filters=UNIT_FILTERS,
        rows=_returns_rows,
        list_url=_returns_url,
        order=21,
        tone="info",
        app="revival",
    )
)

kpis.register(
    kpis.KPI(
        code="open_revival_cases",
        name=_("Open clinic cases"),
        definition=_("Cases of the industrial clinic not yet ended (requested, in diagnosis or under way)."),
        period=kpis.CURRENT,
        filters=("estate", "county"),
        rows=_open_cases,
        list_url=_open_cases_url,
        order=31,
        tone="warning",
        app="revival",
    )
)
