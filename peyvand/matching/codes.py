"""What a terse registry record implies beyond its words: ISIC and HS texts in both languages, the
capabilities its codes imply, and a bilingual bridge for product names the thesaurus does not hold.

A real registry row says «تولید اسباب بازی», an ISIC class and perhaps an HS code — and nothing in English.
This module lets such a row meet an English request:

* ``CodeBook.code_terms(profile)`` — the official names of its ISIC class and HS headings in Persian and
  English (``peyvand/taxonomy/data/isic4.csv`` and ``hs2022.csv``, the project's own tables, read as data);
* ``CodeBook.inferred_concepts(profile)`` — capabilities its ISIC class or HS codes point to, when they point
  to few (class 2220 "plastics products" names 25 capabilities and implies none of them); the index keeps
  them apart so the reasons can say "inferred from ISIC 1061";
* ``CodeBook.translations(text, lang)`` — the names in the other language of the everyday products a text
  names, read from the HS suggester's bilingual lexicon (``hs/data/lexicon.txt``: «اسباب بازی» ↔ toys), so
  the index and the query carry both languages' words.

Everything is loaded once per process (``load_codebook()``), about half a second.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from peyvand.matching.documents import Profile
from peyvand.matching.thesaurus import Thesaurus, load_thesaurus

TAXONOMY_DIR = Path(__file__).resolve().parents[1] / "taxonomy" / "data"
ISIC_FILE = TAXONOMY_DIR / "isic4.csv"
HS_FILE = TAXONOMY_DIR / "hs2022.csv"
_PERSIAN = re.compile("[\u0600-\u06ff]")
# How firmly a code implies a capability, by how many capabilities share that code.
_ISIC_INFERENCE = {1: 0.6, 2: 0.45, 3: 0.35}
_HS_INFERENCE = {1: 0.7, 2: 0.5, 3: 0.4}
# Lexicon entries: only firm ones (weight 1) and clear mentions bridge languages; a few names each.
_BRIDGE_MIN_HIT = 0.6
_BRIDGE_NAMES = 4


@dataclass
class CodeBook:
    """ISIC/HS names, the concepts codes imply, and the bilingual product lexicon."""

    isic_names: dict[str, tuple[str, str]]  # code → (en, fa)
    hs_names: dict[str, tuple[str, str]]
    concepts_by_isic: dict[str, tuple[str, ...]]
    concepts_by_hs: dict[str, tuple[str, ...]]  # 4-digit heading → concept ids
    _lexicon: object | None = field(default=None, repr=False)  # PhraseMatcher, built on first use
    _names: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict, repr=False)

    def code_terms(self, profile: Profile) -> list[str]:
        """Official names (both languages) of the profile's ISIC class and HS headings."""
        texts: list[str] = []
        if profile.isic in self.isic_names:
            texts.extend(self.isic_names[profile.isic])
        for code in dict.fromkeys(code[:4] for code in profile.hs if len(code) >= 4):
            if code in self.hs_names:
                texts.extend(self.hs_names[code])
        return texts

    def inferred_concepts(self, profile: Profile) -> dict[str, float]:
        """Capabilities implied by the profile's HS codes and ISIC class (weights below a stated one)."""
        found: dict[str, float] = {}
        for code in dict.fromkeys(code[:4] for code in profile.hs if len(code) >= 4):
            concepts = self.concepts_by_hs.get(code, ())
            weight = _HS_INFERENCE.get(len(concepts), 0.0)
            for concept_id in concepts:
                found[concept_id] = max(found.get(concept_id, 0.0), weight)
        concepts = self.concepts_by_isic.get(profile.isic, ())
        weight = _ISIC_INFERENCE.get(len(concepts), 0.0)
        for concept_id in concepts:
            found[concept_id] = max(found.get(concept_id, 0.0), weight)
        return {concept_id: weight for concept_id, weight in found.items() if weight > 0}

    def translations(self, text: str, lang: str) -> list[str]:
        """Names in ``lang`` ("fa" or "en") of the products ``text`` names in the other language."""
        if not text.strip():
            return []
        matcher = self._matcher()
        names: list[str] = []
        for hit in matcher.find(text):  # type: ignore[attr-defined]
            if hit.weight < _BRIDGE_MIN_HIT:
                continue
            persian, english = self._names[int(hit.target)]
            source_is_persian = bool(_PERSIAN.search(hit.matched))
            if lang == "en" and source_is_persian:
                names.extend(english[:_BRIDGE_NAMES])
            elif lang == "fa" and not source_is_persian:
                names.extend(persian[:_BRIDGE_NAMES])
        return list(dict.fromkeys(names))

    def warm_up(self) -> None:
        """Build the lexicon matcher now (before forking analysis workers, so they share it)."""
        self._matcher()

    def _matcher(self) -> object:
        if self._lexicon is None:
            from peyvand.matching.hs.lexicon import PhraseMatcher, read_lexicon

            patterns: list[tuple[int, str]] = []
            for entry in read_lexicon():
                if entry.is_stop or entry.weight < 1.0:
                    continue
                persian = tuple(phrase for phrase in entry.phrases if _PERSIAN.search(phrase))
                english = tuple(phrase for phrase in entry.phrases if not _PERSIAN.search(phrase))
                if not persian or not english:
                    continue
                self._names[entry.number] = (persian, english)
                patterns.extend((entry.number, phrase) for phrase in entry.phrases)
            self._lexicon = PhraseMatcher(patterns)
        return self._lexicon


def _read_names(path: Path, levels: set[str]) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    if not path.is_file():
        return names
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("level") in levels:
                names[row["code"]] = (row.get("name_en") or "", row.get("name_fa") or "")
    return names


def build_codebook(thesaurus: Thesaurus) -> CodeBook:
    """A code book over ``thesaurus`` and the project's ISIC/HS tables."""
    by_isic: dict[str, list[str]] = {}
    by_hs: dict[str, list[str]] = {}
    for concept in thesaurus.concepts:
        if concept.facet:
            continue
        for code in concept.isic:
            by_isic.setdefault(code, []).append(concept.id)
        for code in dict.fromkeys(code[:4] for code in concept.hs if len(code) >= 4):
            by_hs.setdefault(code, []).append(concept.id)
    return CodeBook(
        isic_names=_read_names(ISIC_FILE, {"class"}),
        hs_names=_read_names(HS_FILE, {"heading"}),
        concepts_by_isic={code: tuple(ids) for code, ids in by_isic.items()},
        concepts_by_hs={code: tuple(ids) for code, ids in by_hs.items()},
    )


@lru_cache(maxsize=1)
def load_codebook() -> CodeBook:
    """The code book over the project's thesaurus, built once per process."""
    return build_codebook(load_thesaurus())
