"""The permission matrix's GET declarations: every URL of the project's own apps, with the answer each
persona gets. ``test_permission_matrix.py`` walks the URLconf and fails on a URL missing here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .matrix_support import Objects, everyone, only, signed_in

# url name -> (kwargs builder, {persona: answer})
MATRIX: dict[str, tuple[Callable[[Objects], dict[str, Any]], dict[str, Any]]] = {
    "home": (lambda o: {}, everyone(200)),
    "favicon": (lambda o: {}, everyone("redirect")),
    "set_language": (lambda o: {}, everyone(405)),
    "accounts:login": (lambda o: {}, {**everyone("redirect"), "anonymous": 200}),
    "accounts:logout": (lambda o: {}, everyone(405)),
    "accounts:profile": (lambda o: {}, signed_in(200)),
    "accounts:password_change": (lambda o: {}, signed_in(200)),
    "accounts:password_change_done": (lambda o: {}, signed_in(200)),
    "accounts:password_reset": (lambda o: {}, everyone(200)),
    "accounts:password_reset_done": (lambda o: {}, everyone(200)),
    "accounts:password_reset_confirm": (lambda o: {"uidb64": "MQ", "token": "set-password"}, everyone(200)),
    "accounts:password_reset_complete": (lambda o: {}, everyone(200)),
    "accounts:organisations": (lambda o: {}, signed_in(200)),
    "accounts:organisation_create": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "accounts:organisation_detail": (
        lambda o: {"pk": o["unit_a"].organisation_id},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404),
    ),
    "accounts:membership_remove": (lambda o: {"pk": o["membership_a"].pk}, signed_in(405)),
    "accounts:membership_decide": (lambda o: {"pk": 1, "decision": "approve"}, signed_in(405)),
    "accounts:accept_invitation": (lambda o: {"token": o["invitation"].token}, everyone(200)),
    "estates:list": (lambda o: {}, everyone(200)),
    "estates:create": (lambda o: {}, only({"manager": 200, "staff_b": 200})),
    "estates:detail": (lambda o: {"pk": o["estate_a"].pk}, everyone(200)),
    "estates:edit": (lambda o: {"pk": o["estate_a"].pk}, only({"manager": 200})),
    "estates:plot_create": (lambda o: {"pk": o["estate_a"].pk}, only({"manager": 200})),
    "estates:plot_edit": (
        lambda o: {"pk": o["plot_a"].pk},
        only({"manager": 200, "officer": 403}, otherwise=404),
    ),
    "units:list": (lambda o: {}, everyone(200)),
    "units:create": (lambda o: {}, only({"manager": 200, "staff_b": 200})),
    "units:detail": (lambda o: {"pk": o["unit_a"].pk}, everyone(200)),
    "units:edit": (
        lambda o: {"pk": o["unit_a"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}),
    ),
    "units:change_status": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200})),
    "units:claim": (lambda o: {"pk": o["unit_a"].pk}, signed_in(200)),
    "units:claims": (lambda o: {}, signed_in(200)),
    "units:claim_review": (
        lambda o: {"pk": o["claim"].pk},
        only({"manager": 200, "officer": 200, "buyer": 403}, otherwise=404),
    ),
    "units:history": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200, "officer": 200})),
    "taxonomy:capability_suggest": (lambda o: {}, signed_in(200)),
    "taxonomy:capability_search": (lambda o: {}, signed_in(200)),
    "sourcing:request_list": (lambda o: {}, signed_in(200)),
    "sourcing:request_create": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "buyer": 200}),
    ),
    "sourcing:request_detail": (lambda o: {"pk": o["request"].pk}, signed_in(200)),
    "sourcing:request_edit": (lambda o: {"pk": o["request"].pk}, only({"manager": 200, "officer": 200})),
    "sourcing:request_move": (lambda o: {"pk": o["request"].pk, "state": "closed"}, signed_in(405)),
    "sourcing:request_suggest": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    # Nothing is being prepared: the poll answers 204 (and sends the page on) to those who see suggestions.
    "sourcing:suggestions_progress": (
        lambda o: {"pk": o["request"].pk},
        only({"manager": 204, "officer": 204, "buyer": 404, "unit_a_owner": 404}),
    ),
    "sourcing:request_invite": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    "sourcing:request_consent": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    "sourcing:linkage_start": (lambda o: {"pk": o["request"].pk}, signed_in(405)),
    "sourcing:invitation_list": (lambda o: {}, signed_in(200)),
    "sourcing:invitation_detail": (
        lambda o: {"pk": o["invitation_a"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200, "buyer": 403}, otherwise=404),
    ),
    "sourcing:linkage_list": (lambda o: {}, signed_in(200)),
    "sourcing:linkage_detail": (
        lambda o: {"pk": o["linkage"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200, "buyer": 200}, otherwise=404),
    ),
    "sourcing:gap_list": (lambda o: {}, signed_in(200)),
    "sourcing:directory": (lambda o: {}, signed_in(200)),
    "units:merge": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200})),
    "units:representatives": (lambda o: {"pk": o["unit_a"].pk}, signed_in(405)),
    # Imports: company staff see the batches; managers (and investment experts) import; never a unit.
    "imports:list": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "imports:new": (lambda o: {}, only({"manager": 200, "staff_b": 200})),
    "imports:detail": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    "imports:sheet": (lambda o: {"pk": o["batch"].pk}, only({"manager": 200, "officer": 403}, otherwise=404)),
    "imports:mapping": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 403}, otherwise=404),
    ),
    "imports:progress": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 204, "officer": 204}, otherwise=404),
    ),
    "imports:apply": (lambda o: {"pk": o["batch"].pk}, signed_in(405)),
    "imports:rejects": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    # Uploaded files: one permission-checked view (tests/test_file_downloads.py tries every kind in depth).
    "files:claim_evidence": (
        lambda o: {"pk": o["claim"].pk},
        only({"manager": 200, "officer": 200, "buyer": 200}, otherwise=404),  # the buyer is the claimant
    ),
    "files:request_attachment": (lambda o: {"pk": o["attachment"].pk}, signed_in(200)),
    # No document was uploaded with this invitation: nobody gets a file.
    "files:quote_document": (lambda o: {"pk": o["invitation_a"].pk}, signed_in(404)),
    "files:import_file": (
        lambda o: {"pk": o["batch"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    "files:investor_evidence": (
        lambda o: {"pk": o["evidence"].pk},
        only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404),
    ),
    "files:milestone_evidence": (
        lambda o: {"pk": o["milestone"].pk},
        only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404),
    ),
    "files:plant_progress_photo": (
        lambda o: {"pk": o["progress_report"].pk},
        only({"manager": 200, "officer": 200}, otherwise=404),
    ),
    "notifications:list": (lambda o: {}, signed_in(200)),
    "notifications:open": (
        lambda o: {"pk": o["notification"].pk},
        only({"unit_a_owner": "redirect"}, otherwise=404),
    ),
    "notifications:mark_all_read": (lambda o: {}, signed_in(405)),
    "notifications:bell": (lambda o: {}, signed_in("redirect")),  # htmx gets the fragment
    # Insights: the dashboard, its exports and the press report are the company's; statistics are public.
    "insights_dashboard": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "insights_chart_export": (
        lambda o: {"chart": "figures"},
        only({"manager": 200, "officer": 200, "staff_b": 200}),
    ),
    "insights_press_report": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "insights_statistics": (lambda o: {}, everyone(200)),
    "insights_open_data": (lambda o: {"dataset": "units", "file_format": "csv"}, everyone(200)),
    "insights_county_map": (lambda o: {}, everyone(200)),
    # The industrial clinic: company staff work the cases; a unit sees (and asks for) its own.
    "revival:case_list": (lambda o: {}, signed_in(200)),
    "revival:case_create": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "revival:case_detail": (
        lambda o: {"pk": o["case"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404),
    ),
    "revival:case_diagnosis": (
        lambda o: {"pk": o["case"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 403}, otherwise=404),
    ),
    "revival:intervention_create": (
        lambda o: {"pk": o["case"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 403}, otherwise=404),
    ),
    "revival:case_move": (lambda o: {"pk": o["case"].pk, "stage": "still_idle"}, signed_in(405)),
    # A unit's life cycle is the manager's (units: change_status), so is its return from the case.
    "revival:case_return": (
        lambda o: {"pk": o["case"].pk},
        only({"manager": 200, "officer": 403, "unit_a_owner": 403}, otherwise=404),
    ),
    "revival:case_outcome": (
        lambda o: {"pk": o["case"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 403}, otherwise=404),
    ),
    "revival:intervention_result": (
        lambda o: {"pk": o["intervention"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 403}, otherwise=404),
    ),
    "revival:intervention_link": (lambda o: {"pk": o["intervention"].pk}, signed_in(405)),
    # The unit's representative asks; staff are sent to the form that opens the case.
    "revival:case_request": (
        lambda o: {"unit_pk": o["unit_a"].pk},
        only({"manager": "redirect", "officer": "redirect", "unit_a_owner": 200}),
    ),
    # Without a period the list opens on the last 12 months; without filters, on the units at risk.
    "revival:returns": (
        lambda o: {},
        only({"manager": "redirect", "officer": "redirect", "staff_b": "redirect"}),
    ),
    "revival:at_risk": (
        lambda o: {},
        only({"manager": "redirect", "officer": "redirect", "staff_b": "redirect"}),
    ),
    "revival:figures": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    # Investors and land: the company's staff read, its reviewers decide; an investor sees only its own.
    "investment:investor_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}),
    ),
    "investment:investor_create": (
        lambda o: {},
        only({"manager": 200, "staff_b": 200, "investor": "redirect"}),  # the investor's file exists
    ),
    "investment:investor_detail": (
        lambda o: {"pk": o["investor_file"].pk},
        only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404),
    ),
    "investment:investor_edit": (
        lambda o: {"pk": o["investor_file"].pk},
        only({"manager": 200, "officer": 403, "investor": 200}, otherwise=404),
    ),
    "investment:evidence_add": (lambda o: {"pk": o["investor_file"].pk}, signed_in(405)),
    "investment:evidence_check": (lambda o: {"pk": o["evidence"].pk}, signed_in(405)),
    "investment:application_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}),
    ),
    "investment:application_create": (lambda o: {}, only({"manager": 200, "staff_b": 200, "investor": 200})),
    "investment:application_detail": (
        lambda o: {"pk": o["application"].pk},
        only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404),
    ),
    "investment:application_edit": (
        lambda o: {"pk": o["application"].pk},
        only({"manager": 200, "officer": 403, "investor": 200}, otherwise=404),
    ),
    "investment:application_move": (
        lambda o: {"pk": o["application"].pk, "state": "under_review"},
        signed_in(405),
    ),
    "investment:application_screen": (lambda o: {"pk": o["application"].pk}, signed_in(405)),
    "investment:application_approve": (lambda o: {"pk": o["application"].pk}, signed_in(405)),
    # Not approved yet: no contract to write, even for a reviewer.
    "investment:contract_create": (
        lambda o: {"pk": o["application"].pk},
        only({"manager": 404, "officer": 403, "investor": 403}, otherwise=404),
    ),
    "investment:contract_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}),
    ),
    "investment:contract_detail": (
        lambda o: {"pk": o["contract"].pk},
        only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404),
    ),
    "investment:contract_repossess": (lambda o: {"pk": o["contract"].pk}, signed_in(405)),
    "investment:milestone_done": (lambda o: {"pk": o["milestone"].pk}, signed_in(405)),
    "investment:overdue_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}),
    ),
    "investment:land_use": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "investment:weights": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "investment:land_use_edit": (lambda o: {"pk": o["estate_a"].pk}, only({"manager": 200})),
    # Green estates: plants, limits and connections are the company's; a unit sees its own tests, cases,
    # listings and exchanges.
    "green:dashboard": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:plant_list": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:plant_create": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:plant_detail": (lambda o: {"pk": o["plant"].pk}, only({"manager": 200, "officer": 200}, 404)),
    "green:plant_edit": (lambda o: {"pk": o["plant"].pk}, only({"manager": 200, "officer": 200}, 404)),
    "green:plant_progress": (lambda o: {"pk": o["plant"].pk}, only({"manager": 200, "officer": 200}, 404)),
    "green:plant_stage": (lambda o: {"pk": o["plant"].pk}, signed_in(405)),
    "green:limit_list": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:limit_edit": (lambda o: {"pk": o["limit"].pk}, only({"manager": 200, "officer": 403}, 404)),
    "green:connection_list": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:connection_edit": (lambda o: {"pk": o["unit_a"].pk}, only({"manager": 200, "officer": 200})),
    "green:test_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}),
    ),
    "green:test_create": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:test_detail": (
        lambda o: {"pk": o["effluent_test"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, 404),
    ),
    "green:case_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}),
    ),
    "green:case_detail": (
        lambda o: {"pk": o["effluent_test"].case.pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, 404),
    ),
    "green:listing_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}),
    ),
    "green:listing_create": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}),
    ),
    "green:listing_edit": (
        lambda o: {"pk": o["have"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, 404),
    ),
    "green:proposal_list": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "green:link_start": (lambda o: {}, signed_in(405)),
    "green:link_list": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}),
    ),
    "green:link_detail": (
        lambda o: {"pk": o["exchange"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200, "unit_b_owner": 200}, 404),
    ),
    # Trade: company staff record exports; a unit sees its own records, a buyer declares its own inputs.
    "trade:export_list": (lambda o: {}, signed_in(200)),
    "trade:export_create": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}),
    ),
    "trade:export_detail": (
        lambda o: {"pk": o["export_a"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404),
    ),
    "trade:export_edit": (
        lambda o: {"pk": o["export_a"].pk},
        only({"manager": 200, "officer": 200, "unit_a_owner": 403}, otherwise=404),
    ),
    "trade:export_delete": (lambda o: {"pk": o["export_a"].pk}, signed_in(405)),
    "trade:hs_suggest": (lambda o: {}, signed_in(200)),
    "trade:summary": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "trade:chains": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "trade:opportunities": (lambda o: {}, signed_in(200)),
    "trade:captured": (lambda o: {}, only({"manager": 200, "officer": 200, "staff_b": 200})),
    "trade:input_list": (lambda o: {}, signed_in(200)),
    "trade:input_create": (
        lambda o: {},
        only({"manager": 200, "officer": 200, "staff_b": 200, "buyer": 200}),
    ),
    "trade:input_detail": (
        lambda o: {"pk": o["input"].pk},
        only({"manager": 200, "officer": 200, "buyer": 200}, otherwise=404),
    ),
    "trade:input_edit": (
        lambda o: {"pk": o["input"].pk},
        only({"manager": 200, "officer": 200, "buyer": 200}, otherwise=404),
    ),
    "trade:input_open_request": (lambda o: {"pk": o["input"].pk}, signed_in(405)),
    # The API: the same gate (401 where a page would send to the login page; 404 to outsiders).
    "api:api-root": (lambda o: {}, everyone(200)),
    "api:schema": (lambda o: {}, everyone(200)),
    "api:docs": (lambda o: {}, everyone(200)),
    "api:redoc": (lambda o: {}, everyone(200)),
    "api:kpis": (lambda o: {}, everyone(200)),
    "api:tokens": (lambda o: {}, signed_in(200)),
    "api:token_revoke": (lambda o: {"pk": 1}, signed_in(405)),
    "api:estate-list": (lambda o: {}, everyone(200)),
    "api:estate-detail": (lambda o: {"pk": o["estate_a"].pk}, everyone(200)),
    "api:plot-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:plot-detail": (
        lambda o: {"pk": o["plot_a"].pk},
        {**everyone(404), "manager": 200, "officer": 200, "anonymous": 401},
    ),
    "api:unit-list": (lambda o: {}, everyone(200)),
    "api:unit-detail": (lambda o: {"pk": o["unit_a"].pk}, everyone(200)),
    "api:organisation-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:organisation-detail": (
        lambda o: {"pk": o["unit_a"].organisation_id},
        {**everyone(404), "manager": 200, "officer": 200, "unit_a_owner": 200, "anonymous": 401},
    ),
    "api:request-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:request-detail": (lambda o: {"pk": o["request"].pk}, {**everyone(200), "anonymous": 401}),
    "api:match-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:match-detail": (
        lambda o: {"pk": o["match"].pk},
        {**everyone(404), "manager": 200, "officer": 200, "anonymous": 401},
    ),
    "api:invitation-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:invitation-detail": (
        lambda o: {"pk": o["invitation_a"].pk},
        {**everyone(404), "manager": 200, "officer": 200, "unit_a_owner": 200, "anonymous": 401},
    ),
    "api:linkage-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:linkage-detail": (
        lambda o: {"pk": o["linkage"].pk},
        {
            **everyone(404),
            "manager": 200,
            "officer": 200,
            "unit_a_owner": 200,
            "buyer": 200,
            "anonymous": 401,
        },
    ),
    "api:invitation-answer": (lambda o: {"pk": o["invitation_a"].pk}, everyone(405)),
    "api:gap-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:gap-detail": (
        lambda o: {"pk": o["gap"].pk},
        {**everyone(404), "manager": 200, "officer": 200, "anonymous": 401},
    ),
    # The later apps' resources answer as their pages do (403 where the list page refuses, 404 to outsiders).
    "api:revival-case-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:revival-case-detail": (
        lambda o: {"pk": o["case"].pk},
        {**only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:investor-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}), "anonymous": 401},
    ),
    "api:investor-detail": (
        lambda o: {"pk": o["investor_file"].pk},
        {**only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:application-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}), "anonymous": 401},
    ),
    "api:application-detail": (
        lambda o: {"pk": o["application"].pk},
        {**only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:contract-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200, "investor": 200}), "anonymous": 401},
    ),
    "api:contract-detail": (
        lambda o: {"pk": o["contract"].pk},
        {**only({"manager": 200, "officer": 200, "investor": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:treatment-plant-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200}), "anonymous": 401},
    ),
    "api:treatment-plant-detail": (
        lambda o: {"pk": o["plant"].pk},
        {**only({"manager": 200, "officer": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:effluent-test-list": (
        lambda o: {},
        {
            **only(
                {"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}
            ),
            "anonymous": 401,
        },
    ),
    "api:effluent-test-detail": (
        lambda o: {"pk": o["effluent_test"].pk},
        {**only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:compliance-case-list": (
        lambda o: {},
        {
            **only(
                {"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}
            ),
            "anonymous": 401,
        },
    ),
    "api:compliance-case-detail": (
        lambda o: {"pk": o["effluent_test"].case.pk},
        {**only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:land-use-plan-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200}), "anonymous": 401},
    ),
    "api:land-use-plan-detail": (
        lambda o: {"pk": o["estate_a"].pk},
        {**only({"manager": 200, "officer": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:screening-weights": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200}), "anonymous": 401},
    ),
    "api:treatment-plant-stage": (lambda o: {"pk": o["plant"].pk}, everyone(405)),
    "api:treatment-plant-progress": (lambda o: {"pk": o["plant"].pk}, everyone(405)),
    "api:discharge-limit-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200}), "anonymous": 401},
    ),
    "api:discharge-limit-detail": (
        lambda o: {"pk": o["limit"].pk},
        {**only({"manager": 200, "officer": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:discharge-limit-adopt-defaults": (lambda o: {}, everyone(405)),
    "api:sewer-connection-list": (
        lambda o: {},
        {**only({"manager": 200, "officer": 200, "staff_b": 200}), "anonymous": 401},
    ),
    "api:sewer-connection-detail": (
        lambda o: {"pk": o["unit_a"].pk},
        {**only({"manager": 200, "officer": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:compliance-case-resolve": (lambda o: {"pk": o["effluent_test"].case.pk}, everyone(405)),
    "api:resource-listing-list": (
        lambda o: {},
        {
            **only(
                {"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}
            ),
            "anonymous": 401,
        },
    ),
    "api:resource-listing-detail": (
        lambda o: {"pk": o["have"].pk},
        {**only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:symbiosis-exchange-list": (
        lambda o: {},
        {
            **only(
                {"manager": 200, "officer": 200, "staff_b": 200, "unit_a_owner": 200, "unit_b_owner": 200}
            ),
            "anonymous": 401,
        },
    ),
    "api:symbiosis-exchange-detail": (
        lambda o: {"pk": o["exchange"].pk},
        {
            **only({"manager": 200, "officer": 200, "unit_a_owner": 200, "unit_b_owner": 200}, otherwise=404),
            "anonymous": 401,
        },
    ),
    "api:symbiosis-exchange-move": (lambda o: {"pk": o["exchange"].pk}, everyone(405)),
    "api:export-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:export-detail": (
        lambda o: {"pk": o["export_a"].pk},
        {**only({"manager": 200, "officer": 200, "unit_a_owner": 200}, otherwise=404), "anonymous": 401},
    ),
    "api:export-hs-suggestions": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:buyer-input-open-request": (lambda o: {"pk": o["input"].pk}, everyone(405)),
    "api:revival-case-diagnosis": (lambda o: {"pk": o["case"].pk}, everyone(405)),
    "api:revival-case-interventions": (lambda o: {"pk": o["case"].pk}, everyone(405)),
    "api:revival-case-move": (lambda o: {"pk": o["case"].pk}, everyone(405)),
    "api:revival-case-return-to-production": (lambda o: {"pk": o["case"].pk}, everyone(405)),
    "api:revival-case-outcome": (lambda o: {"pk": o["case"].pk}, everyone(405)),
    "api:revival-case-intervention-result": (
        lambda o: {"pk": o["case"].pk, "intervention": o["intervention"].pk},
        everyone(405),
    ),
    "api:revival-case-intervention-link": (
        lambda o: {"pk": o["case"].pk, "intervention": o["intervention"].pk},
        everyone(405),
    ),
    "api:investor-evidence": (lambda o: {"pk": o["investor_file"].pk}, everyone(405)),
    "api:investor-evidence-check": (
        lambda o: {"pk": o["investor_file"].pk, "evidence": o["evidence"].pk},
        everyone(405),
    ),
    "api:application-move": (lambda o: {"pk": o["application"].pk}, everyone(405)),
    "api:application-screen": (lambda o: {"pk": o["application"].pk}, everyone(405)),
    "api:application-approve": (lambda o: {"pk": o["application"].pk}, everyone(405)),
    "api:application-contract": (lambda o: {"pk": o["approved_open"].pk}, everyone(405)),
    "api:contract-repossess": (lambda o: {"pk": o["contract"].pk}, everyone(405)),
    "api:contract-milestone-done": (
        lambda o: {"pk": o["contract"].pk, "milestone": o["milestone"].pk},
        everyone(405),
    ),
    "api:buyer-input-list": (lambda o: {}, {**everyone(200), "anonymous": 401}),
    "api:buyer-input-detail": (
        lambda o: {"pk": o["input"].pk},
        {**only({"manager": 200, "officer": 200, "buyer": 200}, otherwise=404), "anonymous": 401},
    ),
}
