"""The capability thesaurus: its data file, and the tagger finding concepts in both languages."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from peyvand.matching.text import normalize
from peyvand.matching.thesaurus import DATA_FILE, Thesaurus, load_thesaurus

SHARED_DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
FAMILIES = {
    "food",
    "wood_paper",
    "plastics_rubber",
    "metals",
    "machinery",
    "electrical_electronics",
    "chemicals",
    "textiles",
    "construction_materials",
    "packaging_printing",
    "industrial_services",
    "recycling_byproducts",
}


def _ids(thesaurus: Thesaurus, text: str) -> set[str]:
    return {hit.concept_id for hit in thesaurus.tag(text)}


def test_the_data_file_has_at_least_250_concepts_in_every_family(thesaurus: Thesaurus) -> None:
    assert len(thesaurus.concepts) >= 250
    assert {concept.family for concept in thesaurus.concepts} == FAMILIES
    ids = [concept.id for concept in thesaurus.concepts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+\.[a-z0-9_]+", concept_id) for concept_id in ids)


def test_every_concept_is_named_and_has_synonyms_in_both_languages(thesaurus: Thesaurus) -> None:
    for concept in thesaurus.concepts:
        assert concept.name_fa, concept.id
        assert concept.name_en, concept.id
        assert concept.synonyms_fa, concept.id
        assert concept.synonyms_en, concept.id


def test_related_concepts_exist_and_are_symmetric(thesaurus: Thesaurus) -> None:
    for concept in thesaurus.concepts:
        for other in concept.related:
            assert other in thesaurus, (concept.id, other)
            assert concept.id in thesaurus.get(other).related, (concept.id, other)


def test_the_data_file_is_plain_json_the_web_app_can_load() -> None:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    keys = {"id", "family", "name_fa", "name_en", "synonyms_fa", "synonyms_en", "related", "isic", "hs"}
    assert all(keys <= set(item) for item in raw["concepts"])


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data not available")
def test_isic_classes_and_hs_headings_are_real_codes(thesaurus: Thesaurus) -> None:
    with open(SHARED_DATA / "isic4" / "ISIC_Rev_4_english_structure.txt", encoding="utf-8") as handle:
        isic = {row[0] for row in csv.reader(handle)}
    with open(SHARED_DATA / "hs2022" / "harmonized-system.csv", encoding="utf-8") as handle:
        hs = {row["hscode"] for row in csv.DictReader(handle)}
    for concept in thesaurus.concepts:
        assert set(concept.isic) <= isic, concept.id
        assert set(concept.hs) <= hs, concept.id


@pytest.mark.parametrize("concept_id", [concept.id for concept in load_thesaurus().concepts])
def test_each_concept_is_found_by_each_of_its_synonyms(thesaurus: Thesaurus, concept_id: str) -> None:
    concept = thesaurus.get(concept_id)
    missed = [form for form in concept.surface_forms if concept_id not in _ids(thesaurus, form)]
    assert not missed, missed


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("لوله پلی‌اتیلن PE100 برای آبیاری", "plastic.pe_pipes", "metal.steel_pipes"),
        ("لوله فولادی درزدار گالوانیزه", "metal.steel_pipes", "plastic.pe_pipes"),
        ("HDPE pressure pipes for irrigation", "plastic.pe_pipes", "metal.steel_pipes"),
        ("ERW steel pipes for water mains", "metal.steel_pipes", "plastic.pe_pipes"),
        ("ساخت دستگاه رول چای و خشک‌کن پیوسته", "machinery.tea_machinery", "food.tea_processing"),
        ("کارخانه چای سیاه ارتدکس", "food.tea_processing", "machinery.tea_machinery"),
        ("orthodox tea rolling machines", "machinery.tea_machinery", "food.tea_processing"),
        ("bulk black tea from a tea factory", "food.tea_processing", "machinery.tea_machinery"),
        ("ریخته‌گری تحت فشار آلومینیوم", "metal.die_casting", "metal.sand_casting"),
        ("ریخته گری چدن در قالب ماسه‌ای", "metal.sand_casting", "metal.die_casting"),
        ("aluminium die casting of pump housings", "metal.die_casting", "metal.sand_casting"),
        ("grey iron sand castings", "metal.sand_casting", "metal.die_casting"),
        ("گالن و دبه پلاستیکی بادی", "plastic.blow_moulding", "plastic.injection_moulding"),
        ("سیم ساختمانی افشان", "electrical.building_wires", "electrical.power_cables"),
    ],
)
def test_near_miss_capabilities_are_kept_apart(
    thesaurus: Thesaurus, text: str, expected: str, not_expected: str
) -> None:
    found = _ids(thesaurus, text)
    assert expected in found
    assert not_expected not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قطعات آلومینیومی دایکست", "metal.die_casting"),
        ("دایکاست", "metal.die_casting"),
        ("ريخته‌گري تحت‌فشار", "metal.die_casting"),
        ("ریختهگری تحت فشار", "metal.die_casting"),
        ("تراشکاری و فرزکاری سی ان سی", "metal.machining"),
        ("cnc-machined parts", "metal.machining"),
        ("لوله‌های پلی‌اتیلنی", "plastic.pe_pipes"),
        ("پرس‌کاری ورق", "metal.stamping"),
        ("اورینگ‌های وایتون", "plastic.rubber_seals"),
        ("Hot-dip galvanizing of guardrails", "metal.galvanizing"),
        ("کنسروجات", "food.canning"),
    ],
)
def test_multi_word_inflected_and_colloquial_forms_are_found(
    thesaurus: Thesaurus, text: str, expected: str
) -> None:
    assert expected in _ids(thesaurus, text)


def test_negated_mentions_are_not_tags(thesaurus: Thesaurus) -> None:
    assert "metal.machining" not in _ids(thesaurus, "ریخته‌گری چدن داریم ولی ماشینکاری نداریم.")
    assert "service.cold_storage" not in _ids(thesaurus, "We have no freezer rooms, but we grade fruit.")
    assert "metal.powder_coating" not in _ids(thesaurus, "cut parts only, without powder coating")
    assert "metal.machining" in _ids(thesaurus, "ماشینکاری داریم و ریخته‌گری نداریم")


def test_purpose_and_container_mentions_weigh_less(thesaurus: Thesaurus) -> None:
    hits = {hit.concept_id: hit for hit in thesaurus.tag("تابلو برق برای کارخانه‌های چای")}
    assert hits["food.tea_processing"].context == "purpose"
    assert hits["food.tea_processing"].weight < hits["electrical.panels"].weight
    packed = {hit.concept_id: hit for hit in thesaurus.tag("olive oil packed in glass jars")}
    assert packed["packaging.glass_containers"].context == "container"


def test_a_part_named_after_a_machine_is_not_the_machine(thesaurus: Thesaurus) -> None:
    assert "machinery.pumps" not in _ids(thesaurus, "cast iron pump casings")
    assert "machinery.pumps" not in _ids(thesaurus, "پوسته پمپ چدنی")
    assert "machinery.pumps" in _ids(thesaurus, "centrifugal pumps for irrigation")


def test_hits_point_at_the_text_they_matched(thesaurus: Thesaurus) -> None:
    text = "ما قطعات آلومینيومی دايکست و لوله فولادی می‌سازیم"
    normal = normalize(text)
    hits = thesaurus.tag(text)
    assert hits
    for hit in hits:
        assert normal[hit.start : hit.end] == hit.matched_text


def test_concept_ids_suggests_tags_strongest_first(thesaurus: Thesaurus) -> None:
    assert (
        thesaurus.concept_ids("تولید کارتن پنج لایه برای صادرکنندگان کیوی")[0]
        == "packaging.corrugated_cartons"
    )
