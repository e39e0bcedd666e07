"""The permission matrix's POST declarations for the trade app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.
"""

from __future__ import annotations

from .matrix_support import PostEntry

POST: dict[str, PostEntry] = {}

# Not yet declared above (the list can only shrink; issue 9 item 7).
NOT_YET_DECLARED = {
    "trade:export_create",
    "trade:export_delete",
    "trade:export_edit",
    "trade:input_create",
    "trade:input_detail",
    "trade:input_edit",
    "trade:input_open_request",
    "trade:opportunities",
}
