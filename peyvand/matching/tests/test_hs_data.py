"""The suggester's own data files: real codes, Persian letters, no name that can never be found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peyvand.matching.hs.lexicon import (
    DOMAINS_FILE,
    FACETS_FILE,
    LEXICON_FILE,
    TWINS_FILE,
    LexiconError,
    PhraseMatcher,
    read_domains,
    read_facets,
    read_lexicon,
    read_twins,
)
from peyvand.matching.hs.nomenclature import SUBHEADING_NAMES, load_nomenclature

SHARED_HS = Path(__file__).resolve().parents[4] / "shared" / "data" / "hs2022" / "harmonized-system.csv"
needs_hs = pytest.mark.skipif(not SHARED_HS.exists(), reason="../shared/data/hs2022 not available")


@needs_hs
def test_every_code_in_the_lexicon_and_twins_is_an_hs_2022_code() -> None:
    codes = list(load_nomenclature(SHARED_HS).entries)
    entries = read_lexicon(LEXICON_FILE, known_codes=codes, strict=True)
    assert len(entries) > 1000
    assert len(read_twins(TWINS_FILE, known_codes=codes, strict=True)) > 10


@needs_hs
def test_marketplace_domains_name_real_chapters() -> None:
    chapters = {code for code in load_nomenclature(SHARED_HS).entries if len(code) == 2}
    domains = read_domains(DOMAINS_FILE)
    assert len(domains) > 20
    for names, domain_chapters in domains:
        assert names
        assert domain_chapters <= chapters, names


@needs_hs
def test_every_chapter_and_heading_has_a_persian_name() -> None:
    nomenclature = load_nomenclature(SHARED_HS)
    unnamed = [code for code, entry in nomenclature.entries.items() if len(code) < 6 and not entry.name_fa]
    assert unnamed == []
    named_subheadings = [
        code for code, entry in nomenclature.entries.items() if len(code) == 6 and entry.name_fa
    ]
    assert "090230" in named_subheadings
    assert "081050" in named_subheadings


def test_data_files_write_persian_letters_not_arabic_ones() -> None:
    for path in (LEXICON_FILE, FACETS_FILE, SUBHEADING_NAMES, DOMAINS_FILE):
        text = path.read_text(encoding="utf-8")
        assert "ي" not in text, path.name
        assert "ك" not in text, path.name
        mixed = re.findall(r"\S*[A-Za-z][\u0600-\u06ff]\S*|\S*[\u0600-\u06ff][A-Za-z]\S*", text)
        assert mixed == [], (path.name, mixed[:5])


def test_every_lexicon_name_is_found_when_written_alone() -> None:
    entries = read_lexicon(LEXICON_FILE)
    matcher = PhraseMatcher((entry.number, phrase) for entry in entries for phrase in entry.phrases)
    missed = [
        (entry.number, phrase)
        for entry in entries
        for phrase in entry.phrases
        if entry.number not in {hit.target for hit in matcher.find(phrase, contexts=False)}
    ]
    assert missed == []


def test_every_facet_word_finds_its_facet_and_implies_known_facets() -> None:
    facets = read_facets(FACETS_FILE)
    ids = {facet.id for facet in facets}
    matcher = PhraseMatcher((facet.id, phrase) for facet in facets for phrase in facet.query)
    for facet in facets:
        assert set(facet.implies) <= ids, facet.id
        for phrase in facet.query:
            assert facet.id in {hit.target for hit in matcher.find(phrase, contexts=False)}, (
                facet.id,
                phrase,
            )


def test_a_malformed_lexicon_line_names_its_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "lexicon.txt"
    broken.write_text("# comment\n732393 | frying pan\n7323 tea kettle\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon\.txt:3: expected 'codes \| names'"):
        read_lexicon(broken)
    broken.write_text("73239X | frying pan\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lexicon\.txt:1: bad code '73239X'"):
        read_lexicon(broken)
