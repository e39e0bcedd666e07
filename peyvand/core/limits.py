"""The ranges every stored number, date and free text keeps: what the database, the Jalali calendar and
the formatting can hold. Model validators, form fields, imports and services all read them here, so a
value that one door refuses is refused by every door (a year 9999 or a 30-digit amount once broke pages).

* dates: Jalali years 1300–1500 (1921-03-21 … 2122-03-20);
* money in rial up to a thousand trillion (10^15, far above any contract; sums of thousands still fit a
  64-bit integer), dollars up to ten billion, quantities and capacities up to a hundred billion;
* shares 0–100 %, jobs and employees up to a million, lead times up to ten years;
* free text: a note or reason 2,000 characters, a description or request text 10,000.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

JALALI_YEARS = (1300, 1500)
DATE_MIN = dt.date(1921, 3, 21)  # 1300/01/01
DATE_MAX = dt.date(2122, 3, 20)  # 1500/12/29, the last day of 1500

MAX_RIAL = 10**15
MAX_USD = 10**10
MAX_QUANTITY = 10**11
MAX_AREA_HA = 10**6
MAX_AREA_M2 = 10**9
MAX_PEOPLE = 10**6  # employees of a unit, jobs a linkage created
MAX_LEAD_DAYS = 3650
MAX_SHARE = 100

NOTE_LENGTH = 2000  # notes, reasons, decisions, messages
TEXT_LENGTH = 10000  # request texts, descriptions, evidence

SEARCH_LENGTH = 200  # characters of a search box
SEARCH_TERMS = 12  # words of a search box


def finite_number(value: Any) -> Decimal | None:
    """``value`` as a finite Decimal; ``None`` for NaN, infinities and what is not a number at all."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


@deconstructible
class NumberRange:
    """A number from ``minimum`` to ``maximum`` (both included); NaN and infinities are refused."""

    message = _("Enter a number from %(minimum)s to %(maximum)s.")
    code = "out_of_range"

    def __init__(self, minimum: int | Decimal, maximum: int | Decimal) -> None:
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        number = finite_number(value)
        if number is None or not self.minimum <= number <= self.maximum:
            from peyvand.core.jalali import format_number

            raise ValidationError(
                self.message,
                code=self.code,
                params={"minimum": format_number(self.minimum), "maximum": format_number(self.maximum)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberRange) and (self.minimum, self.maximum) == (
            other.minimum,
            other.maximum,
        )


@deconstructible
class DateRange:
    """A date within the Jalali years 1300–1500, what the calendar and every page can show."""

    message = _("Enter a date between the years %(first)s and %(last)s (Jalali).")
    code = "out_of_range"

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date) or not DATE_MIN <= value <= DATE_MAX:
            raise ValidationError(self.message, code=self.code, params=date_range_params())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange)


def date_range_params() -> dict[str, str]:
    from peyvand.core.jalali import localize_digits

    return {"first": localize_digits(JALALI_YEARS[0]), "last": localize_digits(JALALI_YEARS[1])}


def in_date_range(value: dt.date | None) -> bool:
    return (
        value is None or DATE_MIN <= (value.date() if isinstance(value, dt.datetime) else value) <= DATE_MAX
    )


def money() -> list[NumberRange]:
    """Validators of an amount in rial."""
    return [NumberRange(0, MAX_RIAL)]


def share() -> list[NumberRange]:
    return [NumberRange(0, MAX_SHARE)]


def note_length() -> list[MaxLengthValidator]:
    return [MaxLengthValidator(NOTE_LENGTH)]


def text_length() -> list[MaxLengthValidator]:
    return [MaxLengthValidator(TEXT_LENGTH)]


def check_values(model: type, **values: Any) -> dict[str, Any]:
    """Clean ``values`` with the validators of ``model``'s fields (range, length, choices) before a
    service writes them; raises one ValidationError naming every bad field (not tied to a form's
    fields, so any view can show it), and the service writes nothing."""
    errors: list[str] = []
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if value in (None, "") and field.blank:
            cleaned[name] = value
            continue
        try:
            cleaned[name] = field.clean(value, None)
        except ValidationError as error:
            errors.append(f"«{field.verbose_name}»: {error.messages[0]}")  # the first reason is enough
    if errors:
        raise ValidationError(errors)
    return cleaned


def form_field(model: type, name: str, **kwargs: Any) -> Any:
    """The form field of ``model.name``, optional, carrying the model field's validators (range, length),
    for plain forms that write a model's fields through a service."""
    field = model._meta.get_field(name)
    form_field = field.formfield(required=False, **kwargs)
    form_field.validators = [*form_field.validators, *field.validators]
    return form_field
