"""Background jobs of the units domain (Django's tasks API; the database worker runs them)."""

from __future__ import annotations

from django.tasks import task

from peyvand.core.audit import acting_as


@task
def tell_followers(unit_ids: list[int], reason: str) -> int:
    """Units changed (``services.units_changed``): the apps that follow them refresh what they derive."""
    from .services import notify_followers

    with acting_as(None, via=f"job units changed ({reason})"):
        notify_followers(unit_ids, reason)
    return len(unit_ids)
