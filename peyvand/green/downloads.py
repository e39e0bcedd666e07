"""Files of green estates: the photos of a treatment plant's progress reports, for whoever sees the plant."""

from __future__ import annotations

from peyvand.core import files, permissions

from .models import ProgressReport

files.register(
    files.Download(
        kind="plant_progress_photo",
        model=ProgressReport,
        field="photo",
        may_download=lambda user, report: permissions.can(user, permissions.VIEW, report.plant),
        related=("plant",),
    )
)
