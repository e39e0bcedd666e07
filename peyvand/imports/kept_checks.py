"""A batch's check kept for its apply in another request or process (the pages, the background job).

The pages check a batch in one request (or job) and apply it in another: without the check's plans the
apply checked every row a second time (1.7 s of CPU for bench_import's 10,000 units, against 0.6 s to
read them back). The check is kept in Django's cache (shared by every process, see settings.py) under
the batch, with what identifies the file it read; the apply takes it back once and hands it to
``engine.run``, which writes it only while its key holds — the data version read before the check began
unchanged (no committed write to a domain table since), the same user, mapping, header row, language
and day — and checks every row again otherwise. Anything that cannot be kept or read back (an importer
whose state does not pickle, a cache that refuses the size, a kept entry from older code) means the
apply checks again, as before.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

if TYPE_CHECKING:
    from .engine import Sheet
    from .engine.running import Checked
    from .models import ImportBatch

logger = logging.getLogger(__name__)

KEPT_SECONDS = 6 * 3600  # a user may read a long dry run before applying it
# A 10,000-row check is ~13 MB; a dry run never applied would stay in the file cache until it fills up.
# Only the latest few are kept: an apply of an older one checks again.
KEPT_AT_MOST = 4
_LATEST = "peyvand:import-check:latest"


def _key(batch: ImportBatch | int) -> str:
    return f"peyvand:import-check:{getattr(batch, 'pk', batch)}"


def _identity(batch: ImportBatch) -> tuple[Any, ...]:
    """What tells the file and the check the kept plans came from: the stored upload (never rewritten
    under the same name), its sheet and size, and when the check ended (a new check replaces it)."""
    checked_at = batch.checked_at.isoformat() if batch.checked_at else None
    return (batch.pk, batch.file.name, batch.sheet, batch.size, checked_at)


def keep(batch: ImportBatch, checked: Checked | None) -> None:
    """Keep ``checked`` (the check just made of ``batch``) for the apply, without its sheet (the apply
    reads the batch's file again)."""
    if checked is None or batch.pk is None:
        return
    try:
        cache.set(_key(batch), (_identity(batch), dataclasses.replace(checked, sheet=None)), KEPT_SECONDS)
        latest = [pk for pk in cache.get(_LATEST) or [] if pk != batch.pk] + [batch.pk]
        cache.delete_many([_key(pk) for pk in latest[:-KEPT_AT_MOST]])
        cache.set(_LATEST, latest[-KEPT_AT_MOST:], KEPT_SECONDS)
    except Exception:  # best effort: the apply checks again when nothing is kept
        logger.warning(
            "the check of import batch %s could not be kept for its apply", batch.pk, exc_info=True
        )
        forget(batch)


def take(batch: ImportBatch, sheet: Sheet) -> Checked | None:
    """The check kept for ``batch``, once (the entry is removed), tied to ``sheet`` — the batch's own file
    read again — when it came from this very file and check; None otherwise."""
    try:
        entry = cache.get(_key(batch))
    except Exception:  # an entry written by older code, a cache gone: check again
        logger.warning("the kept check of import batch %s could not be read", batch.pk, exc_info=True)
        entry = None
    forget(batch)
    if not entry or entry[0] != _identity(batch):
        return None
    return dataclasses.replace(entry[1], sheet=sheet)


def forget(batch: ImportBatch) -> None:
    try:
        cache.delete(_key(batch))
    except Exception:  # nothing to forget in a cache that does not answer
        logger.warning("the kept check of import batch %s could not be removed", batch.pk, exc_info=True)
