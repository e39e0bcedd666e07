"""Every write of the trade domain (permission check, one transaction, a timeline event, notices) and
the figures read from its rows: totals, values by year, indirect exports, value chains, opportunities,
export readiness."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import log_event, signed_in
from peyvand.core.kpis import jalali_month_bounds
from peyvand.notifications.services import bilingual, notify_organisation

from .choices import ExportSource
from .models import BuyerInput, ExportRecord

# The fields a correction names on the timeline.
TRACKED = ("product", "hs_code", "tariff_line", "destination", "value_usd", "value_rial", "quantity", "year", "month", "source")  # fmt: skip


def period_start(year: int, month: int) -> dt.date:
    """The Gregorian date of the first day of the Jalali month."""
    return jalali_month_bounds(year, month)[0]


def prepare(record: ExportRecord) -> None:
    """Check the exporter and the tariff line; derive the estate company and the month's first day."""
    exporter = record.unit or record.buyer
    if exporter is None or (record.unit_id and record.buyer_id):
        raise ValidationError(_("An export record belongs to one unit or to one large buyer."))
    record.company_id = record.unit.estate.company_id if record.unit_id else record.buyer.company_id
    if record.company_id is None:
        raise ValidationError(_("This buyer is not served by an estate company."))
    record.period_start = period_start(record.year, record.month)
    if record.tariff_line and not record.tariff_line.startswith(record.hs_code):
        raise ValidationError(_("The tariff line must begin with the six digits of the HS code."))


def may_state_only(user: Any) -> bool:
    """Whether ``user`` records exports only as a unit's own statement (a unit's people, not staff)."""
    return not permissions.is_staff_member(user)


def save_export(record: ExportRecord, *, by: Any) -> ExportRecord:
    """Record a new export or correct one. Staff record any source and the unit's people hear of it; a
    unit's people state their own exports (source: the unit's own statement) and the company hears of it."""
    creating = record.pk is None
    prepare(record)
    permissions.require(by, permissions.ADD if creating else permissions.CHANGE, record)
    staff = not may_state_only(by)
    with transaction.atomic():
        before = None if creating else ExportRecord.objects.select_for_update().get(pk=record.pk)
        if not staff and (
            record.unit_id is None
            or record.source != ExportSource.OWN_STATEMENT
            or (before is not None and before.source != ExportSource.OWN_STATEMENT)
        ):
            raise PermissionDenied  # customs figures and estimates are the estate company's to record
        if creating:
            record.created_by = signed_in(by)
            record.save()
            log_event(
                record,
                "trade.export.recorded",
                {"product": record.product, "destination": record.destination, "value_usd": record.value_usd},
                actor=by,
            )
        else:
            changed = [name for name in TRACKED if getattr(before, name) != getattr(record, name)]
            record.save()
            if changed:
                log_event(record, "trade.export.changed", {"fields": ", ".join(changed)}, actor=by)
        if creating and staff and record.unit_id and record.unit.organisation_id:
            title = bilingual(
                gettext_lazy("An export of %(product)s was recorded for your unit"), product=record.product
            )
            notify_organisation(
                record.unit.organisation, "system", title=title, url=record.get_absolute_url()
            )
        elif creating and not staff:
            title = bilingual(
                gettext_lazy("%(unit)s stated an export of %(product)s"),
                unit=record.unit.name,
                product=record.product,
            )
            notify_organisation(
                record.company,
                "system",
                roles=["manager", "linkage_officer"],
                title=title,
                url=record.get_absolute_url(),
            )
    return record


def delete_export(record: ExportRecord, *, by: Any) -> None:
    permissions.require(by, permissions.DELETE, record)
    with transaction.atomic():
        target = record.unit or record.buyer
        log_event(
            target,
            "trade.export.deleted",
            {"product": record.product, "period": f"{record.year}/{record.month:02d}"},
            actor=by,
        )
        record.delete()


def save_input(item: BuyerInput, *, by: Any) -> BuyerInput:
    """Declare or change a buyer's input (the buyer itself, or the estate company's staff for it)."""
    creating = item.pk is None
    item.company_id = item.buyer.company_id
    if item.company_id is None:
        raise ValidationError(_("This buyer is not served by an estate company."))
    permissions.require(by, permissions.ADD if creating else permissions.CHANGE, item)
    with transaction.atomic():
        if creating:
            item.created_by = signed_in(by)
            item.save()
            log_event(item, "trade.input.declared", {"name": item.name}, actor=by)
        else:
            before = BuyerInput.objects.select_for_update().get(pk=item.pk)
            fields = ("name", "hs_code", "yearly_quantity", "yearly_value_rial", "origin")
            changed = [name for name in fields if getattr(before, name) != getattr(item, name)]
            item.save()
            if changed:
                log_event(item, "trade.input.changed", {"fields": ", ".join(changed)}, actor=by)
    return item


def open_request(item: BuyerInput, *, by: Any) -> Any:
    """A draft sourcing request for the buyer's input, so the bridge can find its local suppliers."""
    from peyvand.sourcing.models import SourcingRequest

    permissions.require(by, permissions.BROKER, item)
    with transaction.atomic():
        item = BuyerInput.objects.select_for_update().get(pk=item.pk)
        if item.request_id:
            raise ValidationError(_("A sourcing request was already opened for this input."))
        text = item.description or item.name
        if item.yearly_quantity:
            text += " — " + _("yearly %(quantity)s %(unit)s") % {
                "quantity": f"{item.yearly_quantity.normalize():f}",
                "unit": item.quantity_unit,
            }
        request = SourcingRequest.objects.create(
            buyer=item.buyer,
            company_id=item.company_id,
            title=item.name[:200],
            text=text,
            quantity=item.yearly_quantity,
            quantity_unit=item.quantity_unit,
            quote_deadline=timezone.localdate() + dt.timedelta(days=30),
            created_by=signed_in(by),
        )
        item.request = request
        item.save(update_fields=["request", "updated_at"])
        log_event(request, "sourcing.request.created", {"title": request.title}, actor=by)
        log_event(item, "trade.input.request_opened", {"reference": request.reference}, actor=by)
    return request


