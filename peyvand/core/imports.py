"""The one import engine: xlsx and csv in, every row checked, all or the valid rows written, nothing half.

Steps (the UI, the ``import_data`` command and the background job all go through here):

1. **read** — :func:`read_sheet` turns an xlsx sheet (merged cells filled from their top-left cell,
   cached formula results, formulas without a result flagged) or a csv file (UTF-8, UTF-8 with BOM,
   UTF-16 or the Windows Arabic code page cp1256 that Persian Excel writes) into rows of cell values;
2. **map** — :func:`find_header_row` finds the header below any title rows, :func:`guess_mapping` maps
   columns to the kind's fields by their Persian or English titles and synonyms (after ``fold``);
3. **check** — :func:`run` reads every row through the kind's :class:`Importer` (cell parsers in
   ``core/parsing.py``), which plans what it would do without writing: created / updated / unchanged /
   rejected, with a message per bad cell (row, column, value, message in the user's language);
4. **apply** — the same check again, then the planned writes in one transaction: all rows or nothing
   (``mode="all"``), or only the valid rows (``mode="valid"``). Bulk writes get their audit records in
   bulk (:func:`audit_bulk`), each carrying ``via = "import batch N"``.

Kinds register an :class:`Importer` subclass with :func:`register` from their ``AppConfig.ready``.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.matching.text import fold

from . import parsing, permissions
from .audit import acting_as
from .models import Event, ImportBatch, ImportMapping, ImportMode, ImportState

HEADER_SCAN_ROWS = 15
BACKGROUND_ROWS = 1000  # more data rows than this run as a background job
EXTENSIONS = (".xlsx", ".csv")

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
ACTIONS = (CREATED, UPDATED, UNCHANGED, REJECTED)
ACTION_LABELS = {
    CREATED: gettext_lazy("Created"),
    UPDATED: gettext_lazy("Updated"),
    UNCHANGED: gettext_lazy("Unchanged"),
    REJECTED: gettext_lazy("Rejected"),
}
ERROR, WARNING = "error", "warning"


class FileProblem(Exception):
    """The file or the request cannot be used at all (exit code 2); ``str()`` is the user's message."""


# --------------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------------
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


def _read_xlsx(data: bytes, sheet_name: str) -> Sheet:
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


# --------------------------------------------------------------------------------------------------
# Fields, header row, column guessing
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """An importable field: its label and the header titles people use for it (fa and en)."""

    name: str
    label: str | Promise
    synonyms: tuple[str | Promise, ...] = ()
    help: str | Promise = ""

    def keys(self) -> set[str]:
        keys = {fold(self.name), fold(self.name.replace("_", " "))}
        for word in (self.label, *self.synonyms):
            if isinstance(word, Promise):
                for language in ("fa", "en"):
                    with translation.override(language):
                        keys.add(fold(str(word)))
            else:
                keys.add(fold(word))
        keys.discard("")
        return keys


def _match_score(header: str, key: str) -> tuple[int, int]:
    if header == key:
        return 3, len(key)
    if len(key) >= 3 and (header.startswith(key) or header.endswith(key)):
        return 2, len(key)
    if len(key) >= 4 and key in header:
        return 1, len(key)
    return 0, 0


def header_text(value: Any) -> str:
    return parsing.text(value) if value is not None else ""


def guess_mapping(importer_class: type[Importer], headers: list[Any]) -> dict[int, str]:
    """Column index → field, each field and column used once, best (exact, longest) titles first."""
    keys = {item.name: item.keys() for item in importer_class.fields}
    candidates: list[tuple[tuple[int, int], int, str]] = []
    for index, title in enumerate(headers):
        folded = fold(header_text(title))
        if not folded:
            continue
        for name, field_keys in keys.items():
            score = max((_match_score(folded, key) for key in field_keys), default=(0, 0))
            if score[0]:
                candidates.append((score, -index, name))
    candidates.sort(reverse=True)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for _score, negative_index, name in candidates:
        index = -negative_index
        if index in mapping or name in used:
            continue
        mapping[index] = name
        used.add(name)
    return dict(sorted(mapping.items()))


