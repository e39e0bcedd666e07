"""The registry's figures of estates (see ``core/kpis.py``), each with the estate list behind it.

Estates are public records, and their list shows every estate to everybody: the figures count the
same rows, whoever asks."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis

from .choices import PlotState
from .models import IndustrialEstate, Plot


def estates(query: kpis.Query) -> QuerySet:
    rows = IndustrialEstate.objects.all()
    if query.filters.get("county"):
        rows = rows.filter(county_id=query.filters["county"])
    return rows


def estate_list_url(query: kpis.Query, params: list[tuple[str, str]]) -> str:
    county = [("county", str(query.filters["county"]))] if query.filters.get("county") else []
    encoded = urlencode([*params, *county])
    return reverse("estates:list") + (f"?{encoded}" if encoded else "")


kpis.register(
    kpis.KPI(
        code="estates",
        name=_("Estates and zones"),
        definition=_("Industrial estates and zones in the register."),
        period=kpis.CURRENT,
        filters=("county",),
        rows=estates,
        list_url=lambda query: estate_list_url(query, []),
        public=True,
        public_list=True,
        order=40,
        app="estates",
    )
)

kpis.register(
    kpis.KPI(
        code="estates_with_free_plots",
        name=_("Estates with free plots"),
        definition=_("Estates and zones with at least one plot whose state is “free” (not allocated)."),
        period=kpis.CURRENT,
        filters=("county",),
        rows=lambda query: estates(query).filter(
            pk__in=Plot.objects.filter(state=PlotState.FREE).values("estate_id")
        ),
        list_url=lambda query: estate_list_url(query, [("free_plots", "true")]),
        public=True,
        public_list=True,
        order=45,
        app="estates",
    )
)
