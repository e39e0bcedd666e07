"""How green estates' business events read on timelines."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.audit import register_event
from peyvand.core.choices import label_of
from peyvand.core.jalali import localize_digits

from .choices import PlantStage, SymbiosisStage


def _labels(choices: type[models.Choices]):
    def details(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "from": label_of(choices, data.get("from")), "to": label_of(choices, data.get("to"))}

    return details


register_event("green.plant.created", _("Treatment plant registered: %(name)s"))
register_event("green.plant.updated", _("Treatment plant details updated"))
register_event("green.plant.moved", _("Plant moved from %(from)s to %(to)s"), _labels(PlantStage))
register_event(
    "green.plant.progress",
    _("Progress reported: %(percent)s%%"),
    lambda data: {**data, "percent": localize_digits(data.get("percent", ""))},
)
register_event(
    "green.limits.adopted",
    _("National default discharge limits adopted (%(count)s)"),
    lambda data: {**data, "count": localize_digits(data.get("count", ""))},
)
register_event("green.test.recorded", _("Effluent test recorded (%(lab)s)"))
register_event("green.case.opened", _("Compliance case opened: %(parameters)s over the limit"))
register_event("green.case.resolved", _("Compliance case resolved: %(resolution)s"))
register_event("green.connection.updated", _("Sewer connection updated"))
register_event("green.listing.added", _("Resource listing added"))
register_event("green.listing.updated", _("Resource listing updated"))
register_event("green.exchange.introduced", _("%(have)s and %(want)s put in touch"))
register_event("green.exchange.moved", _("Exchange moved from %(from)s to %(to)s"), _labels(SymbiosisStage))
