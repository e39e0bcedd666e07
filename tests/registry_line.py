"""One line of the registry sheet (``registry_sheet.py``) and what the importer should do with it."""

from __future__ import annotations

from dataclasses import dataclass

OK, WARN, ERROR = "ok", "warn", "error"


@dataclass(frozen=True)
class Line:
    name: str
    national_id: str
    licence: str
    county: str
    estate: str
    isic: str | int
    employees: str | int
    status: str
    since: str
    products: str
    certificates: str
    phone: str
    expect: str = OK
    column: str = ""  # the field whose mistake rejects an ERROR row, or that a WARN row warns about
