"""Background jobs of the clinic (Django's tasks API; the database worker runs them).

* ``weekly_early_warning`` — Saturdays (the first day of the Iranian week): every unit in production is
  scored again, and each estate company's staff are told how many of their units are at risk.
"""

from __future__ import annotations

from crontask import cron
from django.tasks import task

from peyvand.core.audit import acting_as


@cron("30 5 * * Sat")
@task
def weekly_early_warning() -> dict:
    from .services import tell_staff_of_risks
    from .warning import refresh_assessments

    with acting_as(None, via="job weekly_early_warning"):
        counts = refresh_assessments()
        counts["companies_told"] = tell_staff_of_risks()
        return counts
