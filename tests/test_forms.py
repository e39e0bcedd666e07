"""Forms accept numbers the way Persian users type them."""

from __future__ import annotations

import pytest

from peyvand.core.forms import plain_number
from peyvand.estates.forms import PlotForm


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("۱۲٬۵۰۰", "12500"), ("١٢,٥٠٠", "12500"), ("12،500", "12500"), ("۲۵۰۰٫۵", "2500.5"), (" 42 ", "42")],
)
def test_numbers_typed_with_persian_digits_and_separators_are_read(typed, plain) -> None:
    assert plain_number(typed) == plain


@pytest.mark.django_db
def test_a_plot_area_typed_in_persian_is_saved(estate_a) -> None:
    form = PlotForm({"number": "۱۲", "area_m2": "۲٬۵۰۰٫۵", "state": "free"}, estate=estate_a)
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["area_m2"]) == "2500.5"
    assert form.cleaned_data["number"] == "12"
    assert 'inputmode="decimal"' in str(form["area_m2"])
