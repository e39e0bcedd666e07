"""The symbiosis matcher: which unit's have (a by-product or waste) could feed which unit's want.

Pure Python over plain records (no Django): ``adapter`` in ``services`` turns listings into ``Offer`` rows
and the matcher's ``Proposal`` back into pages. Texts are read with the project's Persian/English analyser
(``matching.text.analyse``), so «پوسته برنج» and "rice husk" written in a description meet the material.

A pair is proposed when both name the same material, or when their texts share most of their terms; it
ranks higher for the same material, shared terms, quantities that fit and a short haul. Heat cannot be
hauled: waste heat pairs only inside one estate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from peyvand.matching.text import analyse

MAX_HAUL_KM = 150.0  # beyond this a by-product rarely pays its transport
TEXT_ONLY_OVERLAP = 0.5  # without the same material, at least half of the shorter text's terms shared


@dataclass(frozen=True)
class Offer:
    """A have or a want as the matcher reads it."""

    id: int
    unit_id: int
    unit_name: str
    estate_id: int
    estate_name: str
    material: str
    text: str
    tonnes: float
    latitude: float | None = None
    longitude: float | None = None
    estate_name_en: str = ""

    @property
    def estate_label_en(self) -> str:
        return self.estate_name_en or self.estate_name


@dataclass
class Proposal:
    have: Offer
    want: Offer
    score: float
    distance_km: float | None
    reasons: dict[str, list[str]] = field(default_factory=lambda: {"fa": [], "en": []})


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    return frozenset(analyse(text))


def distance_km(a: Offer, b: Offer) -> float | None:
    """Great-circle distance between two estates (0 inside one estate; None when a place is unknown)."""
    if a.estate_id == b.estate_id:
        return 0.0
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * 6371.0 * math.asin(math.sqrt(h)), 1)


def _fa_number(value: float) -> str:
    text = f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"
    return text.replace(",", "٬").replace(".", "٫").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def score_pair(
    have: Offer, want: Offer, labels: Mapping[str, tuple[str, str]], heat: Iterable[str] = ("waste_heat",)
) -> Proposal | None:
    """The proposal for one have and one want, or None when they do not fit."""
    if have.unit_id == want.unit_id:
        return None
    same_material = have.material == want.material and have.material != "other"
    have_terms, want_terms = terms(have.text), terms(want.text)
    shared = have_terms & want_terms
    overlap = len(shared) / min(len(have_terms), len(want_terms)) if have_terms and want_terms else 0.0
    if not same_material and overlap < TEXT_ONLY_OVERLAP:
        return None
    km = distance_km(have, want)
    is_heat = have.material in set(heat) or want.material in set(heat)
    if is_heat and km != 0:
        return None
    if km is not None and km > MAX_HAUL_KM:
        return None
    fit = min(have.tonnes, want.tonnes) / max(have.tonnes, want.tonnes) if have.tonnes and want.tonnes else 0
    score = (0.6 if same_material else 0.4 * overlap) + 0.2 * overlap + 0.1 * fit
    score += 0.1 * (1 - km / MAX_HAUL_KM) if km is not None else 0
    fa: list[str] = []
    en: list[str] = []
    label_fa, label_en = labels.get(have.material, (have.material, have.material))
    if same_material:
        fa.append(f"همان ماده: {label_fa}")
        en.append(f"same material: {label_en}")
    if shared:
        words = "، ".join(sorted(shared)[:5])
        fa.append(f"واژه‌های مشترک: {words}")
        en.append(f"shared terms: {', '.join(sorted(shared)[:5])}")
    fa.append(f"عرضه {_fa_number(have.tonnes)} تن در سال، نیاز {_fa_number(want.tonnes)} تن در سال")
    en.append(f"offered {have.tonnes:,.0f} t/yr, wanted {want.tonnes:,.0f} t/yr")
    if km == 0:
        fa.append(f"در همان شهرک: {have.estate_name}")
        en.append(f"in the same estate: {have.estate_label_en}")
    elif km is not None:
        fa.append(f"فاصله {_fa_number(km)} کیلومتر ({have.estate_name} ← {want.estate_name})")
        en.append(f"{km:,.0f} km apart ({have.estate_label_en} → {want.estate_label_en})")
    else:
        fa.append("فاصله نامعلوم")
        en.append("distance unknown")
    return Proposal(have, want, round(score, 4), km, {"fa": fa, "en": en})


def propose(
    haves: Iterable[Offer],
    wants: Iterable[Offer],
    labels: Mapping[str, tuple[str, str]],
    exclude: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
    limit: int = 200,
) -> list[Proposal]:
    """Every fitting have↔want pair (not in ``exclude``: pairs already brokered), best first."""
    wants = list(wants)
    found = [
        proposal
        for have in haves
        for want in wants
        if (have.id, want.id) not in exclude
        for proposal in [score_pair(have, want, labels)]
        if proposal is not None
    ]
    found.sort(
        key=lambda p: (-p.score, p.distance_km if p.distance_km is not None else 1e9, p.have.id, p.want.id)
    )
    return found[:limit]
