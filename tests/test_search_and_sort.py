"""Free-text search folds Persian variants; Persian names sort in Persian alphabetical order."""

from __future__ import annotations

import pytest

from peyvand.estates.models import County
from peyvand.matching.text import fold, search_terms, sort_key
from peyvand.units.models import ProductionUnit

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["ريخته گري", "ریخته‌گری", "ریختهگری", "ریخته  گری", "ريخته‌گري آلومينيوم", "ریخته"],
)
def test_search_finds_a_unit_whatever_letters_and_spaces_are_typed(estate_a, query) -> None:
    target = UnitFactory(estate=estate_a, name="ریخته‌گری آلومینیوم گیلان", description="قطعات دایکست")
    UnitFactory(estate=estate_a, name="چاپ و بسته‌بندی کاسپین")
    found = ProductionUnit.objects.search(search_terms(query))
    assert list(found) == [target]


def test_search_matches_persian_and_arabic_indic_digits(estate_a) -> None:
    target = UnitFactory(estate=estate_a, name="تولیدی لوله ۱۱۰ میلیمتری")
    assert list(ProductionUnit.objects.search(search_terms("لوله 110"))) == [target]
    assert list(ProductionUnit.objects.search(search_terms("لوله ١١٠"))) == [target]


def test_the_units_list_search_box_uses_the_same_folding(client, manager, estate_a) -> None:
    UnitFactory(estate=estate_a, name="ریخته‌گری آلومینیوم گیلان")
    UnitFactory(estate=estate_a, name="کارخانه چای")
    client.force_login(manager)
    response = client.get("/units/", {"q": "ريخته گري"})
    assert response.status_code == 200
    assert "ریخته‌گری آلومینیوم گیلان" in response.text
    assert "کارخانه چای" not in response.text


def test_fold_is_idempotent_and_ignores_case() -> None:
    assert fold(fold("Die-Casting ریخته‌گری")) == fold("die casting ريخته گري")


def test_persian_letters_sort_in_persian_order() -> None:
    names = ["گیلان", "کاسپین", "ژیوار", "زیبا", "چمران", "جنگل", "پارس", "بهار", "آرمان", "یاس", "شالیزار"]
    expected = [
        "آرمان",
        "بهار",
        "پارس",
        "جنگل",
        "چمران",
        "زیبا",
        "ژیوار",
        "شالیزار",
        "کاسپین",
        "گیلان",
        "یاس",
    ]
    assert sorted(names, key=sort_key) == expected


def test_the_database_sorts_persian_names_the_same_way(estate_a) -> None:
    for name in ["گلسار", "کوثر", "ژاله", "زرین", "چوبینه", "جهان", "پیوند", "برنا"]:
        UnitFactory(estate=estate_a, name=name)
    ordered = list(ProductionUnit.objects.order_by("sort_name").values_list("name", flat=True))
    assert ordered == ["برنا", "پیوند", "جهان", "چوبینه", "زرین", "ژاله", "کوثر", "گلسار"]


def test_counties_are_listed_alphabetically() -> None:
    names = list(County.objects.values_list("name", flat=True))
    assert names[0] == "آستارا"
    assert names.index("رشت") < names.index("سیاهکل") < names.index("لاهیجان")
