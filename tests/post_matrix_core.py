"""The permission matrix's POST declarations for the first apps' state-changing URLs: accounts, estates,
units, the bridge (sourcing), imports and notifications.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.
"""

from __future__ import annotations

from typing import Any

from .matrix_support import (
    DONE,
    Objects,
    PostEntry,
    _changed,
    _own_estate,
    _today,
    _user_field,
    as_post,
    everyone,
    only,
    signed_in,
)


def _unit_edit_data(o: Objects) -> dict[str, Any]:
    from peyvand.units.forms import ProductFormSet, UnitForm

    data = as_post(UnitForm(instance=o["unit_a"], user=o["manager"]), capacity="۵۰۰ تن در سال")
    formset = ProductFormSet(instance=o["unit_a"], prefix="products")
    data.update({f"products-{key}": value for key, value in formset.management_form.initial.items()})
    return data


def _unit_create_data(o: Objects) -> dict[str, Any]:
    from peyvand.units.forms import UnitCreateForm

    return as_post(
        UnitCreateForm(user=o["manager"]),
        name="کارگاه تازه",
        estate=str(o["estate_a"].pk),
        initial_status="operating",
        status_since="1404/01/15",
    )


def _request_form_data(o: Objects, **changes: Any) -> dict[str, Any]:
    from peyvand.sourcing.forms import SourcingRequestForm

    return as_post(SourcingRequestForm(instance=o["request"], user=o["manager"]), **changes)


def _estate_data(o: Objects, **changes: Any) -> dict[str, Any]:
    from peyvand.estates.forms import EstateForm

    return as_post(EstateForm(instance=o["estate_a"], user=o["manager"]), **changes)


def _estate_create(o: Objects, user: Any) -> dict[str, Any]:
    estate = _own_estate(o, user)
    return _estate_data(
        o, name="شهرک صنعتی تازه", name_en="New Estate", code="new-estate", company=str(estate.company_id)
    )


def _new_unit(o: Objects, user: Any) -> dict[str, Any]:
    return {**_unit_create_data(o), "estate": str(_own_estate(o, user).pk)}


def _new_request(o: Objects, user: Any) -> dict[str, Any]:
    buyer = o["request"].buyer
    estate = _own_estate(o, user)
    buyer.company_id = estate.company_id  # staff file requests for the buyers their company serves
    buyer.save(update_fields=["company"])
    return _request_form_data(o, title="خرید بدنه شیر", buyer=str(buyer.pk))


def _quote(o: Objects, user: Any) -> dict[str, Any]:
    return {"quote": "1", "quote-price_rial": "۱۲۰٬۰۰۰", "quote-lead_time_days": "30"}


