"""Every write of the investment path goes through here: permission check, one transaction, audit event.

application → screening → approval (the unit is registered, ``land_allocated``) → allocation contract on a
plot (plot ``allocated``, payment schedule, milestones) → milestones (unit ``under_construction``) →
operation licence (unit ``operating``) — or, past the grace period, repossession (plot ``repossessed``,
unit ``land_repossessed``). Unit statuses move only through ``units.services``.

The writes live by subject in this package's modules; every name is importable from here."""

from .applications import REVIEWER_ROLES, approve, can_move, move_application, save_application
from .contracts import (
    Terms,
    add_months,
    allocate,
    complete_milestone,
    flag_overdue,
    overdue_milestones,
    repossess,
    repossession_due,
    schedule,
)
from .investors import add_evidence, check_evidence, own_investor, save_investor
from .land import EstateFit, estate_fit, plot_readiness, save_land_use
from .screening import CriterionScore, open_gap_match, save_weights, score, screen, weights_for

__all__ = [
    "REVIEWER_ROLES",
    "CriterionScore",
    "EstateFit",
    "Terms",
    "add_evidence",
    "add_months",
    "allocate",
    "approve",
    "can_move",
    "check_evidence",
    "complete_milestone",
    "estate_fit",
    "flag_overdue",
    "move_application",
    "open_gap_match",
    "overdue_milestones",
    "own_investor",
    "plot_readiness",
    "repossess",
    "repossession_due",
    "save_application",
    "save_investor",
    "save_land_use",
    "save_weights",
    "schedule",
    "score",
    "screen",
    "weights_for",
]
