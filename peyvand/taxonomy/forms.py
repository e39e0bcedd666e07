"""The one HS-code input of every product form (unit products, export records, buyers' inputs, requests):
a short text box for the code, the chosen code's text under it, and the codes suggested from the
product's name as the user types (htmx, ``trade:hs_suggest``; one click fills the code). Without
JavaScript the user types the code and the field's validation says what is wrong, in Persian or English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.matching.hs import HSDataError, Nomenclature, load_nomenclature
from peyvand.matching.text import to_ascii_digits

from .choices import Level, Scheme
from .loaders import Node, upsert
from .models import Classification

# Separators people type inside a code: 0902.40, 0902 40, 09-02-40, a half-space.
_SEPARATORS = re.compile(r"[\s.\-_/\u200c\u066b\u066c]")

FORMAT_MESSAGES = {
    (6,): _("An HS code has six digits (a subheading of HS 2022)."),
    (6, 8): _("An HS code has six digits (a subheading of HS 2022), or eight for a national tariff line."),
    (4, 6, 8): _(
        "An HS code has six digits (a subheading of HS 2022), eight for a national tariff line "
        "or four for a heading."
    ),
}


def normalise_hs_code(value: Any) -> str:
    """The code as typed, with Persian or Arabic digits made Latin and separators removed."""
    return _SEPARATORS.sub("", to_ascii_digits(str(value or ""))).strip()


@cache
def _official_table() -> Nomenclature | None:
    """The official HS 2022 table (../shared/data/hs2022, read once per process), or None."""
    try:
        return load_nomenclature()
    except HSDataError:
        return None


def find_classification(code: str, *, add_from_official: bool = False) -> Classification | None:
    """The HS 2022 row for a 4-digit heading or the 6-digit subheading of a 6- or 8-digit code. With
    ``add_from_official``, a subheading of the official table missing from the database (which may hold
    only the project's short list) is added to it, with its official text."""
    key = code if len(code) == 4 else code[:6]
    row = Classification.objects.filter(scheme=Scheme.HS2022, code=key).first()
    if row is None and add_from_official and len(key) == 6:
        official = _official_table()
        entry = official.get(key) if official is not None else None
        heading = Classification.objects.filter(scheme=Scheme.HS2022, code=key[:4]).exists()
        if entry is not None and entry.level == 6 and heading:
            node = Node(key, Level.SUBHEADING, key[:4], entry.description_en, entry.name_fa)
            upsert(Scheme.HS2022, [node], keep_persian=True)
            row = Classification.objects.filter(scheme=Scheme.HS2022, code=key).first()
    return row


def known_in_list(code: str) -> bool | None:
    """Whether the code is in HS 2022: by the official table when it is here, else by the HS list loaded
    in the database; None when that heading's subheadings are not loaded (only the project's short list
    is), so that only the code's form can be checked."""
    official = _official_table()
    if official is not None:
        entry = official.get(code if len(code) == 4 else code[:6])
        return entry is not None and entry.level == min(len(code), 6)
    if find_classification(code) is not None:
        return True
    subheadings = Classification.objects.filter(scheme=Scheme.HS2022, level=Level.SUBHEADING)
    if len(code) == 4 or subheadings.filter(code__startswith=code[:4]).exists():
        return False
    heading_exists = Classification.objects.filter(scheme=Scheme.HS2022, code=code[:4]).exists()
    return None if heading_exists else False


def code_text(code: str) -> str:
    """The text shown under a code: its own name, else its heading's."""
    row = find_classification(code)
    if row is None and len(code) >= 6:
        row = Classification.objects.filter(scheme=Scheme.HS2022, code=code[:4]).first()
    return row.display_name if row is not None else ""


class HSCodeInput(forms.TextInput):
    """The HS-code box with its text and live suggestions. ``sources`` are the names (without the form's
    prefix) of the fields whose text the suggestions read; ``hints`` are sent as they are (``unit``:
    the unit whose ISIC class helps)."""

    template_name = "taxonomy/hs_code_input.html"

    def __init__(
        self, sources: Iterable[str] = ("name",), hints: Iterable[str] = (), attrs: dict | None = None
    ) -> None:
        base = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off", "maxlength": "14", "size": "14"}
        super().__init__(attrs={**base, **(attrs or {})})
        self.sources = tuple(sources)
        self.hints = tuple(hints)
        self.code_text = ""  # the text of the code shown (set by the field for the value it displays)
        self.fixed_hints: dict[str, Any] = {}  # hint values known on the server (a unit's id)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        attrs["class"] = f"{attrs.get('class', '')} num hs-code-input".strip()
        attrs["data-hs-input"] = ""
        code = normalise_hs_code(value)
        context["widget"].update(
            {
                "suggest_url": reverse("trade:hs_suggest"),
                "sources": " ".join(self.sources),
                "hints": " ".join(self.hints),
                "fixed_hints": " ".join(f"{key}={value}" for key, value in self.fixed_hints.items()),
                "code_text": self.code_text or (code_text(code) if code.isdigit() and len(code) >= 4 else ""),
            }
        )
        return context


class HSCodeField(forms.CharField):
    """An HS 2022 code: ``lengths`` digits (6; 8 for a national tariff line; 4 for a heading where a form
    takes one), Persian digits and separators accepted; ``known`` says whether a code exists (True,
    False, or None when it cannot tell)."""

    def __init__(
        self,
        *,
        lengths: tuple[int, ...] = (6,),
        known: Callable[[str], bool | None] | None = known_in_list,
        sources: Iterable[str] = ("name",),
        hints: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label", _("HS code"))
        kwargs.setdefault(
            "help_text", _("Type the code, or pick one of the codes suggested from the product.")
        )
        super().__init__(widget=HSCodeInput(sources=sources, hints=hints), **kwargs)
        self.lengths = lengths
        self.known = known

    def to_python(self, value: Any) -> str:
        return normalise_hs_code(super().to_python(value))

    def validate(self, value: str) -> None:
        super().validate(value)
        if not value:
            return
        if not value.isdigit() or len(value) not in self.lengths:
            raise forms.ValidationError(FORMAT_MESSAGES[self.lengths], code="hs_format")
        if self.known is not None and self.known(value) is False:
            if len(value) == 4:
                message = _("%(code)s is not a heading of HS 2022.")
            else:
                message = _("%(code)s is not a subheading of HS 2022.")
            raise forms.ValidationError(message, code="hs_unknown", params={"code": value[:6]})
