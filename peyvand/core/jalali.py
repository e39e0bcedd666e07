"""Jalali dates and Persian digits at the edges: display, parsing, form field.

Models keep Gregorian ``DateField`` values; this module turns them into Jalali text with Persian digits
when the active language is Persian (Gregorian with Latin digits in English), and turns what people
type — ``۱۴۰۵/۰۲/۱۰``, ``1405-2-10``, ``١٤٠٥.٢.١٠``, ``10/2/1405`` or a Gregorian ``2026-04-30`` — into a
``datetime.date``, refusing impossible dates by name.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from peyvand.core.limits import (
    DATE_MAX,
    DATE_MIN,
    JALALI_YEARS,
    date_range_params,
    finite_number,
    in_date_range,
)
from peyvand.matching.text import to_ascii_digits

_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
JALALI_MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)


def is_persian(language: str | None = None) -> bool:
    return (language or get_language() or "fa").startswith("fa")


def persian_digits(value: object) -> str:
    """ASCII digits of ``value`` as Persian digits (other characters untouched)."""
    return str(value).translate(_TO_PERSIAN)


def localize_digits(value: object, language: str | None = None) -> str:
    text = str(value)
    return persian_digits(text) if is_persian(language) else to_ascii_digits(text)


def format_number(value: object, decimals: int = 0, language: str | None = None) -> str:
    """A number with thousands separators; Persian digits and separators (٬ ٫) in Persian."""
    if value is None or value == "":
        return ""
    number = finite_number(value)
    if number is None:
        return str(value)
    text = f"{number:,.{decimals}f}"
    if is_persian(language):
        return persian_digits(text.replace(",", "٬").replace(".", "٫"))
    return text


_SCALES = (
    (10**12, gettext_lazy("trillion")),
    (10**9, gettext_lazy("billion")),
    (10**6, gettext_lazy("million")),
)


def format_money(
    rial: int | None, unit: str = "toman", language: str | None = None, compact: bool = False
) -> str:
    """A rial amount in the user's preferred unit (VOCABULARY: stored in rial, shown in toman by default).

    ``compact`` writes large amounts with a scale word (۱۳۷٫۶ میلیارد تومان) for headline figures.
    """
    if rial is None or rial == "":
        return ""
    number = finite_number(rial)
    if number is None:
        return str(rial)  # a stored value no page can format is shown as it is, never an error
    amount = int(number) if unit == "rial" else int(number) // 10
    label = _("rial") if unit == "rial" else _("toman")
    scaled = _scaled(amount, language) if compact else None
    return f"{scaled or format_number(amount, language=language)} {label}"


def _scaled(amount: float, language: str | None) -> str | None:
    """``amount`` with a scale word (۱۳۷٫۶ میلیارد, 2.8 billion) when it reaches a million, else None."""
    for scale, word in _SCALES:
        if abs(amount) >= scale:
            return f"{format_number(amount / scale, decimals=1, language=language)} {word}"
    return None


def format_dollars(value: float, language: str | None = None, compact: bool = False) -> str:
    """US dollars: ``$2,810,221,080``; ``compact`` for headline figures: ``$2.8 billion`` in English,
    ``۲٫۸ میلیارد دلار`` in Persian (a card's width holds it)."""
    scaled = _scaled(value, language) if compact else None
    if scaled is None:
        return "$" + format_number(value, language=language)
    return f"{scaled} {_('USD')}" if is_persian(language) else f"${scaled}"


def to_jalali(value: dt.date) -> jdatetime.date:
    """The Jalali date of ``value``; raises ValueError past what jdatetime holds (see ``format_date``)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return jdatetime.date.fromgregorian(date=value)


def format_date(value: dt.date | None, style: str = "short", language: str | None = None) -> str:
    """``۱۴۰۵/۰۲/۱۰`` / ``۱۰ اردیبهشت ۱۴۰۵`` in Persian, ``2026-04-30`` / ``30 Apr 2026`` in English."""
    if value is None or value == "":
        return ""
    if not in_date_range(value):
        # Outside the Jalali years 1300–1500 (stored before the ranges held): Gregorian, never an error.
        plain = value.date() if isinstance(value, dt.datetime) else value
        return localize_digits(plain.isoformat(), language)
    if is_persian(language):
        jdate = to_jalali(value)
        if style == "long":
            return persian_digits(f"{jdate.day} {JALALI_MONTHS[jdate.month - 1]} {jdate.year}")
        if style == "month":
            return persian_digits(f"{JALALI_MONTHS[jdate.month - 1]} {jdate.year}")
        return persian_digits(f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}")
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if style == "long":
        return value.strftime("%-d %b %Y")
    if style == "month":
        return value.strftime("%b %Y")
    return value.isoformat()


def format_datetime(value: dt.datetime | None, language: str | None = None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return (
        f"{format_date(local.date(), language=language)} {localize_digits(local.strftime('%H:%M'), language)}"
    )


def jalali_text(value: dt.date | None) -> str:
    """Jalali date as ASCII text ``1405/02/10`` — for exports and form inputs."""
    if value is None:
        return ""
    if not in_date_range(value):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    jdate = to_jalali(value)
    return f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}"


class DateParseError(ValueError):
    """A typed date that cannot be read or does not exist; ``str()`` is a message for the user."""


_SEPARATORS = re.compile(r"\s*[/\-.\\_,،]\s*|\s+")


def parse_date(text: str | dt.date | None) -> dt.date | None:
    """Read a Jalali or Gregorian date typed in any of the usual ways; ``None`` for empty input.

    Year first (``1405/2/10``) or day first (``10/02/1405``); years from 1700 up are Gregorian, years
    below are Jalali; two-digit years are refused as ambiguous.
    """
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = to_ascii_digits(str(text)).strip().strip("\u200e\u200f")
    if not raw:
        return None
    year, month, day = _year_month_day(raw, text)
    if year >= 1700:
        return _gregorian_date(year, month, day, text)
    return _jalali_date(year, month, day, text)


def _year_month_day(raw: str, text: object) -> tuple[int, int, int]:
    """The three numbers of a typed date, year first or day first (``20260501`` too); the month checked."""
    parts = [part for part in _SEPARATORS.split(raw) if part]
    # ``isdecimal``, not ``isdigit``: "²" is a digit to Python but no number to ``int`` (a server error).
    if len(parts) == 1 and len(parts[0]) == 8 and parts[0].isdecimal():
        parts = [parts[0][:4], parts[0][4:6], parts[0][6:]]
    if len(parts) != 3 or not all(part.isdecimal() for part in parts):
        raise DateParseError(_("“%(value)s” is not a date. Type it like 1405/02/10.") % {"value": text})
    if len(parts[0]) == 4:
        year, month, day = (int(part) for part in parts)
    elif len(parts[2]) == 4:
        day, month, year = (int(part) for part in parts)
    else:
        raise DateParseError(
            _("“%(value)s”: write the year with four digits, like 1405/02/10.") % {"value": text}
        )
    if not 1 <= month <= 12:
        raise DateParseError(
            _("“%(value)s” has no month %(month)d: months run from 1 to 12.")
            % {"value": text, "month": month}
        )
    return year, month, day


def _gregorian_date(year: int, month: int, day: int, text: object) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise DateParseError(
            _("“%(value)s” does not exist: that month has no day %(day)d.") % {"value": text, "day": day}
        ) from None
    if not DATE_MIN <= result <= DATE_MAX:
        raise DateParseError(_out_of_range(text))
    return result


def _jalali_date(year: int, month: int, day: int, text: object) -> dt.date:
    if not JALALI_YEARS[0] <= year <= JALALI_YEARS[1]:
        raise DateParseError(_out_of_range(text))
    month_length = (
        31 if month <= 6 else 30 if month <= 11 else (30 if jdatetime.date(year, 1, 1).isleap() else 29)
    )
    if not 1 <= day <= month_length:
        raise DateParseError(
            _("“%(value)s” does not exist: %(month)s %(year)d has %(length)d days.")
            % {
                "value": text,
                "month": JALALI_MONTHS[month - 1] if is_persian() else JALALI_MONTHS_EN[month - 1],
                "year": year,
                "length": month_length,
            }
        )
    return jdatetime.date(year, month, day).togregorian()


def _out_of_range(text: object) -> str:
    return _(
        "“%(value)s” is out of range: enter a date between the years %(first)s and %(last)s (Jalali)."
    ) % {
        "value": text,
        **date_range_params(),
    }


class JalaliDateInput(forms.TextInput):
    """A text input showing the Jalali date; the vendored date picker attaches to ``data-jdp``."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        base = {
            "data-jdp": "",
            "autocomplete": "off",
            "inputmode": "numeric",
            "dir": "ltr",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: object) -> str | None:
        if isinstance(value, dt.date):
            return jalali_text(value) if is_persian() else value.isoformat()
        return None if value in (None, "") else str(value)

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        """Persian: Jalali text with the Jalali date picker; English: ISO Gregorian dates."""
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if is_persian():
            # A hint in the reader's digits that cannot pass for a filled-in value.
            widget_attrs.setdefault("placeholder", "مثلاً ۱۴۰۵/۰۲/۱۰")
        else:
            widget_attrs.pop("data-jdp", None)
            widget_attrs.setdefault("placeholder", "e.g. 2026-04-30")
        return context


class JalaliDateField(forms.DateField):
    """A date field that accepts Jalali (and Gregorian) dates typed the usual ways."""

    widget = JalaliDateInput
    default_error_messages = {"invalid": gettext_lazy("Enter a valid date, like 1405/02/10.")}

    def to_python(self, value: object) -> dt.date | None:
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)  # type: ignore[arg-type]
        except DateParseError as exc:
            # The message quotes what was typed (maybe a "%"): passed as a parameter, never as the format.
            raise forms.ValidationError("%(message)s", code="invalid", params={"message": str(exc)}) from None

    def prepare_value(self, value: object) -> object:
        if isinstance(value, dt.date):
            return jalali_text(value) if is_persian() else value.isoformat()
        return value
