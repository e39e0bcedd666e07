"""The permission matrix's POST declarations for the revival app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.
"""

from __future__ import annotations

from .matrix_support import PostEntry

POST: dict[str, PostEntry] = {}

# Not yet declared above (the list can only shrink; issue 9 item 7).
NOT_YET_DECLARED = {
    "revival:case_create",
    "revival:case_diagnosis",
    "revival:case_move",
    "revival:case_outcome",
    "revival:case_request",
    "revival:case_return",
    "revival:intervention_create",
    "revival:intervention_link",
    "revival:intervention_result",
}
