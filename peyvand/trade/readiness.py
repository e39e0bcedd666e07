"""Export readiness of a unit: a transparent checklist, each item with what it looked at and why it
passes or not (certifications for its markets, export history, capacity, profile, profile language)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from peyvand.core.jalali import format_number, localize_digits

from . import countries

# Markets whose buyers ask for the CE mark (the European Economic Area and Switzerland, Türkiye).
CE_MARKETS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "CH",
        "TR",
    ]
)
# Markets where food is sold with a halal certificate.
HALAL_MARKETS = frozenset(
    ["IQ", "AE", "SA", "KW", "QA", "OM", "BH", "AF", "PK", "MY", "ID", "TJ", "AZ", "TM", "UZ", "KZ", "KG"]
)
FOOD_DIVISIONS = ("10", "11")
QUALITY = frozenset({"iso_9001", "iatf_16949", "iso_13485", "inso"})
FOOD_SAFETY = frozenset({"haccp", "iso_22000", "fssc_22000", "brcgs"})
HISTORY_YEARS = 3


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str


def _names(codes: set[str]) -> str:
    return "، ".join(sorted(codes)) if codes else "—"


def checklist(unit: Any, today_year: int) -> list[Check]:
    """The readiness checks of ``unit`` (expects certificates and products prefetched)."""
    held = {cert.certification.code for cert in unit.certificates.all() if cert.verified}
    held_names = {cert.certification.display_name for cert in unit.certificates.all() if cert.verified}
    records = unit.export_records.filter(year__gt=today_year - HISTORY_YEARS)
    markets = set(records.values_list("destination", flat=True).distinct())
    history = records.aggregate(value=Sum("value_usd"))["value"] or 0
    food = bool(unit.isic_id and unit.isic.code[:2] in FOOD_DIVISIONS)
    products = list(unit.products.all())
    checks: list[Check] = []

    needed: list[tuple[str, frozenset[str]]] = [
        (_("a quality certificate (ISO 9001 or the national mark)"), QUALITY)
    ]
    if food:
        needed.append((_("a food-safety certificate (HACCP, ISO 22000)"), FOOD_SAFETY))
        if markets & HALAL_MARKETS:
            needed.append((_("a halal certificate"), frozenset({"halal"})))
    elif markets & CE_MARKETS:
        needed.append((_("the CE mark"), frozenset({"ce"})))
    missing = [label for label, codes in needed if not held & codes]
    market_names = "، ".join(countries.name(code) for code in sorted(markets)) or _("no market recorded yet")
    checks.append(
        Check(
            _("Certifications for its markets"),
            not missing,
            (
                _("Markets: %(markets)s. Holds: %(held)s.")
                % {"markets": market_names, "held": _names(held_names)}
            )
            + ((" " + _("Missing: %(missing)s.") % {"missing": "، ".join(missing)}) if missing else ""),
        )
    )
    checks.append(
        Check(
            _("Export history"),
            history > 0,
            _("%(value)s US dollars exported in the last %(years)s Jalali years.")
            % {"value": format_number(history), "years": localize_digits(HISTORY_YEARS)}
            if history
            else _("No export recorded in the last %(years)s Jalali years.")
            % {"years": localize_digits(HISTORY_YEARS)},
        )
    )
    with_capacity = [product for product in products if product.annual_capacity]
    checks.append(
        Check(
            _("Production capacity"),
            bool(unit.capacity or with_capacity),
            _("Capacity stated on the profile or for %(count)s of %(total)s products.")
            % {"count": localize_digits(len(with_capacity)), "total": localize_digits(len(products))}
            if unit.capacity or with_capacity
            else _("No capacity stated: buyers abroad ask how much the unit can deliver."),
        )
    )
    gaps = []
    if not unit.description:
        gaps.append(_("description"))
    if not products:
        gaps.append(_("products"))
    elif any(product.hs_id is None for product in products):
        gaps.append(_("HS codes of the products"))
    if not (unit.phone or unit.email):
        gaps.append(_("contact"))
    if not unit.isic_id:
        gaps.append(_("ISIC activity"))
    checks.append(
        Check(
            _("Profile complete"),
            not gaps,
            _("Missing: %(fields)s.") % {"fields": "، ".join(str(gap) for gap in gaps)}
            if gaps
            else _("Description, products with HS codes, contact and activity are recorded."),
        )
    )
    checks.append(
        Check(
            _("Profile in English"),
            bool(unit.description_en and unit.name_en),
            _("An English name and description let buyers abroad read the profile.")
            if not (unit.description_en and unit.name_en)
            else _("The profile has an English name and description."),
        )
    )
    return checks
