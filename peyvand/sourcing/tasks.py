"""Background jobs of the bridge (Django's tasks API; the database worker runs them).

* ``rebuild_matching_index`` — the engine's index, rebuilt after units changed. At most one build waits
  in the queue (an ``IndexBuild`` row in state "pending", one by a named constraint): changes made while
  it waits are covered by it. A build that could not be queued, or never started, is marked failed, so
  it never blocks the next one.
* ``suggest_suppliers`` — the ranking of one request's suppliers (publishing and "suggest again" queue it
  after their transaction commits; nothing ranks while a row lock is held).
* ``after_units_changed`` — what the bridge does when ``units.services.units_changed`` says units
  changed: flag open gaps a unit may now fill, and schedule the rebuild.
* ``send_deadline_reminders`` — hourly: reminders before the deadline, silent suppliers after it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from crontask import cron
from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from peyvand.core.audit import acting_as

from .choices import IndexBuildState, SuggestionState
from .models import IndexBuild, SourcingRequest

logger = logging.getLogger(__name__)

# A build still "pending" after this long was lost by the queue (a worker that died, a flushed queue).
PENDING_TIMEOUT = dt.timedelta(minutes=30)
RUNNING_TIMEOUT = dt.timedelta(hours=2)


def _expire_lost_builds() -> None:
    now = timezone.now()
    lost = {"state": IndexBuildState.FAILED, "finished_at": now, "message": "lost by the job queue"}
    IndexBuild.objects.filter(state=IndexBuildState.PENDING, requested_at__lt=now - PENDING_TIMEOUT).update(
        **lost
    )
    IndexBuild.objects.filter(state=IndexBuildState.RUNNING, started_at__lt=now - RUNNING_TIMEOUT).update(
        **lost
    )


def schedule_rebuild(reason: str = "", *, always: bool = False) -> IndexBuild | None:
    """Ask for one index rebuild; while one is already waiting, that one covers this request too.

    ``always``: even when automatic rebuilds are off (there is no index at all).
    """
    if not (settings.PEYVAND_MATCHING_AUTO_REBUILD or always):
        return None
    _expire_lost_builds()
    try:
        with transaction.atomic():
            build = IndexBuild.objects.create(state=IndexBuildState.PENDING, reason=reason[:200])
    except IntegrityError:  # one is already waiting
        return IndexBuild.objects.filter(state=IndexBuildState.PENDING).first()
    try:
        rebuild_matching_index.enqueue(build.pk)
    except Exception:
        logger.exception("the matching index rebuild could not be queued")
        IndexBuild.objects.filter(pk=build.pk).update(
            state=IndexBuildState.FAILED, finished_at=timezone.now(), message="could not be queued"
        )
        return None
    return build


def current_build() -> IndexBuild | None:
    """The rebuild waiting or running now, if any (for the progress shown on the pages)."""
    return IndexBuild.objects.filter(state__in=[IndexBuildState.PENDING, IndexBuildState.RUNNING]).first()


@task
def rebuild_matching_index(build_id: int | None = None) -> dict:
    from . import engine

    if build_id is not None:
        claimed = IndexBuild.objects.filter(pk=build_id, state=IndexBuildState.PENDING).update(
            state=IndexBuildState.RUNNING, started_at=timezone.now()
        )
        if not claimed:
            return {"skipped": build_id}

    def progress(stage: str, done: int, total: int) -> None:
        if build_id is not None:
            IndexBuild.objects.filter(pk=build_id).update(stage=stage, done=done, total=total)

    try:
        with acting_as(None, via="job rebuild_matching_index"):
            summary = engine.rebuild_index(progress=progress)
    except Exception as error:
        if build_id is not None:
            IndexBuild.objects.filter(pk=build_id).update(
                state=IndexBuildState.FAILED, finished_at=timezone.now(), message=str(error)[:1000]
            )
        raise
    if build_id is not None:
        IndexBuild.objects.filter(pk=build_id).update(
            state=IndexBuildState.DONE if summary["published"] else IndexBuildState.SKIPPED,
            finished_at=timezone.now(),
            version=summary["version"],
        )
    logger.info("matching index rebuilt: %s", summary)
    return summary


def after_units_changed(unit_ids: list[int], reason: str) -> int:
    """Follower of ``units.services.units_changed`` (registered in ``apps.py``); runs in its job."""
    from peyvand.units.models import ProductionUnit

    from .services import flag_gaps_for_unit

    flagged = 0
    for unit in ProductionUnit.objects.filter(pk__in=unit_ids):
        flagged += len(flag_gaps_for_unit(unit))
    schedule_rebuild(reason=f"{len(unit_ids)} units: {reason}")
    return flagged


@task
def suggest_suppliers(request_id: int, user_id: int | None = None) -> dict[str, Any]:
    """Rank the suppliers of one request (queued by ``services.request_suggestions``)."""
    from django.contrib.auth import get_user_model

    from .services import suggest

    claimed = SourcingRequest.objects.filter(pk=request_id, suggestion_state=SuggestionState.PENDING).update(
        suggestion_state=SuggestionState.RUNNING
    )
    if not claimed:
        return {"skipped": request_id}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        with acting_as(user, via="job suggest_suppliers"):
            matches = suggest(SourcingRequest.objects.get(pk=request_id), by=user)
    except Exception:
        logger.exception("suggesting suppliers for request %s failed", request_id)
        SourcingRequest.objects.filter(pk=request_id).update(suggestion_state=SuggestionState.FAILED)
        raise
    return {"request": request_id, "suppliers": len(matches)}


@cron("17 * * * *")
@task
def send_deadline_reminders() -> dict:
    from .services import send_reminders

    with acting_as(None, via="job send_deadline_reminders"):
        return send_reminders()
