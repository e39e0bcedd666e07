"""The permission matrix's POST declarations for the green app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.

Who may write (core/permissions.py): the estate company's staff register and move plants, record tests,
connections and resolutions; the company's managers (and environment experts) set the limits, its linkage
officers only read them; officers and managers broker exchanges; a unit's people list their own haves and
wants and only read their tests, cases and exchanges; another company's staff reach nothing of company A.
"""

from __future__ import annotations

from typing import Any

from .matrix_support import DONE, Objects, PostEntry, _changed, _own_estate, _today, as_post, only

NEW_PLANT = "تصفیه‌خانه فاز دو"
NEW_LAB = "آزمایشگاه آب و خاک استان"
NEW_LISTING = "خاک‌اره کارگاه نجاری"


def _own_unit(o: Objects, user: Any) -> Any:
    """A unit the persona may act for: unit B for its owner, one of company B's for its staff, else unit A."""
    from peyvand.core import permissions

    if o["unit_b"].organisation_id in permissions.organisations(user, "production_unit"):
        return o["unit_b"]
    estate = _own_estate(o, user)
    if estate == o["estate_a"]:
        return o["unit_a"]
    from .factories import UnitFactory

    return UnitFactory(estate=estate)


def _plant_create(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.green.forms import PlantForm

    return as_post(
        PlantForm(user=o["manager"]),
        name=NEW_PLANT,
        estates=[str(_own_estate(o, user).pk)],
        capacity_m3_day="۲۰۰۰",
        technology="mbbr",
        stage_since=_today(),
    )


def _plant_edit(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.green.forms import PlantForm

    return as_post(PlantForm(instance=o["plant"], user=o["manager"]), contractor="پیمانکار تازه")


def _limit_edit(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.green.forms import LimitForm

    limit = o["limit"]
    return as_post(LimitForm(instance=limit), maximum=str(limit.maximum + 1))


def _limit_raised(o: Objects, user: Any) -> bool:
    limit = o["limit"]
    return limit.__class__.objects.filter(pk=limit.pk, maximum=limit.maximum + 1).exists()


def _one_limit_missing(o: Objects, user: Any) -> dict[str, Any]:
    """Company A lacks one of its limits (its sewer COD, not the world's ``limit``): the button adopts it."""
    o["estate_a"].company.discharge_limits.exclude(pk=o["limit"].pk).filter(parameter="cod").delete()
    return {}


def _limits_adopted(o: Objects, user: Any) -> bool:
    from peyvand.core import permissions
    from peyvand.green.choices import DEFAULT_LIMITS
    from peyvand.green.models import DischargeLimit

    wanted = sum(len(limits) for limits in DEFAULT_LIMITS.values())
    company = permissions.organisations(user, "estate_company")[0]
    return DischargeLimit.objects.filter(company_id=company).count() == wanted


def _test_create(o: Objects, user: Any) -> dict[str, Any]:
    return {
        "unit": str(_own_unit(o, user).pk),
        "sampled_on": _today(),
        "lab": NEW_LAB,
        "receiving_body": "sewer",
        "cod": "۱۲۰",
        "ph": "7.2",
    }


def _listing_create(o: Objects, user: Any) -> dict[str, Any]:
    return {
        "unit": str(_own_unit(o, user).pk),
        "direction": "have",
        "material": "sawdust",
        "description": NEW_LISTING,
        "tonnes_per_year": "۸۰",
        "form": "solid",
        "active": "on",
    }


def _listing_edit(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.green.forms import ListingForm

    return as_post(ListingForm(instance=o["have"], user=o["manager"]), description="پوسته برنج بسته‌بندی‌شده")


def _new_pair(o: Objects, user: Any) -> dict[str, Any]:
    """A fresh have of unit A and want of unit B (the world's pair is already being brokered)."""
    from peyvand.green.models import ResourceListing

    o["have_2"] = ResourceListing.objects.create(
        unit=o["unit_a"], direction="have", material="rice_bran", description="سبوس برنج", tonnes_per_year=50
    )
    want = ResourceListing.objects.create(
        unit=o["unit_b"], direction="want", material="rice_bran", description="خوراک دام", tonnes_per_year=40
    )
    return {"have": str(o["have_2"].pk), "want": str(want.pk)}


STAFF_A = {"manager": DONE, "officer": DONE}

POST: dict[str, PostEntry] = {
    # Company staff register plants for their own estates (company B's staff for one of theirs).
    "green:plant_create": (
        lambda o: {},
        _plant_create,
        _changed("green.TreatmentPlant", name=NEW_PLANT),
        only({**STAFF_A, "staff_b": DONE}),
    ),
    "green:plant_edit": (
        lambda o: {"pk": o["plant"].pk},
        _plant_edit,
        _changed("green.TreatmentPlant", contractor="پیمانکار تازه"),
        only(STAFF_A, otherwise=404),
    ),
    "green:plant_progress": (
        lambda o: {"pk": o["plant"].pk},
        lambda o, u: {"date": _today(), "percent": "۶۵", "note": "بتن‌ریزی حوض هوادهی"},
        _changed("green.ProgressReport", percent=65),
        only(STAFF_A, otherwise=404),
    ),
    "green:plant_stage": (
        lambda o: {"pk": o["plant"].pk},
        lambda o, u: {"stage-to_stage": "commissioning", "stage-date": _today(), "stage-note": "راه‌اندازی"},
        _changed("green.TreatmentPlant", stage="commissioning"),
        only(STAFF_A, otherwise=404),
    ),
    # Adopting the national default limits is the explicit step (a GET of the grid writes nothing); the
    # linkage officer reads the limits but does not set them.
    "green:limit_list": (
        lambda o: {},
        _one_limit_missing,
        _limits_adopted,
        only({"manager": DONE, "staff_b": DONE, "officer": 403}),
    ),
    "green:limit_edit": (
        lambda o: {"pk": o["limit"].pk},
        _limit_edit,
        _limit_raised,
        only({"manager": DONE, "officer": 403}, otherwise=404),
    ),
    # Unit A's sewer connection: its company's staff; the unit reads its own profile but not this.
    "green:connection_edit": (
        lambda o: {"pk": o["unit_a"].pk},
        lambda o, u: {"connected": "on", "connected_on": _today(), "receiving_body": "sewer"},
        _changed("green.UnitConnection", connected=True),
        only(STAFF_A),
    ),
    "green:test_create": (
        lambda o: {},
        _test_create,
        _changed("green.EffluentTest", lab=NEW_LAB),
        only({**STAFF_A, "staff_b": DONE}),
    ),
    # The case page resolves the case: the company's staff; the unit sees its case but does not close it.
    "green:case_detail": (
        lambda o: {"pk": o["effluent_test"].case.pk},
        lambda o, u: {"date": _today(), "resolution": "پیش‌تصفیه نصب و آزمون دوباره انجام شد"},
        _changed("green.ComplianceCase", state="resolved"),
        only({**STAFF_A, "unit_a_owner": 403}, otherwise=404),
    ),
    "green:listing_create": (
        lambda o: {},
        _listing_create,
        _changed("green.ResourceListing", description=NEW_LISTING),
        only({**STAFF_A, "staff_b": DONE, "unit_a_owner": DONE, "unit_b_owner": DONE}),
    ),
    "green:listing_edit": (
        lambda o: {"pk": o["have"].pk},
        _listing_edit,
        _changed("green.ResourceListing", description="پوسته برنج بسته‌بندی‌شده"),
        only({**STAFF_A, "unit_a_owner": DONE}, otherwise=404),
    ),
    # Brokering: company A's staff; company B's staff do not see A's listings; units may not broker.
    "green:link_start": (
        lambda o: {},
        _new_pair,
        lambda o, u: o["exchange"].__class__.objects.filter(have=o["have_2"]).exists(),
        only({**STAFF_A, "staff_b": 404}),
    ),
    # The exchange page moves it on: the brokers; the two units follow it but do not move it.
    "green:link_detail": (
        lambda o: {"pk": o["exchange"].pk},
        lambda o, u: {"to_stage": "trial", "date": _today(), "note": "محموله آزمایشی"},
        _changed("green.SymbiosisLink", stage="trial"),
        only({**STAFF_A, "unit_a_owner": 403, "unit_b_owner": 403}, otherwise=404),
    ),
}
