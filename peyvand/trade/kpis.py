"""The trade figures of the registry (see ``core/kpis.py``): direct exports and the exporting units from the
export records, the value chains from the ledger — each with the list page that shows the same rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis, permissions
from peyvand.core.jalali import jalali_text
from peyvand.units.kpis import filtered

from .models import ExportRecord

EXPORT_FILTERS = ("estate", "county", "isic", "size")
# KPI filter -> the export list's query parameter
LIST_PARAMS = {"estate": "estate", "county": "county", "isic": "division", "size": "size"}


def unit_exports(query: kpis.Query) -> QuerySet:
    """The units' export records in the period (by the month they belong to), in the user's scope."""
    records = ExportRecord.objects.filter(unit__isnull=False)
    if query.user is not None and permissions.is_staff_member(query.user):
        records = permissions.restrict(records, query.user, permissions.VIEW)
    records = filtered(records, query.filters, prefix="unit__")
    return records.filter(period_start__gte=query.period.start, period_start__lte=query.period.end)


def exports_url(query: kpis.Query) -> str:
    params = [
        ("exporter", "units"),
        ("period_from", jalali_text(query.period.start)),
        ("period_to", jalali_text(query.period.end)),
    ]
    params += [(LIST_PARAMS[name], str(value)) for name, value in query.filters.items() if value]
    return reverse("trade:export_list") + "?" + urlencode(params)


def _exporting_units(query: kpis.Query) -> QuerySet:
    from peyvand.units.models import ProductionUnit

    return ProductionUnit.objects.filter(pk__in=unit_exports(query).values("unit_id"))


kpis.register(
    kpis.KPI(
        code="direct_exports",
        name=_("Direct exports"),
        definition=_(
            "Value (US dollars) of the units' export records whose month falls inside the period; the large "
            "buyers' own exports are not counted, and indirect exports are shown beside, never added."
        ),
        unit="usd",
        period=kpis.WINDOW,
        filters=EXPORT_FILTERS,
        rows=unit_exports,
        aggregate=Sum("value_usd"),
        list_url=exports_url,
        total_key="value_usd",
        public=True,
        order=59,
        app="trade",
    )
)

kpis.register(
    kpis.KPI(
        code="exporting_units",
        name=_("Exporting units"),
        definition=_(
            "Distinct production units with at least one export record whose month falls inside the period."
        ),
        period=kpis.WINDOW,
        filters=EXPORT_FILTERS,
        rows=_exporting_units,
        list_url=exports_url,
        total_key="units",
        public=True,
        order=58,
        app="trade",
    )
)


def _chains(query: kpis.Query) -> QuerySet:
    from peyvand.sourcing.models import Linkage

    linkages = Linkage.objects.all()
    if query.user is not None:
        linkages = permissions.restrict(linkages, query.user, permissions.VIEW)
    linkages = linkages.contracted() if query.is_today else linkages.contracted_by(query.on)
    if query.filters.get("estate"):
        linkages = linkages.filter(unit__estate_id=query.filters["estate"])
    if query.filters.get("county"):
        linkages = linkages.filter(unit__estate__county_id=query.filters["county"])
    return linkages.order_by().values("buyer_id", "unit_id").distinct()


def _chains_url(query: kpis.Query) -> str:
    params = [(name, str(query.filters[name])) for name in ("estate", "county") if query.filters.get(name)]
    if not query.is_today:
        params.append(("on", jalali_text(query.on)))
    encoded = urlencode(params)
    return reverse("trade:chains") + (f"?{encoded}" if encoded else "")


kpis.register(
    kpis.KPI(
        code="value_chains",
        name=_("Value chains"),
        definition=_(
            "Distinct buyer–supplier pairs with a linkage at contract stage or beyond (contract signed, first "
            "delivery, repeat order) on the date; a pair with several contracts counts once."
        ),
        period=kpis.AS_OF,
        filters=("estate", "county"),
        rows=_chains,
        list_url=_chains_url,
        total_key="chains",
        order=65,
        app="trade",
    )
)


def captured(query: kpis.Query) -> QuerySet:
    """Linkages at contract stage or beyond whose request was opened for a buyer's declared input."""
    from peyvand.sourcing.kpis import contracts

    from .models import BuyerInput

    from_inputs = BuyerInput.objects.filter(request__isnull=False).values("request_id")
    return contracts(query).filter(request_id__in=from_inputs)


def _captured_url(query: kpis.Query) -> str:
    params = [(name, str(query.filters[name])) for name in ("estate", "county") if query.filters.get(name)]
    if not query.is_today:
        params.append(("contracted_to", jalali_text(query.on)))
    encoded = urlencode(params)
    return reverse("trade:captured") + (f"?{encoded}" if encoded else "")


kpis.register(
    kpis.KPI(
        code="local_sourcing_captured",
        name=_("Local sourcing captured"),
        definition=_(
            "Sum of the contract values (rial) of the linkages at contract stage or beyond whose sourcing "
            "request was opened for an input a large buyer had bought outside the province or imported."
        ),
        unit=kpis.RIAL,
        period=kpis.AS_OF,
        filters=("estate", "county"),
        rows=captured,
        aggregate=Sum("contract_value_rial"),
        list_url=_captured_url,
        total_key="value_rial",
        order=66,
        app="trade",
    )
)
