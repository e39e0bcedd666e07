"""Capability suggestions from free text, through the matching engine's tagger (loaded once per process)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from peyvand.core.search import contains_all
from peyvand.matching.text import search_terms

from .models import Capability

# A hit found only in a weak context ("packed in PE bags", "for tea factories") is not a capability.
MIN_HIT_WEIGHT = 0.5


def suggested_codes(*texts: str) -> list[str]:
    """Concept ids the tagger finds in ``texts``, strongest evidence first, each once."""
    from peyvand.matching.thesaurus import load_thesaurus

    thesaurus = load_thesaurus()
    weights: dict[str, float] = {}
    for text in texts:
        if not text:
            continue
        for hit in thesaurus.tag(text):
            if hit.weight >= MIN_HIT_WEIGHT:
                weights[hit.concept_id] = weights.get(hit.concept_id, 0) + hit.weight
    return sorted(weights, key=lambda code: -weights[code])


def suggest(*texts: str, exclude: Iterable[int] = ()) -> list[Capability]:
    """Active capabilities found in ``texts`` (in order of evidence), leaving out ``exclude`` ids."""
    codes = suggested_codes(*texts)
    found = {
        row.code: row
        for row in Capability.objects.filter(code__in=codes, is_active=True).exclude(pk__in=list(exclude))
    }
    return [found[code] for code in codes if code in found]


def search(query: str, limit: int = 20) -> QuerySet[Capability]:
    """Capabilities whose names or synonyms contain every folded term of ``query``."""
    rows = Capability.objects.filter(is_active=True)
    if not search_terms(query):
        return rows.none()
    return contains_all(rows, "search_name", query).order_by("sort_name")[:limit]
