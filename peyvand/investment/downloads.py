"""Files of the investment path: an investor's evidence of technical capacity and a milestone's evidence."""

from __future__ import annotations

from peyvand.core import files, permissions

from .models import Evidence, Milestone

files.register(
    files.Download(
        kind="investor_evidence",
        model=Evidence,
        field="file",
        may_download=lambda user, evidence: permissions.can(user, permissions.VIEW, evidence),
        related=("investor",),
    )
)
files.register(
    files.Download(
        kind="milestone_evidence",
        model=Milestone,
        field="evidence",
        may_download=lambda user, milestone: permissions.can(user, permissions.VIEW, milestone),
        related=("contract",),
    )
)
