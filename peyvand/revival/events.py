"""How the clinic's business events read on timelines."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from peyvand.core.audit import register_event
from peyvand.core.choices import label_of

from .choices import CaseStage, InterventionKind, Result


def _stages(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "from": label_of(CaseStage, data.get("from")), "to": label_of(CaseStage, data.get("to"))}


def _intervention(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "kind": label_of(InterventionKind, data.get("kind")),
        "result": label_of(Result, data.get("result")),
    }


register_event("revival.case.opened", _("Case opened at the industrial clinic"))
register_event("revival.case.requested", _("The unit asked the industrial clinic for help"))
register_event("revival.case.moved", _("Case moved from %(from)s to %(to)s"), _stages)
register_event("revival.case.diagnosed", _("Diagnosis recorded"))
register_event("revival.case.revived", _("The unit returned to production: case revived"))
register_event("revival.case.outcome", _("Outcome recorded: %(jobs)s jobs restored"))
register_event("revival.intervention.added", _("Intervention planned (%(kind)s): %(title)s"), _intervention)
register_event("revival.intervention.result", _("Intervention result (%(result)s): %(title)s"), _intervention)
register_event(
    "revival.intervention.linked", _("Buyer and unit put in touch through the bridge: %(request)s")
)
