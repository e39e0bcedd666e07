"""ISO 3166-1 countries (alpha-2 codes) with English and Persian names, read once from ``data/countries.txt``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from peyvand.matching.text import fold

COUNTRIES_FILE = Path(__file__).with_name("data") / "countries.txt"


@cache
def _table() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in COUNTRIES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name_en, name_fa = (part.strip() for part in line.split("|"))
        rows[code] = (name_en, name_fa)
    return rows


def codes() -> list[str]:
    return list(_table())


def is_country(code: str) -> bool:
    return code in _table()


def name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active one by default); the code itself if unknown."""
    if code not in _table():
        return code
    name_en, name_fa = _table()[code]
    language = language or get_language() or "fa"
    return name_en if language.startswith("en") else name_fa


def choices() -> list[tuple[str, str]]:
    """(code, name) in the active language, sorted by name — for forms and filters (built per call)."""
    return sorted(((code, name(code)) for code in _table()), key=lambda pair: fold(pair[1]))


@cache
def _lookup() -> dict[str, str]:
    """Folded code, English and Persian names → code (what sheets and people type)."""
    keys: dict[str, str] = {}
    for code, (name_en, name_fa) in _table().items():
        for key in (code, name_en, name_fa):
            keys[fold(key)] = code
    extra = {
        "UAE": "AE", "امارات": "AE", "دبی": "AE", "Turkey": "TR", "Russia": "RU", "USA": "US",
        "آمریکا": "US", "انگلستان": "GB", "انگلیس": "GB", "UK": "GB", "کره": "KR", "Korea": "KR",
        "Syria": "SY", "Vietnam": "VN",
    }  # fmt: skip
    for key, code in extra.items():
        keys[fold(key)] = code
    return keys


def find(text: str) -> str | None:
    """The code of the country ``text`` names (a code, or an English or Persian name); None if unknown."""
    return _lookup().get(fold(text or ""))