def find_header_row(importer_class: type[Importer], sheet: Sheet) -> int | None:
    """0-based index of the row that looks most like the header among the first rows, or None."""
    best, best_score = None, (0, 0)
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        # A title merged across the columns repeats in every cell: count each text once.
        seen: set[str] = set()
        distinct = []
        for value in row:
            key = fold(header_text(value)) if isinstance(value, str) else ""
            distinct.append(value if key and key not in seen else None)
            seen.add(key)
        texts = [value for value in distinct if value is not None]
        if len(texts) < 2:
            continue
        mapped = guess_mapping(importer_class, distinct)
        score = (len(mapped), len(texts))
        if len(mapped) >= 2 and score[0] > best_score[0]:
            best, best_score = index, score
    return best


def mapping_from_template(template: ImportMapping, headers: list[Any]) -> dict[int, str]:
    by_header = dict(template.columns)
    mapping: dict[int, str] = {}
    for index, title in enumerate(headers):
        name = by_header.get(fold(header_text(title)))
        if name and name not in mapping.values():
            mapping[index] = name
    return mapping


def template_columns(headers: list[Any], mapping: dict[int, str]) -> dict[str, str]:
    return {
        fold(header_text(headers[index])): name
        for index, name in mapping.items()
        if index < len(headers) and fold(header_text(headers[index]))
    }


def column_label(headers: list[Any], index: int) -> str:
    from openpyxl.utils import get_column_letter

    title = header_text(headers[index]) if index < len(headers) else ""
    letter = get_column_letter(index + 1)
    return f"{title} ({letter})" if title else letter


# --------------------------------------------------------------------------------------------------
# Rows, issues, plans
# --------------------------------------------------------------------------------------------------
@dataclass
class Issue:
    row: int
    column: str
    value: str
    message: str
    level: str = ERROR

    def as_list(self) -> list[Any]:
        return [self.row, self.column, self.value, self.message, self.level]


class Row:
    """One data row: its cells by field, and the issues found while reading it."""

    def __init__(
        self,
        number: int,
        cells: dict[str, tuple[Any, str]],
        bad: dict[str, str],
        values: list[Any],
    ) -> None:
        self.number = number
        self.cells = cells  # field → (raw value, column label)
        self.bad = bad  # field → "formula" | Excel error text
        self.values = values
        self.issues: list[Issue] = []

    def __repr__(self) -> str:
        return f"<Row {self.number}>"

    def mapped(self, name: str) -> bool:
        return name in self.cells

    def has(self, name: str) -> bool:
        return name in self.bad or (name in self.cells and not parsing.is_blank(self.cells[name][0]))

    def raw(self, name: str) -> Any:
        return self.cells[name][0] if name in self.cells else None

    def column(self, name: str) -> str:
        return self.cells[name][1] if name in self.cells else ""

    def get(
        self, name: str, parser: Callable[..., Any] | None = None, *, required: bool = False, **options: Any
    ) -> Any:
        """The parsed value of a field's cell, or None (an issue is recorded when it cannot be read)."""
        if name in self.bad:
            problem = self.bad[name]
            if problem == "formula":
                message = _(
                    "The cell holds a formula whose result was never saved. Open the file in Excel, "
                    "save it and import it again, or type the value."
                )
            else:
                message = _("The cell shows the error %(error)s.") % {"error": problem}
            self.error(name, message, value=problem if problem != "formula" else "=…")
            return None
        raw = self.raw(name)
        if parsing.is_blank(raw):
            if required:
                self.error(name, _("This cell is empty; a value is needed."))
            return None
        try:
            return (parser or parsing.text)(raw, **options)
        except parsing.CellError as error:
            self.error(name, str(error))
            return None

    def error(self, name: str | None, message: str, *, value: Any = None) -> None:
        self._add(name, message, value, ERROR)

    def warn(self, name: str | None, message: str, *, value: Any = None) -> None:
        self._add(name, message, value, WARNING)

    def _add(self, name: str | None, message: str, value: Any, level: str) -> None:
        column = self.column(name) if name else ""
        if value is None and name:
            value = self.raw(name)
        self.issues.append(Issue(self.number, column, parsing.display(value), str(message), level))

    @property
    def ok(self) -> bool:
        return not any(issue.level == ERROR for issue in self.issues)


