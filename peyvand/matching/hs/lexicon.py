"""The suggester's own vocabulary: everyday product names → HS codes, and the facets (material, knitted or
woven, for whom) that choose between sibling subheadings.

``data/lexicon.txt`` — one line per product family::

    620443 620444 610443 | dress; maxi dress; sundress; پیراهن زنانه
    090230 090210 *0.6 | tea
    - | short sleeve; olive green; lemon flavor

Codes (2, 4 or 6 digits; the first is the most likely, each next one counts a little less) on the left,
an optional ``*weight`` for words that often mean something else (tea cup, olive green), then the names
people use, English and Persian, separated by ``;``. A line whose codes are ``-`` lists descriptions that
contain a product word but name no product (colours, flavours, sleeve lengths): they are read and
dropped, so "short sleeve" is not "shorts". ``#`` starts a comment.

``data/facets.json`` — families of materials and other distinctions, each with the words a product title
uses ("polyester", «نخی») and the words the tariff text uses ("synthetic fibres").

Matching is done on the analyser's word keys (``text.pieces``): stems for English, lemmas for Persian, so
"earrings"/"Earring" and «لوله‌های»/«لوله» meet; a run of words matches a name when their keys, joined,
spell the name's keys joined ("T Shirt", "T-shirt", "tshirt"). Overlapping matches: the longest wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from peyvand.matching.text import CLAUSE_BREAKS, normalize, pieces

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA_DIR / "lexicon.txt"
TWINS_FILE = DATA_DIR / "twins.txt"
DOMAINS_FILE = DATA_DIR / "domains.txt"
FACETS_FILE = DATA_DIR / "facets.json"

MAX_PHRASE_WORDS = 6
# Each further code on a lexicon line counts this much less than the one before it.
CODE_ORDER_DECAY = 0.04
# Words after which the next few words name what the product goes with, not what it is.
PURPOSE_CUES = frozenset(
    {"for", "compatible", "fits", "fit", "suits", "برای", "مخصوص", "جهت", "مناسب", "مطابق"}
)
PURPOSE_SPAN = 4
PURPOSE_FACTOR = 0.3
FEATURE_CUES = frozenset({"with", "w", "including", "includes", "plus", "همراه", "با", "دارای"})
FEATURE_SPAN = 4
FEATURE_FACTOR = 0.6
# In an English compound the last noun names the thing ("laptop backpack", "car vacuum"); in Persian the
# first («کوله لپ تاپ»). A name directly followed (English) or preceded (Persian) by another counts less.
MODIFIER_FACTOR = 0.45
# "sugar free", "zero sugar", «بدون شکر»: the name is what the product lacks.
# Object nouns that make the name before them a qualifier: "cake stand", "wine rack", "phone holder".
OBJECT_NOUNS = frozenset(
    [
        "stand",
        "holder",
        "box",
        "board",
        "jar",
        "container",
        "rack",
        "dispenser",
        "shaker",
        "grinder",
        "mill",
        "cutter",
        "mold",
        "mould",
        "maker",
        "machine",
        "tool",
        "tools",
        "scoop",
        "bowl",
        "plate",
        "cup",
        "mug",
        "pot",
        "bag",
        "clip",
        "tray",
        "stick",
        "spoon",
        "knife",
        "press",
        "opener",
        "infuser",
        "strainer",
        "brush",
        "cover",
        "case",
        "tin",
        "basket",
        "lid",
        "warmer",
        "cooker",
        "kettle",
        "pan",
        "jug",
        "pitcher",
        "bottle",
        "organizer",
        "storage",
        "hanger",
        "hook",
        "mat",
        "pad",
        "sticker",
        "decal",
        "pattern",
        "print",
        "charm",
        "pendant",
        "keychain",
        "toy",
        "bed",
        "cage",
        "feeder",
        "fountain",
        "mount",
        "bracket",
        "charger",
        "cable",
        "adapter",
        "protector",
        "film",
        "skin",
        "sleeve",
        "pouch",
        "strap",
        "ring",
        "light",
        "lamp",
        "fan",
        "shelf",
        "tank",
        "trap",
        "repellent",
        "remover",
        "cleaner",
        "polish",
        "kit",
        "set",
        "stencil",
        "cutters",
        "molds",
        "tins",
        "trays",
        "bags",
        "cups",
        "plates",
        "boxes",
        "jars",
        "seeds",
        "seed",
    ]
)
NEGATION_BEFORE = frozenset({"zero", "no", "without", "non", "بدون", "فاقد"})
NEGATION_AFTER = frozenset({"free", "less"})
NEGATION_FACTOR = 0.1
_PERSIAN = re.compile("[\u0600-\u06ff]")


class LexiconError(ValueError):
    """A malformed line in a data file (the message names file and line)."""


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One line of the lexicon: the codes a family of product names points to."""

    number: int  # line number, a stable id within one file version
    codes: tuple[str, ...]
    weight: float
    phrases: tuple[str, ...]

    @property
    def is_stop(self) -> bool:
        """A line of descriptions that name no product (codes ``-``)."""
        return not self.codes

    def code_weights(self) -> Iterable[tuple[str, float]]:
        """Each code with its weight (the first full, the next ones a little less)."""
        for order, code in enumerate(self.codes):
            yield code, self.weight * max(0.5, 1.0 - CODE_ORDER_DECAY * order)


