"""Open data: the public fields of public rows (VOCABULARY.md "what the public may see of a unit"), as
CSV and JSON with the licence and the date of extraction. Nothing personal, nothing non-public: each
dataset lists its fields here, and a test scans every download for anything else."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peyvand.core import exports, jalali, kpis, permissions
from peyvand.estates.models import IndustrialEstate
from peyvand.units.models import Product, ProductionUnit, units_in_production_of_estate

from . import figures


@dataclass(frozen=True)
class Dataset:
    code: str
    title: Any
    fields: tuple[str, ...]
    rows: Callable[[], list[dict[str, Any]]]


def _names(items) -> str:
    return "; ".join(sorted({item.name for item in items}))


def public_units() -> list[dict[str, Any]]:
    """The public directory: units in production, with their public fields only."""
    units = (
        permissions.restrict(ProductionUnit.objects.all(), AnonymousUser(), permissions.VIEW_PUBLIC)
        .select_related("estate", "estate__county", "isic")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.only("id", "unit_id", "name", "name_en")),
            "capabilities",
            "certifications",
        )
        .order_by("sort_name", "pk")
    )
    return [
        {
            "id": unit.pk,
            "name": unit.name,
            "name_en": unit.name_en,
            "estate": unit.estate.name,
            "county": unit.estate.county.name,
            "isic_class": unit.isic.code if unit.isic else "",
            "isic_name": unit.isic.name if unit.isic else "",
            "products": _names(unit.products.all()),
            "capabilities": _names(unit.capabilities.all()),
            "certifications": _names(unit.certifications.all()),
            "export_oriented": unit.export_oriented,
            "knowledge_based": unit.knowledge_based,
            "size_class": unit.size_class or "",
        }
        for unit in units
    ]


def public_estates() -> list[dict[str, Any]]:
    estates = (
        IndustrialEstate.objects.with_figures()
        .select_related("county")
        .annotate(units_in_production=units_in_production_of_estate())
        .order_by("sort_name", "pk")
    )
    return [
        {
            "id": estate.pk,
            "name": estate.name,
            "name_en": estate.name_en,
            "kind": estate.kind,
            "county": estate.county.name,
            "total_area_ha": float(estate.total_area_ha) if estate.total_area_ha is not None else None,
            "industrial_area_ha": float(estate.industrial_area_ha)
            if estate.industrial_area_ha is not None
            else None,
            "plots": estate.plot_count,
            "free_plots": estate.free_plot_count,
            "units_in_production": estate.units_in_production,
            "water": estate.water,
            "power": estate.power,
            "gas": estate.gas,
            "telecom": estate.telecom,
            "wastewater": estate.wastewater,
            "latitude": float(estate.latitude) if estate.latitude is not None else None,
            "longitude": float(estate.longitude) if estate.longitude is not None else None,
        }
        for estate in estates
    ]


def public_figures() -> list[dict[str, Any]]:
    """Today's public figures (the public statistics page's), placeholders saying they are not yet there."""
    query = figures.query_for(AnonymousUser())
    return [
        {
            "code": figure.code,
            "name": str(figure.kpi.name),
            "value": float(figure.value) if figure.value is not None else None,
            "unit": figure.kpi.unit,
            "period": figure.kpi.period,
            "as_of": query.on.isoformat(),
            "definition": str(figure.kpi.definition),
            "note": str(figure.note),
        }
        for figure in kpis.figures(query)
    ]


DATASETS = {
    "units": Dataset(
        "units",
        _("Production units in production (public profile)"),
        (
            "id",
            "name",
            "name_en",
            "estate",
            "county",
            "isic_class",
            "isic_name",
            "products",
            "capabilities",
            "certifications",
            "export_oriented",
            "knowledge_based",
            "size_class",
        ),
        public_units,
    ),
    "estates": Dataset(
        "estates",
        _("Industrial estates and zones, plots and readiness"),
        (
            "id",
            "name",
            "name_en",
            "kind",
            "county",
            "total_area_ha",
            "industrial_area_ha",
            "plots",
            "free_plots",
            "units_in_production",
            "water",
            "power",
            "gas",
            "telecom",
            "wastewater",
            "latitude",
            "longitude",
        ),
        public_estates,
    ),
    "figures": Dataset(
        "figures",
        _("Public figures of today"),
        ("code", "name", "value", "unit", "period", "as_of", "definition", "note"),
        public_figures,
    ),
}


def licence() -> str:
    return settings.PEYVAND_OPEN_DATA_LICENCE


def as_json(dataset: Dataset, today: dt.date | None = None) -> bytes:
    today = today or timezone.localdate()
    payload = {
        "dataset": dataset.code,
        "title": str(dataset.title),
        "licence": licence(),
        "extracted_on": today.isoformat(),
        "extracted_on_jalali": jalali.jalali_text(today),
        "fields": list(dataset.fields),
        "rows": [{name: row[name] for name in dataset.fields} for row in dataset.rows()],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def as_csv(dataset: Dataset, today: dt.date | None = None) -> bytes:
    """UTF-8 CSV (the export engine's: BOM, formula guard) after two ``#`` lines: licence and date."""
    today = today or timezone.localdate()
    rows = [[row[name] for name in dataset.fields] for row in dataset.rows()]
    body = exports.write_csv(list(dataset.fields), rows).decode("utf-8").lstrip("\ufeff")
    preamble = (
        f"# licence: {licence()}\r\n# extracted on: {today.isoformat()} ({jalali.jalali_text(today)})\r\n"
    )
    return ("\ufeff" + preamble + body).encode("utf-8")
