"""HS-code suggestion: from a product description (Persian or English, with an optional category path and
attributes) to the most likely 6-digit HS 2022 subheadings, each with its texts and the reasons.

Pure Python, no Django. The official HS table and the ISIC–HS concordance are read in place from
``../shared/data`` (or the paths given; see ``nomenclature``); the vocabulary is the project's own
(``data/lexicon.txt``, ``data/facets.json``, ``data/names_fa.txt``).

Usage::

    from peyvand.matching.hs import suggest_hs, load_suggester

    for suggestion in suggest_hs("Stainless Steel Frying Pan 28cm", {"Material": "Stainless Steel"}):
        suggestion.code, suggestion.text("fa"), suggestion.reasons("en")

    suggester = load_suggester()          # built once per process (a few seconds), then milliseconds a query
    suggester.suggest(text, attributes, top=5, isic="2599")
    suggester.describe("732393")          # the texts of one subheading

Command line: ``python -m peyvand.matching hs --items FILE.jsonl --top 5``.
"""

from __future__ import annotations

from peyvand.matching.hs.nomenclature import HSDataError, Nomenclature, load_nomenclature
from peyvand.matching.hs.suggester import HSSuggester, Suggestion, load_suggester, suggest_hs

__all__ = [
    "HSDataError",
    "HSSuggester",
    "Nomenclature",
    "Suggestion",
    "load_nomenclature",
    "load_suggester",
    "suggest_hs",
]