@dataclass(frozen=True, slots=True)
class Facet:
    """A material (or another distinction) as a product title says it and as the tariff text says it."""

    id: str
    group: str  # facets of one group exclude each other (cotton vs synthetic; men's vs women's)
    name_en: str
    name_fa: str
    query: tuple[str, ...]
    tariff: tuple[str, ...]
    implies: tuple[str, ...] = ()  # weaker facets that come with this one (stainless → iron or steel)
    siblings_only: bool = False  # chooses between subheadings of one heading (LED or not), not headings


class Hit(NamedTuple):
    """A phrase found in a text: which entry (or facet), where, and how much it counts."""

    target: int | str  # lexicon entry number, or facet id
    matched: str  # the words as written
    phrase: str  # the name that matched
    weight: float  # context factor (purpose, feature) times the text's weight; entry weights apply later
    first: int  # word indices in the text
    last: int


class _Pattern(NamedTuple):
    target: int | str
    phrase: str
    words: int
    parts: int


class _Words(NamedTuple):
    keys: list[str]
    alts: list[str | None]
    clauses: list[int]
    factors: list[float]
    spans: list[tuple[int, int]]  # character offsets in the normalised text
    lowers: list[str]  # the words as written, lower-cased


class PhraseMatcher:
    """Finds names (of lexicon entries or facets) in a text by the analyser's word keys."""

    def __init__(self, patterns: Iterable[tuple[int | str, str]], stops: Iterable[int | str] = ()) -> None:
        """``patterns``: (target, phrase) pairs; matches of ``stops`` targets are consumed, not reported."""
        self._stops = frozenset(stops)
        self._joined: dict[str, list[_Pattern]] = {}
        self._prefixes: set[str] = set()
        for target, phrase in patterns:
            infos = [
                info for _, _, _, info in pieces(_APOSTROPHE_S.sub("s", phrase)) if info.match_key is not None
            ]
            keys = [info.match_key for info in infos if info.match_key]
            if not keys:
                continue
            joined = "".join(keys)
            parts = sum(max(1, len(info.parts)) for info in infos)
            pattern = _Pattern(target, phrase, len(keys), parts)
            bucket = self._joined.setdefault(joined, [])
            # one pattern per target and shape: "hair spray" (2 words) and "hairspray" (1) both stay
            if all((old.target, old.words, old.parts) != (target, len(keys), parts) for old in bucket):
                bucket.append(pattern)
            for end in range(1, len(joined)):
                self._prefixes.add(joined[:end])

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._joined.values())

    def find(
        self, text: str, weight: float = 1.0, contexts: bool = True, compounds: bool = True
    ) -> list[Hit]:
        """Non-overlapping matches in ``text`` (longest first), each weighted by ``weight`` and, when
        ``contexts``, lowered after "for …" (what it fits), "with …" (what comes with it), when negated
        ("sugar free") and, with ``compounds``, when it only qualifies the next name ("laptop backpack")."""
        # "women's" → "womens", so the possessive does not split the name it belongs to.
        normal = _APOSTROPHE_S.sub("s", normalize(text))
        words = _words(normal, contexts)
        chosen = self._non_overlapping(self._candidates(words), len(words.keys))
        starts = {first for first, _, _ in chosen}
        ends = {last for _, last, _ in chosen}
        hits = []
        for first, last, pattern in chosen:
            factor = min(words.factors[first : last + 1])
            start, end = words.spans[first][0], words.spans[last][1]
            matched = normal[start:end]
            if contexts:
                factor *= _context_factor(words, first, last, matched, starts, ends, compounds)
            hits.append(Hit(pattern.target, matched, pattern.phrase, weight * factor, first, last))
        return hits

    def _candidates(self, words: _Words) -> list[tuple[int, int, _Pattern]]:
        """Every (first word, last word, pattern) whose words spell a pattern, within one clause."""
        keys, alts, clauses = words.keys, words.alts, words.clauses
        found: list[tuple[int, int, _Pattern]] = []
        count = len(keys)
        for first in range(count):
            joined = ""
            for last in range(first, min(count, first + MAX_PHRASE_WORDS)):
                if clauses[last] != clauses[first]:
                    break
                stem = joined
                joined = stem + keys[last]
                size = last - first + 1
                short_word = min(len(key) for key in keys[first : last + 1]) <= 2
                alt = alts[last]
                for candidate in (joined, stem + alt) if alt else (joined,):
                    for pattern in self._joined.get(candidate, ()):
                        if size in (pattern.words, pattern.parts) or short_word:
                            found.append((first, last, pattern))
                if joined not in self._prefixes:
                    break
        return found

    def _non_overlapping(
        self, found: list[tuple[int, int, _Pattern]], count: int
    ) -> list[tuple[int, int, _Pattern]]:
        """The longest matches first, each word owned by one match (one span may name several targets);
        stop targets consumed; in text order."""
        found.sort(key=lambda item: (-(item[1] - item[0]), -len(item[2].phrase), item[0]))
        owned = [False] * count
        chosen: list[tuple[int, int, _Pattern]] = []
        taken: set[tuple[int, int]] = set()
        for first, last, pattern in found:
            span = (first, last)
            if span in taken:  # the same words name several targets: keep them all
                chosen.append((first, last, pattern))
                continue
            if any(owned[first : last + 1]):
                continue
            owned[first : last + 1] = [True] * (last - first + 1)
            taken.add(span)
            chosen.append((first, last, pattern))
        return sorted(
            (item for item in chosen if item[2].target not in self._stops),
            key=lambda item: (item[0], item[1]),
        )


