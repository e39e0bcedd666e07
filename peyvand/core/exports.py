"""The one export engine: a django-tables2 Table (all its filtered rows, its columns) to xlsx or csv.

* values come from the tables' ``value_<column>`` methods (plain values: numbers stay numbers, choices
  their labels, dates Jalali text ``1405/02/10`` in Persian and ISO ``2026-04-30`` in English);
  columns without one fall back to their rendered text with the HTML stripped;
* xlsx: a right-to-left sheet in Persian, bold frozen header; every text cell is written as text, so a
  value beginning with = + - @ is never a formula;
* csv: UTF-8 with a BOM (Excel then reads Persian correctly); a value beginning with = + - @ (or a tab)
  gets a leading apostrophe so that spreadsheet programs do not run it (OWASP "CSV injection"); the
  import engine removes that apostrophe again, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tables2 import Table

from . import jalali

# Characters that make a spreadsheet program treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PLACEHOLDERS = {"—", "–", "-"}
_SPACES = re.compile(r"\s+")


def date_text(value: dt.date | None) -> str:
    """A date as text for a sheet: Jalali ``1405/02/10`` in Persian, ISO ``2026-04-30`` in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return jalali.jalali_text(value) if jalali.is_persian() else value.isoformat()


def plain(value: Any) -> Any:
    """A cell value: numbers and text as they are, HTML stripped, dates as text, placeholders blank."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.date):
        return date_text(value)
    text = force_str(value)
    if "<" in text or "&" in text:
        text = html.unescape(strip_tags(text))
    text = _SPACES.sub(" ", text).strip()
    return "" if text in _PLACEHOLDERS else text


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet program would read as a formula (for csv)."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def table_rows(table: Table) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows of ``table``: every row of its data (not only the page), its columns."""
    values = table.as_values()
    raw_headers = next(values)
    headers = [force_str(header) or _("Features") for header in raw_headers]
    return headers, ([plain(value) for value in row] for row in values)


def safe_cell(worksheet: Any, value: Any, *, font: Any = None) -> Any:
    """A write-only cell whose text is always text (never a formula), optionally styled."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) or value is None:
        cell = WriteOnlyCell(worksheet, value=None)
        cell._value = value or None
        cell.data_type = "s"
    else:
        cell = WriteOnlyCell(worksheet, value=value)
    if font is not None:
        cell.font = font
    return cell


def write_xlsx(headers: list[str], rows: Iterable[list[Any]], title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet_title = re.sub(r"[\\/*?:\[\]]", " ", title or _("Export"))[:31]
    worksheet = workbook.create_sheet(sheet_title)
    worksheet.sheet_view.rightToLeft = jalali.is_persian()
    worksheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, min(45, len(header) + 6))
    bold = Font(bold=True)
    worksheet.append([safe_cell(worksheet, header, font=bold) for header in headers])
    for row in rows:
        worksheet.append([safe_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow(
            ["" if value is None else neutralise(value) if isinstance(value, str) else value for value in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_table(table: Table, file_format: str, name: str) -> HttpResponse:
    """The download of ``table`` as ``name-YYYY-MM-DD.xlsx|csv``."""
    headers, rows = table_rows(table)
    return export_rows(headers, rows, file_format, name)


def export_rows(headers: list[str], rows: Iterable[list[Any]], file_format: str, name: str) -> HttpResponse:
    """The download of ``rows`` under ``headers`` as ``name-YYYY-MM-DD.xlsx|csv`` (cells neutralised)."""
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        content, content_type = write_csv(headers, rows), "text/csv; charset=utf-8"
    else:
        content, content_type = write_xlsx(headers, rows, title=name), XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "export"
    response["Content-Disposition"] = f'attachment; filename="{ascii_name}-{stamp}.{file_format}"'
    return response
