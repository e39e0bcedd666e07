"""What merging two records of one unit does to the clinic's rows (rules of ``units.merging``).

* cases move to the survivor; both records with an open case → the merge is refused (one unit has one
  open case: end or correct one of them first);
* the early-warning score is derived data: the duplicate's is dropped, the weekly job scores the survivor.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from peyvand.units import merging
from peyvand.units.models import ProductionUnit

from .choices import OPEN_STAGES
from .models import RevivalCase, RiskAssessment


def _check_cases(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    open_units = set(
        RevivalCase.objects.filter(unit__in=[survivor, duplicate], stage__in=OPEN_STAGES).values_list(
            "unit_id", flat=True
        )
    )
    if open_units == {survivor.pk, duplicate.pk}:
        return [
            _("Both records have an open case at the industrial clinic: end or correct one of them first.")
        ]
    return []


def _drop_score(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    dropped, _detail = RiskAssessment.objects.filter(unit=duplicate).delete()
    return {"dropped": dropped}


merging.register(
    RevivalCase, "unit", merging.Rule(apply=merging.move_rows(RevivalCase, "unit"), check=_check_cases)
)
merging.register(RiskAssessment, "unit", merging.Rule(apply=_drop_score))
