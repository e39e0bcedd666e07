"""Reading a unit's certifications as Iranian registries write them.

One cell lists them («ISO 9001:2015، استاندارد ملی ۱۴۴۲۷، حلال، پروانه بهداشت، IRC ۱۲۳۴…»). Each one
is recognised by the common ways it is written — the national standard mark with the number of the
standard it was granted for, the Food and Drug Organization's health licence and IRC code, halal, GMP,
HSE, the ISO and ISO/IEC management-system standards (a bare «14001» after an ISO one is ISO too),
OHSAS, IATF, CE, HACCP… — and its number is kept. «ندارد» or «-» means none. A certification the
registry does not know never rejects the row: it is kept as written under the unverified "other"
certification, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from peyvand.imports import parsing
from peyvand.matching.text import fold, normalize, to_ascii_digits

from ..models import OTHER_CERTIFICATION, Certification


@dataclass(frozen=True)
class Certificate:
    """One certification read from a cell: which one, its number, and the text when it is unknown."""

    certification_id: int
    reference: str = ""
    as_written: str = ""


NONE_WORDS = frozenset(
    fold(word)
    for word in (
        "ندارد",
        "نداره",
        "ندارند",
        "فاقد",
        "فاقد گواهینامه",
        "هیچ",
        "-",
        "—",
        "none",
        "no",
        "n/a",
        "nil",
    )
)
_ISO = re.compile(
    r"^(?:iso|ایزو)\s*(?:/\s*(?:iec|ts)\s*)?[-:]?\s*(?P<number>\d{3,5})(?:\s*[-:/]\s*(?P<year>\d{4}))?\b"
)
_BARE_NUMBER = re.compile(r"^(?P<number>\d{4,5})(?:\s*[-:/]\s*(?P<year>\d{4}))?$")
_NATIONAL = re.compile(
    r"^(?:(?:پروانه|گواهی)\s*(?:کاربرد|کاربری)?\s*)?(?:نشان|علامت|مهر)?\s*(?:استاندارد|inso|isiri)"
    r"(?:\s*(?:ملی|اجباری|ایران|تشویقی))*(?:\s*(?:ایران))?\s*(?:شماره|به\s*شماره|ش\.)?\s*[:\-]?\s*(?P<number>\d+)?$"
)
_DIGITS = re.compile(r"\d[\d\-/\s]*\d|\d")
# (pattern on the normalised lower-case text with Latin digits, catalogue code, keeps a number)
_PATTERNS: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(r"^(?:iatf|iso\s*/\s*ts|ts)\s*[-:]?\s*16949"), "iatf_16949", False),
    (re.compile(r"^ohsas\s*[-:]?\s*18001"), "ohsas_18001", False),
    (re.compile(r"^fssc\s*[-:]?\s*22000"), "fssc_22000", False),
    (re.compile(r"^brc(?:gs)?\b"), "brcgs", False),
    (re.compile(r"^(?:کد|شناسه|شماره)?\s*irc\b"), "irc", True),
    (re.compile(r"(?:پروانه|مجوز|گواهی)\s*(?:ساخت\s*)?بهداشت"), "health_licence", True),
    (re.compile(r"سیب\s*سلامت|نشان\s*سلامت"), "health_logo", False),
    (re.compile(r"برچسب\s*(?:مصرف\s*)?انرژی|energy\s*label"), "energy_label", False),
    (re.compile(r"حلال|halal"), "halal", True),
    (re.compile(r"^(?:سیستم\s*|نظام\s*)?(?:مدیریت\s*)?(?:hse|اچ\s*اس\s*ای)"), "hse", False),
    (re.compile(r"^c?gmp\b|^جی\s*ام\s*پی"), "gmp", False),
    (re.compile(r"^haccp\b|^(?:هسپ|حسپ|هاسپ)$"), "haccp", False),
    (re.compile(r"^(?:نشان|مارک|علامت)?\s*(?:ce|سی\s*ای)$"), "ce", False),
]
_EXTRA_SPLIT = re.compile(r"\s+و\s+|\s*\+\s*")


def _plain(text: str) -> str:
    return to_ascii_digits(normalize(text)).lower().strip(" .")


class CertificationReader:
    """``reader(cell)`` → the cell's certificates (``parsing.Noted`` with a warning for unknown ones)."""

    def __init__(self) -> None:
        self.codes = dict(Certification.objects.values_list("code", "pk"))
        self.other = self.codes.get(OTHER_CERTIFICATION)
        self.names = parsing.NameLookup(str(_("certification")))
        for cert in Certification.objects.exclude(code=OTHER_CERTIFICATION):
            self.names.add(cert.pk, cert.name, cert.name_en, codes=[cert.code, cert.code.replace("_", " ")])

    def _iso(self, number: str) -> int | None:
        return self.codes.get({"16949": "iatf_16949"}.get(number, f"iso_{number}"))

    def read_one(self, item: str, after_iso: bool) -> tuple[Certificate | None, bool]:
        """(the certificate, whether it was an ISO one); None for "none" or an unknown one."""
        plain = _plain(item)
        match = _ISO.match(plain) or (_BARE_NUMBER.match(plain) if after_iso else None)
        if match:
            pk = self._iso(match.group("number"))
            return (Certificate(pk) if pk else None), True
        national = _NATIONAL.match(plain)
        if national and "inso" in self.codes:
            return Certificate(self.codes["inso"], reference=national.group("number") or ""), False
        for pattern, code, numbered in _PATTERNS:
            if pattern.search(plain) and code in self.codes:
                reference = ""
                if numbered:
                    digits = _DIGITS.search(plain)
                    reference = re.sub(r"\s+", "", digits.group(0)) if digits else ""
                return Certificate(self.codes[code], reference=reference[:60]), False
        try:
            found = parsing.unnoted(self.names.find(item))
        except parsing.CellError:
            found = None
        return (Certificate(found) if found else None), False

    def __call__(self, value: Any) -> list[Certificate] | parsing.Noted:
        certificates: list[Certificate] = []
        unknown: list[str] = []
        after_iso = False
        items = [
            piece for item in parsing.items(value) for piece in _EXTRA_SPLIT.split(item) if piece.strip()
        ]
        for item in items:
            if fold(item) in NONE_WORDS:
                continue
            certificate, after_iso = self.read_one(item, after_iso)
            if certificate is None:
                if self.other is None:
                    raise parsing.CellError(
                        _("“%(value)s” is not a known certification.") % {"value": parsing.display(item)}
                    )
                text = parsing.text(item)[:200]
                unknown.append(text)
                certificate = Certificate(self.other, as_written=text)
            if certificate not in certificates:
                certificates.append(certificate)
        if unknown:
            return parsing.Noted(
                certificates,
                _(
                    "Not a certification this registry knows: %(names)s — kept as written, as an unverified “other” certification; check it."
                )
                % {"names": "، ".join(f"«{name}»" for name in unknown)},
            )
        return certificates