@dataclass
class Plan:
    """What checking a row decided: the action, a label for people, changed fields, the kind's payload."""

    action: str
    label: str = ""
    changes: list[str] = field(default_factory=list)
    payload: Any = None


@dataclass
class RowResult:
    number: int
    action: str
    label: str
    changes: list[str]
    issues: list[Issue]

    def as_list(self) -> list[Any]:
        return [self.number, self.action, self.label, "، ".join(self.changes)]


@dataclass
class Outcome:
    """The result of a run: per-row results, all issues, counts, whether anything was written."""

    kind: str
    mode: str  # "dry", "all" or "valid"
    rows: list[RowResult] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    applied: bool = False
    message: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def issues(self) -> list[Issue]:
        return [issue for row in self.rows for issue in row.issues]

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == REJECTED]

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "applied": self.applied,
            "headers": self.headers,
            "rows": [row.as_list() for row in self.rows],
            "issues": [issue.as_list() for issue in self.issues],
        }


# --------------------------------------------------------------------------------------------------
# Importers
# --------------------------------------------------------------------------------------------------
class Importer:
    """One kind of data. Subclasses declare ``fields`` and implement ``prepare``, ``check``, ``write``.

    ``check(row)`` must not write: it returns a :class:`Plan` (or records errors on the row); ``finish``
    may revisit the plans once every row is read (e.g. history in date order); ``write(plans)`` gets the
    plans of the rows to apply and writes them — inside the engine's transaction, as ``user``.
    """

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    model: ClassVar[type[models.Model]]
    fields: ClassVar[list[Field]]
    # At least one field of each group must be mapped for the import to make sense.
    required_columns: ClassVar[list[tuple[str, ...]]] = []
    order: ClassVar[int] = 50

    def __init__(self, user: Any, *, via: str = "") -> None:
        self.user = user
        self.via = via
        self.today = timezone.localdate()

    # Permission helpers: no user (a command run by the operator) may do everything.
    def may(self, action: str, obj: Any) -> bool:
        return self.user is None or permissions.can(self.user, action, obj)

    def prepare(self, rows: list[Row]) -> None:
        """Load what checking needs (lookups, existing records) in a few queries."""

    def check(self, row: Row) -> Plan | None:
        raise NotImplementedError

    def finish(self, checked: list[tuple[Row, Plan | None]]) -> None:
        """Called once after every row was checked; may add issues or change actions."""

    def write(self, plans: list[Plan]) -> None:
        raise NotImplementedError

    @classmethod
    def field_labels(cls) -> dict[str, str]:
        return {item.name: str(item.label) for item in cls.fields}

    @classmethod
    def missing_columns(cls, mapping: dict[int, str]) -> list[str]:
        mapped = set(mapping.values())
        labels = cls.field_labels()
        return [
            _(" or ").join(labels[name] for name in group)
            for group in cls.required_columns
            if not mapped & set(group)
        ]


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer_class: type[Importer]) -> None:
    """Called from an app's ``AppConfig.ready``."""
    _REGISTRY[importer_class.kind] = importer_class


def importers() -> dict[str, type[Importer]]:
    return dict(sorted(_REGISTRY.items(), key=lambda item: (item[1].order, item[0])))


