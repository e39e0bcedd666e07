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

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
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
    """A write-only cell whose text is always text (never a formula), optionally styled.

    Control characters XML cannot hold (a pasted ``\x01``) are dropped: written as they are, they made
    the whole file one that spreadsheet programs refuse to open."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str) or value is None:
        cell = WriteOnlyCell(worksheet, value=None)
        cell._value = ILLEGAL_CHARACTERS_RE.sub("", value) if value else None
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


def _csv_cells(row: list[Any]) -> list[Any]:
    return ["" if value is None else neutralise(value) if isinstance(value, str) else value for value in row]


def write_csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow(_csv_cells(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_chunks(headers: list[str], rows: Iterable[list[Any]], lines: int = 500) -> Iterator[bytes]:
    """``write_csv`` as a stream: the same bytes, ``lines`` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralise(header) for header in headers])
    for number, row in enumerate(rows, start=1):
        writer.writerow(_csv_cells(row))
        if number % lines == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


CHUNK_ROWS = 2000  # rows read (and held) at a time by an export


class ChunkedRows:
    """The rows of an ordered queryset, ``CHUNK_ROWS`` at a time: all their ids first (in order), then
    each chunk of ids with everything the table reads (joins, prefetches). A 100,000-row export never
    holds more than one chunk of model instances, and prefetches run per chunk, not over 100,000 ids."""

    def __init__(self, queryset: QuerySet, size: int | None = None) -> None:
        self.queryset, self.size = queryset, size or CHUNK_ROWS
        self.ids = list(queryset.values_list("pk", flat=True))

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Any]:
        for start in range(0, len(self.ids), self.size):
            chunk = self.ids[start : start + self.size]
            rows = {row.pk: row for row in self.queryset.filter(pk__in=chunk)}
            yield from (rows[pk] for pk in chunk if pk in rows)


def export_table(table: Table, file_format: str, name: str) -> HttpResponse | StreamingHttpResponse:
    """The download of ``table`` as ``name-YYYY-MM-DD.xlsx|csv``.

    The rows are read in chunks; a csv of more than one chunk streams as it is written (a 100,000-unit
    registry starts downloading at once and is never held whole in memory)."""
    data = getattr(table.data, "data", None)
    chunked = None
    if isinstance(data, QuerySet):
        chunked = table.data.data = ChunkedRows(data)
    headers, rows = table_rows(table)
    stream = chunked is not None and len(chunked) > CHUNK_ROWS
    return export_rows(headers, rows, file_format, name, stream=stream)


def export_rows(
    headers: list[str], rows: Iterable[list[Any]], file_format: str, name: str, *, stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """The download of ``rows`` under ``headers`` as ``name-YYYY-MM-DD.xlsx|csv`` (cells neutralised);
    ``stream``: a csv is sent line by line as the rows are read."""
    stamp = timezone.localdate().isoformat()
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv" and stream:
        response = StreamingHttpResponse(csv_chunks(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        if file_format == "csv":
            content, content_type = write_csv(headers, rows), "text/csv; charset=utf-8"
        else:
            content, content_type = write_xlsx(headers, rows, title=name), XLSX_TYPE
        response = HttpResponse(content, content_type=content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "export"
    response["Content-Disposition"] = f'attachment; filename="{ascii_name}-{stamp}.{file_format}"'
    return response
