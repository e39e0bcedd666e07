"""A realistic provincial registry sheet of production units, as an estate company's staff type it.

Written as xlsx by ``write_registry_sheet(path)`` (or ``python -m tests.registry_sheet OUT.xlsx``).
The places are the demo data's Gilan estates and counties; everything else is how real registry sheets
look: a title above the header, a row-number column, «شهرستان» before county names, «شهرک صنعتی» /
«ناحیه صنعتی» written or not (and not always the right one), half-spaces present or missing, Arabic
ي/ك, the county's new name where the registry keeps the old one, common misspellings, Persian and Latin
digits, and certifications written every way registries write them (with their standard numbers).

Every row says what the importer should do with it: ``OK`` rows are valid and must be accepted
(``"warn"`` when a guessed place or an unknown certification deserves a warning), and the ``ERROR``
rows carry the column of the mistake that must still reject them (item 12 of issue 10).

The lines live by kind in sibling modules: ``registry_line`` (a line and its expectation),
``registry_lines_valid``, ``registry_lines_as_written`` (valid rows once rejected) and
``registry_lines_mistakes``; every name is importable from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .registry_line import ERROR, OK, WARN, Line
from .registry_lines_as_written import CERTIFICATIONS_AS_WRITTEN, PLACES_AS_TYPED
from .registry_lines_mistakes import MISTAKES
from .registry_lines_valid import AS_ALWAYS_UNDERSTOOD

__all__ = ["ERROR", "FIRST_DATA_ROW", "HEADER", "LINES", "OK", "WARN", "Line", "rows", "write_registry_sheet"]


HEADER = [
    "ردیف",
    "نام واحد صنعتی",
    "شناسه ملی",
    "شماره پروانه بهره‌برداری",
    "شهرستان",
    "شهرک / ناحیه صنعتی",
    "کد آیسیک",
    "تعداد کارکنان",
    "وضعیت",
    "تاریخ شروع بهره‌برداری",
    "محصولات",
    "گواهینامه‌ها",
    "تلفن",
]


LINES = [*AS_ALWAYS_UNDERSTOOD, *CERTIFICATIONS_AS_WRITTEN, *PLACES_AS_TYPED, *MISTAKES]


def rows() -> list[list]:
    """The sheet's cells: a title, a blank line, the header, then one row per line."""
    cells: list[list] = [["فهرست واحدهای صنعتی استان گیلان — به‌روزرسانی آبان ۱۴۰۴"], [], HEADER]
    for number, line in enumerate(LINES, start=1):
        cells.append(
            [
                number,
                line.name,
                line.national_id,
                line.licence,
                line.county,
                line.estate,
                line.isic,
                line.employees,
                line.status,
                line.since,
                line.products,
                line.certificates,
                line.phone,
            ]
        )
    return cells


FIRST_DATA_ROW = 4  # the sheet row of LINES[0]


def write_registry_sheet(path: str | Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "واحدهای صنعتی"
    sheet.sheet_view.rightToLeft = True
    for row in rows():
        sheet.append(row)
    path = Path(path)
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(write_registry_sheet(sys.argv[1] if len(sys.argv) > 1 else "registry-sheet.xlsx"))  # noqa: T201