def get_importer(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise FileProblem(
            _("“%(kind)s” is not something that can be imported. Choose one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(_REGISTRY)}
        ) from None


def kinds_for(user: Any) -> list[type[Importer]]:
    """The kinds ``user`` may import."""
    if not permissions.can(user, permissions.ADD, ImportBatch):
        return []
    return [item for item in importers().values() if permissions.can(user, permissions.IMPORT, item.model)]


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------
Progress = Callable[[str, int, int], None]


def data_rows(sheet: Sheet, header_index: int) -> Iterator[tuple[int, list[Any]]]:
    """(sheet row number, values) of every non-empty row below the header."""
    flagged = {row for row, _column in sheet.bad_cells}
    blank = parsing.is_blank
    for index in range(header_index + 1, len(sheet.rows)):
        values = sheet.rows[index]
        if index in flagged or not all(blank(value) for value in values):
            yield index + 1, values


def count_rows(sheet: Sheet, header_index: int) -> int:
    return sum(1 for _row in data_rows(sheet, header_index))


def build_rows(sheet: Sheet, header_index: int, mapping: dict[int, str]) -> list[Row]:
    headers = sheet.rows[header_index] if header_index < len(sheet.rows) else []
    labels = {index: column_label(headers, index) for index in mapping}
    bad_by_row: dict[int, dict[int, str]] = {}
    for (row_index, column), problem in sheet.bad_cells.items():
        bad_by_row.setdefault(row_index, {})[column] = problem
    rows = []
    for number, values in data_rows(sheet, header_index):
        cells = {
            name: (values[index] if index < len(values) else None, labels[index])
            for index, name in mapping.items()
        }
        problems = bad_by_row.get(number - 1, {})
        bad = {mapping[column]: problem for column, problem in problems.items() if column in mapping}
        if not any(not parsing.is_blank(value) for value, _label in cells.values()) and not bad:
            continue  # nothing in the mapped columns: an empty row for this import
        rows.append(Row(number, cells, bad, values))
    return rows


def run(
    kind: str,
    sheet: Sheet,
    mapping: dict[int, str],
    header_index: int,
    *,
    user: Any,
    mode: str = "dry",
    via: str = "",
    progress: Progress | None = None,
) -> Outcome:
    """Check every row; unless ``mode == "dry"``, write the planned changes in one transaction.

    ``mode="all"`` writes nothing when any row is rejected; ``mode="valid"`` writes the valid rows.
    Messages are in the active language.
    """
    importer_class = get_importer(kind)
    if user is not None and not (
        permissions.can(user, permissions.ADD, ImportBatch)
        and permissions.can(user, permissions.IMPORT, importer_class.model)
    ):
        raise PermissionDenied
    missing = importer_class.missing_columns(mapping)
    if missing:
        raise FileProblem(_("Map a column to: %(fields)s.") % {"fields": join_list(missing)})
    headers = sheet.rows[header_index] if header_index < len(sheet.rows) else []
    outcome = Outcome(kind=kind, mode=mode, headers=[header_text(value) for value in headers])
    rows = build_rows(sheet, header_index, mapping)
    importer = importer_class(user, via=via)
    total = len(rows)
    report = progress or (lambda stage, done, total: None)
    report("check", 0, total)
    importer.prepare(rows)
    checked: list[tuple[Row, Plan | None]] = []
    last = time.monotonic()
    for done, row in enumerate(rows, start=1):
        try:
            plan = importer.check(row)
        except parsing.CellError as error:
            row.error(None, str(error))
            plan = None
        checked.append((row, plan))
        if time.monotonic() - last > 0.5:
            report("check", done, total)
            last = time.monotonic()
    importer.finish(checked)
    report("check", total, total)
    names = [item.name for item in importer_class.fields]
    for row, plan in checked:
        action = plan.action if (plan is not None and row.ok) else REJECTED
        label = plan.label if plan is not None else _row_label(row, names)
        changes = plan.changes if (plan is not None and action == UPDATED) else []
        outcome.rows.append(RowResult(row.number, action, label, changes, row.issues))
    if mode == "dry":
        return outcome
    rejected = outcome.counts[REJECTED]
    if mode == ImportMode.ALL_OR_NOTHING and rejected:
        outcome.message = _(
            "Nothing was written: %(count)d rows have errors. Fix them, or choose to apply the valid rows only."
        ) % {"count": rejected}
        return outcome
    plans = [
        plan for row, plan in checked if plan is not None and row.ok and plan.action in (CREATED, UPDATED)
    ]
    report("write", 0, len(plans))
    try:
        with transaction.atomic(), acting_as(user, via=via):
            importer.write(plans)
    except (ValidationError, DatabaseError) as error:
        # Someone changed the registry between the check and the write: nothing of this file is written.
        detail = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        outcome.message = _("Nothing was written: the registry refused the changes (%(error)s).") % {
            "error": detail
        }
        return outcome
    report("write", len(plans), len(plans))
    outcome.applied = True
    return outcome


def _row_label(row: Row, names: list[str]) -> str:
    """What a rejected row is about, for people: its first readable cell in the order of the fields."""
    for name in names:
        value = row.raw(name)
        if not parsing.is_blank(value):
            return parsing.display(value)[:120]
    return ""


# --------------------------------------------------------------------------------------------------
# Audit records in bulk
# --------------------------------------------------------------------------------------------------
def audit_bulk(
    *,
    created: Iterable[models.Model] = (),
    updated: Iterable[tuple[models.Model, models.Model]] = (),
    deleted: Iterable[models.Model] = (),
    extra_changes: dict[int, dict[str, list[str]]] | None = None,
) -> int:
    """Write auditlog's change records for rows written with bulk_create / bulk_update / delete.

    ``updated`` holds (before, after) pairs. Records carry the acting user and ``via`` (inside
    ``acting_as``) exactly as auditlog's own signal handlers would; returns how many were written.
    """
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    from .audit import _actor

    actor = _actor.get()
    actor = actor if getattr(actor, "pk", None) else None
    actor_id = actor.pk if actor else None
    actor_email = getattr(actor, "email", None) if actor else None
    connection = connections[router.db_for_write(LogEntry)]
    json_field = LogEntry._meta.get_field("changes")
    as_json = connection.ops.adapt_json_value
    timestamp = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[tuple[Any, ...]] = []
    types: dict[type, int | None] = {}

    def entry(instance: models.Model, action: int, changes: dict | None) -> None:
        model = type(instance)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model).pk if auditlog.contains(model) else None
        if types[model] is None:
            return
        pk = instance.pk
        additional = instance.get_additional_data() if hasattr(instance, "get_additional_data") else None
        # The columns of ``_LOG_COLUMNS``, prepared as LogEntry's fields would prepare them.
        rows.append(
            (
                types[model],
                str(pk),
                pk if isinstance(pk, int) else None,
                str(instance)[:2000],
                action,
                "",
                None if changes is None else as_json(changes, json_field.encoder),
                actor_id,
                actor_email,
                None if additional is None else as_json(additional, json_field.encoder),
                timestamp,
            )
        )

    extras = extra_changes or {}
    for instance in created:
        changes = _one_sided_diff(instance, created=True)
        changes.update(extras.get(id(instance), {}))
        entry(instance, LogEntry.Action.CREATE, changes)
    for before, after in updated:
        changes = model_instance_diff(before, after) or {}
        changes.update(extras.get(id(after), {}))
        if changes:
            entry(after, LogEntry.Action.UPDATE, changes)
    for instance in deleted:
        entry(instance, LogEntry.Action.DELETE, _one_sided_diff(instance, created=False))
    _execute_many(connection, LogEntry, _LOG_COLUMNS, rows)
    return len(rows)


_LOG_COLUMNS = (
    "content_type",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor",
    "actor_email",
    "additional_data",
    "timestamp",
)


def _execute_many(connection: Any, model: type[models.Model], names: Iterable[str], rows: list[Any]) -> None:
    """One prepared INSERT run for every row (values already prepared for ``connection``)."""
    if not rows:
        return
    columns = [model._meta.get_field(name).column for name in names]
    quote = connection.ops.quote_name
    # Names come from the model and are quoted; every value is a parameter.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: many times faster than one INSERT per row.
            copy_statement = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(column) for column in columns)
            )
            with cursor.cursor.copy(copy_statement) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 5000):
            cursor.executemany(statement, rows[start : start + 5000])


