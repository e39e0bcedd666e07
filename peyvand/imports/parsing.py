"""Cell parsers shared by every import: what people type in sheets, read into clean values.

Each parser takes the raw cell value (text, number, date or bool, as openpyxl or the CSV reader gives
it) and returns a clean Python value, ``None`` for an empty cell, or raises :class:`CellError` whose
``str()`` is a message for the user in the active language, naming the value.

* digits: Persian (۰-۹), Arabic-Indic (٠-٩) and Latin; thousands separators ٬ , ، and spaces;
* dates: Jalali and Gregorian as people type them (``core.jalali.parse_date``), Excel date cells;
* yes/no in both languages (بله/خیر, دارد/ندارد, yes/no, 1/0, ✓);
* choices by code, Persian or English label, or a synonym (:class:`ChoiceTable`), after ``fold``;
* ISIC and HS codes with dots or spaces (``10.61`` → ``1061``, ``8481 80`` → ``848180``);
* text trimmed, Arabic letters and half-space variants normalised (``matching.text.normalize``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.core import limits, validators
from peyvand.core.exports import FORMULA_PREFIXES
from peyvand.core.jalali import DateParseError, format_number, parse_date
from peyvand.matching.text import fold, normalize, to_ascii_digits


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the message shown to the user."""


_INVISIBLE = " \t\r\n\u00a0\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and not value.strip(_INVISIBLE)


def display(value: Any) -> str:
    """The cell as the user typed it, for messages and reports."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text(value: Any, *, max_length: int | None = None) -> str:
    """Trimmed, normalised text ("" for an empty cell); an export's formula guard (a leading ') is undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = display(value)
    result = normalize(str(value))
    if len(result) > 1 and result[0] == "'" and result[1] in FORMULA_PREFIXES:
        result = result[1:]
    if max_length is not None and len(result) > max_length:
        raise CellError(
            _("The text is %(length)d characters long; at most %(max)d fit here.")
            % {"length": len(result), "max": max_length}
        )
    return result


_THOUSANDS = re.compile(r"(?<=\d)[,٬،'’\s\u066c\u200c](?=\d{3}(?:\D|$))")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _number_text(value: Any) -> str:
    raw = to_ascii_digits(normalize(str(value))).replace("\u066b", ".").replace("٫", ".")
    raw = raw.replace("\u2212", "-").strip()
    raw = _THOUSANDS.sub("", raw)
    # A slash between digits is the Persian decimal mark (۲/۵ = 2.5) when nothing else is.
    if raw.count("/") == 1 and "." not in raw and re.fullmatch(r"\d+/\d+", raw):
        raw = raw.replace("/", ".")
    return raw.replace(" ", "")


def decimal(
    value: Any,
    *,
    minimum: Decimal | int | None = None,
    positive: bool = False,
    maximum: Decimal | int = limits.MAX_RIAL,
) -> Decimal | None:
    """A number typed with any digits and separators (``۱۲٬۵۰۰``, ``1,250.5``, ``۲/۵``), at most
    ``maximum`` (by default the largest amount Peyvand stores); NaN and infinities are refused."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": display(value)})
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raw = _number_text(value)
        if not _NUMBER.fullmatch(raw):
            raise CellError(_("“%(value)s” is not a number.") % {"value": display(value)})
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": display(value)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": display(value)})
    if number > maximum:
        raise CellError(
            _("“%(value)s” is too large: at most %(maximum)s.")
            % {"value": display(value), "maximum": format_number(maximum)}
        )
    if positive and number <= 0:
        raise CellError(_("“%(value)s” must be more than zero.") % {"value": display(value)})
    if minimum is not None and number < minimum:
        raise CellError(
            _("“%(value)s” must be at least %(minimum)s.") % {"value": display(value), "minimum": minimum}
        )
    return number


def integer(value: Any, *, minimum: int | None = None, maximum: int = limits.MAX_RIAL) -> int | None:
    """A whole number (``۱۲۰``, ``1,200``, ``1200.0``); fractions are refused."""
    number = decimal(value, maximum=maximum)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": display(value)})
    result = int(number)
    if minimum is not None and result < minimum:
        raise CellError(
            _("“%(value)s” must be at least %(minimum)s.") % {"value": display(value), "minimum": minimum}
        )
    return result


def date(value: Any, *, allow_future: bool = False, today: dt.date | None = None) -> dt.date | None:
    """A Jalali or Gregorian date as people type it, or a date cell; impossible dates are refused by name."""
    if is_blank(value):
        return None
    result: dt.date | None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            result = parse_date(str(value))
        except DateParseError as error:
            raise CellError(str(error)) from None
    if result is None:
        return None
    if not allow_future and result > (today or dt.date.today()):
        raise CellError(_("“%(value)s” is in the future.") % {"value": display(value)})
    return result


_YES = frozenset(
    fold(word)
    for word in (
        "بله",
        "بلی",
        "آری",
        "آره",
        "دارد",
        "هست",
        "است",
        "درست",
        "صحیح",
        "yes",
        "y",
        "true",
        "t",
        "1",
        "✓",
        "✔",
        "☑",
        "✅",
        "x",
        "*",
    )
)
_NO = frozenset(
    fold(word)
    for word in (
        "خیر",
        "نه",
        "ندارد",
        "نیست",
        "نادرست",
        "غلط",
        "no",
        "n",
        "false",
        "f",
        "0",
        "✗",
        "✘",
        "☐",
        "❌",
        "-",
        "—",
    )
)


def yes_no(value: Any) -> bool | None:
    """Yes/no in Persian or English, 1/0, ✓/✗; ``None`` for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(str(value))
    if not key:
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(
        _("“%(value)s” is not yes or no. Write بله or خیر (yes or no).") % {"value": display(value)}
    )


