"""The capability thesaurus and the tagger that finds its concepts in free text (Persian or English).

The data file ``peyvand/matching/data/capabilities.json`` is the one source of truth for capabilities: the
web app loads it into its taxonomy and calls the tagger to suggest capability tags for units and requests.

Usage::

    from peyvand.matching.thesaurus import load_thesaurus

    thesaurus = load_thesaurus()              # cached; about 0.3 s the first time (after the analyser)
    thesaurus.concepts                        # tuple[Concept, ...]: id, family, name_fa, name_en, synonyms_fa,
                                              # synonyms_en, related, isic, hs (+ container, facet flags)
    thesaurus.get("metal.die_casting")        # one Concept (KeyError when unknown)
    thesaurus.tag("قطعات آلومینیومی دایکست برای بدنه چراغ")   # list[TagHit]
    thesaurus.concept_ids("aluminium die casting of pump housings")  # ["metal.die_casting"]

How the tagger reads a text:

* Texts and synonyms go through the same analyser (``text.tokens``): letters, digits and half-spaces are
  folded, Persian words lemmatised, English words stemmed, so inflected forms (قطعات، لوله‌های، castings)
  and spacing variants (ریخته‌گری / ریخته گری / ریختهگری) meet.
* A synonym matches a run of whole words whose pieces, joined, spell the synonym's pieces joined; the last
  word may drop an adjectival «ی» (لوله فولادی ~ لوله فولاد). A multi-word synonym may also match with one
  extra word inside it ("HDPE pressure pipe" ~ "HDPE pipe"), never across punctuation.
* Overlapping matches: the longest synonym wins, so «ماشین‌آلات چایسازی» (tea machinery) is not also read
  as «چایسازی» (tea processing), and "PE pipe" / "steel pipe" stay apart. Stop phrases ("pump casing",
  «بدنه چراغ») are consumed without a tag: a part named after the machine it goes into.
* Context lowers a hit's ``weight``: inside a purpose phrase ("for tea factories", «برای بسته‌بندی روغن»)
  0.3; a container word after "in"/"packed"/«در»/«بسته‌بندی» (how goods are packed) 0.35; an English past
  participle directly before another hit ("galvanized bolts") 0.4. Negated mentions ("we have no freezer
  rooms", «ماشینکاری نداریم», «بدون کوره») are dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from peyvand.matching.text import CLAUSE_BREAKS, Piece, analyse, normalize, pieces

DATA_FILE = Path(__file__).resolve().parent / "data" / "capabilities.json"

HitContext = Literal["plain", "purpose", "container", "attribute"]
CONTEXT_WEIGHT: dict[str, float] = {"plain": 1.0, "purpose": 0.3, "container": 0.35, "attribute": 0.4}

_MAX_WORDS = 8
_PURPOSE_CUES = frozenset(
    {
        "برای",
        "جهت",
        "مخصوص",
        "ویژه",
        "مشتری",
        "مشتریان",
        "خریداران",
        "for",
        "serving",
        "customers",
        "clients",
        "buyers",
        "users",
    }
)
_PURPOSE_SPAN = 7
_CONTAINER_CUES = frozenset(
    {"در", "بسته", "بسته‌بندی", "in", "into", "pack", "packed", "packing", "packaging", "supplied", "filled"}
)
_CONTAINER_SPAN = 6
_PRODUCTION_CUES = frozenset(
    {
        "تولید",
        "ساخت",
        "سازنده",
        "تولیدکننده",
        "make",
        "makes",
        "making",
        "manufacture",
        "manufacturer",
        "manufacturing",
        "produce",
        "produces",
        "producing",
        "producer",
    }
)
_NEGATION_SPAN = 4
# "instead of plastic bags", «جایگزین کیسه پلاستیکی»: what follows is what the buyer wants to replace.
_SUBSTITUTION_CUES = frozenset(
    {"جایگزین", "بجای", "جای", "instead", "replacing", "replace", "replacement", "substitute"}
)


@dataclass(frozen=True, slots=True)
class Concept:
    """One capability: a process, product family or service a unit can sell."""

    id: str
    family: str
    name_fa: str
    name_en: str
    synonyms_fa: tuple[str, ...] = ()
    synonyms_en: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    isic: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    container: bool = False
    facet: bool = False

    def name(self, lang: str) -> str:
        """The concept's name in ``lang`` ("fa" or "en")."""
        return self.name_fa if lang == "fa" else self.name_en

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """Names and synonyms in both languages — everything the tagger looks for."""
        return (self.name_fa, self.name_en, *self.synonyms_fa, *self.synonyms_en)


