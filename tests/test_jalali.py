"""Jalali dates and Persian digits at the edges (core/jalali.py)."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from peyvand.core import jalali
from peyvand.core.jalali import DateParseError, JalaliDateField, parse_date

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(st.dates(min_value=dt.date(1922, 3, 21), max_value=dt.date(2120, 3, 20)))
@settings(max_examples=300, deadline=None)
def test_a_date_survives_the_round_trip_through_jalali_text(day: dt.date) -> None:
    assert parse_date(jalali.jalali_text(day)) == day


@given(st.dates(min_value=dt.date(1922, 3, 21), max_value=dt.date(2120, 3, 20)))
@settings(max_examples=200, deadline=None)
def test_every_way_people_type_a_date_reads_the_same(day: dt.date) -> None:
    j = jdatetime.date.fromgregorian(date=day)
    forms = [
        f"{j.year}/{j.month:02d}/{j.day:02d}",
        f"{j.year}/{j.month}/{j.day}",
        f"{j.year}-{j.month}-{j.day}",
        f"{j.year}.{j.month:02d}.{j.day:02d}",
        f"{j.day:02d}/{j.month:02d}/{j.year}",
        f"{j.year}/{j.month:02d}/{j.day:02d}".translate(PERSIAN),
        f"{j.year}-{j.month}-{j.day}".translate(ARABIC_INDIC),
        f" {j.year} / {j.month} / {j.day} ",
        day.isoformat(),
    ]
    assert {parse_date(text) for text in forms} == {day}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۵/۰۲/۱۰", dt.date(2026, 4, 30)),
        ("1405-2-10", dt.date(2026, 4, 30)),
        ("١٤٠٥/٢/١٠", dt.date(2026, 4, 30)),
        ("1405/01/01", dt.date(2026, 3, 21)),
        ("1403/12/30", dt.date(2025, 3, 20)),  # 1403 is a leap year
        ("14050210", dt.date(2026, 4, 30)),
        ("2026-04-30", dt.date(2026, 4, 30)),
    ],
)
def test_known_dates_are_read_correctly(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1402/13/40", "month"),
        ("1404/12/30", "29"),  # 1404 is not a leap year
        ("1405/07/31", "30"),
        ("1405/02/00", "days"),
        ("2026-02-30", "day"),
        ("05/02/10", "four digits"),
        ("فردا", "not a date"),
        ("1405/02", "not a date"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text: str, fragment: str) -> None:
    with translation.override("en"), pytest.raises(DateParseError) as error:
        parse_date(text)
    assert fragment in str(error.value)
    assert text in str(error.value)


def test_the_refusal_is_in_persian_in_the_persian_interface() -> None:
    with translation.override("fa"), pytest.raises(DateParseError) as error:
        parse_date("1404/12/30")
    assert "اسفند" in str(error.value)


def test_the_form_field_turns_typed_jalali_into_a_date_and_shows_it_back() -> None:
    field = JalaliDateField()
    assert field.clean("۱۴۰۵/۰۲/۱۰") == dt.date(2026, 4, 30)
    assert field.prepare_value(dt.date(2026, 4, 30)) == "1405/02/10"
    with pytest.raises(Exception, match="1402/13/40"):
        field.clean("1402/13/40")


def test_the_date_fields_hint_is_written_as_the_reader_writes_dates() -> None:
    field = JalaliDateField()
    with translation.override("fa"):
        persian = field.widget.render("deadline", None)
    with translation.override("en"):
        english = field.widget.render("deadline", None)
    assert 'placeholder="مثلاً ۱۴۰۵/۰۲/۱۰"' in persian
    assert "data-jdp" in persian
    assert 'placeholder="e.g. 2026-04-30"' in english
    assert "data-jdp" not in english


def test_dates_show_in_jalali_with_persian_digits_in_persian_and_gregorian_in_english() -> None:
    day = dt.date(2026, 4, 30)
    with translation.override("fa"):
        assert jalali.format_date(day) == "۱۴۰۵/۰۲/۱۰"
        assert jalali.format_date(day, "long") == "۱۰ اردیبهشت ۱۴۰۵"
    with translation.override("en"):
        assert jalali.format_date(day) == "2026-04-30"
        assert jalali.format_date(day, "long") == "30 Apr 2026"


def test_numbers_use_persian_digits_and_separators_in_persian() -> None:
    with translation.override("fa"):
        assert jalali.format_number(1234567) == "۱٬۲۳۴٬۵۶۷"
        assert jalali.format_number(12.5, decimals=1) == "۱۲٫۵"
    with translation.override("en"):
        assert jalali.format_number(1234567) == "1,234,567"


def test_a_headline_dollar_figure_is_written_with_a_scale_word_that_fits_a_card() -> None:
    """The direct exports card at 100,000 units read «$۲٬۸۱۰٬۲۲۱٬۰۸۰» and broke over two lines."""
    with translation.override("fa"):
        assert jalali.format_dollars(2_810_221_080, compact=True) == "۲٫۸ میلیارد دلار"
        assert jalali.format_dollars(2_810_221_080) == "$۲٬۸۱۰٬۲۲۱٬۰۸۰"  # in full where asked (tables)
        assert jalali.format_dollars(950_000, compact=True) == "$۹۵۰٬۰۰۰"
    with translation.override("en"):
        assert jalali.format_dollars(2_810_221_080, compact=True) == "$2.8 billion"
        assert jalali.format_dollars(12_500_000, compact=True) == "$12.5 million"
