"""The permission matrix's POST declarations for the green app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.
"""

from __future__ import annotations

from .matrix_support import PostEntry

POST: dict[str, PostEntry] = {}

# Not yet declared above (the list can only shrink; issue 9 item 7).
NOT_YET_DECLARED = {
    "green:case_detail",
    "green:connection_edit",
    "green:limit_edit",
    "green:limit_list",
    "green:link_detail",
    "green:link_start",
    "green:listing_create",
    "green:listing_edit",
    "green:plant_create",
    "green:plant_edit",
    "green:plant_progress",
    "green:plant_stage",
    "green:test_create",
}