def _context_factor(
    words: _Words, first: int, last: int, matched: str, starts: set[int], ends: set[int], compounds: bool
) -> float:
    """Lower a match that is negated ("sugar free") or, with ``compounds``, only qualifies the next name."""
    lowers, clauses, count = words.lowers, words.clauses, len(words.keys)
    before = lowers[first - 1] if first and clauses[first - 1] == clauses[first] else ""
    after = lowers[last + 1] if last + 1 < count and clauses[last + 1] == clauses[last] else ""
    if before in NEGATION_BEFORE or after in NEGATION_AFTER:
        return NEGATION_FACTOR
    if not compounds:
        return 1.0
    if _PERSIAN.search(matched):
        if first - 1 in ends and clauses[first - 1] == clauses[first]:
            return MODIFIER_FACTOR
    elif (last + 1 in starts or after in OBJECT_NOUNS) and clauses[last + 1] == clauses[last]:
        return MODIFIER_FACTOR
    return 1.0


_APOSTROPHE_S = re.compile(r"(?<=[A-Za-z])['’]s\b")


def _words(normal: str, contexts: bool) -> _Words:
    """Matchable words of a normalised text with clause numbers and context factors."""
    words = _Words([], [], [], [], [], [])
    clause = 0
    cue_left = 0
    cue_factor = 1.0
    for surface, start, end, info in pieces(normal, normalized=True):
        if info.match_key is None:
            if info.kind == "punct" and (surface in CLAUSE_BREAKS or surface in {"|", ">", "/", "(", ")"}):
                clause += 1
                cue_left = 0
            continue
        lower = surface.lower()
        if contexts and lower in PURPOSE_CUES:
            cue_left, cue_factor = PURPOSE_SPAN, PURPOSE_FACTOR
        elif contexts and lower in FEATURE_CUES:
            cue_left, cue_factor = FEATURE_SPAN, FEATURE_FACTOR
        factor = 1.0
        if cue_left and lower not in PURPOSE_CUES and lower not in FEATURE_CUES:
            factor = cue_factor
            if info.kind != "num":
                cue_left -= 1
        words.keys.append(info.match_key)
        words.alts.append(info.match_alt)
        words.clauses.append(clause)
        words.factors.append(factor)
        words.spans.append((start, end))
        words.lowers.append(lower)
    return words


