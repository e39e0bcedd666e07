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
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tables2 import Table
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import Accessor, signature

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
    """The header and the rows of ``table``: every row of its data (not only the page), its columns.

    The values are django-tables2's ``as_values()``, cell for cell, read by ``CellReader``: the library
    inspects each value method's signature again for every cell, ~60 % of a 100,000-row export's CPU."""
    columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    headers = [force_str(column.header, strings_only=True) or _("Features") for column in columns]
    readers = [CellReader(table, column) for column in columns]

    def rows() -> Iterator[list[Any]]:
        for bound_row in table.rows:
            yield [plain(force_str(reader.read(bound_row), strings_only=True)) for reader in readers]

    return [force_str(header) for header in headers], rows()


class CellReader:
    """One column's cell of a row as django-tables2 gives it — ``BoundRow.get_cell_value`` for an export
    (``html=False``), ``BoundRow.get_cell`` for the page: the accessor's value (``get_FOO_display`` for
    a field with choices), the column's default for an empty value, else the column's value or render
    method with the arguments it names — with the method's signature and the accessor read once per
    column instead of once per cell. Columns with links or many-to-many values go through the library."""

    _ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "table"})

    def __init__(self, table: Table, bound_column: Any, *, html: bool = False) -> None:
        self.table, self.bound_column, self.column = table, bound_column, bound_column.column
        self.html = html
        self.accessor = Accessor(bound_column.accessor)
        self.method = bound_column.render if html else bound_column.value
        self.default = bound_column.default if html else None
        arguments, keywords = signature(self.method)
        self.arguments = arguments
        self.fast = (
            keywords is None
            and set(arguments) <= self._ARGUMENTS
            and not isinstance(self.column, ManyToManyColumn | BaseLinkColumn)
            and not (html and bound_column.link)
        )
        self.choices: dict[tuple[type, str], bool] = {}

    def read(self, bound_row: Any) -> Any:
        if not self.fast:
            name = self.bound_column.name
            return bound_row.get_cell(name) if self.html else bound_row.get_cell_value(name)
        record = bound_row.record
        if "value" in self.arguments:
            value = self._value(record)
        else:  # only whether it is empty matters: the plain attribute, the display text only when empty
            value = self._resolved(record)
            if value in self.column.empty_values:
                value = self._value(record)
        if value in self.column.empty_values:
            return self.default
        given = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "table": self.table,
        }
        return self.method(**{name: given[name] for name in self.arguments})

    def _value(self, record: Any) -> Any:
        penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, Model):
            key = (type(penultimate), remainder)
            if key not in self.choices:
                try:
                    field = self.accessor.get_field(record)
                except FieldDoesNotExist:
                    field = None
                self.choices[key] = bool(getattr(field, "choices", ()))
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if self.choices[key] and display:
                return display()
        return self._resolved(record)

    def _resolved(self, record: Any) -> Any:
        try:
            return self.accessor.resolve(record)
        except Exception:  # as django-tables2: a column that no attribute backs is empty
            return None


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


def sheet_value(worksheet: Any, value: Any) -> Any:
    """``value`` as a write-only sheet takes it: plain when openpyxl stores it as it is, a ``safe_cell``
    when it would not (text that begins with = is a formula to openpyxl) — a cell object per value
    doubled the time of a 100,000-row export."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        if value.startswith("="):
            return safe_cell(worksheet, value)
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(headers: list[str], rows: Iterable[list[Any]], title: str = "") -> bytes:
    buffer = io.BytesIO()
    save_xlsx(buffer, headers, rows, title)
    return buffer.getvalue()


def save_xlsx(file: IO[bytes], headers: list[str], rows: Iterable[list[Any]], title: str = "") -> None:
    """The sheet of ``rows`` under ``headers`` written into ``file`` (a write-only workbook: openpyxl
    keeps the rows in a temporary file, not in memory)."""
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
        worksheet.append([sheet_value(worksheet, value) for value in row])
    workbook.save(file)


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
    registry starts downloading at once and is never held whole in memory), an xlsx of more than one
    chunk is written to a temporary file and sent from it."""
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
    ``stream``: a csv is sent line by line as the rows are read, an xlsx is written to a temporary file
    and sent from it (a zip cannot be sent before it is finished; the memory holds neither)."""
    stamp = timezone.localdate().isoformat()
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv" and stream:
        response = StreamingHttpResponse(csv_chunks(headers, rows), content_type="text/csv; charset=utf-8")
    elif stream:
        file = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it once it is sent
        save_xlsx(file, headers, rows, title=name)
        file.seek(0)
        response = FileResponse(file, content_type=XLSX_TYPE)
    else:
        if file_format == "csv":
            content, content_type = write_csv(headers, rows), "text/csv; charset=utf-8"
        else:
            content, content_type = write_xlsx(headers, rows, title=name), XLSX_TYPE
        response = HttpResponse(content, content_type=content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "export"
    response["Content-Disposition"] = f'attachment; filename="{ascii_name}-{stamp}.{file_format}"'
    return response
