"""The permission matrix's POST declarations for the API app's pages (a user's personal tokens).

Each entry has the shape of ``matrix_support.PostEntry``; ``test_permission_matrix.py`` runs them for every
persona. The API's resources answer POST 405 until they write (then they are declared here too).
"""

from __future__ import annotations

from typing import Any

from .matrix_support import DONE, Objects, PostEntry, signed_in


def _token_made(o: Objects, user: Any) -> bool:
    from peyvand.api.models import ApiToken

    return ApiToken.objects.filter(user=user, name="ERP").exists()


def _own_token(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.api import services

    o["token"], _raw = services.create_token(user, name="old", days=30)
    return {}


def _token_revoked(o: Objects, user: Any) -> bool:
    o["token"].refresh_from_db()
    return o["token"].revoked_at is not None


POST: dict[str, PostEntry] = {
    "api:tokens": (lambda o: {}, lambda o, u: {"name": "ERP", "days": "90"}, _token_made, signed_in(DONE)),
    "api:token_revoke": (
        lambda o: {"pk": o["token"].pk},
        _own_token,
        _token_revoked,
        signed_in(DONE),
    ),
}

NOT_YET_DECLARED: set[str] = set()