@dataclass(frozen=True, slots=True)
class TagHit:
    """A concept found in a text. Offsets refer to ``text.normalize(original)``."""

    concept_id: str
    matched_text: str
    start: int
    end: int
    synonym: str
    weight: float = 1.0
    context: HitContext = "plain"


@dataclass(frozen=True, slots=True)
class _Pattern:
    concept_id: str | None  # None: a stop phrase
    synonym: str
    words: tuple[str, ...]  # per-word keys (pieces joined)
    size: int  # number of pieces, the tie-breaker for "longest match"


class _Words(NamedTuple):
    """The matchable words of a text as parallel lists (cheaper than one object per word)."""

    keys: list[str]
    alts: list[str | None]  # the key without an adjectival «ی»
    clauses: list[int]  # clause number (clauses end at punctuation)
    positions: list[int]  # index in the piece list


class _Candidate(NamedTuple):
    first: int  # word indices
    last: int
    pattern: _Pattern
    gapped: bool


@dataclass
class Thesaurus:
    """Concepts, families and the tagger built from them."""

    concepts: tuple[Concept, ...]
    families: dict[str, dict[str, str]]
    stop_phrases: tuple[str, ...] = ()
    _by_id: dict[str, Concept] = field(default_factory=dict, repr=False)
    _joined: dict[str, list[_Pattern]] = field(default_factory=dict, repr=False)
    _prefixes: set[str] = field(default_factory=set, repr=False)
    _by_two_words: dict[tuple[str, str], list[_Pattern]] = field(default_factory=dict, repr=False)
    _first_words: set[str] = field(default_factory=set, repr=False)
    _terms: dict[tuple[str, int], list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {concept.id: concept for concept in self.concepts}
        for concept in self.concepts:
            for form in dict.fromkeys(concept.surface_forms):
                self._add_pattern(concept.id, form)
        for phrase in self.stop_phrases:
            self._add_pattern(None, phrase)

    def _add_pattern(self, concept_id: str | None, form: str) -> None:
        keys = tuple(info.match_key for _, _, _, info in pieces(form) if info.match_key is not None)
        if not keys:
            return
        pattern = _Pattern(concept_id, form, keys, sum(max(1, len(key)) for key in keys))
        joined = "".join(keys)
        bucket = self._joined.setdefault(joined, [])
        if all(existing.concept_id != concept_id for existing in bucket):
            bucket.append(pattern)
        for end in range(1, len(joined)):
            self._prefixes.add(joined[:end])
        if len(keys) > 1:
            self._by_two_words.setdefault((keys[0], keys[1]), []).append(pattern)
            self._first_words.add(keys[0])

    # ------------------------------------------------------------------ lookups

    def get(self, concept_id: str) -> Concept:
        """The concept with this id; ``KeyError`` when unknown."""
        return self._by_id[concept_id]

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._by_id

    def related(self, concept_id: str) -> tuple[str, ...]:
        """Ids of the concepts related to ``concept_id`` (symmetric)."""
        concept = self._by_id.get(concept_id)
        return concept.related if concept else ()

    def concept_terms(self, concept_id: str, synonyms: int = 3) -> list[str]:
        """Index terms of a concept's names and first ``synonyms`` synonyms in both languages — the
        words a request's capability adds to the lexical query (query translation); cached."""
        key = (concept_id, synonyms)
        cached = self._terms.get(key)
        if cached is None:
            concept = self.get(concept_id)
            forms = (
                concept.name_fa,
                concept.name_en,
                *concept.synonyms_fa[:synonyms],
                *concept.synonyms_en[:synonyms],
            )
            cached = list(dict.fromkeys(term for form in forms for term in analyse(form)))
            self._terms[key] = cached
        return cached

    def family_name(self, family: str, lang: str) -> str:
        """Display name of a family in ``lang``."""
        names = self.families.get(family, {})
        return names.get(f"name_{lang}", family)

    # ------------------------------------------------------------------ tagging

    def tag(self, text: str | None) -> list[TagHit]:
        """Concepts found in ``text`` (either language), in text order, negated mentions left out."""
        return self.tag_pieces(pieces(text), text)

    def tag_pieces(
        self, piece_list: Sequence[Piece], text: str | None, normalized: bool = False
    ) -> list[TagHit]:
        """``tag`` for a text already analysed by ``text.pieces`` (the index analyses each text once);
        ``normalized=True`` when ``text`` is already ``normalize``-d."""
        words = _words(piece_list)
        chosen = self._choose(self._candidates(words), len(words.keys))
        hits: list[TagHit] = []
        normal_text: str | None = (text or "") if normalized else None
        verdicts: list[bool | None] | None = None
        for index, candidate in enumerate(chosen):
            concept_id = candidate.pattern.concept_id
            if concept_id is None:
                continue
            if verdicts is None:
                verdicts = _verb_verdicts(piece_list)
            if _negated(piece_list, words, candidate, verdicts):
                continue
            concept = self._by_id[concept_id]
            context = _context(piece_list, words, candidate, concept, chosen, index, self._by_id)
            if normal_text is None:
                normal_text = normalize(text)
            start = piece_list[words.positions[candidate.first]][1]
            end = piece_list[words.positions[candidate.last]][2]
            hits.append(
                TagHit(
                    concept_id=concept_id,
                    matched_text=normal_text[start:end],
                    start=start,
                    end=end,
                    synonym=candidate.pattern.synonym,
                    weight=CONTEXT_WEIGHT[context],
                    context=context,
                )
            )
        return hits

    def concept_ids(self, text: str | None) -> list[str]:
        """Distinct concept ids found in ``text``, strongest mention first (for tag suggestions)."""
        best: dict[str, float] = {}
        for hit in self.tag(text):
            best[hit.concept_id] = max(best.get(hit.concept_id, 0.0), hit.weight)
        return sorted(best, key=lambda concept_id: -best[concept_id])

    def _candidates(self, words: _Words) -> list[_Candidate]:
        found: list[_Candidate] = []
        keys, alts, clauses = words.keys, words.alts, words.clauses
        count = len(keys)
        joined_patterns = self._joined
        prefixes = self._prefixes
        first_words = self._first_words
        for first in range(count):
            joined = ""
            clause = clauses[first]
            for last in range(first, min(count, first + _MAX_WORDS)):
                if clauses[last] != clause:
                    break
                alt = alts[last]
                if alt is not None:
                    for pattern in joined_patterns.get(joined + alt, ()):
                        found.append(_Candidate(first, last, pattern, False))
                joined += keys[last]
                for pattern in joined_patterns.get(joined, ()):
                    found.append(_Candidate(first, last, pattern, False))
                if joined not in prefixes:
                    break
            if keys[first] in first_words or (alts[first] is not None and alts[first] in first_words):
                self._gapped_candidates(words, first, found)
        return found

    def _gapped_candidates(self, words: _Words, first: int, found: list[_Candidate]) -> None:
        """Multi-word synonyms matched with one extra word inside ("HDPE pressure pipe" ~ "HDPE pipe")."""
        keys, alts, clauses = words.keys, words.alts, words.clauses
        heads = [key for key in (keys[first], alts[first]) if key is not None]
        for second in (first + 1, first + 2):
            if second >= len(keys) or clauses[second] != clauses[first]:
                break
            for head_key in heads:
                for key in (keys[second], alts[second]):
                    if key is None:
                        continue
                    for pattern in self._by_two_words.get((head_key, key), ()):
                        last = _gapped_match(words, first, pattern.words)
                        if last is not None:
                            found.append(_Candidate(first, last, pattern, True))

    @staticmethod
    def _choose(candidates: list[_Candidate], count: int) -> list[_Candidate]:
        """Longest matches first; a word belongs to one match. Two concepts sharing the very same
        synonym both keep it; a stop phrase on a span silences it."""
        ordered = sorted(
            candidates,
            key=lambda c: (
                -(c.last - c.first + 1 - c.gapped),
                c.gapped,
                -c.pattern.size,
                c.first,
                c.pattern.concept_id is not None,
            ),
        )
        owned = [False] * count
        spans: dict[tuple[int, int], list[_Candidate]] = {}
        for candidate in ordered:
            span = (candidate.first, candidate.last)
            group = spans.get(span)
            if group is not None:
                head = group[0]
                if (
                    head.pattern.concept_id is not None
                    and (head.pattern.size, head.gapped) == (candidate.pattern.size, candidate.gapped)
                    and all(c.pattern.concept_id != candidate.pattern.concept_id for c in group)
                ):
                    group.append(candidate)
                continue
            if any(owned[candidate.first : candidate.last + 1]):
                continue
            owned[candidate.first : candidate.last + 1] = [True] * (candidate.last - candidate.first + 1)
            spans[span] = [candidate]
        chosen = [candidate for group in spans.values() for candidate in group]
        chosen.sort(key=lambda c: (c.first, c.last))
        return chosen


def _words(piece_list: Sequence[Piece]) -> _Words:
    """The matchable words of a text with their keys and clause numbers (clauses end at punctuation)."""
    words = _Words([], [], [], [])
    keys, alts, clauses, positions = words
    clause = 0
    for position, (surface, _, _, info) in enumerate(piece_list):
        if info.match_key is not None:
            keys.append(info.match_key)
            alts.append(info.match_alt)
            clauses.append(clause)
            positions.append(position)
        elif info.kind == "punct" and surface in CLAUSE_BREAKS:
            clause += 1
    return words


def _gapped_match(words: _Words, first: int, pattern_keys: tuple[str, ...]) -> int | None:
    """Match a multi-word synonym starting at ``first`` with exactly one extra word inside; last index."""
    keys, alts, clauses = words.keys, words.alts, words.clauses
    position = first
    skipped = 0
    clause = clauses[first]
    for key in pattern_keys[1:]:
        position += 1
        if position >= len(keys) or clauses[position] != clause:
            return None
        if key != keys[position] and key != alts[position]:
            skipped += 1
            position += 1
            if (
                skipped > 1
                or position >= len(keys)
                or clauses[position] != clause
                or (key != keys[position] and key != alts[position])
            ):
                return None
    return position if skipped else None


def _verb_verdicts(piece_list: Sequence[Piece]) -> list[bool | None]:
    """For each piece: is the next verb in its clause negative (None: no verb before the clause ends)?
    Persian is verb-final, so that verb says whether what precedes it is had or not had."""
    verdicts: list[bool | None] = [None] * len(piece_list)
    upcoming: bool | None = None
    for position in range(len(piece_list) - 1, -1, -1):
        verdicts[position] = upcoming
        surface, _, _, info = piece_list[position]
        if info.kind == "punct":
            if surface in CLAUSE_BREAKS:
                upcoming = None
        elif info.is_verb:
            upcoming = info.is_negative
        elif info.kind == "en":
            upcoming = None
    return verdicts


def _negated(
    piece_list: Sequence[Piece], words: _Words, candidate: _Candidate, verdicts: Sequence[bool | None]
) -> bool:
    """A cue a few words before the hit («بدون», "no", "without"), or a negated Persian verb after it."""
    first, last = words.positions[candidate.first], words.positions[candidate.last]
    seen = 0
    for position in range(first - 1, -1, -1):
        surface, _, _, info = piece_list[position]
        if info.kind == "punct":
            if surface in CLAUSE_BREAKS:
                break
            continue
        seen += 1
        if seen > _NEGATION_SPAN or (info.is_verb and not info.is_negative):
            break
        if (
            info.is_negative and (info.kind == "en" or not info.is_verb)
        ) or surface.lower() in _SUBSTITUTION_CUES:
            return True
    # Persian is verb-final: the first verb after the hit, in the same clause, decides.
    return piece_list[last][3].kind == "fa" and bool(verdicts[last])


def _context(
    piece_list: Sequence[Piece],
    words: _Words,
    candidate: _Candidate,
    concept: Concept,
    chosen: Sequence[_Candidate],
    index: int,
    by_id: dict[str, Concept],
) -> HitContext:
    positions, clauses = words.positions, words.clauses
    preceding = _preceding_words(piece_list, positions[candidate.first], _PURPOSE_SPAN)
    if any(word in _PURPOSE_CUES for word in preceding):
        return "purpose"
    if concept.container:
        for word in preceding[:_CONTAINER_SPAN]:
            if word in _PRODUCTION_CUES:
                break
            if word in _CONTAINER_CUES:
                return "container"
        previous = chosen[index - 1] if index else None
        if (
            previous is not None
            and previous.pattern.concept_id
            and by_id[previous.pattern.concept_id].container
            and clauses[previous.last] == clauses[candidate.first]
            and candidate.first - previous.last <= 4
            and any(
                word in _CONTAINER_CUES
                for word in _preceding_words(piece_list, positions[previous.first], _CONTAINER_SPAN)
            )
        ):
            return "container"
    following = chosen[index + 1] if index + 1 < len(chosen) else None
    surface, _, _, info = piece_list[positions[candidate.last]]
    if (
        info.kind == "en"
        and surface.lower().endswith("ed")
        and following is not None
        and following.pattern.concept_id is not None
        and following.first - candidate.last <= 2
        and clauses[following.first] == clauses[candidate.last]
    ):
        return "attribute"
    return "plain"


def _preceding_words(piece_list: Sequence[Piece], position: int, span: int) -> list[str]:
    """Up to ``span`` lower-case words before ``position`` in the same clause, nearest first."""
    found: list[str] = []
    for index in range(position - 1, -1, -1):
        surface, _, _, info = piece_list[index]
        if info.kind == "punct":
            if surface in CLAUSE_BREAKS:
                break
            continue
        found.append(surface.lower())
        if len(found) >= span:
            break
    return found


def _concept_from_json(raw: dict[str, Any]) -> Concept:
    return Concept(
        id=raw["id"],
        family=raw["family"],
        name_fa=raw["name_fa"],
        name_en=raw["name_en"],
        synonyms_fa=tuple(raw.get("synonyms_fa", ())),
        synonyms_en=tuple(raw.get("synonyms_en", ())),
        related=tuple(raw.get("related", ())),
        isic=tuple(raw.get("isic", ())),
        hs=tuple(raw.get("hs", ())),
        container=bool(raw.get("container", False)),
        facet=bool(raw.get("facet", False)),
    )


def read_thesaurus(path: str | Path = DATA_FILE) -> Thesaurus:
    """Read and build a thesaurus from a JSON file (see the module docstring for the format)."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    stops: Iterable[str] = (
        *raw.get("stop_phrases", {}).get("fa", ()),
        *raw.get("stop_phrases", {}).get("en", ()),
    )
    return Thesaurus(
        concepts=tuple(_concept_from_json(item) for item in raw["concepts"]),
        families=dict(raw.get("families", {})),
        stop_phrases=tuple(stops),
    )


@lru_cache(maxsize=1)
def load_thesaurus() -> Thesaurus:
    """The project's thesaurus (``data/capabilities.json``), built once per process."""
    return read_thesaurus(DATA_FILE)
