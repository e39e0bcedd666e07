"""Codes of the investment domain: investors, applications and their one transition table, screening
criteria, contracts and construction milestones (VOCABULARY.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


class InvestorKind(models.TextChoices):
    PERSON = "person", _("natural person")
    COMPANY = "company", _("company")


class KnowledgeLevel(models.TextChoices):
    """The knowledge-based certificate of the official register (دانش‌بنیان)."""

    NONE = "none", _("not knowledge-based")
    EMERGING = "emerging", _("emerging (نوپا)")
    TYPE_2 = "type_2", _("type 2")
    TYPE_1 = "type_1", _("type 1")


class EvidenceKind(models.TextChoices):
    TEAM = "team", _("technical team")
    PRIOR_PLANT = "prior_plant", _("plant built before")
    PARTNER = "partner", _("technical partner")
    LICENCE = "licence", _("technology licence")


@badge_colours(
    {
        "draft": "secondary",
        "submitted": "info",
        "under_review": "primary",
        "approved": "success",
        "rejected": "danger",
        "withdrawn": "dark",
    }
)
class ApplicationState(BadgeColour, models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The one table of application moves; ``approved`` is reached only through ``services.approve``.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationState.DRAFT: frozenset({ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN}),
    ApplicationState.SUBMITTED: frozenset(
        {ApplicationState.UNDER_REVIEW, ApplicationState.REJECTED, ApplicationState.WITHDRAWN}
    ),
    ApplicationState.UNDER_REVIEW: frozenset(
        {ApplicationState.APPROVED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN}
    ),
    ApplicationState.APPROVED: frozenset(),
    ApplicationState.REJECTED: frozenset(),
    ApplicationState.WITHDRAWN: frozenset(),
}
# Who makes each move: the investor ("investor") or the estate company's reviewer ("staff").
MOVED_BY = {
    ApplicationState.SUBMITTED: "investor",
    ApplicationState.WITHDRAWN: "investor",
    ApplicationState.UNDER_REVIEW: "staff",
    ApplicationState.APPROVED: "staff",
    ApplicationState.REJECTED: "staff",
}
# What the button of each move says.
MOVE_LABELS = {
    ApplicationState.SUBMITTED: _("Submit the application"),
    ApplicationState.UNDER_REVIEW: _("Take under review"),
    ApplicationState.REJECTED: _("Reject"),
    ApplicationState.WITHDRAWN: _("Withdraw"),
}
# Moves that must say why (shown on the timeline).
NEEDS_REASON = frozenset({ApplicationState.REJECTED, ApplicationState.WITHDRAWN})


class EnvironmentGroup(models.IntegerChoices):
    """The industry's environmental group for siting (1 cleanest … 5 most polluting)."""

    G1 = 1, _("group 1 (cleanest)")
    G2 = 2, _("group 2")
    G3 = 3, _("group 3")
    G4 = 4, _("group 4")
    G5 = 5, _("group 5 (most polluting)")


class Criterion(models.TextChoices):
    KNOWLEDGE_BASED = "knowledge_based", _("knowledge-based")
    TECHNICAL_CAPACITY = "technical_capacity", _("technical capacity")
    JOBS_PER_HECTARE = "jobs_per_hectare", _("jobs per hectare")
    INVESTMENT_PER_M2 = "investment_per_m2", _("investment per m²")
    EXPORT_PLAN = "export_plan", _("export plan")
    GREEN_PROFILE = "green_profile", _("green profile")
    FILLS_GAP = "fills_gap", _("fills an open gap or import need")
    ESTATE_FIT = "estate_fit", _("fit to the estate")


DEFAULT_WEIGHTS = {
    Criterion.KNOWLEDGE_BASED: 20,
    Criterion.TECHNICAL_CAPACITY: 15,
    Criterion.JOBS_PER_HECTARE: 15,
    Criterion.INVESTMENT_PER_M2: 10,
    Criterion.EXPORT_PLAN: 10,
    Criterion.GREEN_PROFILE: 10,
    Criterion.FILLS_GAP: 10,
    Criterion.ESTATE_FIT: 10,
}


@badge_colours({"active": "primary", "completed": "success", "repossessed": "danger"})
class ContractState(BadgeColour, models.TextChoices):
    ACTIVE = "active", _("building")
    COMPLETED = "completed", _("operating licence issued")
    REPOSSESSED = "repossessed", _("land repossessed")


class MilestoneKind(models.TextChoices):
    PERMIT = "permit", _("building permit")
    FOUNDATION = "foundation", _("foundation")
    STRUCTURE = "structure", _("structure")
    MACHINERY = "machinery", _("machinery installed")
    TRIAL_RUN = "trial_run", _("trial run")
    OPERATION_LICENCE = "operation_licence", _("operation licence")


# Months after signing by which each milestone is due (the contract's defaults; staff may change them).
MILESTONE_MONTHS = {
    MilestoneKind.PERMIT: 3,
    MilestoneKind.FOUNDATION: 8,
    MilestoneKind.STRUCTURE: 14,
    MilestoneKind.MACHINERY: 20,
    MilestoneKind.TRIAL_RUN: 24,
    MilestoneKind.OPERATION_LICENCE: 27,
}
