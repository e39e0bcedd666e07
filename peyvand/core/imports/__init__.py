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

The package by role: ``reading`` (files into sheets), ``mapping`` (header row, columns to fields),
``rows`` (rows, plans, outcomes), ``registry`` (the ``Importer`` base and the kinds), ``engine``
(running), ``bulk`` (bulk writes and their audit) and ``batches`` (kept uploads). Everything the
pages, the command, the job and the importers use is re-exported here.
"""

from __future__ import annotations

from .. import parsing
from .batches import (
    BACKGROUND_ROWS,
    _store,
    apply_batch,
    batch_data,
    batch_mapping,
    batch_sheet,
    check_batch,
    claim_for_apply,
    header_index_of,
    needs_background,
    no_header_message,
)
from .bulk import audit_bulk, create_rows, events_bulk, insert_rows, snapshot
from .engine import Progress, build_rows, count_rows, data_rows, join_list, run
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

# ``parsing`` stays reachable as ``imports.parsing`` (the pages read cells with it); ``_store`` is used by
# the ``import_data`` command.
__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "BACKGROUND_ROWS",
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
    "_store",
    "apply_batch",
    "audit_bulk",
    "batch_data",
    "batch_mapping",
    "batch_sheet",
    "build_rows",
    "check_batch",
    "check_size",
    "claim_for_apply",
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
    "header_index_of",
    "header_text",
    "importers",
    "insert_rows",
    "join_list",
    "kinds_for",
    "leading_code",
    "mapping_from_template",
    "needs_background",
    "no_header_message",
    "parsing",
    "read_sheet",
    "register",
    "run",
    "sheet_names",
    "snapshot",
    "summary_text",
    "template_columns",
]
