"""The steps of an import, the same from the pages, the ``import_data`` command and the job.

1. :func:`create_batch` keeps the upload (size, type and sheets checked first) as an ``ImportBatch``;
2. :func:`set_mapping` records the header row and which column is which field (saving the mapping
   under a name when asked);
3. :func:`check` — the dry run: every row checked, nothing written, the results kept on the batch;
4. :func:`apply` — claims the checked batch in one conditional UPDATE (of two submits exactly one wins)
   and writes in one transaction: every row or nothing, or the valid rows only.

Steps 3 and 4 run as a background job (``imports/jobs.py``) when the caller asks (large files on the
pages); the job calls :func:`check_batch` and :func:`apply_batch`, as the steps do in the foreground.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peyvand.core import permissions

from . import kept_checks
from .choices import ImportMode
from .engine import (
    FileProblem,
    check_size,
    count_rows,
    file_format,
    find_header_row,
    get_importer,
    read_sheet,
    run,
    sheet_names,
    template_columns,
)
from .engine.mapping import HEADER_SCAN_ROWS
from .models import ImportBatch, ImportMapping, ImportState

if TYPE_CHECKING:
    from .engine import Importer, Outcome, Progress, Sheet

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
    """The batch's sheet, read once per batch object: the command checks and then applies the same
    batch (reading a 10,000-row sheet again cost seconds); a page's request reads it afresh."""
    key = (batch.file.name, batch.sheet)
    kept = batch.__dict__.get("_sheet")
    if kept is None or kept[0] != key:
        kept = batch.__dict__["_sheet"] = (
            key,
            read_sheet(batch_data(batch), batch.original_name, batch.sheet),
        )
    return kept[1]


def keep_sheet(batch: ImportBatch, sheet: Sheet) -> None:
    """Give ``batch`` the sheet its caller has already read from the same file (the command reads it to
    find the header row), so that checking it does not read it again."""
    batch.__dict__["_sheet"] = ((batch.file.name, batch.sheet), sheet)


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


class NotApplicable(Exception):
    """The batch is not waiting to be applied (already applied, being applied, or not checked)."""

    def __init__(self) -> None:
        super().__init__(_("This import cannot be applied now: it is already applied or being applied."))


def may_import(user: Any, importer_class: type[Importer]) -> bool:
    """``add`` on import batches and ``import`` on the kind's model (``None``: the command run without
    ``--user``, as the system)."""
    return user is None or (
        permissions.can(user, permissions.ADD, ImportBatch)
        and permissions.can(user, permissions.IMPORT, importer_class.model)
    )


def create_batch(
    kind: str,
    data: bytes,
    filename: str,
    *,
    user: Any,
    company: Any = None,
    sheet: str = "",
    language: str | None = None,
) -> ImportBatch:
    """Step 1: keep an upload as a batch. The file must be an xlsx or csv of a size allowed, and ``sheet``
    one of its sheets (a workbook of one sheet needs no choice); raises :class:`FileProblem`."""
    importer_class = get_importer(kind)
    if not may_import(user, importer_class):
        raise PermissionDenied
    check_size(len(data))
    names = sheet_names(data, filename)
    if file_format(filename, data) == "csv":
        sheet = ""
    elif sheet and sheet not in names:
        raise FileProblem(_("The workbook has no sheet “%(name)s”.") % {"name": sheet})
    elif not sheet and len(names) == 1:
        sheet = names[0]
    batch = ImportBatch(
        kind=importer_class.kind,
        company=company,
        original_name=filename[:255],
        size=len(data),
        sheet=sheet,
        language=language or translation.get_language() or "fa",
        created_by=user,
    )
    batch.file.save(filename, ContentFile(data), save=False)
    batch.save()
    return batch


