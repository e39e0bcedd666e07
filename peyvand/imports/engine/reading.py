"""Reading files: xlsx and csv bytes into a :class:`Sheet` of cell values, or a :class:`FileProblem`."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import posixpath
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
    """The parts of an xlsx package a sheet needs: where each sheet is, the shared strings, which cell
    styles are dates, and the date system (1900 or 1904).

    Read with the standard library (``zipfile`` and the C XML parser, several times faster than
    openpyxl's read-only mode on large sheets, which also scans every sheet once more to size it) and
    openpyxl's public helpers for what a number format means (``is_date_format``, the built-in formats)
    and for Excel's dates — no private part of openpyxl.
    """

    def __init__(self, data: bytes) -> None:
        import zipfile
        from xml.etree.ElementTree import ParseError

        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            workbook_path = self._target("", "_rels/.rels", "officeDocument")
            relations = self._relations(workbook_path)
            workbook = self._xml(workbook_path)
            self.epoch = _epoch(workbook)
            names = set(self.archive.namelist())
            self.sheets = [
                (name, relations[key][0])
                for name, key in _sheet_references(workbook)
                if key in relations and relations[key][0] in names and "chartsheet" not in relations[key][1]
            ]
            self.strings_path = _first_of_type(relations, "sharedStrings")
            styles_path = _first_of_type(relations, "styles")
            self.date_styles = _date_styles(self._xml(styles_path)) if styles_path in names else set()
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, ParseError) as error:
            raise FileProblem(
                _("The workbook cannot be opened (%(error)s). Open it in Excel and save it again as .xlsx.")
                % {"error": error.__class__.__name__}
            ) from None
        if not self.sheets:
            raise FileProblem(_("The workbook has no sheet with cells."))

    def _xml(self, path: str) -> Any:
        from xml.etree.ElementTree import fromstring

        # Expat >= 2.4 refuses entity expansion attacks and ElementTree never fetches external entities.
        return fromstring(self.archive.read(path))  # noqa: S314

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (package path of the target, relationship type) of ``part``."""
        folder, _slash, name = part.rpartition("/")
        rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if rels_path not in self.archive.namelist():
            return {}
        relations = {}
        for item in self._xml(rels_path):
            target = item.get("Target", "")
            if item.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            relations[item.get("Id", "")] = (posixpath.normpath(path), item.get("Type", ""))
        return relations

    def _target(self, folder: str, rels_path: str, kind: str) -> str:
        for item in self._xml(rels_path):
            if item.get("Type", "").endswith("/" + kind):
                return posixpath.normpath(posixpath.join(folder, item.get("Target", "").lstrip("/")))
        raise KeyError(kind)

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


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _epoch(workbook: Any) -> dt.datetime:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    for element in workbook:
        if _local(element.tag) == "workbookPr":
            return CALENDAR_MAC_1904 if element.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
    return CALENDAR_WINDOWS_1900


def _sheet_references(workbook: Any) -> list[tuple[str, str]]:
    """(name, relationship id) of every sheet of the workbook, in their order."""
    references = []
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            key = next((value for name, value in element.attrib.items() if _local(name) == "id"), "")
            references.append((element.get("name", ""), key))
    return references


def _first_of_type(relations: dict[str, tuple[str, str]], kind: str) -> str:
    return next((path for path, type_ in relations.values() if type_.endswith("/" + kind)), "")


def _date_styles(styles: Any) -> set[int]:
    """The indexes of the cell styles (``s`` of a cell) whose number format is a date or time, by
    openpyxl's own rule: the workbook's custom formats, else the built-in format of that id."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format

    custom: dict[int, str] = {}
    cell_styles: list[Any] = []
    for element in styles:
        if _local(element.tag) == "numFmts":
            custom.update(
                (int(item.get("numFmtId", "-1")), item.get("formatCode", ""))
                for item in element
                if _local(item.tag) == "numFmt"
            )
        elif _local(element.tag) == "cellXfs":
            cell_styles = [item for item in element if _local(item.tag) == "xf"]
    dates = set()
    for index, style in enumerate(cell_styles):
        number_format = int(style.get("numFmtId", "0"))
        code = custom[number_format] if number_format in custom else builtin_format_code(number_format)
        if is_date_format(code):
            dates.add(index)
    return dates


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


def _read_xlsx(data: bytes, sheet_name: str) -> Sheet:
    book = _XlsxBook(data)
    try:
        names = [name for name, _path in book.sheets]
        if sheet_name and sheet_name not in names:
            raise FileProblem(
                _("The workbook has no sheet “%(sheet)s”. Its sheets: %(sheets)s.")
                % {"sheet": sheet_name, "sheets": "، ".join(names)}
            )
        title, path = book.sheets[names.index(sheet_name) if sheet_name else 0]
        reader = _SheetReader(book.shared_strings(), book.date_styles, book.epoch)
        with book.archive.open(path) as source:
            reader.read(source)
        _fill_merges(reader.rows, reader.merges)
        return Sheet(name=title, rows=_trim(reader.rows), bad_cells=reader.bad)
    finally:
        book.close()


class _SheetReader:
    """The cells of one worksheet part, streamed: values by type, dates by style, bad cells flagged."""

    def __init__(self, strings: list[str], date_styles: set[int], epoch: dt.datetime) -> None:
        self.strings, self.date_styles, self.epoch = strings, date_styles, epoch
        self.rows: list[list[Any]] = []
        self.bad: dict[tuple[int, int], str] = {}  # (row, column), 0-based → "formula" or Excel's error
        self.merges: list[str] = []
        self.row_number = self.column = 0

    def read(self, source: Any) -> None:
        from xml.etree.ElementTree import iterparse

        for _event, element in iterparse(source):  # noqa: S314 — see _XlsxBook._xml
            if element.tag == _CELL:
                self._cell(element)
            elif element.tag == _ROW:
                number = element.get("r")
                self.row_number = int(number) if number else self.row_number + 1
                self.column = 0
                element.clear()
            elif element.tag == _MERGE:
                self.merges.append(element.get("ref", ""))

    def _cell(self, element: Any) -> None:
        reference = element.get("r")
        match = _REFERENCE.fullmatch(reference) if reference else None
        if match:
            self.column, self.row_number = _column_index(match.group(1)), int(match.group(2))
        else:
            self.column += 1
        if self.column > MAX_COLUMNS:
            return
        value = self._value(element, element.get("t", "n"), element.findtext(_VALUE) or None)
        if isinstance(value, str):
            value = value.strip() or None
        if value is not None:
            _place(self.rows, self.row_number - 1, self.column - 1, value)

    def _value(self, element: Any, kind: str, raw: str | None) -> Any:
        from openpyxl.utils.datetime import from_ISO8601

        here = (self.row_number - 1, self.column - 1)
        if kind == "inlineStr":
            inline = element.find(_INLINE)
            return _rich_text(inline) if inline is not None else None
        if raw is None:
            if element.find(_FORMULA) is not None:
                self.bad[here] = "formula"  # a formula saved without its result
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "str":
            return raw
        if kind == "d":
            return from_ISO8601(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            self.bad[here] = raw
            return None
        return self._number(raw, element.get("s"), here)

    def _number(self, raw: str, style: str | None, here: tuple[int, int]) -> Any:
        from openpyxl.utils.datetime import from_excel

        value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
        if not (style and int(style) in self.date_styles):
            return value
        try:
            return from_excel(value, self.epoch)
        except (OverflowError, ValueError):
            self.bad[here] = "#VALUE!"
            return None


def _place(rows: list[list[Any]], row: int, column: int, value: Any) -> None:
    while len(rows) <= row:
        rows.append([])
    current = rows[row]
    while len(current) <= column:
        current.append(None)
    current[column] = value


def _fill_merges(rows: list[list[Any]], merges: list[str]) -> None:
    """Every empty cell of a merged range takes the value of the range's top-left cell."""
    from openpyxl.utils.cell import range_boundaries

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
                    _place(rows, row_index, col_index, top_left)


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
