"""Cell parsers of the import engine: what people type in sheets is read, or refused by name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from peyvand.imports import parsing
from peyvand.units.importers import status_table

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۱۲۰", 120),
        ("١٢٠", 120),
        ("1,250", 1250),
        ("۱٬۲۵۰", 1250),
        ("1،250", 1250),
        (" 12 500 ", 12500),
        (1200.0, 1200),
        (35, 35),
    ],
)
def test_whole_numbers_are_read_in_every_digit_set_and_separator(typed, expected) -> None:
    assert parsing.integer(typed) == expected


@pytest.mark.parametrize(("typed", "expected"), [("۲/۵", "2.5"), ("1,250.75", "1250.75"), ("۱۲٫۵", "12.5")])
def test_decimals_accept_the_persian_decimal_marks(typed, expected) -> None:
    assert parsing.decimal(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["ده", "12 kg", "1,2345", "12.5"])
def test_what_is_not_a_whole_number_is_refused_naming_the_value(typed) -> None:
    with translation.override("en"), pytest.raises(parsing.CellError) as error:
        parsing.integer(typed)
    assert f"“{typed}”" in str(error.value)


@pytest.mark.parametrize(
    "typed", ["1402/5/17", "۱۴۰۲-۰۵-۱۷", "17/05/1402", "1402.05.17", "١٤٠٢/٠٥/١٧", "14020517", "2023-08-08"]
)
def test_jalali_and_gregorian_dates_are_read_as_people_type_them(typed) -> None:
    assert parsing.date(typed, today=TODAY) == dt.date(2023, 8, 8)


def test_an_excel_date_cell_is_a_date() -> None:
    assert parsing.date(dt.datetime(2023, 8, 8), today=TODAY) == dt.date(2023, 8, 8)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1402/13/40", "month 13"),
        ("1402/12/30", "29 days"),
        ("1403/07/31", "30 days"),
        ("02/5/17", "four digits"),
    ],
)
def test_impossible_dates_are_refused_by_name(typed, words) -> None:
    with translation.override("en"), pytest.raises(parsing.CellError) as error:
        parsing.date(typed, today=TODAY)
    assert words in str(error.value)
    assert typed in str(error.value)


def test_a_date_in_the_future_is_refused() -> None:
    with translation.override("en"), pytest.raises(parsing.CellError, match="future"):
        parsing.date("1406/01/01", today=TODAY)


@pytest.mark.parametrize("typed", ["بله", "بلی", "دارد", "yes", "Yes", "1", 1, True, "✓", "✔"])
def test_yes_is_understood_in_both_languages(typed) -> None:
    assert parsing.yes_no(typed) is True


@pytest.mark.parametrize("typed", ["خیر", "نه", "ندارد", "no", "NO", "0", 0, False, "✗"])
def test_no_is_understood_in_both_languages(typed) -> None:
    assert parsing.yes_no(typed) is False


def test_a_word_that_is_neither_yes_nor_no_is_refused() -> None:
    with translation.override("en"), pytest.raises(parsing.CellError, match="not yes or no"):
        parsing.yes_no("شاید")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("operating", "operating"),
        ("فعال", "operating"),
        ("دایر", "operating"),
        ("در حال بهره برداری", "operating"),
        ("در حال بهره‌برداری", "operating"),
        ("active", "operating"),
        ("Running", "operating"),
        ("خوابیده", "idle"),
        ("راكد", "idle"),
        ("نیمه فعال", "semi_active"),
        ("semi-active", "semi_active"),
        ("خلع ید", "land_repossessed"),
        ("در دست احداث", "under_construction"),
        ("منحل", "closed"),
    ],
)
def test_statuses_are_read_by_code_label_or_synonym(typed, code) -> None:
    assert status_table()(typed) == code


def test_an_unknown_status_lists_the_ones_that_exist() -> None:
    with translation.override("en"), pytest.raises(parsing.CellError) as error:
        status_table()("نیمه‌جان")
    assert "“نیمه‌جان”" in str(error.value)
    assert "idle" in str(error.value)


@pytest.mark.parametrize(
    ("typed", "options", "expected"),
    [
        ("10.61", {"lengths": (4,)}, "1061"),
        ("۱۰۶۱", {"lengths": (4,)}, "1061"),
        (10.61, {"lengths": (4,)}, "1061"),
        (111, {"lengths": (4,)}, "0111"),
        ("8481 80", {"even": True}, "848180"),
        (8481.8, {"even": True}, "848180"),
        ("7325", {"even": True}, "7325"),
    ],
)
def test_isic_and_hs_codes_are_read_with_dots_spaces_or_lost_zeros(typed, options, expected) -> None:
    assert parsing.code(typed, **options) == expected


def test_text_is_trimmed_and_normalised() -> None:
    assert parsing.text("  ريخته   گري   كاسپين  ") == "ریخته گری کاسپین"
    assert parsing.text("ریخته \u200cگری") == parsing.text("ریخته\u200c\u200cگری") == "ریخته\u200cگری"


def test_the_export_formula_guard_is_undone_on_import() -> None:
    assert parsing.text("'=SUM(A1)") == "=SUM(A1)"
    assert parsing.text("'-12") == "-12"


def test_names_are_found_in_either_language_with_or_without_the_estate_prefix() -> None:
    lookup = parsing.NameLookup("estate")
    lookup.add("A", "شهرک صنعتی سپیدرود", "Sepidrud Industrial Estate", codes=["sepidrud"])
    lookup.add("B", "ناحیه صنعتی سپیدرود شرقی", "")
    assert lookup.find("سپيدرود") == "A"
    assert lookup.find("sepidrud industrial estate") == "A"
    assert lookup.find("SEPIDRUD") == "A"
    assert lookup.find("شهرک‌صنعتی سپیدرود") == "A"


@given(st.integers(min_value=0, max_value=10**12))
def test_a_number_written_the_persian_way_reads_back(number) -> None:
    from peyvand.core.jalali import format_number

    assert parsing.integer(format_number(number, language="fa")) == number
    assert parsing.integer(format_number(number, language="en")) == number
