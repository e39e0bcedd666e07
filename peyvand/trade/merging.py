"""What merging two records of one unit does to its export records: they move to the surviving record."""

from __future__ import annotations

from peyvand.units import merging

from .models import ExportRecord

merging.register(ExportRecord, "unit", merging.Rule(apply=merging.move_rows(ExportRecord, "unit")))
