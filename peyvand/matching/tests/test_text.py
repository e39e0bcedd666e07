"""The analyser on hostile forms: Arabic letters, Persian digits, half-spaces, diacritics, tatweel."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peyvand.matching.text import (
    ZWNJ,
    analyse,
    detect_language,
    fold,
    lemmatize,
    normalize,
    search_terms,
    sort_key,
    to_ascii_digits,
    tokens,
)

# Characters real registry texts mix: Persian and Arabic letters, both digit sets, Latin, ZWNJ/ZWJ,
# diacritics, tatweel, presentation forms, odd spaces and punctuation.
HOSTILE = st.text(
    alphabet=st.sampled_from(
        list("آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكۀةأإؤئء")
        + list("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789")
        + list("abcXYZ-_.,،؛:()«»")
        + ["\u200c", "\u200d", "\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0654", "\u0670", "ـ"]
        + [" ", "\u00a0", "\u2009", "\n", "\ufefb", "\ufee9", "\ufb8e"]
    ),
    max_size=60,
)

# Half-space compounds the analyser knows (hazm's lexicon, or a word plus a suffix): typed with a
# half-space, a space or joined, they must read the same.
COMPOUNDS = ["ریخته‌گری", "ماشین‌آلات", "بسته‌بندی", "کارخانه‌ها", "پلی‌اتیلن", "قطعه‌ها", "لوله‌کشی", "پیش‌ساخته"]


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalising_any_unicode_is_idempotent_and_analysis_never_fails(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    analyse(text)


def _variants(word: str, draw: st.DrawFn) -> str:
    """One way people type ``word``: half-space as space or missing, Arabic ي/ك, marks and tatweel."""
    joiner = draw(st.sampled_from([ZWNJ, " ", "", ZWNJ + ZWNJ, " " + ZWNJ]))
    if joiner == "" and word.split(ZWNJ)[-1] in {"ها", "های"}:
        joiner = " "  # «قطعهها» is not a spelling anyone uses
    text = word.replace(ZWNJ, joiner)
    if draw(st.booleans()):
        text = text.replace("ی", "ي").replace("ک", "ك")
    if draw(st.booleans()):
        position = draw(st.integers(min_value=1, max_value=max(1, len(text) - 1)))
        text = text[:position] + draw(st.sampled_from(["ـ", "\u064e", "\u0650", "\u0651"])) + text[position:]
    return text


@st.composite
def word_variant(draw: st.DrawFn) -> tuple[str, str]:
    word = draw(st.sampled_from(COMPOUNDS))
    return word, _variants(word, draw)


@settings(max_examples=200, deadline=None)
@given(word_variant())
def test_all_variants_of_a_word_give_the_same_terms(pair: tuple[str, str]) -> None:
    word, variant = pair
    assert sorted(set(analyse(variant))) == sorted(set(analyse(word)))


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("قطعات", "قطعه"),
        ("تجهیزات", "تجهیز"),
        ("محصولات", "محصول"),
        ("لوله‌ها", "لوله"),
        ("کارخانه‌های", "کارخانه"),
    ],
)
def test_persian_plurals_are_lemmatised_with_the_at_rule(plural: str, singular: str) -> None:
    assert lemmatize(normalize(plural)) == singular
    assert analyse(plural) == analyse(singular)


def test_half_space_words_are_indexed_whole_and_by_parts() -> None:
    assert set(analyse("ریخته‌گری")) >= {"ریختهگری", "ریخته"}


def test_persian_and_arabic_digits_become_ascii() -> None:
    assert to_ascii_digits("۱۲۳٤٥٦") == "123456"
    assert "2500" in analyse("سوله ۲۵۰۰ متری")
    assert "9001" in analyse("ISO ٩٠٠١")


def test_english_is_lower_cased_stemmed_and_spelling_folded() -> None:
    assert analyse("Aluminium MOULDS") == analyse("aluminum molds")
    assert analyse("galvanising") == analyse("galvanizing")
    assert analyse("castings") == analyse("casting")
    assert analyse("machining") != analyse("machines")


def test_stopwords_of_both_languages_are_dropped() -> None:
    assert analyse("the and of for") == []
    assert analyse("از برای که این را") == []


def test_tokens_carry_offsets_into_the_normalised_text() -> None:
    text = "ريخته گري   قطعات، castings"
    normal = normalize(text)
    for token in tokens(text):
        assert normal[token.start : token.end] == token.surface


def test_negated_persian_verbs_are_marked() -> None:
    flags = {token.surface: token.is_negative for token in tokens("ماشینکاری نداریم و کوره داریم")}
    assert flags["نداریم"] is True
    assert flags["داریم"] is False


def test_language_is_detected_from_letters() -> None:
    assert detect_language("ریخته‌گری تحت فشار") == "fa"
    assert detect_language("aluminium die casting") == "en"
    assert detect_language("تابلو MCC و PLC") == "fa"


def test_the_foundation_helpers_keep_their_contracts() -> None:
    assert normalize("كارخانۀ  علي\u200c\u200cاكبر  ۱۲") == "کارخانه علی\u200cاکبر 12"
    assert fold("ریخته گری") == fold("ریخته‌گری") == fold("ریختهگری")
    assert search_terms("لوله، فولادی") == ["لوله", "فولادی"]
    assert sort_key("ب") < sort_key("پ") < sort_key("ت")


def test_a_suffix_that_begins_a_spelt_acronym_stays_a_word_of_its_own() -> None:
    assert [token.surface for token in tokens("تخته ام دی اف")] == ["تخته", "ام", "دی", "اف"]
    assert [token.surface for token in tokens("لامپ ال ای دی")] == ["لامپ", "ال", "ای", "دی"]
    # hazm's spacing rule still glues a suffix that is not part of one
    assert [token.surface for token in tokens("قطعه ها")] == ["قطعه ها"]