# --- figures --------------------------------------------------------------------------------------
def totals(records: QuerySet) -> dict[str, int]:
    """Records, their value and the distinct units behind them — one aggregate query."""
    sums = records.order_by().aggregate(
        records=Count("pk"),
        value=Sum("value_usd"),
        rial=Sum("value_rial"),
        units=Count("unit", distinct=True),
    )
    return {
        "records": sums["records"],
        "value_usd": int(sums["value"] or 0),
        "value_rial": int(sums["rial"] or 0),
        "units": sums["units"],
    }


# What the yearly summary groups by, and the values() keys of each (id, Persian name, English name).
DIMENSIONS = {
    "unit": gettext_lazy("Unit"),
    "estate": gettext_lazy("Estate"),
    "county": gettext_lazy("County"),
    "chapter": gettext_lazy("HS chapter"),
    "destination": gettext_lazy("Destination"),
}
_DIMENSION_FIELDS = {
    "unit": ("unit_id", "unit__name", "unit__name_en"),
    "estate": ("unit__estate_id", "unit__estate__name", "unit__estate__name_en"),
    "county": ("unit__estate__county_id", "unit__estate__county__name", "unit__estate__county__name_en"),
    "destination": ("destination",),
}


def by_year(records: QuerySet, dimension: str, years: list[int]) -> list[dict[str, Any]]:
    """Value (USD) of ``records`` per ``dimension`` and Jalali year, the largest first (one query)."""
    from django.db.models.functions import Substr

    from . import countries, hs

    english = _is_english()
    if dimension == "chapter":
        rows = (
            records.order_by()
            .annotate(key=Substr("hs_code", 1, 2))
            .values("key", "year")
            .annotate(value=Sum("value_usd"))
        )
        label = lambda row: f"{row['key']} — {hs.chapter_label(row['key'])}"  # noqa: E731
    else:
        fields = _DIMENSION_FIELDS[dimension]
        rows = records.order_by().values(*fields, "year").annotate(value=Sum("value_usd"))
        if dimension == "destination":
            label = lambda row: countries.name(row["destination"])  # noqa: E731
        else:
            label = lambda row: (english and row[fields[2]]) or row[fields[1]]  # noqa: E731
    table: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = row.get("key", row.get(_DIMENSION_FIELDS.get(dimension, ("key",))[0]))
        entry = table.setdefault(key, {"key": key, "label": label(row), "years": dict.fromkeys(years, 0)})
        if row["year"] in entry["years"]:
            entry["years"][row["year"]] += int(row["value"] or 0)
    result = [
        {**entry, "values": [entry["years"][year] for year in years], "total": sum(entry["years"].values())}
        for entry in table.values()
    ]
    return sorted(result, key=lambda entry: (-entry["total"], str(entry["label"])))


def by_month(records: QuerySet) -> list[tuple[int, int, int]]:
    """(year, month, value USD) of every month with records, in order."""
    rows = (
        records.order_by().values("year", "month").annotate(value=Sum("value_usd")).order_by("year", "month")
    )
    return [(row["year"], row["month"], int(row["value"])) for row in rows]


def _is_english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "fa").startswith("en")


def destination_shares(
    buyer_ids: list[int], start: dt.date | None = None, end: dt.date | None = None, chapter: str = ""
) -> dict[int, dict[str, Decimal]]:
    """Each buyer's exports split by destination (shares summing to 1) from its own export records."""
    records = ExportRecord.objects.filter(buyer_id__in=buyer_ids)
    if chapter:
        records = records.filter(hs_code__startswith=chapter)
    if start:
        records = records.filter(period_start__gte=start)
    if end:
        records = records.filter(period_start__lte=end)
    values: dict[int, dict[str, int]] = defaultdict(dict)
    for row in records.order_by().values("buyer_id", "destination").annotate(value=Sum("value_usd")):
        values[row["buyer_id"]][row["destination"]] = int(row["value"])
    shares: dict[int, dict[str, Decimal]] = {}
    for buyer_id, by_destination in values.items():
        total = sum(by_destination.values())
        shares[buyer_id] = {code: Decimal(value) / total for code, value in by_destination.items()}
    return shares


UNKNOWN_DESTINATION = "??"


def indirect_by_destination(linkages: QuerySet) -> list[dict[str, Any]]:
    """Indirect exports (contract value × the buyer's export share) split over the buyer's destinations
    (its own export records); a buyer without records goes to "destination not recorded". The parts of
    each linkage add up to its indirect exports: nothing is counted twice."""
    rows = list(
        linkages.contracted()
        .exclude(contract_value_rial__isnull=True)
        .exclude(export_share__isnull=True)
        .values("buyer_id", "contract_value_rial", "export_share")
    )
    shares = destination_shares(sorted({row["buyer_id"] for row in rows}))
    result: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        indirect = Decimal(row["contract_value_rial"]) * row["export_share"] / 100
        for code, share in (shares.get(row["buyer_id"]) or {UNKNOWN_DESTINATION: Decimal(1)}).items():
            result[code] += indirect * share
    return sorted(
        ({"destination": code, "value_rial": int(value)} for code, value in result.items()),
        key=lambda row: -row["value_rial"],
    )
