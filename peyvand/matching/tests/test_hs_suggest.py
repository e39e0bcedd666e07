"""The HS-code suggester as a library: what a user typing a product description would see."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peyvand.matching.hs import HSDataError, HSSuggester, Suggestion, load_suggester
from peyvand.matching.hs.nomenclature import HS_FILE_ENV, SHARED_DIR_ENV

SHARED_HS = Path(__file__).resolve().parents[4] / "shared" / "data" / "hs2022" / "harmonized-system.csv"
pytestmark = pytest.mark.skipif(not SHARED_HS.exists(), reason="../shared/data/hs2022 not available")


@pytest.fixture(scope="module")
def suggester() -> HSSuggester:
    return load_suggester()


def _codes(suggester: HSSuggester, text: str, attributes: object = None, **options: object) -> list[str]:
    return [suggestion.code for suggestion in suggester.suggest(text, attributes, **options)]


def test_a_steel_frying_pan_gets_stainless_kitchenware_first(suggester: HSSuggester) -> None:
    codes = _codes(
        suggester,
        "28cm Stainless Steel Frying Pan Non-Stick Skillet Induction Wok\nHome & Garden > Kitchen > Cookware",
        {"Brand Name": "KOLAHA", "Material": "Stainless Steel"},
    )
    assert codes[0] == "732393"
    assert len(codes) == 5
    assert len(set(codes)) == 5


def test_the_material_decides_between_steel_and_aluminium_pans(suggester: HSSuggester) -> None:
    aluminium = _codes(suggester, "Non-stick Frying Pan 24cm", {"Material": "Aluminum"})
    steel = _codes(suggester, "Non-stick Frying Pan 24cm", {"Material": "Stainless Steel"})
    assert aluminium[0] == "761510"
    assert steel[0] == "732393"


def test_knitted_and_woven_dresses_go_to_their_own_chapters(suggester: HSSuggester) -> None:
    knitted = _codes(suggester, "Women's Knitted Ribbed Bodycon Midi Dress", {"Material": "Polyester"})
    woven = _codes(suggester, "Women's Chiffon Maxi Dress Boho Beach", {"Material": "Polyester"})
    assert knitted[0] == "610443"
    assert woven[0] == "620443"


def test_a_case_for_a_phone_is_not_classified_as_the_phone(suggester: HSSuggester) -> None:
    codes = _codes(suggester, "Shockproof Clear Phone Case For iPhone 15 Pro Max Soft TPU Cover")
    assert codes[0] in {"392690", "420232"}  # plastic article, or a case carried in the pocket
    assert "851713" not in codes[:2]


def test_what_a_product_lacks_does_not_steer_it(suggester: HSSuggester) -> None:
    codes = _codes(suggester, "Sparkling Water 24 Cans Lemon Flavor Zero Sugar")
    assert codes[0].startswith("2202")
    assert not any(code.startswith("1701") for code in codes)


def test_a_persian_description_reads_the_same_with_arabic_letters_and_digits(suggester: HSSuggester) -> None:
    persian = _codes(suggester, "چای سیاه ممتاز لاهیجان بسته ۴۵۰ گرمی")
    arabic = _codes(suggester, "چاي سياه ممتاز لاهيجان بسته 450 گرمي")
    assert persian[0] == "090230"
    assert arabic == persian


def test_the_category_path_alone_points_to_the_goods(suggester: HSSuggester) -> None:
    codes = _codes(
        suggester, "", {"Category": "Phones & Telecommunications > Mobile Phone Accessories > Power Bank"}
    )
    assert codes[0] == "850760"


def test_the_top_of_the_category_path_tells_food_from_hardware(suggester: HSSuggester) -> None:
    food = _codes(suggester, "Macadamia Nuts 500g Premium", {"Category": "Food > Nuts & Seeds"})
    hardware = _codes(
        suggester, "M8 Nuts 100pcs Premium", {"Category": "Home Improvement > Hardware > Fasteners"}
    )
    assert food[0][:2] in {"08", "20"}
    assert hardware[0] == "731816"


def test_an_item_type_attribute_names_the_goods_and_look_attributes_do_not(suggester: HSSuggester) -> None:
    vague = _codes(
        suggester, "2024 New Fashion Trendy Gift", {"Item Type": "Earrings", "Metals Type": "Zinc Alloy"}
    )
    assert vague[0] == "711719"
    blouse = _codes(
        suggester, "Summer Chiffon Top For Women", {"Sleeve Length(cm)": "Short", "Item Type": "Blouses"}
    )
    assert blouse[0].startswith("6206")
    assert not any(code.startswith(("6203", "6204")) for code in blouse)


def test_every_suggestion_carries_texts_and_reasons_in_both_languages(suggester: HSSuggester) -> None:
    suggestions = suggester.suggest("Men's 100% Cotton T-Shirt Short Sleeve", {"Material": "Cotton"})
    first = suggestions[0]
    assert isinstance(first, Suggestion)
    assert first.code == "610910"
    assert first.heading == "6109"
    assert first.chapter == "61"
    assert "T-shirts" in first.text("en")
    assert first.text("fa")
    assert first.heading_fa
    assert first.chapter_fa
    assert any("t-shirt" in reason.lower() for reason in first.reasons("en"))
    assert len(first.reasons("fa")) == len(first.reasons("en"))
    assert all(any("\u0600" <= char <= "\u06ff" for char in reason) for reason in first.reasons("fa"))
    scores = [suggestion.score for suggestion in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert set(first.to_dict("fa")) >= {"code", "description_en", "name_fa", "heading_fa", "reasons"}


def test_an_empty_or_meaningless_description_gets_no_codes(suggester: HSSuggester) -> None:
    assert suggester.suggest("") == []
    assert suggester.suggest(None) == []
    assert suggester.suggest("   \n  ", {}) == []
    assert suggester.suggest("!!! ??? ...") == []


def test_top_limits_the_number_of_codes(suggester: HSSuggester) -> None:
    assert len(_codes(suggester, "Bluetooth wireless earbuds", top=1)) == 1
    assert len(_codes(suggester, "Bluetooth wireless earbuds", top=8)) == 8
    assert _codes(suggester, "Bluetooth wireless earbuds", top=0) == []


def test_the_producers_isic_class_lifts_the_concorded_subheadings(suggester: HSSuggester) -> None:
    plain = suggester.suggest("parts")
    for_cars = suggester.suggest("parts", isic="2930")
    assert not plain[0].code.startswith("8708")
    assert for_cars[0].code.startswith("8708")
    assert any("ISIC" in reason for reason in for_cars[0].reasons("en"))


def test_describe_gives_the_texts_of_a_subheading(suggester: HSSuggester) -> None:
    tea = suggester.describe("090230")
    assert tea is not None
    assert tea.text("fa") == "چای سیاه در بسته‌بندی تا ۳ کیلوگرم"
    assert "Tea, black" in tea.description_en
    assert suggester.describe("0902") is None
    assert suggester.describe("000000") is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200), material=st.one_of(st.none(), st.text(max_size=30)))
def test_any_text_gives_distinct_real_subheadings_without_error(
    suggester: HSSuggester, text: str, material: str | None
) -> None:
    codes = _codes(suggester, text, {"Material": material} if material is not None else None)
    assert len(codes) == len(set(codes)) <= 5
    assert all(suggester.describe(code) is not None for code in codes)


def test_a_missing_hs_file_is_reported_in_persian_and_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HS_FILE_ENV, raising=False)
    with pytest.raises(HSDataError) as raised:
        HSSuggester.build(tmp_path / "missing.csv")
    message = str(raised.value)
    assert "پیدا نشد" in message
    assert "was not found" in message
    assert HS_FILE_ENV in message


def test_the_hs_file_can_be_given_by_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = tmp_path / "hs.csv"
    small.write_text(
        "section,hscode,description,parent,level\n"
        "XV,73,Articles of iron or steel,TOTAL,2\n"
        'XV,7323,"Table, kitchen or other household articles, of iron or steel",73,4\n'
        'XV,732393,"Steel, stainless; table, kitchen and other household articles",7323,6\n'
        'XV,732399,"Iron or steel; table, kitchen and other household articles n.e.c.",7323,6\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(HS_FILE_ENV, str(small))
    monkeypatch.delenv(SHARED_DIR_ENV, raising=False)
    small_suggester = HSSuggester.build(use_thesaurus=False)
    assert small_suggester.stats["subheadings"] == 2
    codes = _codes(small_suggester, "Stainless steel frying pan")
    assert codes == ["732393", "732399"]
