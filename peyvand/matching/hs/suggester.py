"""The HS-code suggester: a product description in, the most likely 6-digit HS 2022 subheadings out, each
with its texts and the reasons it was chosen.

How a subheading is scored (weights below, measured on ``bench/data/hs``):

* **names** — the lexicon's everyday product names found in the title, the category path and the
  attributes (``lexicon.py``). A name points to subheadings, headings or chapters; evidence combines as a
  noisy-or, so a title and a category that agree count more than either alone. A name after "for"
  (what the product fits) or "with" (what comes with it) counts less.
* **capabilities** — the capability thesaurus's HS links for the capabilities the tagger finds, weaker.
* **tariff words** — BM25 (bm25s, the project's analyser) of the description against the official texts
  of subheading, heading and chapter, their Persian names and the lexicon names pointing to them.
* **facets** — material, knitted or woven, men's/women's/babies', fresh/dried/prepared, LED, solar:
  agreement with what the subheading's official text says (and disagreement with what it says instead)
  decides between siblings ("of cotton" vs "of synthetic fibres"). When the named heading is of another
  material than the description's, the same article in the other materials (``data/twins.txt``) joins the
  candidates ("frying pan" + aluminium → 7615 beside 7323).
* **domain** — the top of the category path ("Food", "Automobiles", ``data/domains.txt``) lifts the
  chapters of that marketplace domain a little ("Food > Nuts" is not nuts and bolts).
* **ISIC** — when the producer's ISIC class is known, subheadings the concordance links to it gain a little.

Chapter 99 ("commodities not specified according to kind") is never suggested.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from peyvand.matching.hs.lexicon import (
    DOMAINS_FILE,
    FACETS_FILE,
    LEXICON_FILE,
    TWINS_FILE,
    Facet,
    LexiconEntry,
    PhraseMatcher,
    TariffFacets,
    TariffReader,
    read_domains,
    read_facets,
    read_lexicon,
    read_twins,
)
from peyvand.matching.hs.nomenclature import Nomenclature, load_nomenclature, resolve_hs_file
from peyvand.matching.hs.query import Product, read_product
from peyvand.matching.text import analyse, pieces

LEVEL_FACTOR = {6: 1.0, 4: 0.85, 2: 0.45}
MAX_EVIDENCE = 0.95
BM25_WEIGHT = 0.35
FACET_WEIGHT = 0.3
THESAURUS_FACTOR = 0.55
ISIC_BONUS = 0.12
CONCEPT_ISIC_BONUS = 0.04
BM25_CANDIDATES = 40
MATERIAL_FACET_WEIGHT = 1.2
CATEGORY_FACET_FACTOR = 0.8
IMPLIED_FACTOR = 0.5
MISMATCH_FACTOR = 0.7
RESIDUAL_FACTOR = 0.5
TWIN_FACTOR = 0.8
# A category path naming a marketplace domain ("Food", "Automobiles") lifts that domain's chapters.
DOMAIN_BONUS = 0.1
# Among the subheadings of a heading named by the description, "other"/n.e.c. is the default.
RESIDUAL_BONUS = 0.03
UNSPECIFIED_CHAPTER = "99"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested subheading with its texts (English official, Persian where written) and reasons."""

    code: str
    score: float
    description_en: str
    name_fa: str
    heading: str
    heading_en: str
    heading_fa: str
    chapter: str
    chapter_en: str
    chapter_fa: str
    reasons_en: tuple[str, ...] = ()
    reasons_fa: tuple[str, ...] = ()

    def text(self, lang: str) -> str:
        """The subheading's text in ``lang`` (Persian: its own name, else its heading's)."""
        if lang == "fa":
            return self.name_fa or self.heading_fa
        return self.description_en

    def reasons(self, lang: str) -> tuple[str, ...]:
        """Why it was suggested, in ``lang``."""
        return self.reasons_fa if lang == "fa" else self.reasons_en

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """A JSON-ready dict (reasons in ``lang`` only when given)."""
        data: dict[str, Any] = {
            "code": self.code,
            "score": self.score,
            "description_en": self.description_en,
            "name_fa": self.name_fa,
            "heading": self.heading,
            "heading_en": self.heading_en,
            "heading_fa": self.heading_fa,
            "chapter": self.chapter,
            "chapter_en": self.chapter_en,
            "chapter_fa": self.chapter_fa,
        }
        if lang:
            data["reasons"] = list(self.reasons(lang))
        else:
            data["reasons_en"] = list(self.reasons_en)
            data["reasons_fa"] = list(self.reasons_fa)
        return data


