"""How the trade domain's business events read on timelines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peyvand.core.audit import register_event

register_event(
    "trade.export.recorded", _("Export recorded: %(product)s to %(destination)s, %(value_usd)s USD")
)
register_event("trade.export.changed", _("Export record corrected: %(fields)s"))
register_event("trade.export.deleted", _("Export record deleted: %(product)s, %(period)s"))
register_event("trade.input.declared", _("Input declared: %(name)s"))
register_event("trade.input.changed", _("Declared input changed: %(fields)s"))
register_event("trade.input.request_opened", _("Sourcing request %(reference)s opened for this input"))
