"""Local-sourcing opportunities: what the province's large buyers buy outside the province or import
(their declared inputs), ranked by yearly value, each with the local units the matching engine finds
that make it (a capability it names) or could make it (a related one) — and the gap where none can."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import get_language

from peyvand.core import permissions
from peyvand.units.models import ProductionUnit

from .choices import OUTSIDE
from .models import BuyerInput

SUPPLIERS_SHOWN = 3


def ranked(inputs: QuerySet, user: Any) -> list[BuyerInput]:
    """Inputs bought outside the province, the largest yearly value first (unknown values last)."""
    return list(
        inputs.filter(origin__in=OUTSIDE).order_by(F("yearly_value_rial").desc(nulls_last=True), "name")
    )


def _query(item: BuyerInput) -> Any:
    from peyvand.matching.documents import Request

    text = ". ".join(part for part in (item.name, item.description) if part)
    return Request(id=f"input-{item.pk}", text=text)


def _engine_results(items: list[BuyerInput], top: int) -> dict[int, list[Any]] | None:
    """Engine results per input; None when the matching index is not built yet."""
    from peyvand.matching.ranking import rank
    from peyvand.sourcing import engine

    try:
        index = engine.current_index()
    except engine.IndexNotReady:
        return None
    return {item.pk: rank(index, _query(item), top=top) for item in items}


def attach_suppliers(items: list[BuyerInput], user: Any, top: int = SUPPLIERS_SHOWN) -> None:
    """Set ``item.suppliers`` (list of (unit, makes: bool, reasons)) and ``item.index_pending`` on each."""
    items = list(items)
    if not items:
        return
    results = _engine_results(items, top)
    language = "en" if (get_language() or "fa").startswith("en") else "fa"
    ids = {int(result.profile_id) for rows in (results or {}).values() for result in rows}
    units = {
        unit.pk: unit
        for unit in permissions.restrict(
            ProductionUnit.objects.filter(pk__in=ids).select_related("estate"), user, permissions.VIEW_PUBLIC
        )
    }
    for item in items:
        item.index_pending = results is None
        item.suppliers = [
            (units[int(result.profile_id)], bool(result.matched_concepts), list(result.reasons(language))[:2])
            for result in (results or {}).get(item.pk, [])
            if int(result.profile_id) in units
        ]


def suppliers_for(item: BuyerInput, user: Any) -> dict[str, Any]:
    attach_suppliers([item], user, top=10)
    return {"rows": item.suppliers, "pending": item.index_pending}


def open_gaps(user: Any) -> list[Any]:
    """The bridge's open supply gaps (requests nobody in the province can yet serve) the user may see."""
    from peyvand.sourcing.choices import GapState
    from peyvand.sourcing.models import GapTicket

    if not permissions.can(user, permissions.VIEW, GapTicket):
        return []
    gaps = permissions.restrict(GapTicket.objects.exclude(state=GapState.RESOLVED), user, permissions.VIEW)
    return list(
        gaps.select_related("request", "request__buyer")
        .prefetch_related("missing")
        .order_by("-created_at")[:20]
    )