class ChoiceTable:
    """Codes of a ``TextChoices`` class readable by code, Persian or English label, or synonym."""

    def __init__(
        self,
        choices: Any,
        synonyms: dict[str, Iterable[str]] | None = None,
        *,
        noun: str = "",
    ) -> None:
        self.choices = choices
        self.noun = noun
        self.keys: dict[str, str] = {}
        for code, label in choices.choices:
            self._add(code, code)
            self._add(code.replace("_", " "), code)
            for language in ("fa", "en"):
                with translation.override(language):
                    self._add(str(label), code)
        for code, words in (synonyms or {}).items():
            for word in words:
                self._add(word, code)

    def _add(self, word: str, code: str) -> None:
        key = fold(str(word))
        if key:
            self.keys.setdefault(key, code)

    def __call__(self, value: Any) -> str | None:
        if is_blank(value):
            return None
        code = self.keys.get(fold(text(value)))
        if code is None:
            options = "، ".join(str(label) for _code, label in self.choices.choices)
            raise CellError(
                _("“%(value)s” is not a known %(noun)s. Use one of: %(options)s.")
                % {"value": display(value), "noun": self.noun, "options": options}
            )
        return code


def code(value: Any, *, lengths: tuple[int, ...] = (), even: bool = False) -> str | None:
    """A classification code with dots, spaces or dashes removed (``10.61`` → ``1061``).

    Numbers typed into Excel lose their leading zero and their trailing zero after the dot
    (``0111`` → ``111``, ``8481.80`` → ``8481.8``): the decimals are padded to pairs and the leading
    zero restored when ``lengths`` (ISIC: 4) or ``even`` (HS: 4 or 6 digits) say how long codes are.
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, fraction = repr(value).partition(".")
        fraction = fraction + "0" * (len(fraction) % 2)
        raw = whole + fraction
    else:
        raw = to_ascii_digits(text(value))
        raw = re.sub(r"[\s.\-_/\\]", "", raw)
    if not raw.isdigit():
        raise CellError(_("“%(value)s” is not a code: use digits only.") % {"value": display(value)})
    if lengths and len(raw) + 1 in lengths and len(raw) not in lengths:
        raw = "0" + raw
    if even and len(raw) % 2:
        raw = "0" + raw
    if lengths and len(raw) not in lengths:
        raise CellError(
            _("“%(value)s” should have %(digits)s digits.")
            % {"value": display(value), "digits": _(" or ").join(str(length) for length in lengths)}
        )
    return raw


def digits_only(value: Any, *, length: int | None = None, noun: str = "") -> str | None:
    """An identifier of digits (a national ID), typed with any digit set, spaces or dashes."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = re.sub(r"[\s\-_.,،]", "", to_ascii_digits(text(value)))
    if not raw.isdigit() or (length is not None and len(raw) != length):
        raise CellError(
            _("“%(value)s” is not a valid %(noun)s: it should have %(length)d digits.")
            % {"value": display(value), "noun": noun, "length": length or 0}
        )
    return raw


