"""What merging two records of one unit does to the investment path (a rule of ``units.merging``).

An application's unit moves to the survivor; when both records came from investment applications the
merge is refused (each application keeps its one unit: correct one of them first).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from peyvand.units import merging
from peyvand.units.models import ProductionUnit

from .models import Application


def _check(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    mine = Application.objects.filter(unit=survivor).first()
    theirs = Application.objects.filter(unit=duplicate).first()
    if mine and theirs:
        return [
            _(
                "Both records came from investment applications (%(first)s and %(second)s): each keeps its "
                "unit — correct one of them first."
            )
            % {"first": mine.reference, "second": theirs.reference}
        ]
    return []


merging.register(
    Application,
    "unit",
    merging.Rule(apply=merging.move_rows(Application, "unit"), check=_check),
)
