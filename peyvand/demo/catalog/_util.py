"""Small pure helpers shared by the catalog modules (no Django, no I/O)."""

from __future__ import annotations

from string import Formatter

ZWNJ = "\u200c"

#: Placeholders a Persian description template may use.
#: ``products_fa`` — a Persian list of products («برنج سفید، سبوس و خرده برنج»);
#: ``capacity_fa`` — yearly capacity with its unit («۴٬۵۰۰ تن»); ``county_fa`` — county name without
#: «شهرستان» («لاهیجان»); ``years`` — years in operation (the caller picks Persian or Latin digits).
PLACEHOLDERS_FA = frozenset({"products_fa", "capacity_fa", "county_fa", "years"})
#: Placeholders an English description template may use (same meaning, English values).
PLACEHOLDERS_EN = frozenset({"products_en", "capacity_en", "county_en", "years"})

#: Certification codes a catalog entry may use («inso» is the Iranian national standard mark).
CERTIFICATIONS = frozenset({"iso_9001", "iso_14001", "iso_22000", "haccp", "iatf_16949", "ce", "inso"})

#: Infrastructure states of an estate network.
INFRA_STATES = ("ready", "partial", "planned", "none")

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def product(name_fa: str, name_en: str, hs: str, unit_fa: str, unit_en: str, lo: int, hi: int) -> dict:
    """A manufactured product: 4-digit HS 2022 heading, unit and yearly capacity range."""
    return {
        "name_fa": name_fa,
        "name_en": name_en,
        "hs": hs,
        "unit_fa": unit_fa,
        "unit_en": unit_en,
        "capacity": (lo, hi),
    }


def service(name_fa: str, name_en: str, unit_fa: str, unit_en: str, lo: int, hi: int) -> dict:
    """A service a unit sells (no HS heading; ``hs`` is None and ``service`` is True)."""
    return {
        "name_fa": name_fa,
        "name_en": name_en,
        "hs": None,
        "service": True,
        "unit_fa": unit_fa,
        "unit_en": unit_en,
        "capacity": (lo, hi),
    }


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a ``str.format`` template refers to."""
    return {field for _, field, _, _ in Formatter().parse(template) if field}


def fa_digits(value: object) -> str:
    """``value`` as text with Latin digits replaced by Persian ones (۰–۹)."""
    return str(value).translate(_FA_DIGITS)


def fa_number(value: int) -> str:
    """An integer with Persian digits and the Persian thousands separator («۱۲٬۵۰۰»)."""
    return fa_digits(f"{value:,}").replace(",", "٬")


#: Units used by sourcing requests: (Persian, English).
UNITS = {
    "t": ("تن", "t"),
    "kpcs": ("هزار عدد", "thousand pcs"),
    "pcs": ("عدد", "pcs"),
    "ksets": ("هزار دست", "thousand sets"),
    "units": ("دستگاه", "units"),
    "m3": ("مترمکعب", "m³"),
    "m2": ("مترمربع", "m²"),
    "m": ("متر", "m"),
    "km": ("کیلومتر", "km"),
    "sheets": ("برگ", "sheets"),
    "samples": ("نمونه", "samples"),
    "man_hours": ("نفرساعت", "man-hours"),
    "t_month": ("تن‌ماه", "t·month"),
    "trips": ("سفر", "trips"),
    "kbricks": ("هزار قالب", "thousand units"),
}


def request(
    industry: str,
    title: tuple[str, str],
    text_fa: str,
    text_en: str,
    *,
    quantity: int,
    unit: str,
    price: int | None,
    certs: list | tuple = (),
    counties: list | tuple = (),
    lang: str = "fa",
) -> dict:
    """A sourcing-request template of a buyer; ``price`` is the target price per unit in rial."""
    unit_fa, unit_en = UNITS[unit]
    return {
        "title_fa": title[0],
        "title_en": title[1],
        "text_fa": text_fa,
        "text_en": text_en,
        "lang": lang,
        "quantity": quantity,
        "unit_fa": unit_fa,
        "unit_en": unit_en,
        "target_price_rial": price,
        "certifications": list(certs),
        "preferred_counties": list(counties),
        "industry": industry,
    }
