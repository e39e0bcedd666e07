"""Industry profiles of the Gilan demo (~50 profiles; the data live in four part-modules).

Each profile::

    {"key", "isic" (ISIC Rev.4 class, 4 digits), "weight" (relative frequency in Gilan),
     "counties" ({county code: affinity} for regional industries, {} for anywhere),
     "employees" ((min, max)), "export_share", "knowledge_share" (probabilities),
     "certifications" ([(code, probability)]), "products" ([product dicts, see ``_util.product``]),
     "descriptions_fa", "descriptions_en" (``str.format`` templates), "name_words_fa", "name_words_en"}

Persian templates use ``{products_fa}``, ``{capacity_fa}``, ``{county_fa}``, ``{years}``; English ones
``{products_en}``, ``{capacity_en}``, ``{county_en}``, ``{years}`` (see ``PLACEHOLDERS_FA``/``_EN``).
Templates are deliberately noisy (colloquial Persian, Latin technical terms, missing half-spaces, the
odd Arabic ي/ك) — like real self-descriptions; names and products are clean.
A product of a service industry has ``hs`` None and ``service`` True. ``name_words_fa[i]`` and
``name_words_en[i]`` are translations of each other.
"""

from __future__ import annotations

from ._util import CERTIFICATIONS, PLACEHOLDERS_EN, PLACEHOLDERS_FA
from .industries_food import INDUSTRIES_FOOD
from .industries_heavy import INDUSTRIES_HEAVY
from .industries_materials import INDUSTRIES_MATERIALS
from .industries_tech import INDUSTRIES_TECH

__all__ = [
    "CERTIFICATIONS",
    "INDUSTRIES",
    "INDUSTRY_BY_KEY",
    "INDUSTRY_KEYS",
    "PLACEHOLDERS_EN",
    "PLACEHOLDERS_FA",
    "industry_county_weight",
]

INDUSTRIES = [*INDUSTRIES_FOOD, *INDUSTRIES_MATERIALS, *INDUSTRIES_HEAVY, *INDUSTRIES_TECH]
INDUSTRY_BY_KEY = {profile["key"]: profile for profile in INDUSTRIES}
INDUSTRY_KEYS = frozenset(INDUSTRY_BY_KEY)

#: Affinity a county gets when a regional industry does not name it (small: such units are rare).
OFF_REGION_WEIGHT = 0.05


def industry_county_weight(profile: dict, county_code: str) -> float:
    """How strongly ``profile`` is drawn to ``county_code`` (1.0 everywhere for non-regional industries)."""
    counties = profile["counties"]
    if not counties:
        return 1.0
    return float(counties.get(county_code, OFF_REGION_WEIGHT))