@dataclass
class _Evidence:
    """What points to one subheading, for the score and the reasons."""

    # weight, matched words, where (title/category/attribute), code named, twin of (code named) or ""
    names: list[tuple[float, str, str, str, str]] = field(default_factory=list)
    concepts: list[tuple[float, str, str]] = field(default_factory=list)  # weight, concept id, code


class HSSuggester:
    """Suggests HS 2022 subheadings for product descriptions; build once (seconds), query in milliseconds."""

    def __init__(
        self,
        nomenclature: Nomenclature,
        entries: Sequence[LexiconEntry],
        facets: Sequence[Facet],
        thesaurus: Any = None,
        twins: Sequence[Sequence[str]] = (),
        domains: Sequence[tuple[Sequence[str], frozenset[str]]] = (),
    ) -> None:
        started = time.perf_counter()
        self.nomenclature = nomenclature
        self.entries = {entry.number: entry for entry in entries}
        self.facets = {facet.id: facet for facet in facets}
        self.thesaurus = thesaurus
        self._twins: dict[str, list[str]] = {}
        for group in twins:
            for code in group:
                self._twins.setdefault(code, []).extend(other for other in group if other != code)
        self._domain_chapters = [chapters for _, chapters in domains]
        self._domains = PhraseMatcher(
            (number, name) for number, (names, _) in enumerate(domains) for name in names
        )
        self.codes = nomenclature.subheadings
        self._row = {code: row for row, code in enumerate(self.codes)}
        self._names = PhraseMatcher(
            ((entry.number, phrase) for entry in entries for phrase in entry.phrases),
            stops=[entry.number for entry in entries if entry.is_stop],
        )
        self._facet_words = PhraseMatcher((facet.id, phrase) for facet in facets for phrase in facet.query)
        reader = TariffReader(facets)
        read = lru_cache(maxsize=None)(reader.read)
        self._tariff: list[TariffFacets] = [self._tariff_facets(code, read) for code in self.codes]
        # facets that differ between the subheadings of each heading (for siblings-only facets)
        self._varies: dict[str, set[str]] = {}
        by_heading: dict[str, list[TariffFacets]] = {}
        for code, tariff in zip(self.codes, self._tariff, strict=True):
            by_heading.setdefault(code[:4], []).append(tariff)
        for heading, tariffs in by_heading.items():
            union = set().union(*(tariff.present for tariff in tariffs))
            common = set.intersection(*(set(tariff.present) for tariff in tariffs))
            self._varies[heading] = union - common
        self._analysed: dict[str, list[str]] = {}
        self._official_terms: list[frozenset[str]] = []
        self._lexicon_by_code: dict[str, list[str]] = {}
        for entry in entries:
            for target in entry.codes:
                bucket = self._lexicon_by_code.setdefault(target, [])
                bucket.extend(phrase for phrase in entry.phrases if phrase not in bucket)
        corpus = [self._document(code) for code in self.codes]
        import bm25s

        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self._bm25.index(corpus, show_progress=False)
        self._vocabulary: dict[str, int] = dict(getattr(self._bm25, "vocab_dict", None) or {})
        self.stats = {
            "subheadings": len(self.codes),
            "lexicon_lines": len(self.entries),
            "lexicon_names": len(self._names),
            "facets": len(self.facets),
            "thesaurus": thesaurus is not None,
            "concordance": bool(nomenclature.isic_by_code),
            "build_seconds": round(time.perf_counter() - started, 3),
        }

    # ------------------------------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        hs_file: str | Path | None = None,
        concordance_file: str | Path | None = None,
        lexicon_file: str | Path = LEXICON_FILE,
        facets_file: str | Path = FACETS_FILE,
        twins_file: str | Path = TWINS_FILE,
        domains_file: str | Path = DOMAINS_FILE,
        use_thesaurus: bool = True,
    ) -> HSSuggester:
        """Read the data files and build the suggester (``HSDataError`` when the HS file is missing)."""
        started = time.perf_counter()
        nomenclature = load_nomenclature(hs_file, concordance_file)
        entries = read_lexicon(lexicon_file, known_codes=list(nomenclature.entries), strict=False)
        thesaurus = None
        if use_thesaurus:
            from peyvand.matching.thesaurus import load_thesaurus

            thesaurus = load_thesaurus()
        twins = read_twins(twins_file, known_codes=list(nomenclature.entries), strict=False)
        domains = read_domains(domains_file)
        suggester = cls(nomenclature, entries, read_facets(facets_file), thesaurus, twins, domains)
        suggester.stats["build_seconds"] = round(time.perf_counter() - started, 3)
        return suggester

    def _tariff_facets(self, code: str, read: Any) -> TariffFacets:
        """A subheading's facets; a facet group its own text is silent on comes from the heading's text,
        unless a sibling names that group (then the heading's mention is one of the variants)."""
        entry = self.nomenclature.entries[code]
        own = read(entry.description_en)
        heading = self.nomenclature.get(entry.parent)
        if heading is None:
            return own
        named_by_subheadings = {
            self.facets[facet].group
            for sibling in self.nomenclature.children.get(heading.code, ())
            for facet in (lambda tariff: tariff.present | tariff.excluded)(
                read(self.nomenclature.entries[sibling].description_en)
            )
        }
        inherited = read(heading.description_en)
        extra = {facet for facet in inherited.present if self.facets[facet].group not in named_by_subheadings}
        return TariffFacets(own.present | extra, own.excluded, own.residual)

    def _document(self, code: str) -> list[str]:
        """Index terms of a subheading: official texts (subheading, heading, chapter), Persian names and
        the lexicon names that point to it or its heading."""
        entry = self.nomenclature.entries[code]
        heading = self.nomenclature.get(entry.parent)
        chapter = self.nomenclature.get(heading.parent) if heading else None
        official = self._analyse(entry.description_en)
        self._official_terms.append(frozenset(official))
        terms = list(official)
        for node in (heading, chapter):
            if node is not None:
                terms += self._analyse(node.description_en)
                terms += self._analyse(node.name_fa)
        terms += self._analyse(entry.name_fa)
        for key in (code, code[:4]):
            for phrase in self._lexicon_by_code.get(key, ()):
                terms += self._analyse(phrase)
        return terms

    def _analyse(self, text: str) -> list[str]:
        """``analyse`` with a cache: heading texts, chapter texts and names recur across subheadings."""
        terms = self._analysed.get(text)
        if terms is None:
            terms = self._analysed[text] = analyse(text) if text else []
        return terms

    # ---------------------------------------------------------------------------------------- suggesting

    def describe(self, code: str) -> Suggestion | None:
        """A subheading's texts (no score, no reasons); None for an unknown or non-6-digit code."""
        if code not in self._row:
            return None
        return self._suggestion(code, 0.0, (), ())

    def suggest(
        self,
        text: Any,
        attributes: Any = None,
        top: int = 5,
        isic: str | Iterable[str] | None = None,
    ) -> list[Suggestion]:
        """The ``top`` most likely subheadings for a product (best first); [] for an empty description."""
        product = read_product(text, attributes)
        if product.is_empty or top <= 0:
            return []
        wanted = self._query_facets(product)
        materials = {facet for facet in wanted if self.facets[facet].group == "material"}
        evidence = self._name_evidence(product, materials)
        concept_isic = self._concept_evidence(product, evidence)
        lexical, query_terms = self._lexical_scores(product)
        candidates = set(evidence)
        if lexical.size and lexical.max() > 0:
            best = np.argsort(-lexical)[:BM25_CANDIDATES]
            candidates.update(self.codes[row] for row in best if lexical[row] > 0)
        candidates = {code for code in candidates if not code.startswith(UNSPECIFIED_CHAPTER)}
        isic_codes = _isic_codes(self.nomenclature, isic)
        domain = self._domain(product)
        scored: list[tuple[float, str, dict[str, Any]]] = []
        for code in candidates:
            row = self._row[code]
            items = evidence.get(code)
            names = _noisy_or(weight for weight, *_ in items.names) if items else 0.0
            concepts = _noisy_or(weight for weight, *_ in items.concepts) if items else 0.0
            lexicon = _noisy_or((names, concepts))
            facet, agreed = self._facet_score(row, wanted)
            bonus = ISIC_BONUS if code in isic_codes else 0.0
            if code in concept_isic:
                bonus += CONCEPT_ISIC_BONUS
            if code[:2] in domain:
                bonus += DOMAIN_BONUS
            # named by its heading (not itself) and the heading's "other" bucket
            if items and items.names and self._tariff[row].residual and max(items.names)[3] != code:
                bonus += RESIDUAL_BONUS
            score = lexicon + BM25_WEIGHT * float(lexical[row]) + FACET_WEIGHT * facet + bonus
            scored.append(
                (
                    score,
                    code,
                    {"items": items, "agreed": agreed, "isic": code in isic_codes, "terms": query_terms},
                )
            )
        scored.sort(key=lambda item: (-item[0], item[1]))
        results = []
        for score, code, details in scored[:top]:
            reasons_en, reasons_fa = self._reasons(code, details, isic)
            results.append(self._suggestion(code, round(score, 4), reasons_en, reasons_fa))
        return results

    def _domain(self, product: Product) -> set[str]:
        """Chapters of the marketplace domains named by the top of the category path."""
        chapters: set[str] = set()
        top = product.category_path[:2]
        for level in top:
            for hit in self._domains.find(level, contexts=False):
                chapters |= self._domain_chapters[int(hit.target)]
        return chapters

    def _name_evidence(self, product: Product, materials: set[str]) -> dict[str, _Evidence]:
        """Subheadings reached by the names in the description; when the description names a material
        that a named heading's texts do not have, also the same article in the other materials (twins)."""
        evidence: dict[str, _Evidence] = {}
        for segment in product.segments:
            if segment.kind == "material":
                continue
            for hit in self._names.find(segment.text, segment.weight, contexts=segment.kind == "title"):
                entry = self.entries[hit.target]  # type: ignore[index]
                reached: dict[str, tuple[float, str, str]] = {}
                for code, code_weight in entry.code_weights():
                    weight = hit.weight * code_weight * LEVEL_FACTOR[len(code)]
                    subs = self.nomenclature.subheadings_under(code)
                    targets = [(code, weight, "", subs)]
                    if materials and not any(
                        materials & self._tariff[self._row[sub]].present for sub in subs
                    ):
                        for other in self._twins.get(code, []) + self._twins.get(code[:4], []):
                            others = self.nomenclature.subheadings_under(other)
                            targets.append((other, weight * TWIN_FACTOR, code, others))
                    for target, target_weight, twin_of, target_subs in targets:
                        for sub in target_subs:
                            if target_weight > reached.get(sub, (0.0, "", ""))[0]:
                                reached[sub] = (target_weight, target, twin_of)
                for sub, (weight, code, twin_of) in reached.items():
                    evidence.setdefault(sub, _Evidence()).names.append(
                        (weight, hit.matched, segment.kind, code, twin_of)
                    )
        return evidence

    def _concept_evidence(self, product: Product, evidence: dict[str, _Evidence]) -> set[str]:
        """Capability concepts of the title → their HS links (evidence) and ISIC classes (a weak prior)."""
        if self.thesaurus is None:
            return set()
        concordant: set[str] = set()
        for segment in product.segments:
            if segment.kind not in ("title", "category"):
                continue
            for hit in self.thesaurus.tag(_NEGATED.sub(" ", segment.text)):
                concept = self.thesaurus.get(hit.concept_id)
                # A broad capability ("garments") links many headings and says little about each.
                weight = THESAURUS_FACTOR * hit.weight * segment.weight / max(1, len(concept.hs)) ** 0.5
                for code in concept.hs:
                    level = LEVEL_FACTOR.get(len(code), 0.0)
                    for sub in self.nomenclature.subheadings_under(code):
                        evidence.setdefault(sub, _Evidence()).concepts.append(
                            (weight * level, concept.id, code)
                        )
                for isic in concept.isic:
                    concordant.update(self.nomenclature.codes_by_isic.get(isic, ()))
        return concordant

    def _query_facets(self, product: Product) -> dict[str, float]:
        wanted: dict[str, float] = {}
        for segment in product.segments:
            weight = {
                "title": 1.0,
                "material": MATERIAL_FACET_WEIGHT,
                "category": CATEGORY_FACET_FACTOR * segment.weight,
            }.get(segment.kind, segment.weight)
            for hit in self._facet_words.find(
                segment.text, weight, contexts=segment.kind == "title", compounds=False
            ):
                facet = str(hit.target)
                wanted[facet] = max(wanted.get(facet, 0.0), hit.weight)
        for facet_id, weight in list(wanted.items()):
            for implied in self.facets[facet_id].implies:
                wanted[implied] = max(wanted.get(implied, 0.0), IMPLIED_FACTOR * weight)
        return wanted

    def _facet_score(self, row: int, wanted: dict[str, float]) -> tuple[float, list[str]]:
        """Agreement of the query's facets with a subheading's text, in [-1, 1], and the facets agreed."""
        if not wanted:
            return 0.0, []
        tariff = self._tariff[row]
        groups_present = {self.facets[facet].group for facet in tariff.present}
        groups_excluded = {self.facets[facet].group for facet in tariff.excluded}
        total = 0.0
        score = 0.0
        agreed: list[str] = []
        varies = self._varies.get(self.codes[row][:4], set())
        for facet_id, weight in wanted.items():
            facet = self.facets[facet_id]
            group = facet.group
            if facet.siblings_only and facet_id not in varies:
                continue
            total += weight
            if facet_id in tariff.present:
                score += weight
                agreed.append(facet_id)
            elif facet_id in tariff.excluded:
                score -= weight
            elif group in groups_present:
                score -= MISMATCH_FACTOR * weight
            elif tariff.residual and group in groups_excluded:
                score += RESIDUAL_FACTOR * weight
        return (score / total if total else 0.0), agreed

    def _lexical_scores(self, product: Product) -> tuple[np.ndarray, list[tuple[str, frozenset[str]]]]:
        """BM25 of the description over the subheading documents, divided by the best score."""
        words: list[tuple[str, frozenset[str]]] = []
        query: list[str] = []
        for segment in product.segments:
            repeat = 2 if segment.kind == "category" and segment.weight >= 1.0 else 1
            for surface, _, _, info in pieces(segment.text):
                if info.terms:
                    words.append((surface, frozenset(info.terms)))
                    query.extend(info.terms * repeat)
        known = [term for term in query if term in self._vocabulary]
        if not known:
            return np.zeros(len(self.codes), dtype=np.float32), words
        scores = np.asarray(self._bm25.get_scores(known), dtype=np.float32)
        best = float(scores.max()) if scores.size else 0.0
        return (scores / best if best > 0 else scores), words

    # ------------------------------------------------------------------------------------------- output

    def _suggestion(
        self, code: str, score: float, reasons_en: tuple[str, ...], reasons_fa: tuple[str, ...]
    ) -> Suggestion:
        entry = self.nomenclature.entries[code]
        heading = self.nomenclature.entries.get(code[:4])
        chapter = self.nomenclature.entries.get(code[:2])
        return Suggestion(
            code=code,
            score=score,
            description_en=entry.description_en,
            name_fa=entry.name_fa,
            heading=code[:4],
            heading_en=heading.description_en if heading else "",
            heading_fa=heading.name_fa if heading else "",
            chapter=code[:2],
            chapter_en=chapter.description_en if chapter else "",
            chapter_fa=chapter.name_fa if chapter else "",
            reasons_en=reasons_en,
            reasons_fa=reasons_fa,
        )

    def _reasons(
        self, code: str, details: dict[str, Any], isic: Any
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        en: list[str] = []
        fa: list[str] = []
        items: _Evidence | None = details["items"]
        if items and items.names:
            seen: set[str] = set()
            for _weight, matched, kind, target, twin_of in sorted(items.names, key=lambda item: -item[0]):
                if matched.lower() in seen or len(seen) >= 2:
                    continue
                seen.add(matched.lower())
                named = twin_of or target
                level_en, level_fa = _level_names(named)
                where_en, where_fa = _WHERE[kind]
                en.append(f"{where_en} says “{matched}”, a name for goods of {level_en} {named}")
                fa.append(f"در {where_fa} «{matched}» آمده که نام کالاهای {level_fa} {named} است")
                if twin_of:
                    twin_en, twin_fa = _level_names(target)
                    en.append(f"{twin_en} {target} holds the same article in the material described")
                    fa.append(f"{twin_fa} {target} همین کالا از جنس گفته‌شده است")
        if items and items.concepts:
            _weight, concept_id, target = max(items.concepts)
            concept = self.thesaurus.get(concept_id)
            level_en, level_fa = _level_names(target)
            en.append(f"capability “{concept.name_en}” is linked to {level_en} {target}")
            fa.append(f"توان «{concept.name_fa}» در اصطلاح‌نامه به {level_fa} {target} پیوند دارد")
        if details["agreed"]:
            names = [self.facets[facet] for facet in details["agreed"]]
            en.append("the tariff text agrees on " + ", ".join(facet.name_en for facet in names))
            fa.append("متن تعرفه در این ویژگی‌ها همخوان است: " + "، ".join(facet.name_fa for facet in names))
        official = self._official_terms[self._row[code]]
        shared = list(
            dict.fromkeys(surface.lower() for surface, terms in details["terms"] if terms & official)
        )[:4]
        if shared:
            en.append("shares words with the tariff text: " + ", ".join(shared))
            fa.append("واژه‌های مشترک با متن تعرفه: " + "، ".join(shared))
        if details["isic"]:
            classes = ", ".join(_as_list(isic))
            en.append(f"the ISIC–HS concordance links the producer's activity ({classes}) to this subheading")
            fa.append(f"جدول تطابق ISIC و HS فعالیت تولیدکننده ({classes}) را به این زیرشماره پیوند می‌دهد")
        if not en:
            en.append("the closest tariff text to the description")
            fa.append("نزدیک‌ترین متن تعرفه به شرح کالا")
        return tuple(en), tuple(fa)


# "zero sugar", "sugar-free", «بدون شکر»: removed before the capability tagger reads the text.
_NEGATED = re.compile(
    r"\b(?:zero|no|without|non)[\s-]+\w+|\b\w+[\s-]+free\b|(?:بدون|فاقد)\s+\S+", re.IGNORECASE
)

_WHERE = {
    "title": ("the title", "عنوان"),
    "category": ("the category", "دسته‌بندی"),
    "attribute": ("an attribute", "ویژگی‌ها"),
}


def _noisy_or(weights: Iterable[float]) -> float:
    rest = 1.0
    for weight in weights:
        rest *= 1.0 - min(MAX_EVIDENCE, max(0.0, weight))
    return 1.0 - rest


def _level_names(code: str) -> tuple[str, str]:
    return {6: ("subheading", "زیرشماره"), 4: ("heading", "سرفصل"), 2: ("chapter", "فصل")}[len(code)]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def _isic_codes(nomenclature: Nomenclature, isic: Any) -> set[str]:
    codes: set[str] = set()
    for value in _as_list(isic):
        key = "".join(char for char in value if char.isdigit())[:4]
        codes.update(nomenclature.codes_by_isic.get(key, ()))
    return codes


@lru_cache(maxsize=4)
def _cached(hs_file: str, use_thesaurus: bool) -> HSSuggester:
    return HSSuggester.build(hs_file, use_thesaurus=use_thesaurus)


def load_suggester(hs_file: str | Path | None = None, use_thesaurus: bool = True) -> HSSuggester:
    """The suggester for an HS file (default: see ``nomenclature.resolve_hs_file``), built once per process."""
    return _cached(str(resolve_hs_file(hs_file).resolve()), use_thesaurus)


def suggest_hs(
    text: Any,
    attributes: Any = None,
    top: int = 5,
    isic: str | Iterable[str] | None = None,
    hs_file: str | Path | None = None,
) -> list[Suggestion]:
    """The ``top`` most likely 6-digit HS 2022 subheadings for a product description, best first."""
    return load_suggester(hs_file).suggest(text, attributes, top=top, isic=isic)
