"""The permission matrix's POST declarations for the API: its token pages and every resource that writes.

Each entry has the shape of ``matrix_support.PostEntry``; ``test_permission_matrix.py`` runs them for every
persona. The API's read-only resources answer POST 405; those that write are declared here. A write the pages
also offer is declared as the page's ``twin``: the same body (the page's form, posted to the API), the same
check of what was written, the same answer for every persona — but 401, not the login page, for anonymous
callers. The edits and deletions (PATCH, DELETE) are not walked here: ``test_api_writes.py`` checks them
for the personas they concern (the writer, a refused unit, an outsider).
"""

from __future__ import annotations

from typing import Any

from . import post_matrix_green as green
from . import post_matrix_investment as investment
from . import post_matrix_revival as revival
from . import post_matrix_trade as trade
from .matrix_support import DONE, Objects, PostEntry, _changed, _own_estate, _today, as_post, only, signed_in


def twin(page: PostEntry, kwargs: Any = None, data: Any = None, **answers: Any) -> PostEntry:
    """The API twin of a page's POST declaration: ``kwargs``/``data`` where the API's differ, ``answers`` where
    a persona's answer does (anonymous callers get 401)."""
    page_kwargs, page_data, check, page_answers = page
    return (kwargs or page_kwargs, data or page_data, check, {**page_answers, "anonymous": 401, **answers})


def _case_asked_or_opened(o: Objects, user: Any) -> dict[str, Any]:
    """Staff open a case for an idle unit of their company (the open-case form); a unit's representative asks
    for one for its own unit (made idle, its earlier case ended)."""
    from peyvand.core import permissions
    from peyvand.units.models import ProductionUnit

    if permissions.is_staff_member(user):
        return revival._idle_unit(o, user)
    own = o["unit_b"] if o["unit_b"].organisation_id in permissions.organisations(user) else o["unit_a"]
    ProductionUnit.objects.filter(pk=own.pk).update(status="idle")
    revival._case_ended(o)
    return {"unit": str(own.pk), "unit_account": "سفارش‌ها قطع شد و سرمایه در گردش نداریم"}


def _case_made(o: Objects, user: Any) -> bool:
    from peyvand.revival.models import RevivalCase

    staff = RevivalCase.objects.filter(unit__name="کارگاه متوقف", stage="diagnosis", requested_by_unit=False)
    asked = RevivalCase.objects.filter(stage="requested", requested_by_unit=True, opened_by=user)
    return staff.exists() or asked.exists()


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


_intervention = lambda o: {"pk": o["case"].pk, "intervention": o["intervention"].pk}  # noqa: E731

POST: dict[str, PostEntry] = {
    # --- trade: a unit's people state their own exports; a buyer declares its inputs; staff broker them.
    "api:export-list": twin(trade.POST["trade:export_create"]),
    "api:buyer-input-list": twin(trade.POST["trade:input_create"]),
    "api:buyer-input-open-request": twin(trade.POST["trade:input_open_request"]),
    # --- green estates: the pages' own forms, posted to the API (the plant's stage form without its prefix).
    "api:treatment-plant-list": twin(green.POST["green:plant_create"]),
    "api:treatment-plant-stage": twin(
        green.POST["green:plant_stage"],
        data=lambda o, u: {"to_stage": "commissioning", "date": _today(), "note": "راه‌اندازی"},
    ),
    "api:treatment-plant-progress": twin(green.POST["green:plant_progress"]),
    "api:discharge-limit-adopt-defaults": twin(green.POST["green:limit_list"]),
    "api:effluent-test-list": twin(green.POST["green:test_create"]),
    "api:compliance-case-resolve": twin(green.POST["green:case_detail"]),
    "api:resource-listing-list": twin(green.POST["green:listing_create"]),
    "api:symbiosis-exchange-list": twin(green.POST["green:link_start"]),
    "api:symbiosis-exchange-move": twin(green.POST["green:link_detail"]),
    # --- the industrial clinic: staff open a case, a unit asks for one (the page sends staff to the form
    # that opens it; the API opens it for them). Only a buyer and an investor may do neither.
    "api:revival-case-list": (
        lambda o: {},
        _case_asked_or_opened,
        _case_made,
        {
            **only({"manager": DONE, "officer": DONE, "staff_b": DONE}),
            "unit_a_owner": DONE,
            "unit_b_owner": DONE,
            "anonymous": 401,
        },
    ),
    "api:revival-case-diagnosis": twin(revival.POST["revival:case_diagnosis"]),
    "api:revival-case-interventions": twin(revival.POST["revival:intervention_create"]),
    "api:revival-case-move": twin(
        revival.POST["revival:case_move"],
        kwargs=lambda o: {"pk": o["case"].pk},
        data=lambda o, u: {"stage": "still_idle", "note": "بدون پیشرفت"},
    ),
    "api:revival-case-return-to-production": twin(revival.POST["revival:case_return"]),
    "api:revival-case-outcome": twin(revival.POST["revival:case_outcome"]),
    "api:revival-case-intervention-result": twin(
        revival.POST["revival:intervention_result"], kwargs=_intervention
    ),
    "api:revival-case-intervention-link": twin(
        revival.POST["revival:intervention_link"], kwargs=_intervention
    ),
    # --- investors and land: the page sends an investor with a file to it; the API refuses a second file.
    "api:investor-list": twin(investment.POST["investment:investor_create"], investor=400),
    "api:investor-evidence": twin(investment.POST["investment:evidence_add"]),
    "api:investor-evidence-check": twin(
        investment.POST["investment:evidence_check"],
        kwargs=lambda o: {"pk": o["investor_file"].pk, "evidence": o["evidence"].pk},
    ),
    "api:screening-weights": twin(investment.POST["investment:weights"]),
    "api:application-list": twin(investment.POST["investment:application_create"]),
    "api:application-move": twin(
        investment.POST["investment:application_move"],
        kwargs=lambda o: {"pk": o["application"].pk},
        data=lambda o, u: {"state": "under_review", "reason": ""},
    ),
    "api:application-screen": twin(investment.POST["investment:application_screen"]),
    "api:application-approve": twin(investment.POST["investment:application_approve"]),
    "api:application-contract": twin(investment.POST["investment:contract_create"]),
    "api:contract-repossess": twin(investment.POST["investment:contract_repossess"]),
    "api:contract-milestone-done": twin(
        investment.POST["investment:milestone_done"],
        kwargs=lambda o: {"pk": o["contract"].pk, "milestone": o["milestone"].pk},
    ),
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
