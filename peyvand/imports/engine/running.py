"""Running an import: every row below the header checked by the kind's importer, then written or not."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.core import caching, permissions
from peyvand.core.audit import acting_as

from .. import parsing
from ..models import ImportBatch, ImportMode
from .mapping import column_label, header_text
from .reading import FileProblem
from .registry import Importer, get_importer
from .rows import CREATED, REJECTED, UPDATED, Outcome, Row, RowResult

if TYPE_CHECKING:
    from .reading import Sheet
    from .rows import Plan

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


@dataclass
class Checked:
    """A check's work (the importer, each row and its plan), kept so that the apply which follows it (in
    the same process, or in another through the cache: ``imports.kept_checks``) need not check every row
    again — only while nothing it read can have changed: ``key`` holds the data version read before the
    check began (every committed write to a domain table changes it, ``core.caching``; a write not yet
    committed on this connection forbids reusing), the day, the language, the user, the mapping;
    ``sheet`` is the very sheet object that was checked (the batch's file read again, for a kept one)."""

    key: tuple[Any, ...]
    sheet: Sheet | None  # None while kept in the cache without it (``imports.kept_checks``)
    importer: Importer
    rows: list[tuple[Row, Plan | None]]


def _check_key(kind: str, mapping: dict[int, str], header_index: int, user: Any) -> tuple[Any, ...]:
    return (
        # False inside a transaction that has written and not committed: the version does not show that.
        caching.usable(),
        caching.data_version(),
        kind,
        tuple(sorted(mapping.items())),
        header_index,
        getattr(user, "pk", None),
        getattr(user, "is_superuser", None),
        translation.get_language(),
        timezone.localdate(),
    )


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
    checked_before: Checked | None = None,
) -> Outcome:
    """Check every row; unless ``mode == "dry"``, write the planned changes in one transaction.

    ``mode="all"`` writes nothing when any row is rejected; ``mode="valid"`` writes the valid rows.
    Messages are in the active language. ``checked_before`` (a dry run's :attr:`Outcome.checked` in this
    process) is written as it was checked when its key still holds — the data version unchanged, so no
    row of the registry the check read has changed since — and every row is checked again otherwise.
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
    report = progress or (lambda stage, done, total: None)
    key = _check_key(kind, mapping, header_index, user)
    before = checked_before
    if before is not None and key[0] and before.key == key and before.sheet is sheet and mode != "dry":
        importer, checked = before.importer, before.rows
        report("check", len(checked), len(checked))
    else:
        importer = importer_class(user, via=via)
        checked = _check_rows(importer, build_rows(sheet, header_index, mapping), report)
        outcome.checked = Checked(key, sheet, importer, checked)
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


def _check_rows(importer: Importer, rows: list[Row], report: Progress) -> list[tuple[Row, Plan | None]]:
    total = len(rows)
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
    return checked


def _row_label(row: Row, names: list[str]) -> str:
    """What a rejected row is about, for people: its first readable cell in the order of the fields."""
    for name in names:
        value = row.raw(name)
        if not parsing.is_blank(value):
            return parsing.display(value)[:120]
    return ""


def join_list(items: Iterable[str]) -> str:
    return ("، " if translation.get_language() == "fa" else "; ").join(str(item) for item in items)