# ---------------------------------------------------------------------------------------------- loading


_CODE = re.compile(r"^\d{2}(\d{2}){0,2}$")


def read_lexicon(
    path: str | Path = LEXICON_FILE, known_codes: Sequence[str] | None = None, strict: bool = True
) -> list[LexiconEntry]:
    """Entries of a lexicon file. With ``known_codes``, an unknown code is an error naming file and line
    (``strict``) or is left out (a nomenclature file that holds only part of HS 2022)."""
    known = set(known_codes) if known_codes is not None else None
    entries: list[LexiconEntry] = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "|" not in line:
                raise LexiconError(f"{path}:{number}: expected 'codes | names'")
            left, right = line.split("|", 1)
            if left.strip() == "-":
                stops = tuple(dict.fromkeys(p.strip() for p in right.split(";") if p.strip()))
                entries.append(LexiconEntry(number, (), 0.0, stops))
                continue
            codes, written, weight = _read_codes(left, known, strict, f"{path}:{number}")
            phrases = tuple(dict.fromkeys(p.strip() for p in right.split(";") if p.strip()))
            if not written or not phrases:
                raise LexiconError(f"{path}:{number}: a line needs codes and names")
            if not codes:  # every code of the line is outside a partial nomenclature
                continue
            entries.append(LexiconEntry(number, tuple(codes), weight, phrases))
    return entries


def _read_codes(left: str, known: set[str] | None, strict: bool, where: str) -> tuple[list[str], int, float]:
    """The codes of a lexicon line's left side (those in ``known``), how many were written, its weight."""
    codes: list[str] = []
    written = 0
    weight = 1.0
    for token in left.split():
        if token.startswith("*"):
            try:
                weight = float(token[1:])
            except ValueError as error:
                raise LexiconError(f"{where}: bad weight {token!r}") from error
        elif _CODE.match(token):
            written += 1
            if known is not None and token not in known:
                if strict:
                    raise LexiconError(f"{where}: {token} is not an HS 2022 code")
                continue
            codes.append(token)
        else:
            raise LexiconError(f"{where}: bad code {token!r}")
    return codes, written, weight


def read_twins(
    path: str | Path = TWINS_FILE, known_codes: Sequence[str] | None = None, strict: bool = True
) -> list[tuple[str, ...]]:
    """Groups of codes naming the same kind of article in different materials (``data/twins.txt``);
    unknown codes are an error (``strict``) or left out."""
    known = set(known_codes) if known_codes is not None else None
    groups: list[tuple[str, ...]] = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            codes = []
            for code in line.split():
                if not _CODE.match(code):
                    raise LexiconError(f"{path}:{number}: {code!r} is not an HS code")
                if known is not None and code not in known:
                    if strict:
                        raise LexiconError(f"{path}:{number}: {code} is not an HS 2022 code")
                    continue
                codes.append(code)
            if len(codes) > 1:
                groups.append(tuple(codes))
    return groups


