"""Codes of the trade domain: where an export figure comes from, where a buyer's input comes from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


@badge_colours({"customs": "success", "own_statement": "info", "estimate": "secondary"})
class ExportSource(BadgeColour, models.TextChoices):
    CUSTOMS = "customs", _("customs declaration")
    OWN_STATEMENT = "own_statement", _("the unit's own statement")
    ESTIMATE = "estimate", _("estimate")


@badge_colours({"imported": "danger", "other_province": "warning", "local": "success"})
class InputOrigin(BadgeColour, models.TextChoices):
    """Where a large buyer gets an input today."""

    IMPORTED = "imported", _("imported from abroad")
    OTHER_PROVINCE = "other_province", _("bought from another province")
    LOCAL = "local", _("bought in the province")


# Inputs that are bought outside the province: the import-substitution agenda.
OUTSIDE = (InputOrigin.IMPORTED, InputOrigin.OTHER_PROVINCE)


class Exporter(models.TextChoices):
    """Whose export a record is: a unit's (direct exports) or a large buyer's (where value chains end)."""

    UNITS = "units", _("production units")
    BUYERS = "buyers", _("large buyers")
