"""The investment path's periodic job: flag overdue construction milestones once a day."""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from peyvand.core.audit import acting_as


@cron("40 6 * * *")
@task
def flag_overdue_milestones() -> dict:
    from .services import flag_overdue

    with acting_as(None, via="job flag_overdue_milestones"):
        return {"flagged": flag_overdue()}
