"""Background jobs (Django's tasks API; the database backend and ``manage.py db_worker`` by default).

Large imports (more than ``services.BACKGROUND_ROWS`` data rows) run here so the user can leave the page:
the batch records its progress as it goes and its page polls it (htmx).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .models import ImportBatch, ImportState

logger = logging.getLogger(__name__)

CHECK, APPLY = "check", "apply"


@task
def run_import(batch_id: int, stage: str, mode: str = "", user_id: int | None = None) -> dict[str, int]:
    """Run the dry run (``stage="check"``) or the apply (``stage="apply"``) of one import batch."""
    batch = ImportBatch.objects.get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        if stage == CHECK:
            services.check_batch(batch, user)
        else:
            services.apply_batch(batch, user, mode)
    except Exception:
        mark_failed(batch)
        raise
    return dict(batch.counts)


def mark_failed(batch: ImportBatch) -> None:
    """An import that stopped on an unexpected error: say so on its page instead of "running" forever."""
    logger.exception("import batch %s failed", batch.pk)
    with translation.override(batch.language):
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportState.FAILED,
            message=_("The import stopped because of an unexpected error; nothing of it was written."),
        )


def start(batch: ImportBatch, stage: str, user: Any, mode: str = "") -> None:
    """Mark ``batch`` as running and hand it to the job queue (an apply must be claimed first:
    ``services.claim_for_apply``)."""
    if stage == CHECK:
        batch.state = ImportState.CHECKING
        batch.processed_rows = 0
        batch.message = ""
        batch.save(update_fields=["state", "processed_rows", "message"])
    elif batch.state != ImportState.APPLYING:
        raise ValueError("an import batch is applied only after claim_for_apply()")
    result = run_import.enqueue(batch.pk, stage, mode, getattr(user, "pk", None))
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
