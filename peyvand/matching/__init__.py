"""Peyvand's supplier-matching engine — a pure Python library (no Django).

Public API (imported lazily, so ``from peyvand.matching.text import normalize`` stays light):

* documents: ``Profile``, ``Request``, ``Result`` (``peyvand.matching.documents``)
* ``build_index(profiles, embedder="auto", embedding_cache=None) -> Index``; ``Index.save(dir)``,
  ``Index.load(dir)`` (``peyvand.matching.index``)
* ``rank(index, request, top=20, semantic=None) -> list[Result]`` (``peyvand.matching.ranking``)
* ``why_not(index, request, profile_id) -> WhyNot`` (``peyvand.matching.explain``)
* ``load_thesaurus() -> Thesaurus`` with ``.concepts`` and ``.tag(text)`` (``peyvand.matching.thesaurus``)
* ``load_codebook() -> CodeBook``: ISIC/HS names in both languages, capabilities implied by codes, the
  bilingual product bridge for terse registry records (``peyvand.matching.codes``)
* ``Embedder``, ``E5Embedder``, ``EmbeddingCache``, ``semantic_available()`` (``peyvand.matching.embeddings``)
* text: ``normalize``, ``fold``, ``analyse``, ``tokens`` (``peyvand.matching.text``)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Profile": "documents",
    "Request": "documents",
    "Result": "documents",
    "status_code": "documents",
    "is_eligible": "documents",
    "Index": "index",
    "build_index": "index",
    "rank": "ranking",
    "score_request": "ranking",
    "RankingWeights": "ranking",
    "why_not": "explain",
    "WhyNot": "explain",
    "Concept": "thesaurus",
    "TagHit": "thesaurus",
    "Thesaurus": "thesaurus",
    "load_thesaurus": "thesaurus",
    "CodeBook": "codes",
    "load_codebook": "codes",
    "Embedder": "embeddings",
    "E5Embedder": "embeddings",
    "EmbeddingCache": "embeddings",
    "semantic_available": "embeddings",
    "normalize": "text",
    "fold": "text",
    "analyse": "text",
    "tokens": "text",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'peyvand.matching' has no attribute {name!r}")
    return getattr(import_module(f"peyvand.matching.{module}"), name)