def set_mapping(
    batch: ImportBatch,
    header_index: int,
    mapping: dict[int, str],
    *,
    user: Any,
    sheet: Sheet | None = None,
    template: ImportMapping | None = None,
    save_as: str = "",
    language: str | None = None,
) -> ImportMapping | None:
    """Step 2: the header row (0-based ``header_index``) and the columns (column index → field) of
    ``batch``; with ``save_as``, the mapping is saved under that name for the company (replacing one of
    the same name) and returned. ``template`` records the saved mapping the columns came from."""
    sheet = sheet or batch_sheet(batch)
    headers = sheet.rows[header_index] if header_index < len(sheet.rows) else []
    batch.header_row = header_index + 1
    batch.mapping = {str(index): name for index, name in mapping.items()}
    batch.total_rows = count_rows(sheet, header_index)
    if language:
        batch.language = language
    if template is not None:
        batch.mapping_template = template
    saved = None
    if save_as.strip():
        saved, _created = ImportMapping.objects.update_or_create(
            company=batch.company,
            kind=batch.kind,
            name=save_as.strip()[:100],
            defaults={
                "columns": template_columns(headers, mapping),
                "header_row": header_index + 1,
                "created_by": user,
            },
        )
        batch.mapping_template = saved
    batch.save()
    return saved


def check(
    batch: ImportBatch,
    user: Any,
    *,
    background: bool = False,
    progress: Progress | None = None,
    keep: bool = True,
) -> Outcome | None:
    """Step 3, the dry run: here, or as a background job (``background``; ``None`` is returned and the
    batch's page follows the job). ``keep``: keep the check for an apply in another request or process
    (``kept_checks``); the command, which applies on the same batch object or never, does not."""
    if background:
        from . import jobs

        jobs.start(batch, jobs.CHECK, user)
        return None
    return check_batch(batch, user, progress=progress, keep=keep)


def apply(
    batch: ImportBatch,
    user: Any,
    mode: str,
    *,
    background: bool = False,
    progress: Progress | None = None,
) -> Outcome | None:
    """Step 4: write the checked batch, every row or nothing (``"all"``) or the valid rows (``"valid"``).

    The batch is claimed first in one conditional UPDATE: a second submit (a double click, two tabs,
    the command and a page) raises :class:`NotApplicable` and writes nothing. The write itself is one
    transaction (``engine.run``). With ``background`` the write runs as a job and ``None`` is returned.
    """
    if mode not in ImportMode.values or not claim_for_apply(batch):
        raise NotApplicable
    from . import jobs

    if background:
        jobs.start(batch, jobs.APPLY, user, mode)
        return None
    try:
        return apply_batch(batch, user, mode, progress=progress)
    except Exception:
        jobs.mark_failed(batch)
        raise


def check_batch(
    batch: ImportBatch, user: Any, *, progress: Progress | None = None, keep: bool = True
) -> Outcome | None:
    """The dry run of a batch: every row checked, nothing written; results stored on the batch (and,
    with ``keep``, the check itself kept for the apply that a page or the job runs elsewhere)."""
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
        # Kept on this batch object only: the apply that follows on it (the command's --apply) writes
        # these plans when the registry is as the check read it (``engine.run``), else checks again.
        batch.__dict__["_checked"] = outcome.checked
        if keep:
            kept_checks.keep(batch, outcome.checked)
        return outcome


def apply_batch(
    batch: ImportBatch, user: Any, mode: str, *, progress: Progress | None = None
) -> Outcome | None:
    """Check again and write: all rows or nothing (``"all"``), or the valid rows (``"valid"``). The
    check this batch object made, or the one kept for the batch by a check in another request or
    process (``kept_checks``), is written without a second one while the registry has not changed
    since it began (the data version, see ``engine.run``)."""
    checked_before = batch.__dict__.pop("_checked", None)
    with translation.override(batch.language):
        try:
            sheet = batch_sheet(batch)
            if checked_before is None:
                checked_before = kept_checks.take(batch, sheet)
            else:
                kept_checks.forget(batch)
            outcome = run(
                batch.kind,
                sheet,
                batch_mapping(batch),
                header_index_of(batch, sheet),
                user=user,
                mode=mode,
                via=batch.via,
                progress=progress or _progress_saver(batch),
                checked_before=checked_before,
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
