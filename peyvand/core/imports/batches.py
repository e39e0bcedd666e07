"""Import batches: the kept upload that the pages, the ``import_data`` command and the job work on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import ImportBatch, ImportState
from .engine import run
from .mapping import HEADER_SCAN_ROWS, find_header_row
from .reading import FileProblem, read_sheet
from .registry import get_importer

if TYPE_CHECKING:
    from .engine import Progress
    from .reading import Sheet
    from .rows import Outcome

BACKGROUND_ROWS = 1000  # more data rows than this run as a background job


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


def claim_for_apply(batch: ImportBatch) -> bool:
    """Move ``batch`` from "dry run done" to "being applied" — in one conditional UPDATE, so of two
    submits (a double click, two tabs, two workers) exactly one wins; False for the other."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, state=ImportState.CHECKED).update(
        state=ImportState.APPLYING, processed_rows=0, message=""
    )
    if claimed:
        batch.state, batch.processed_rows, batch.message = ImportState.APPLYING, 0, ""
    return bool(claimed)


def needs_background(batch: ImportBatch) -> bool:
    return batch.total_rows > BACKGROUND_ROWS
