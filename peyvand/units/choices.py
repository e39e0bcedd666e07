"""Codes of the units domain: the life cycle and its one transition table, causes, sizes, certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


@badge_colours(
    {
        "planned": "secondary",
        "land_allocated": "info",
        "under_construction": "primary",
        "operating": "success",
        "semi_active": "warning",
        "idle": "danger",
        "closed": "dark",
        "land_repossessed": "dark",
    }
)
class UnitStatus(BadgeColour, models.TextChoices):
    PLANNED = "planned", _("planned")
    LAND_ALLOCATED = "land_allocated", _("land allocated")
    UNDER_CONSTRUCTION = "under_construction", _("under construction")
    OPERATING = "operating", _("operating")
    SEMI_ACTIVE = "semi_active", _("semi-active")
    IDLE = "idle", _("idle")
    CLOSED = "closed", _("closed")
    LAND_REPOSSESSED = "land_repossessed", _("land repossessed")


# The one table of allowed life-cycle moves (ARCHITECTURE.md, VOCABULARY.md).
TRANSITIONS: dict[str, frozenset[str]] = {
    UnitStatus.PLANNED: frozenset({UnitStatus.LAND_ALLOCATED, UnitStatus.CLOSED}),
    UnitStatus.LAND_ALLOCATED: frozenset(
        {UnitStatus.UNDER_CONSTRUCTION, UnitStatus.LAND_REPOSSESSED, UnitStatus.CLOSED}
    ),
    UnitStatus.UNDER_CONSTRUCTION: frozenset(
        {UnitStatus.OPERATING, UnitStatus.SEMI_ACTIVE, UnitStatus.LAND_REPOSSESSED, UnitStatus.CLOSED}
    ),
    UnitStatus.OPERATING: frozenset({UnitStatus.SEMI_ACTIVE, UnitStatus.IDLE, UnitStatus.CLOSED}),
    UnitStatus.SEMI_ACTIVE: frozenset({UnitStatus.OPERATING, UnitStatus.IDLE, UnitStatus.CLOSED}),
    UnitStatus.IDLE: frozenset(
        {UnitStatus.OPERATING, UnitStatus.SEMI_ACTIVE, UnitStatus.CLOSED, UnitStatus.LAND_REPOSSESSED}
    ),
    UnitStatus.CLOSED: frozenset({UnitStatus.LAND_REPOSSESSED}),
    UnitStatus.LAND_REPOSSESSED: frozenset(),
}

PRODUCING = (UnitStatus.OPERATING, UnitStatus.SEMI_ACTIVE)
RETURNED_FROM = UnitStatus.IDLE  # "returned to production": idle → operating | semi_active


class StatusCause(models.TextChoices):
    INITIAL = "initial", _("initial record")
    PLAN_APPROVED = "plan_approved", _("plan approved")
    CONTRACT_SIGNED = "contract_signed", _("land contract signed")
    CONSTRUCTION_STARTED = "construction_started", _("construction started")
    OPERATION_LICENCE = "operation_licence", _("operation licence issued")
    WORKING_CAPITAL = "working_capital", _("lack of working capital")
    RAW_MATERIALS = "raw_materials", _("raw material shortage")
    MARKET = "market", _("weak market / sales")
    ENERGY = "energy", _("energy cuts")
    MANAGEMENT = "management", _("management or partnership dispute")
    OBSOLETE_TECH = "obsolete_technology", _("obsolete technology")
    DEBT = "debt", _("bank debt")
    REVIVAL_SUPPORT = "revival_support", _("revival support (loan, partner, market)")
    NEW_INVESTOR = "new_investor", _("new investor")
    MARKET_RECOVERED = "market_recovered", _("market recovered")
    SEASONAL = "seasonal", _("seasonal production")
    CONTRACT_BREACH = "contract_breach", _("land contract breached")
    OWNER_DECISION = "owner_decision", _("owner's decision")
    OTHER = "other", _("other (see note)")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("micro")
    SMALL = "small", _("small")
    MEDIUM = "medium", _("medium")
    LARGE = "large", _("large")


def size_class_for(employees: int | None) -> str | None:
    """Size class from head count, with the thresholds in settings (VOCABULARY.md)."""
    if employees is None:
        return None
    limits = settings.PEYVAND_SIZE_THRESHOLDS
    if employees >= limits["large"]:
        return SizeClass.LARGE
    if employees >= limits["medium"]:
        return SizeClass.MEDIUM
    if employees >= limits["small"]:
        return SizeClass.SMALL
    return SizeClass.MICRO


def employee_range(size: str) -> tuple[int, int | None]:
    """[from, to) head-count range of a size class (``to`` None for open-ended)."""
    limits = settings.PEYVAND_SIZE_THRESHOLDS
    return {
        SizeClass.MICRO: (0, limits["small"]),
        SizeClass.SMALL: (limits["small"], limits["medium"]),
        SizeClass.MEDIUM: (limits["medium"], limits["large"]),
        SizeClass.LARGE: (limits["large"], None),
    }[SizeClass(size)]


@badge_colours({"pending": "warning", "approved": "success", "rejected": "danger"})
class ClaimState(BadgeColour, models.TextChoices):
    """The states of a claim: a person asking to represent a unit, reviewed by the estate company."""

    PENDING = "pending", _("pending review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
