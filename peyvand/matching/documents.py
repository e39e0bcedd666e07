"""The engine's documents: supplier profiles, sourcing requests and ranked results.

The web app's adapter turns model rows into these; the CLI and the benchmark read them from JSONL with
``Profile.from_dict`` / ``Request.from_dict`` (the schema of ../shared/benchmarks/matching/README.md, plus
the engine's own optional fields). Status codes follow ../shared/VOCABULARY.md; only ``operating`` (the
benchmark's ``active``) and ``semi_active`` units are ever suggested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from peyvand.matching.text import detect_language, fold, normalize, to_ascii_digits

Language = Literal["fa", "en"]

STATUS_CODES = (
    "planned",
    "land_allocated",
    "under_construction",
    "operating",
    "semi_active",
    "idle",
    "closed",
    "land_repossessed",
)
ELIGIBLE_STATUSES = frozenset({"operating", "semi_active"})

_STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "planned": ("planned", "در مرحله طرح", "طرح", "در دست مطالعه"),
    "land_allocated": ("land_allocated", "land allocated", "زمین واگذار شده", "واگذار شده", "قرارداد زمین"),
    "under_construction": (
        "under_construction",
        "under construction",
        "در حال ساخت",
        "در دست احداث",
        "نیمه‌تمام",
        "در حال احداث",
    ),
    "operating": (
        "operating",
        "active",
        "in operation",
        "running",
        "فعال",
        "در حال بهره‌برداری",
        "بهره‌برداری",
        "دایر",
        "تولیدی",
    ),
    "semi_active": (
        "semi_active",
        "semi-active",
        "semi active",
        "partially active",
        "نیمه‌فعال",
        "نیمه فعال",
        "کم‌کار",
    ),
    "idle": ("idle", "inactive", "stopped", "dormant", "راکد", "غیرفعال", "متوقف", "خوابیده"),
    "closed": ("closed", "shut down", "تعطیل", "تعطیل شده", "بسته", "منحل"),
    "land_repossessed": ("land_repossessed", "land repossessed", "زمین مسترد شده", "خلع ید", "استرداد زمین"),
}
_STATUS_BY_KEY = {fold(word): code for code, words in _STATUS_SYNONYMS.items() for word in words}


def status_code(value: str | None) -> str:
    """Canonical status code for what people type (``active`` → ``operating``); ``"unknown"`` otherwise."""
    return _STATUS_BY_KEY.get(fold(value), "unknown")


def is_eligible(status: str | None) -> bool:
    """Only operating and semi-active units may be suggested."""
    return status_code(status) in ELIGIBLE_STATUSES


_CERT_ALIASES = {
    "نشاناستاندارد": "standard_mark",
    "نشاناستانداردملی": "standard_mark",
    "استانداردملی": "standard_mark",
    "نشانملیاستاندارد": "standard_mark",
    "standardmark": "standard_mark",
    "nationalstandardmark": "standard_mark",
    "inso": "standard_mark",
    "cemark": "ce",
    "cemarking": "ce",
}


def certification_key(value: str | None) -> str:
    """Comparable key of a certification: «ایزو ۲۲۰۰۰» and "ISO 22000" → ``iso22000``; exact otherwise
    (HACCP does not stand in for ISO 22000)."""
    key = re.sub(r"[:/]\d{4}$", "", fold(value).replace("ایزو", "iso"))  # ISO 9001:2015 → iso9001
    key = re.sub(r"[^\w]", "", key)
    return _CERT_ALIASES.get(key, key)


def _strings(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value if str(item).strip())


def _code(value: Any) -> str:
    """Digits of a classification code as registries write it («۲۲۲۰», "2220", "3917.21" → "391721")."""
    return re.sub(r"\D", "", to_ascii_digits(str(value or "")))


@dataclass(frozen=True, slots=True)
class Profile:
    """A supplier (production unit) as the engine sees it."""

    id: str
    name: str = ""
    description: str = ""
    products: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    county: str = ""
    estate: str = ""
    employees: int | None = None
    capacity: str = ""
    status: str = "operating"
    lang: str = ""
    capabilities: tuple[str, ...] = ()  # concept ids tagged by people (the web app's capability tags)
    isic: str = ""  # ISIC Rev.4 class of the licence (4 digits), when the registry has it
    hs: tuple[str, ...] = ()  # HS codes of its products (2–6 digits)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Profile:
        """Build from a JSON object (benchmark schema; unknown keys are ignored)."""
        employees = data.get("employees")
        return cls(
            id=str(data["id"]),
            name=str(data.get("name") or ""),
            description=str(data.get("description") or ""),
            products=_strings(data.get("products")),
            certifications=_strings(data.get("certifications")),
            county=str(data.get("county") or ""),
            estate=str(data.get("estate") or ""),
            employees=int(employees) if employees not in (None, "") else None,
            capacity=str(data.get("capacity") or ""),
            status=str(data.get("status") or "operating"),
            lang=str(data.get("lang") or ""),
            capabilities=_strings(data.get("capabilities")),
            isic=_code(data.get("isic")),
            hs=tuple(code for code in (_code(value) for value in _strings(data.get("hs"))) if code),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the inverse of ``from_dict``)."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "products": list(self.products),
            "certifications": list(self.certifications),
            "county": self.county,
            "estate": self.estate,
            "employees": self.employees,
            "capacity": self.capacity,
            "status": self.status,
            "lang": self.lang,
            "capabilities": list(self.capabilities),
            "isic": self.isic,
            "hs": list(self.hs),
        }

    @property
    def language(self) -> Language:
        """Declared language, or the detected one."""
        if self.lang in ("fa", "en"):
            return self.lang  # type: ignore[return-value]
        return detect_language(" ".join((self.name, self.description)))

    @property
    def text(self) -> str:
        """Everything written about the unit, for the lexical and semantic layers."""
        return " . ".join(part for part in (self.name, " ، ".join(self.products), self.description) if part)


@dataclass(frozen=True, slots=True)
class Request:
    """What a buyer needs, as the engine sees it."""

    id: str
    text: str
    lang: str = ""
    quantity: str = ""
    must_have_certifications: tuple[str, ...] = ()
    preferred_certifications: tuple[str, ...] = ()
    preferred_counties: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()  # concept ids chosen by people, added to those found in the text
    buyer: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Request:
        """Build from a JSON object. The benchmark's ``required_certifications`` rank holders first
        without excluding others (its grading rule), so they become *preferred* certifications;
        ``must_have_certifications`` exclude non-holders."""
        preferred = _strings(data.get("preferred_certifications")) + _strings(
            data.get("required_certifications")
        )
        counties = _strings(data.get("preferred_counties")) + _strings(data.get("preferred_county"))
        return cls(
            id=str(data["id"]),
            text=str(data.get("text") or ""),
            lang=str(data.get("lang") or ""),
            quantity=str(data.get("quantity") or ""),
            must_have_certifications=_strings(data.get("must_have_certifications")),
            preferred_certifications=tuple(dict.fromkeys(preferred)),
            preferred_counties=tuple(dict.fromkeys(counties)),
            capabilities=_strings(data.get("capabilities")),
            buyer=str(data.get("buyer") or ""),
        )

    @property
    def language(self) -> Language:
        """Declared language, or the detected one (reasons are written in it)."""
        if self.lang in ("fa", "en"):
            return self.lang  # type: ignore[return-value]
        return detect_language(self.text)


@dataclass(frozen=True, slots=True)
class Result:
    """One suggested supplier, with the evidence behind its place."""

    profile_id: str
    score: float
    reasons_fa: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()
    matched_concepts: tuple[str, ...] = ()  # concept ids the profile shares with the request (exact)
    related_concepts: tuple[str, ...] = ()  # request concepts met only through a related capability
    holds_certifications: tuple[str, ...] = ()
    missing_certifications: tuple[str, ...] = ()
    components: dict[str, float] = field(default_factory=dict)  # concept, lexical, semantic, bonuses

    def reasons(self, lang: str) -> tuple[str, ...]:
        """Reasons in ``lang`` ("fa" or "en")."""
        return self.reasons_fa if lang == "fa" else self.reasons_en


def county_key(value: str | None) -> str:
    """Comparable county key: «شهرستان بندر انزلی», «بندرانزلی» and «بندر انزلی» meet."""
    text = normalize(value)
    text = re.sub(r"^(شهرستان|county of)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+county$", "", text, flags=re.IGNORECASE)
    return fold(text)


def certification_keys(values: Iterable[str]) -> frozenset[str]:
    """Keys of a list of certifications."""
    return frozenset(certification_key(value) for value in values if str(value).strip())
