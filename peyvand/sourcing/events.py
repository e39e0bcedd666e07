"""How the bridge's business events read on timelines."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.audit import register_event
from peyvand.core.choices import label_of

from .choices import LinkageStage, RequestState


def _labels(data: dict[str, Any]) -> dict[str, Any]:
    choices: type[models.Choices] = LinkageStage if data.get("to") in LinkageStage.values else RequestState
    return {**data, "from": label_of(choices, data.get("from")), "to": label_of(choices, data.get("to"))}


register_event("sourcing.request.created", _("Request filed: %(title)s"))
register_event("sourcing.request.updated", _("Request edited"))
register_event("sourcing.request.submitted", _("Submitted for review"), _labels)
register_event("sourcing.request.published", _("Published by the estate company"), _labels)
register_event("sourcing.request.draft", _("Returned to the buyer for changes: %(note)s"), _labels)
register_event("sourcing.request.closed", _("Closed"), _labels)
register_event("sourcing.request.cancelled", _("Cancelled"), _labels)
register_event("sourcing.request.identity_revealed", _("The buyer agreed to reveal its identity"))
register_event("sourcing.request.suggested", _("%(suppliers)s suppliers suggested by the engine"))
register_event("sourcing.invitation.sent", _("%(unit)s invited to quote"))
register_event("sourcing.invitation.quoted", _("%(unit)s quoted"))
register_event("sourcing.invitation.declined", _("%(unit)s declined"))
register_event("sourcing.invitation.silent", _("No answer before the deadline: %(units)s"))
register_event("sourcing.linkage.introduced", _("Buyer and %(unit)s put in touch"))
register_event("sourcing.linkage.moved", _("Linkage moved from %(from)s to %(to)s"), _labels)
register_event(
    "sourcing.gap.opened", _("Supply gap opened: %(qualified)s qualified suppliers of %(needed)s needed")
)
register_event("sourcing.gap.resolved", _("Supply gap resolved"))
register_event("sourcing.gap.flagged", _("%(unit)s may now fill the gap"))