def _import_upload(o: Objects, user: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "نام واحد,شهرک\nواحد تازه,شهرک آزمایشی\n".encode()
    return {"kind": "units", "file": SimpleUploadedFile("units.csv", csv, content_type="text/csv")}


def _batch_with_file(o: Objects, **state: Any) -> Any:
    """The import batch with a small CSV of units (and the state given), as step 1 leaves it."""
    from django.core.files.base import ContentFile

    batch = o["batch"]
    if batch.original_name != "units.csv":  # the world's batch holds a stand-in .xlsx for the download check
        batch.original_name = "units.csv"
        batch.file.save(
            "units.csv", ContentFile("نام واحد,شهرک\nواحد تازه,شهرک آزمایشی\n".encode()), save=False
        )
    for name, value in state.items():
        setattr(batch, name, value)
    batch.save()
    return batch


def _pending(o: Objects, user: Any) -> dict[str, Any]:
    """The officer asks to act for the unit too: a membership joining staff and client roles waits."""
    from peyvand.accounts.models import PendingMembership, User

    officer = User.objects.get(username="officer_a")
    o["pending"], _created = PendingMembership.objects.get_or_create(
        user=officer, organisation=o["unit_a"].organisation, defaults={"role": "editor"}
    )
    return {}


def _mapping(o: Objects, user: Any) -> dict[str, Any]:
    _batch_with_file(o, sheet="units")
    return {"header_row": "1", "column_0": "name", "column_1": "estate", "check": "1"}


def _checked(o: Objects, user: Any) -> dict[str, Any]:
    _batch_with_file(o, sheet="units", header_row=1, mapping={"0": "name", "1": "estate"}, state="checked")
    return {"mode": "valid"}


NEW_PASSWORD = "a-much-longer-Pass-9"

POST: dict[str, PostEntry] = {
    "set_language": (
        lambda o: {},
        lambda o, u: {"language": "en", "next": "/"},
        _user_field("preferred_language", "en"),
        {**signed_in(DONE), "anonymous": "redirect"},  # the anonymous choice lives in a cookie only
    ),
    "accounts:login": (
        lambda o: {},
        lambda o, u: {"username": "manager_a", "password": "peyvand-test"},
        _changed("accounts.User", username="manager_a", last_login__isnull=False),
        {**everyone("redirect"), "anonymous": DONE},
    ),
    "accounts:logout": (lambda o: {}, lambda o, u: {}, lambda o, u: True, everyone("redirect")),
    "accounts:profile": (
        lambda o: {},
        lambda o, u: {
            "first_name": "نام تازه",
            "email": "fresh@example.ir",
            "preferred_language": "fa",
            "money_unit": "toman",
        },
        _user_field("first_name", "نام تازه"),
        signed_in(DONE),
    ),
    "accounts:password_change": (
        lambda o: {},
        lambda o, u: {
            "old_password": "peyvand-test",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        lambda o, u: u.__class__.objects.get(pk=u.pk).check_password(NEW_PASSWORD),
        signed_in(DONE),
    ),
    # The reset e-mail is sent (or not) without telling whether the address exists; nothing is stored.
    "accounts:password_reset": (
        lambda o: {},
        lambda o, u: {"email": "owner_a@example.ir"},
        lambda o, u: True,
        everyone("redirect"),
    ),
    "accounts:password_reset_confirm": (
        lambda o: {"uidb64": "MQ", "token": "set-password"},
        lambda o, u: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        lambda o, u: True,
        everyone(200),  # the link is not valid: the page says so and changes nothing
    ),
    "accounts:organisation_create": (
        lambda o: {},
        lambda o, u: {"kind": "buyer", "name": "خریدار تازه", "name_en": "New Buyer"},
        _changed("accounts.Organisation", name="خریدار تازه"),
        only({"manager": DONE, "officer": DONE, "staff_b": DONE}),
    ),
    "accounts:organisation_detail": (
        lambda o: {"pk": o["unit_a"].organisation_id},
        lambda o, u: {"email": "fresh@example.ir", "role": "editor"},
        _changed("accounts.Invitation", email="fresh@example.ir"),
        only({"manager": DONE, "officer": DONE, "unit_a_owner": DONE}, otherwise=404),
    ),
    "accounts:membership_remove": (
        lambda o: {"pk": o["membership_a"].pk},
        lambda o, u: {},
        lambda o, u: not o["membership_a"].__class__.objects.filter(pk=o["membership_a"].pk).exists(),
        only({"manager": DONE, "officer": 403, "unit_a_owner": "redirect"}, otherwise=404),
    ),
    "accounts:accept_invitation": (
        lambda o: {"token": o["invitation"].token},
        lambda o, u: {
            "username": "newcomer",
            "email": "new@example.ir",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        _changed("accounts.Invitation", email="new@example.ir", state="accepted"),
        everyone(DONE),
    ),
    "estates:create": (
        lambda o: {},
        _estate_create,
        _changed("estates.IndustrialEstate", code="new-estate"),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "estates:edit": (
        lambda o: {"pk": o["estate_a"].pk},
        lambda o, u: _estate_data(o, description="توضیح تازه"),
        _changed("estates.IndustrialEstate", description="توضیح تازه"),
        only({"manager": DONE}),
    ),
    "estates:plot_create": (
        lambda o: {"pk": o["estate_a"].pk},
        lambda o, u: {"number": "P-NEW", "area_m2": "۱۵۰۰", "state": "free"},
        _changed("estates.Plot", number="P-NEW"),
        only({"manager": DONE}),
    ),
    "estates:plot_edit": (
        lambda o: {"pk": o["plot_a"].pk},
        lambda o, u: {"number": o["plot_a"].number, "area_m2": "2500", "state": "free"},
        _changed("estates.Plot", area_m2=2500),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "units:create": (
        lambda o: {},
        _new_unit,
        _changed("units.ProductionUnit", name="کارگاه تازه"),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "units:edit": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: _unit_edit_data(o),
        _changed("units.ProductionUnit", capacity="۵۰۰ تن در سال"),
        only({"manager": DONE, "officer": DONE, "unit_a_owner": DONE}),
    ),
    "units:change_status": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"to_status": "idle", "date": _today(), "cause": "market", "note": "بازار ضعیف"},
        _changed("units.StatusChange", to_status="idle", note="بازار ضعیف"),
        only({"manager": DONE}),
    ),
    "units:claim": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"position": "مدیر فروش", "evidence": "پروانه بهره‌برداری ۴۵۶"},
        lambda o, u: o["claim"].__class__.objects.filter(user=u, evidence="پروانه بهره‌برداری ۴۵۶").exists(),
        # Its representative already acts for it, and the buyer's claim is being reviewed: a message each.
        {**signed_in(DONE), "unit_a_owner": 200, "buyer": 200},
    ),
    "units:claim_review": (
        lambda o: {"pk": o["claim"].pk},
        lambda o, u: {"decision": "reject", "note": "مدرک کافی نیست"},
        _changed("units.ClaimRequest", state="rejected"),
        only({"manager": DONE, "officer": DONE, "buyer": 403}, otherwise=404),
    ),
    "units:representatives": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {},
        lambda o, u: True,
        only({"manager": "redirect", "officer": "redirect", "unit_a_owner": 403}),
    ),
    "units:merge": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"duplicate": str(o["unit_b"].pk), "confirm": "on"},
        lambda o, u: not o["unit_b"].__class__.objects.filter(pk=o["unit_b"].pk).exists(),
        only({"manager": DONE}),
    ),
    "sourcing:request_create": (
        lambda o: {},
        _new_request,
        _changed("sourcing.SourcingRequest", title="خرید بدنه شیر"),
        only({"manager": DONE, "officer": DONE, "staff_b": DONE, "buyer": DONE}),
    ),
    "sourcing:request_edit": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: _request_form_data(o, title="خرید پوسته پمپ آلومینیومی"),
        _changed("sourcing.SourcingRequest", title="خرید پوسته پمپ آلومینیومی"),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:request_move": (
        lambda o: {"pk": o["request"].pk, "state": "closed"},
        lambda o, u: {"note": "بسته شد"},
        _changed("sourcing.SourcingRequest", state="closed"),
        only({"manager": DONE, "officer": DONE, "buyer": DONE}),
    ),
    "sourcing:request_suggest": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {},
        _changed("sourcing.SourcingRequest", suggestion_requested_at__isnull=False),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:request_invite": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {"units": [str(o["unit_b"].pk)]},
        lambda o, u: o["invitation_a"].__class__.objects.filter(unit=o["unit_b"]).exists(),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:request_consent": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {},
        _changed("sourcing.SourcingRequest", buyer_consented=True),
        only({"buyer": DONE}),
    ),
    "sourcing:linkage_start": (
        lambda o: {"pk": o["request"].pk},
        lambda o, u: {"unit": str(o["unit_b"].pk)},
        lambda o, u: o["linkage"].__class__.objects.filter(unit=o["unit_b"]).exists(),
        only({"manager": DONE, "officer": DONE}),
    ),
    "sourcing:invitation_detail": (
        lambda o: {"pk": o["invitation_a"].pk},
        _quote,
        _changed("sourcing.SupplierInvitation", state="quoted", price_rial=120000),
        only({"unit_a_owner": DONE, "manager": 403, "officer": 403, "buyer": 403}, otherwise=404),
    ),
    "sourcing:linkage_detail": (
        lambda o: {"pk": o["linkage"].pk},
        lambda o, u: {"to_stage": "meeting_held", "date": _today(), "note": "جلسه برگزار شد"},
        _changed("sourcing.Linkage", stage="meeting_held"),
        only({"manager": DONE, "officer": DONE, "unit_a_owner": 403, "buyer": 403}, otherwise=404),
    ),
    "accounts:membership_decide": (
        lambda o: {"pk": o["pending"].pk, "decision": "refuse"},
        _pending,
        _changed("accounts.PendingMembership", state="refused"),
        # Only the company's managers decide; the officer does not decide its own membership.
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "imports:new": (
        lambda o: {},
        _import_upload,
        lambda o, u: o["batch"].__class__.objects.filter(original_name="units.csv").exists(),
        only({"manager": DONE, "staff_b": DONE}),
    ),
    "imports:sheet": (
        lambda o: {"pk": o["batch"].pk},
        lambda o, u: _batch_with_file(o) and {"sheet": "units"},
        _changed("imports.ImportBatch", sheet="units"),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "imports:mapping": (
        lambda o: {"pk": o["batch"].pk},
        _mapping,
        lambda o, u: o["batch"].__class__.objects.exclude(state="uploaded").exists(),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "imports:apply": (
        lambda o: {"pk": o["batch"].pk},
        _checked,
        lambda o, u: o["batch"].__class__.objects.filter(applied_at__isnull=False).exists(),
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    "notifications:mark_all_read": (
        lambda o: {},
        lambda o, u: {},
        _changed("notifications.Notification", read_at__isnull=False),
        {**signed_in("redirect"), "unit_a_owner": DONE},
    ),
}