def read_domains(path: str | Path = DOMAINS_FILE) -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """(names, chapters) of the marketplace domains (``data/domains.txt``)."""
    domains: list[tuple[tuple[str, ...], frozenset[str]]] = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "|" not in line:
                raise LexiconError(f"{path}:{number}: expected 'names | chapters'")
            left, right = line.split("|", 1)
            chapters: set[str] = set()
            for token in right.split():
                first, _, last = token.partition("-")
                if not (
                    first.isdigit() and len(first) == 2 and (not last or (last.isdigit() and len(last) == 2))
                ):
                    raise LexiconError(f"{path}:{number}: bad chapter {token!r}")
                chapters.update(f"{chapter:02d}" for chapter in range(int(first), int(last or first) + 1))
            names = tuple(name.strip() for name in left.split(";") if name.strip())
            domains.append((names, frozenset(chapters)))
    return domains


def read_facets(path: str | Path = FACETS_FILE) -> list[Facet]:
    """The facets of ``data/facets.json``."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return [
        Facet(
            id=item["id"],
            group=item["group"],
            name_en=item["name_en"],
            name_fa=item["name_fa"],
            query=tuple(item["query"]),
            tariff=tuple(item["tariff"]),
            implies=tuple(item.get("implies", ())),
            siblings_only=bool(item.get("siblings_only", False)),
        )
        for item in raw["facets"]
    ]


# ---------------------------------------------------------------------------- facets in the tariff texts

_WHETHER = re.compile(r"whether or not [^;,()]*")
_EXCLUSION = re.compile(
    r"\((?:other than|excluding|except|not|excl\.)[^)]*\)|\b(?:other than|excluding|except|not)\b[^;,]*"
)
# What an article is for ("moulds; for rubber or plastics") is not what it is made of.
_PURPOSE = re.compile(r"\bfor (?!the |use |a )[^;,()]*?(?=\s+of\s|[;,()]|\s*$)")


@dataclass(frozen=True, slots=True)
class TariffFacets:
    """The facets an official text names (``present``), names only to exclude (``excluded``), and
    whether it is a residual ("other", "n.e.c.") subheading."""

    present: frozenset[str]
    excluded: frozenset[str]
    residual: bool


class TariffReader:
    """Reads facets in official texts: "of cotton" → cotton; "(other than cotton)" → cotton excluded;
    "(not knitted or crocheted)" → woven. All patterns in one compiled alternation."""

    def __init__(self, facets: Sequence[Facet]) -> None:
        self._owner: dict[str, list[str]] = {}
        self._full: list[tuple[str, str]] = []
        for facet in facets:
            for pattern in facet.tariff:
                if pattern.startswith("!"):
                    self._full.append((facet.id, pattern[1:]))
                else:
                    self._owner.setdefault(pattern, []).append(facet.id)
        alternation = "|".join(re.escape(p) for p in sorted(self._owner, key=len, reverse=True))
        self._pattern = re.compile(r"(?<![a-z])(" + alternation + r")(?![a-z])") if self._owner else None

    def _found(self, text: str) -> set[str]:
        if self._pattern is None or not text:
            return set()
        return {owner for match in self._pattern.finditer(text) for owner in self._owner[match.group(1)]}

    def read(self, description: str) -> TariffFacets:
        """The facets of one official text."""
        text = " " + description.lower().replace("’", "'") + " "
        residual = "n.e.c." in text or " other " in text[:40] or "other than" in text or "excluding" in text
        text = _PURPOSE.sub(" ", _WHETHER.sub(" ", text))
        excluded_text = " ".join(match.group() for match in _EXCLUSION.finditer(text))
        present = self._found(_EXCLUSION.sub(" ", text))
        present.update(facet_id for facet_id, needle in self._full if needle in text)
        excluded = self._found(excluded_text) - present
        return TariffFacets(frozenset(present), frozenset(excluded), residual)


def tariff_facets(description: str, facets: Sequence[Facet]) -> TariffFacets:
    """Facets of one official text (see ``TariffReader``)."""
    return TariffReader(facets).read(description)
