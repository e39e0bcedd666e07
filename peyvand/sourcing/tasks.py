"""Background jobs of the bridge (Django's tasks API; the database worker runs them).

* ``rebuild_matching_index`` — the engine's index, rebuilt when profiles changed (debounced: one pending
  rebuild at a time, marked by a DIRTY file beside the index);
* ``profile_changed`` — a unit changed: flag open gaps it may now fill, and schedule the rebuild;
* ``send_deadline_reminders`` — hourly: reminders before the deadline, silent suppliers after it.
"""

from __future__ import annotations

import contextlib
import logging

from crontask import cron
from django.conf import settings
from django.tasks import task

from peyvand.core.audit import acting_as

logger = logging.getLogger(__name__)


def _dirty_marker():
    from . import engine

    return engine.index_root() / "DIRTY"


def schedule_rebuild() -> None:
    """Ask for one index rebuild; calls made while one is pending add nothing."""
    if not settings.PEYVAND_MATCHING_AUTO_REBUILD:
        return
    marker = _dirty_marker()
    try:
        with marker.open("x"):
            pass
    except FileExistsError:
        return
    rebuild_matching_index.enqueue()


@task
def rebuild_matching_index() -> dict:
    from . import engine

    with contextlib.suppress(FileNotFoundError):
        _dirty_marker().unlink()
    with acting_as(None, via="job rebuild_matching_index"):
        summary = engine.rebuild_index()
    logger.info("matching index rebuilt: %s", summary)
    return summary


@task
def profile_changed(unit_ids: list[int]) -> int:
    from peyvand.units.models import ProductionUnit

    from .services import flag_gaps_for_unit

    flagged = 0
    with acting_as(None, via="job profile_changed"):
        for unit in ProductionUnit.objects.filter(pk__in=unit_ids):
            flagged += len(flag_gaps_for_unit(unit))
    schedule_rebuild()
    return flagged


@cron("17 * * * *")
@task
def send_deadline_reminders() -> dict:
    from .services import send_reminders

    with acting_as(None, via="job send_deadline_reminders"):
        return send_reminders()
