"""What merging two records of one unit does to green estates' rows (rules of ``units.merging``).

* effluent tests, compliance cases and haves/wants move to the survivor (they cannot collide);
* the sewer connection: the survivor keeps its own; it takes the duplicate's when it has none, and
  when the duplicate's says "connected" and its own does not (the connected record is the newer fact).
"""

from __future__ import annotations

from peyvand.units import merging
from peyvand.units.models import ProductionUnit

from .models import ComplianceCase, EffluentTest, ResourceListing, UnitConnection


def _merge_connection(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    theirs = UnitConnection.objects.filter(unit=duplicate).first()
    if theirs is None:
        return {"moved": 0}
    mine = UnitConnection.objects.filter(unit=survivor).first()
    if mine is not None and (mine.connected or not theirs.connected):
        theirs.delete()
        return {"kept_survivors": 1}
    if mine is not None:
        mine.delete()
    theirs.unit = survivor
    theirs.save(update_fields=["unit"])
    return {"moved": 1}


merging.register(EffluentTest, "unit", merging.Rule(apply=merging.move_rows(EffluentTest, "unit")))
merging.register(ComplianceCase, "unit", merging.Rule(apply=merging.move_rows(ComplianceCase, "unit")))
merging.register(ResourceListing, "unit", merging.Rule(apply=merging.move_rows(ResourceListing, "unit")))
merging.register(UnitConnection, "unit", merging.Rule(apply=_merge_connection))
