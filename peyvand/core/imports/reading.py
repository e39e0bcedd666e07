"""Reading files: xlsx and csv bytes into a :class:`Sheet` of cell values, or a :class:`FileProblem`."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

EXTENSIONS = (".xlsx", ".csv")


class FileProblem(Exception):
    """The file or the request cannot be used at all (exit code 2); ``str()`` is the user's message."""


@dataclass
class Sheet:
    """The cells of one sheet: ``rows[i][j]`` is row ``i + 1``, column ``j + 1`` of the sheet."""

    name: str
    rows: list[list[Any]]
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → "formula" | error
    encoding: str = ""

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


def check_size(size: int) -> None:
    limit = settings.PEYVAND_IMPORT_MAX_MB * 1024 * 1024
    if size > limit:
        raise FileProblem(
            _("The file is %(size).1f MB; the largest file you can import is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": settings.PEYVAND_IMPORT_MAX_MB}
        )


def file_format(filename: str, data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` by extension and content, or a clear refusal."""
    extension = Path(filename or "").suffix.lower()
    if extension == ".xls":
        raise FileProblem(
            _("Old Excel files (.xls) cannot be read. Open the file in Excel and save it as .xlsx.")
        )
    if extension not in EXTENSIONS:
        raise FileProblem(
            _("Files of type “%(type)s” cannot be imported. Use an Excel file (.xlsx) or a CSV file (.csv).")
            % {"type": extension or "?"}
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if extension == ".xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise FileProblem(
                _("The file's content is not an Excel workbook, although its name ends in .xlsx.")
            )
        return "xlsx"
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if data.startswith(b"PK\x03\x04") or (b"\x00" in data[:4096] and not utf16):
        raise FileProblem(_("The file's content is not text, although its name ends in .csv."))
    return "csv"


def sheet_names(data: bytes, filename: str) -> list[str]:
    """The sheets of a workbook (one unnamed sheet for a csv file)."""
    if file_format(filename, data) == "csv":
        return [Path(filename).stem or "csv"]
    book = _XlsxBook(data)
    try:
        return [name for name, _path in book.sheets]
    finally:
        book.close()


def read_sheet(data: bytes, filename: str, sheet: str = "") -> Sheet:
    """Every cell of one sheet (the first when ``sheet`` is empty), merged ranges filled in."""
    check_size(len(data))
    if file_format(filename, data) == "csv":
        return _read_csv(data, Path(filename).stem or "csv")
    return _read_xlsx(data, sheet)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL, _ROW, _VALUE, _FORMULA = _MAIN + "c", _MAIN + "row", _MAIN + "v", _MAIN + "f"
_TEXT, _RUN, _INLINE, _ITEM, _MERGE = (
    _MAIN + "t",
    _MAIN + "r",
    _MAIN + "is",
    _MAIN + "si",
    _MAIN + "mergeCell",
)
_REFERENCE = re.compile(r"([A-Z]+)(\d+)")
MAX_COLUMNS = 300  # cells further right are formatting debris, not data


class _XlsxBook:
    """The parts of an xlsx package a sheet needs: shared strings, date styles, where each sheet is.

    openpyxl (pinned) reads the package, the workbook and the styles; the shared strings and the sheet's
    cells are read here with the standard library's C parser, several times faster than openpyxl's
    read-only mode on large sheets, which also scans every sheet once more to size it.
    """

    def __init__(self, data: bytes) -> None:
        import zipfile

        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.xml.constants import SHARED_STRINGS

        try:
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            reader.read_manifest()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.sheets = [
                (sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
            strings = reader.package.find(SHARED_STRINGS)
            self.strings_path = strings.PartName[1:] if strings is not None else ""
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, AttributeError) as error:
            raise FileProblem(
                _("The workbook cannot be opened (%(error)s). Open it in Excel and save it again as .xlsx.")
                % {"error": error.__class__.__name__}
            ) from None
        if not self.sheets:
            raise FileProblem(_("The workbook has no sheet with cells."))
        self.archive = reader.archive
        self.workbook = reader.wb

    def close(self) -> None:
        self.archive.close()

    def shared_strings(self) -> list[str]:
        from xml.etree.ElementTree import iterparse

        strings: list[str] = []
        if not self.strings_path:
            return strings
        with self.archive.open(self.strings_path) as source:
            # Expat >= 2.4 refuses entity expansion attacks and ElementTree never fetches external entities.
            for _event, element in iterparse(source):  # noqa: S314
                if element.tag == _ITEM:
                    strings.append(_rich_text(element))
                    element.clear()
        return strings


def _rich_text(element: Any) -> str:
    """The text of a string item or inline string: its runs, without phonetic guides."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(text.text or "" for text in child.iter(_TEXT))
    return "".join(parts).replace("_x005F_", "_")


def _column_index(letters: str, cache: dict[str, int] = {}) -> int:  # noqa: B006 — a deliberate cache
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters:
            index = index * 26 + ord(letter) - 64
        cache[letters] = index
    return index


def _read_xlsx(data: bytes, sheet_name: str) -> Sheet:  # noqa: C901 — split when the import feature moves to its app (issue 19, items 1 and 5)
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    book = _XlsxBook(data)
    try:
        names = [name for name, _path in book.sheets]
        if sheet_name and sheet_name not in names:
            raise FileProblem(
                _("The workbook has no sheet “%(sheet)s”. Its sheets: %(sheets)s.")
                % {"sheet": sheet_name, "sheets": "، ".join(names)}
            )
        title, path = book.sheets[names.index(sheet_name) if sheet_name else 0]
        strings = book.shared_strings()
        date_styles = book.workbook._date_formats
        epoch = book.workbook.epoch
        rows: list[list[Any]] = []
        bad: dict[tuple[int, int], str] = {}
        merges: list[str] = []
        row_number = column = 0
        with book.archive.open(path) as source:
            for _event, element in iterparse(source):  # noqa: S314 — see shared_strings
                tag = element.tag
                if tag == _CELL:
                    reference = element.get("r")
                    match = _REFERENCE.fullmatch(reference) if reference else None
                    if match:
                        column, row_number = _column_index(match.group(1)), int(match.group(2))
                    else:
                        column += 1
                    if column > MAX_COLUMNS:
                        continue
                    kind = element.get("t", "n")
                    raw = element.findtext(_VALUE) or None
                    value: Any = None
                    if kind == "inlineStr":
                        inline = element.find(_INLINE)
                        value = _rich_text(inline) if inline is not None else None
                    elif raw is None:
                        if element.find(_FORMULA) is not None:
                            bad[(row_number - 1, column - 1)] = "formula"
                    elif kind == "s":
                        value = strings[int(raw)]
                    elif kind in ("str", "d"):
                        value = raw if kind == "str" else from_ISO8601(raw)
                    elif kind == "b":
                        value = raw.strip() in ("1", "true")
                    elif kind == "e":
                        bad[(row_number - 1, column - 1)] = raw
                    else:
                        value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                        style = element.get("s")
                        if style and int(style) in date_styles:
                            try:
                                value = from_excel(value, epoch)
                            except (OverflowError, ValueError):
                                bad[(row_number - 1, column - 1)] = "#VALUE!"
                                value = None
                    if isinstance(value, str):
                        value = value.strip() or None
                    if value is not None:
                        while len(rows) < row_number:
                            rows.append([])
                        current = rows[row_number - 1]
                        while len(current) < column:
                            current.append(None)
                        current[column - 1] = value
                elif tag == _ROW:
                    number = element.get("r")
                    row_number = int(number) if number else row_number + 1
                    column = 0
                    element.clear()
                elif tag == _MERGE:
                    merges.append(element.get("ref", ""))
        for cell_range in merges:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(cell_range)
            except (ValueError, TypeError):
                continue
            top_left = _cell(rows, min_row - 1, min_col - 1)
            if top_left is None:
                continue
            for row_index in range(min_row - 1, min(max_row, len(rows))):
                for col_index in range(min_col - 1, min(max_col, MAX_COLUMNS)):
                    if _cell(rows, row_index, col_index) is None:
                        row = rows[row_index]
                        while len(row) <= col_index:
                            row.append(None)
                        row[col_index] = top_left
        return Sheet(name=title, rows=_trim(rows), bad_cells=bad)
    finally:
        book.close()


def _cell(rows: list[list[Any]], row: int, column: int) -> Any:
    if row >= len(rows) or column >= len(rows[row]):
        return None
    return rows[row][column]


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    while rows and not any(value is not None for value in rows[-1]):
        rows.pop()
    return rows


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a csv file and the encoding it was in: UTF-8 (with or without BOM), UTF-16, or cp1256."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Persian Excel's "CSV" is the Windows Arabic code page; it decodes every byte, so it comes last.
    return data.decode("cp1256", errors="replace"), "cp1256"


def _read_csv(data: bytes, name: str) -> Sheet:
    content, encoding = decode_text(data)
    sample = content[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows: list[list[Any]] = []
    try:
        for record in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter):
            rows.append([value.strip() or None for value in record])
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from None
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return Sheet(name=name, rows=_trim(rows), encoding=encoding)
