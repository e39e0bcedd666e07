"""Codes of the estates domain (VOCABULARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


class EstateKind(models.TextChoices):
    ESTATE = "estate", _("industrial estate")
    ZONE = "zone", _("industrial zone")


@badge_colours({"ready": "success", "partial": "warning", "planned": "info", "none": "secondary"})
class Readiness(BadgeColour, models.TextChoices):
    READY = "ready", _("ready")
    PARTIAL = "partial", _("partial")
    PLANNED = "planned", _("planned")
    NONE = "none", _("none")


@badge_colours({"free": "success", "allocated": "primary", "repossessed": "danger"})
class PlotState(BadgeColour, models.TextChoices):
    FREE = "free", _("free")
    ALLOCATED = "allocated", _("allocated")
    REPOSSESSED = "repossessed", _("repossessed")


UTILITIES = ("water", "power", "gas", "telecom", "wastewater")