_TRACKED: dict[type, list[tuple[Any, str, Any]]] = {}


def _one_sided_diff(instance: models.Model, *, created: bool) -> dict[str, tuple[str, str]]:
    """``auditlog.diff.model_instance_diff(None, instance)`` (or ``(instance, None)``), five times faster.

    The tracked fields are worked out once per model with auditlog's own rules; plain and foreign-key
    values are read the way auditlog's ``get_field_value`` reads them, the others through it, so the
    records read exactly as auditlog's own (a test compares them).
    """
    from auditlog.diff import get_field_value, get_fields_in_model
    from auditlog.registry import auditlog
    from django.utils.encoding import smart_str

    model = type(instance)
    plan = _TRACKED.get(model)
    if plan is None:
        fields = get_fields_in_model(instance)
        settings_of = auditlog.get_model_fields(model)
        if settings_of["include_fields"]:
            fields = [item for item in fields if item.name in settings_of["include_fields"]]
        if settings_of["exclude_fields"]:
            fields = [item for item in fields if item.name not in settings_of["exclude_fields"]]
        plan = []
        for item in fields:
            constant = None
            if item.one_to_many and not getattr(item, "concrete", False):
                way = "constant"  # a reverse relation: auditlog reads its manager, the same text every time
                constant = get_field_value(instance, item)
            elif not getattr(item, "concrete", False) or isinstance(
                item, models.DateTimeField | models.JSONField
            ):
                way = "auditlog"
            elif (item.one_to_one or item.many_to_one) and not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION:
                way = "key"
            else:
                way = "plain"
            plan.append(
                (item, way, constant if way == "constant" else item.attname if way == "key" else item.name)
            )
        _TRACKED[model] = plan
    changes: dict[str, tuple[str, str]] = {}
    for item, way, attribute in plan:
        if way == "plain":
            value = getattr(instance, attribute)
            value = str(value) if isinstance(value, Promise) else smart_str(value)
        elif way == "key":
            value = smart_str(getattr(instance, attribute), strings_only=True)
        elif way == "constant":
            value = attribute
        else:
            value = get_field_value(instance, item)
        if value != "None":  # what auditlog reads for the missing side
            text = smart_str(value)
            changes[item.name] = ("None", text) if created else (text, "None")
    return changes


