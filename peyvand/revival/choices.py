"""Codes of the industrial clinic: case stages and their one transition table, causes, interventions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


@badge_colours(
    {
        "requested": "secondary",
        "diagnosis": "info",
        "treatment": "primary",
        "revived": "success",
        "closed": "dark",
        "still_idle": "danger",
    }
)
class CaseStage(BadgeColour, models.TextChoices):
    REQUESTED = "requested", _("requested by the unit")
    DIAGNOSIS = "diagnosis", _("diagnosis")
    TREATMENT = "treatment", _("interventions under way")
    REVIVED = "revived", _("revived")
    CLOSED = "closed", _("unit closed")
    STILL_IDLE = "still_idle", _("ended, still idle")


OPEN_STAGES = (CaseStage.REQUESTED, CaseStage.DIAGNOSIS, CaseStage.TREATMENT)
OUTCOMES = (CaseStage.REVIVED, CaseStage.CLOSED, CaseStage.STILL_IDLE)

# The one table of case moves (enforced by ``services.move_case``). A revival is never typed in: the
# unit's life-cycle change from idle to production moves its open case to "revived" (services.link_return).
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStage.REQUESTED: frozenset({CaseStage.DIAGNOSIS, CaseStage.STILL_IDLE}),
    CaseStage.DIAGNOSIS: frozenset({CaseStage.TREATMENT, CaseStage.STILL_IDLE}),
    CaseStage.TREATMENT: frozenset({CaseStage.STILL_IDLE}),
    CaseStage.REVIVED: frozenset(),
    CaseStage.CLOSED: frozenset(),
    CaseStage.STILL_IDLE: frozenset({CaseStage.TREATMENT}),  # reopened when new help arrives
}


class Cause(models.TextChoices):
    WORKING_CAPITAL = "working_capital", _("working capital")
    BANK_DEBT = "bank_debt", _("bank debt and guarantees")
    RAW_MATERIALS = "raw_materials", _("raw material supply")
    MARKET = "market", _("market and sales")
    MACHINERY = "machinery", _("outdated machinery")
    LEGAL = "legal", _("ownership or legal disputes")
    MANAGEMENT = "management", _("management")
    UTILITIES = "utilities", _("utilities")
    PERMITS = "permits", _("permits")
    SANCTIONS = "sanctions", _("sanctions and currency")
    OTHER = "other", _("other")


@badge_colours({1: "secondary", 2: "warning", 3: "danger"})
class Severity(BadgeColour, models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class InterventionKind(models.TextChoices):
    FINANCING = "financing", _("financing referral")
    MEDIATION = "mediation", _("mediation")
    BUYER_LINKAGE = "buyer_linkage", _("buyer linkage through the bridge")
    TECHNICAL = "technical", _("technical help")
    MANAGEMENT = "management", _("management help")
    PARTNER = "partner", _("partner or new investor")
    UTILITIES_PERMITS = "utilities_permits", _("utilities and permits")


class Counterpart(models.TextChoices):
    BANK = "bank", _("bank")
    TAX = "tax", _("tax office")
    SOCIAL_SECURITY = "social_security", _("social-security office")
    OTHER = "other", _("other office")


@badge_colours(
    {
        "pending": "secondary",
        "succeeded": "success",
        "partial": "info",
        "failed": "danger",
        "cancelled": "dark",
    }
)
class Result(BadgeColour, models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    PARTIAL = "partial", _("partly succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


# Which fields of an intervention belong to which kind (the form shows them, the service keeps only them).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    InterventionKind.FINANCING: ("institution", "amount_asked_rial", "amount_granted_rial"),
    InterventionKind.MEDIATION: ("counterpart", "institution"),
    InterventionKind.BUYER_LINKAGE: ("request", "linkage"),
    InterventionKind.TECHNICAL: (),
    InterventionKind.MANAGEMENT: (),
    InterventionKind.PARTNER: ("investor",),
    InterventionKind.UTILITIES_PERMITS: ("institution",),
}
