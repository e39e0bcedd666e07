"""The permission matrix's POST declarations for the investment app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.
"""

from __future__ import annotations

from .matrix_support import PostEntry

POST: dict[str, PostEntry] = {}

# Not yet declared above (the list can only shrink; issue 9 item 7).
NOT_YET_DECLARED = {
    "investment:application_approve",
    "investment:application_create",
    "investment:application_edit",
    "investment:application_move",
    "investment:application_screen",
    "investment:contract_create",
    "investment:contract_repossess",
    "investment:evidence_add",
    "investment:evidence_check",
    "investment:investor_create",
    "investment:investor_edit",
    "investment:land_use_edit",
    "investment:milestone_done",
    "investment:weights",
}