def create_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """``bulk_create`` for many new rows, ids set on the objects, several times faster on large imports.

    The ids are reserved first — PostgreSQL: from the table's sequence; SQLite: after both the largest id
    and the largest id ever given (so a deleted row's id, and its audit records, are never reused), under
    the write lock of the import's transaction — then one prepared INSERT runs for every row.
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    if connection.vendor not in ("sqlite", "postgresql") or not isinstance(
        pk, models.AutoField | models.BigAutoField
    ):
        model._default_manager.bulk_create(objects, batch_size=1000)
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk.column, len(objects)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk.column)}), 0) FROM {quote(table)}")  # noqa: S608
            largest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            given = cursor.fetchone()
            start = max(largest, given[0] if given else 0) + 1
            ids = list(range(start, start + len(objects)))
    fields = list(model._meta.concrete_fields)
    rows = []
    for obj, new_id in zip(objects, ids, strict=True):
        obj._prepare_related_fields_for_save(operation_name="create_rows")
        obj.pk = new_id
        rows.append([item.get_db_prep_save(item.pre_save(obj, True), connection) for item in fields])
        obj._state.adding = False
        obj._state.db = connection.alias
    _execute_many(connection, model, [item.name for item in fields], rows)


def insert_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """INSERT many rows whose ids nobody needs back (events), a few times faster than ``bulk_create``:
    one prepared statement, values prepared by each field as ``bulk_create`` would."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [item for item in model._meta.concrete_fields if not item.primary_key]
    rows = [
        [item.get_db_prep_save(item.pre_save(obj, True), connection) for item in fields] for obj in objects
    ]
    _execute_many(connection, model, [item.name for item in fields], rows)


def events_bulk(items: Iterable[tuple[models.Model, str, dict[str, Any]]]) -> None:
    """Business events for many objects at once (the timeline), as ``log_event`` would write them."""
    from .audit import _actor, _mask, _via

    actor = _actor.get()
    actor = actor if getattr(actor, "is_authenticated", False) else None
    via = _via.get()
    types: dict[type, ContentType] = {}
    rows = []
    for obj, code, data in items:
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            Event(
                content_type=types[model],
                object_id=str(obj.pk),
                code=code,
                data=_mask(data),
                actor=actor,
                via=via,
            )
        )
    insert_rows(Event, rows)


def snapshot(instance: models.Model) -> models.Model:
    """A copy of ``instance`` as it is now, to diff against after changing it."""
    return copy.copy(instance)


# --------------------------------------------------------------------------------------------------
# Batches: the UI, the command and the job work on these
# --------------------------------------------------------------------------------------------------
def batch_data(batch: ImportBatch) -> bytes:
    if not batch.file:
        raise FileProblem(_("The file of this import is no longer available. Upload it again."))
    try:
        with batch.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        raise FileProblem(_("The file of this import is no longer available. Upload it again.")) from None