def by_rule(rule: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A cell parser from a field's own rule (``core.validators``): the rule's message, naming the value,
    becomes the cell's, so a sheet and a form refuse the same value in the same words."""

    def parse(value: Any) -> Any:
        try:
            return rule(value)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None

    return parse


# A company's national ID, read by the rule every form and service asks.
company_national_id = by_rule(validators.clean_national_id)


def identifier(value: Any, *, max_length: int = 40) -> str | None:
    """A licence or plot number: normalised text with Latin digits, no surrounding spaces."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_ascii_digits(text(value, max_length=max_length)) or None


_LIST_SPLIT = re.compile(r"\s*(?:[;؛|\n،]|,(?!\d{3}))\s*")


def items(value: Any) -> list[str]:
    """A list typed in one cell, separated by ، ; ؛ | , or new lines."""
    if is_blank(value):
        return []
    raw = str(value)
    return [part for part in (text(piece) for piece in _LIST_SPLIT.split(raw)) if part]


# Words people write before (or after) the name of a place: «شهرک صنعتی X», «شهرستان X», «X Industrial Zone».
_NAME_PREFIXES = tuple(
    fold(prefix)
    for prefix in (
        "شهرک صنعتی",
        "شهرك صنعتي",
        "ناحیه صنعتی",
        "منطقه صنعتی",
        "شهرستان",
        "شهرک",
        "ناحیه",
        "industrial estate",
        "industrial zone",
        "industrial park",
        "estate",
        "zone",
        "county",
    )
)
GUESS_MIN_LENGTH = 4  # shorter names are too close to each other to guess a misspelling


class Noted:
    """A parsed value with a warning for the user (a guessed name): ``Row.get`` records the warning."""

    def __init__(self, value: Any, note: str) -> None:
        self.value, self.note = value, note


def unnoted(value: Any) -> Any:
    return value.value if isinstance(value, Noted) else value


def name_keys(*names: str) -> set[str]:
    """Folded keys a name can be found by: the whole name and, for estates, without «شهرک صنعتی»."""
    keys: set[str] = set()
    for name in names:
        key = fold(name)
        if not key:
            continue
        keys.add(key)
        for prefix in _NAME_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                keys.add(key[len(prefix) :])
            if key.endswith(prefix) and len(key) > len(prefix) + 1:
                keys.add(key[: -len(prefix)])
    return keys


def within_one_edit(first: str, second: str) -> bool:
    """True when one letter added, removed or replaced turns ``first`` into ``second`` (or they are equal)."""
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    index = 0
    while index < len(first) and first[index] == second[index]:
        index += 1
    if len(first) == len(second):
        return first[index + 1 :] == second[index + 1 :]
    return first[index:] == second[index + 1 :]


class NameLookup:
    """Find a record by any of its names (fa/en, code, other names it is known by), folded; ambiguous
    short forms are refused. With ``guess``, a name one letter away from exactly one record's name is
    read as that record, with a warning that names the guess."""

    def __init__(self, noun: str = "", *, guess: bool = False) -> None:
        self.noun = noun
        self.guess = guess
        self.exact: dict[str, Any] = {}
        self.loose: dict[str, list[Any]] = {}
        self.labels: dict[int, str] = {}

    def add(self, record: Any, *names: str, codes: Iterable[str] = (), aliases: Iterable[str] = ()) -> None:
        """``aliases``: other names the record is known by (an old name, the name with its county)."""
        aliases = tuple(aliases)
        for name in (*names, *codes, *aliases):
            key = fold(name)
            if key:
                self.exact.setdefault(key, record)
        for key in name_keys(*names, *aliases):
            bucket = self.loose.setdefault(key, [])
            if record not in bucket:
                bucket.append(record)
        self.labels.setdefault(id(record), next((name for name in names if name), str(record)))

    def _guesses(self, raw: str) -> list[Any]:
        typed = {key for key in name_keys(raw) if len(key) >= GUESS_MIN_LENGTH}
        found: list[Any] = []
        for key, records in self.loose.items():
            if len(key) < GUESS_MIN_LENGTH or not any(within_one_edit(key, each) for each in typed):
                continue
            for record in records:
                if record not in found:
                    found.append(record)
        return found

    def find(self, value: Any) -> Any | None:
        if is_blank(value):
            return None
        raw = text(value)
        key = fold(raw)
        if key in self.exact:
            return self.exact[key]
        candidates: list[Any] = []
        for loose in name_keys(raw):
            for record in self.loose.get(loose, []):
                if record not in candidates:
                    candidates.append(record)
        if not candidates and self.guess:
            guesses = self._guesses(raw)
            if len(guesses) == 1:
                guessed = self.labels.get(id(guesses[0]), str(guesses[0]))
                return Noted(
                    guesses[0],
                    _("“%(value)s” is not a known %(noun)s; read as “%(guess)s” — check it.")
                    % {"value": display(value), "noun": self.noun, "guess": guessed},
                )
            candidates = guesses
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise CellError(
                _("“%(value)s” could be several %(noun)s: %(names)s. Write the full name.")
                % {
                    "value": display(value),
                    "noun": self.noun,
                    "names": "، ".join(str(record) for record in candidates[:4]),
                }
            )
        raise CellError(
            _("“%(value)s” is not a known %(noun)s.") % {"value": display(value), "noun": self.noun}
        )
