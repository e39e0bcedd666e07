"""Codes of the estates domain (VOCABULARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EstateKind(models.TextChoices):
    ESTATE = "estate", _("industrial estate")
    ZONE = "zone", _("industrial zone")


class Readiness(models.TextChoices):
    READY = "ready", _("ready")
    PARTIAL = "partial", _("partial")
    PLANNED = "planned", _("planned")
    NONE = "none", _("none")

    @property
    def color(self) -> str:
        return {"ready": "success", "partial": "warning", "planned": "info", "none": "secondary"}[self.value]


class PlotState(models.TextChoices):
    FREE = "free", _("free")
    ALLOCATED = "allocated", _("allocated")
    REPOSSESSED = "repossessed", _("repossessed")

    @property
    def color(self) -> str:
        return {"free": "success", "allocated": "primary", "repossessed": "danger"}[self.value]


UTILITIES = ("water", "power", "gas", "telecom", "wastewater")
