"""Passages are cut to their head before embedding (cost grows with tokens)."""

from __future__ import annotations

from peyvand.matching.embeddings import E5Embedder, head_tokens


def _tokens(text: str, is_query: bool = False) -> int:  # one token per word, plus the two specials
    return len(text.split()) + 2


def test_a_long_profile_keeps_its_head_within_the_budget() -> None:
    text = "لوله‌سازی شمال . لوله پلی‌اتیلن . " + " ".join(["مشتریان"] * 50)
    cut = head_tokens(text, 10, _tokens)
    assert _tokens(cut) <= 10
    assert cut.startswith("لوله‌سازی شمال . لوله پلی‌اتیلن")
    assert _tokens(head_tokens(text, 11, _tokens)) == 11  # the longest head that fits


def test_a_short_line_is_left_whole() -> None:
    assert head_tokens("بسته‌بندی چای", 64, _tokens) == "بسته‌بندی چای"


def test_cut_and_whole_vectors_do_not_share_a_cache() -> None:
    assert E5Embedder(passage_tokens=64).name != E5Embedder(passage_tokens=None).name
