"""The permission matrix's POST declarations for the API app's pages (a user's personal tokens).

Each entry has the shape of ``matrix_support.PostEntry``; ``test_permission_matrix.py`` runs them for every
persona. The API's read-only resources answer POST 405; those that write are declared here.
"""

from __future__ import annotations

from typing import Any

from .matrix_support import DONE, Objects, PostEntry, _changed, _own_estate, as_post, only, signed_in


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


def _new_request(o: Objects, user: Any) -> dict[str, Any]:
    """The request page's form, filled as on the page, posted to the API (staff file for a buyer they serve)."""
    from peyvand.sourcing.forms import SourcingRequestForm

    buyer = o["request"].buyer
    buyer.company_id = _own_estate(o, user).company_id
    buyer.save(update_fields=["company"])
    form = SourcingRequestForm(instance=o["request"], user=o["manager"])
    return as_post(form, title="درخواست از راه API", buyer=str(buyer.pk))


POST: dict[str, PostEntry] = {
    # Only the invited unit's people answer; staff and the buyer see the invitation but may not (403).
    "api:invitation-answer": (
        lambda o: {"pk": o["invitation_a"].pk},
        lambda o, u: {"answer": "quote", "price_rial": "1200000", "lead_time_days": "20"},
        _changed("sourcing.SupplierInvitation", state="quoted", price_rial=1200000),
        {
            **only({"unit_a_owner": DONE, "manager": 403, "officer": 403, "buyer": 403}, otherwise=404),
            "anonymous": 401,
        },
    ),
    "api:request-list": (
        lambda o: {},
        _new_request,
        _changed("sourcing.SourcingRequest", title="درخواست از راه API"),
        {**only({"manager": DONE, "officer": DONE, "staff_b": DONE, "buyer": DONE}), "anonymous": 401},
    ),
    "api:tokens": (lambda o: {}, lambda o, u: {"name": "ERP", "days": "90"}, _token_made, signed_in(DONE)),
    "api:token_revoke": (
        lambda o: {"pk": o["token"].pk},
        _own_token,
        _token_revoked,
        signed_in(DONE),
    ),
}
