"""The registry's figures of the bridge's ledger (see ``core/kpis.py``), computed from the linkage rows
with the ledger page's filters — the ledger page shows the same totals over the same rows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core import kpis, permissions
from peyvand.core.jalali import jalali_text

from .models import INDIRECT_EXPORTS, Linkage

LEDGER_FILTERS = ("estate", "county")


def linkages_in_scope(query: kpis.Query) -> QuerySet:
    rows = Linkage.objects.all()
    if query.user is not None:
        rows = permissions.restrict(rows, query.user, permissions.VIEW)
    if query.filters.get("estate"):
        rows = rows.filter(unit__estate_id=query.filters["estate"])
    if query.filters.get("county"):
        rows = rows.filter(unit__estate__county_id=query.filters["county"])
    return rows


def ledger_url(query: kpis.Query, params: list[tuple[str, str]]) -> str:
    filters = [(name, str(query.filters[name])) for name in LEDGER_FILTERS if query.filters.get(name)]
    encoded = urlencode([*params, *filters])
    return reverse("sourcing:linkage_list") + (f"?{encoded}" if encoded else "")


def started(query: kpis.Query) -> QuerySet:
    rows = linkages_in_scope(query)
    return rows if query.is_today else rows.filter(introduced_on__lte=query.on)


def contracts(query: kpis.Query) -> QuerySet:
    rows = linkages_in_scope(query)
    return rows.contracted() if query.is_today else rows.contracted_by(query.on)


def started_url(query: kpis.Query) -> str:
    return ledger_url(query, [] if query.is_today else [("introduced_to", jalali_text(query.on))])


def contracts_url(query: kpis.Query) -> str:
    params = [("contracted", "true")]
    if not query.is_today:
        params.append(("contracted_to", jalali_text(query.on)))
    return ledger_url(query, params)


CONTRACTS_NOTE = _(
    "Counted over the linkages at a contract stage or beyond (contract signed, first delivery, repeat "
    "order) whose contract was signed on or before the date; lost ones are not counted."
)


def _contract_kpi(code: str, name, definition, aggregate, total_key: str, unit: str, order: int) -> kpis.KPI:
    return kpis.KPI(
        code=code,
        name=name,
        definition=definition,
        unit=unit,
        period=kpis.AS_OF,
        filters=LEDGER_FILTERS,
        rows=contracts,
        aggregate=aggregate,
        list_url=contracts_url,
        total_key=total_key,
        order=order,
        app="sourcing",
    )


kpis.register(
    kpis.KPI(
        code="linkages",
        name=_("Linkages"),
        definition=_(
            "Buyer–supplier linkages that officers started (introduced) on or before the date, at any "
            "stage, lost ones included."
        ),
        period=kpis.AS_OF,
        filters=LEDGER_FILTERS,
        rows=started,
        list_url=started_url,
        total_key="linkages",
        order=60,
        app="sourcing",
    )
)
kpis.register(
    _contract_kpi(
        "contracts",
        _("Contracts signed"),
        CONTRACTS_NOTE,
        None,
        "contracts",
        kpis.COUNT,
        61,
    )
)
kpis.register(
    _contract_kpi(
        "contract_value",
        _("Contract value"),
        _("Sum of the contract values (rial) recorded on the contracts signed through the bridge."),
        Sum("contract_value_rial"),
        "value_rial",
        kpis.RIAL,
        62,
    )
)
kpis.register(
    _contract_kpi(
        "indirect_exports",
        _("Indirect exports"),
        _(
            "Sum over the contracts signed through the bridge of the contract value × the export share of "
            "the buyer's product: what small suppliers export through large buyers."
        ),
        Sum(INDIRECT_EXPORTS),
        "indirect_exports_rial",
        kpis.RIAL,
        63,
    )
)
kpis.register(
    _contract_kpi(
        "jobs_created",
        _("Jobs created"),
        _("Sum of the jobs recorded as created by the contracts signed through the bridge."),
        Sum("jobs_created"),
        "jobs",
        kpis.COUNT,
        64,
    )
)
