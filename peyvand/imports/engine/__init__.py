"""The one import engine: xlsx and csv in, every row checked, all or the valid rows written, nothing half.

Steps (the pages, the ``import_data`` command and the background job all go through here, by way of
``imports/services.py``, which keeps each upload as an ``ImportBatch``):

1. **read** — :func:`read_sheet` turns an xlsx sheet (merged cells filled from their top-left cell,
   cached formula results, formulas without a result flagged) or a csv file (UTF-8, UTF-8 with BOM,
   UTF-16 or the Windows Arabic code page cp1256 that Persian Excel writes) into rows of cell values;
2. **map** — :func:`find_header_row` finds the header below any title rows, :func:`guess_mapping` maps
   columns to the kind's fields by their Persian or English titles and synonyms (after ``fold``);
3. **check** — :func:`run` reads every row through the kind's :class:`Importer` (cell parsers in
   ``imports/parsing.py``), which plans what it would do without writing: created / updated / unchanged /
   rejected, with a message per bad cell (row, column, value, message in the user's language);
4. **apply** — the same check again, then the planned writes in one transaction: all rows or nothing
   (``mode="all"``), or only the valid rows (``mode="valid"``). Bulk writes get their audit records in
   bulk (:func:`audit_bulk`), each carrying ``via = "import batch N"``.

Kinds register an :class:`Importer` subclass with :func:`register` from their ``AppConfig.ready``.

The package by role: ``reading`` (files into sheets), ``mapping`` (header row, columns to fields),
``rows`` (rows, plans, outcomes), ``registry`` (the ``Importer`` base and the kinds), ``running``
and ``bulk`` (bulk writes and their audit). Everything the services and the importers use is
re-exported here; the kept uploads (batches) are the app's models and services.
"""

from __future__ import annotations

from .bulk import audit_bulk, create_rows, events_bulk, snapshot
from .mapping import (
    HEADER_SCAN_ROWS,
    Field,
    column_label,
    find_header_row,
    guess_mapping,
    header_text,
    mapping_from_template,
    template_columns,
)
from .reading import (
    EXTENSIONS,
    MAX_COLUMNS,
    FileProblem,
    Sheet,
    check_size,
    decode_text,
    file_format,
    read_sheet,
    sheet_names,
)
from .registry import Importer, get_importer, importers, kinds_for, register
from .rows import (
    ACTION_LABELS,
    ACTIONS,
    CREATED,
    ERROR,
    REJECTED,
    UNCHANGED,
    UPDATED,
    WARNING,
    Issue,
    Outcome,
    Plan,
    Row,
    RowResult,
    leading_code,
    summary_text,
)
from .running import Progress, build_rows, count_rows, data_rows, join_list, run

__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "CREATED",
    "ERROR",
    "EXTENSIONS",
    "HEADER_SCAN_ROWS",
    "MAX_COLUMNS",
    "REJECTED",
    "UNCHANGED",
    "UPDATED",
    "WARNING",
    "Field",
    "FileProblem",
    "Importer",
    "Issue",
    "Outcome",
    "Plan",
    "Progress",
    "Row",
    "RowResult",
    "Sheet",
    "audit_bulk",
    "build_rows",
    "check_size",
    "column_label",
    "count_rows",
    "create_rows",
    "data_rows",
    "decode_text",
    "events_bulk",
    "file_format",
    "find_header_row",
    "get_importer",
    "guess_mapping",
    "header_text",
    "importers",
    "join_list",
    "kinds_for",
    "leading_code",
    "mapping_from_template",
    "read_sheet",
    "register",
    "run",
    "sheet_names",
    "snapshot",
    "summary_text",
    "template_columns",
]