def batch_sheet(batch: ImportBatch) -> Sheet:
    return read_sheet(batch_data(batch), batch.original_name, batch.sheet)


def batch_mapping(batch: ImportBatch) -> dict[int, str]:
    return {int(index): name for index, name in (batch.mapping or {}).items()}


def header_index_of(batch: ImportBatch, sheet: Sheet) -> int:
    if batch.header_row:
        return batch.header_row - 1
    found = find_header_row(get_importer(batch.kind), sheet)
    if found is None:
        raise FileProblem(no_header_message(batch.kind))
    return found


def no_header_message(kind: str) -> str:
    importer_class = get_importer(kind)
    examples = "، ".join(str(item.label) for item in importer_class.fields[:4])
    return _(
        "No header row was found in the first %(rows)d rows: none of them has column titles this import "
        "knows (for example: %(examples)s). Give the header row's number."
    ) % {"rows": HEADER_SCAN_ROWS, "examples": examples}


def _progress_saver(batch: ImportBatch) -> Progress:
    def save(stage: str, done: int, total: int) -> None:
        if stage == "check":  # the write is one transaction: its progress is not visible outside it
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=done, total_rows=max(total, 1))

    return save


def _store(batch: ImportBatch, outcome: Outcome) -> None:
    batch.counts = outcome.counts
    batch.results = outcome.as_json()
    batch.message = outcome.message
    batch.total_rows = len(outcome.rows)
    batch.processed_rows = len(outcome.rows)


def check_batch(batch: ImportBatch, user: Any, *, progress: Progress | None = None) -> Outcome | None:
    """The dry run of a batch: every row checked, nothing written; results stored on the batch."""
    with translation.override(batch.language):
        try:
            sheet = batch_sheet(batch)
            outcome = run(
                batch.kind,
                sheet,
                batch_mapping(batch),
                header_index_of(batch, sheet),
                user=user,
                mode="dry",
                via=batch.via,
                progress=progress or _progress_saver(batch),
            )
        except FileProblem as problem:
            batch.state = ImportState.FAILED
            batch.message = str(problem)
            batch.save()
            return None
        _store(batch, outcome)
        batch.state = ImportState.CHECKED
        batch.checked_at = timezone.now()
        batch.save()
        return outcome


def apply_batch(
    batch: ImportBatch, user: Any, mode: str, *, progress: Progress | None = None
) -> Outcome | None:
    """Check again and write: all rows or nothing (``"all"``), or the valid rows (``"valid"``)."""
    with translation.override(batch.language):
        try:
            sheet = batch_sheet(batch)
            outcome = run(
                batch.kind,
                sheet,
                batch_mapping(batch),
                header_index_of(batch, sheet),
                user=user,
                mode=mode,
                via=batch.via,
                progress=progress or _progress_saver(batch),
            )
        except FileProblem as problem:
            batch.state = ImportState.FAILED
            batch.message = str(problem)
            batch.save()
            return None
        _store(batch, outcome)
        batch.mode = mode
        if outcome.applied:
            batch.state = ImportState.APPLIED
            batch.applied_at = timezone.now()
        else:
            batch.state = ImportState.CHECKED  # nothing written: the user may fix the file or choose again
        batch.save()
        return outcome


def needs_background(batch: ImportBatch) -> bool:
    return batch.total_rows > BACKGROUND_ROWS


def join_list(items: Iterable[str]) -> str:
    return ("، " if translation.get_language() == "fa" else "; ").join(str(item) for item in items)


def summary_text(counts: dict[str, int]) -> str:
    return _("created %(created)d, updated %(updated)d, unchanged %(unchanged)d, rejected %(rejected)d") % {
        action: counts.get(action, 0) for action in ACTIONS
    }


_NUMBER_IN_TEXT = re.compile(r"^\s*([\d۰-۹٠-٩][\d۰-۹٠-٩.\s\-]*)")


def leading_code(value: Any) -> Any:
    """``"1061 - آسیاب غلات"`` → ``"1061"``; other values unchanged (codes are often pasted with names)."""
    if isinstance(value, str):
        match = _NUMBER_IN_TEXT.match(value)
        if match and match.group(1).strip() != value.strip():
            return match.group(1).strip(" -")
    return value
