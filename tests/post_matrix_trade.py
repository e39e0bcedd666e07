"""The permission matrix's POST declarations for the trade app's state-changing URLs.

Each entry has the shape of ``matrix_support.PostEntry``: (kwargs builder, valid-form data builder, check that
the write happened, {persona: answer}); ``test_permission_matrix.py`` runs them for every persona.

Who may write (core/permissions.py, trade/services.py): the estate company's managers and linkage officers
record, correct and delete export records and open sourcing requests for declared inputs; a unit's people
state their own unit's exports (never a customs figure); a buyer declares and edits its own inputs; the
opportunities page and an input's page are reads and refuse a POST.
"""

from __future__ import annotations

from typing import Any

from .matrix_support import DONE, Objects, PostEntry, _changed, _own_estate, as_post, only, signed_in

NEW_PRODUCT = "چای سیاه بسته‌بندی"
NEW_INPUT = "پوسته پمپ چدنی"


def _exporting_unit(o: Objects, user: Any) -> Any:
    """The unit the persona records an export for: its own (unit B for its owner, one of company B's
    units for company B's staff), unit A otherwise."""
    from peyvand.core import permissions

    if o["unit_b"].organisation_id in permissions.organisations(user, "production_unit"):
        return o["unit_b"]
    estate = _own_estate(o, user)
    if estate == o["estate_a"]:
        return o["unit_a"]
    from .factories import UnitFactory

    return UnitFactory(estate=estate)


def _export_create(o: Objects, user: Any) -> dict[str, Any]:
    data = {
        "exporter_kind": "units",
        "unit": str(_exporting_unit(o, user).pk),
        "product": NEW_PRODUCT,
        "hs_code": "۰۹۰۲۴۰",
        "destination": "IQ",
        "value_usd": "۱۲٬۵۰۰",
        "year": "۱۴۰۴",
        "month": "7",
        "source": "customs",
    }
    return data  # a unit's people get no exporter or source fields: theirs is the unit's own statement


def _export_edit(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.trade.forms import ExportRecordForm

    return as_post(ExportRecordForm(instance=o["export_a"], user=o["manager"]), note="رقم گمرک اصلاح شد")


def _served_buyer(o: Objects, user: Any) -> Any:
    """The buyer, served by the persona's estate company (staff declare inputs for the buyers they serve)."""
    buyer = o["input"].buyer
    buyer.company_id = _own_estate(o, user).company_id
    buyer.save(update_fields=["company"])
    return buyer


def _input_create(o: Objects, user: Any) -> dict[str, Any]:
    return {
        "buyer": str(_served_buyer(o, user).pk),
        "name": NEW_INPUT,
        "hs_code": "۸۴۱۳۹۱",
        "yearly_quantity": "۱۲۰۰",
        "quantity_unit": "عدد",
        "yearly_value_rial": "۹٬۰۰۰٬۰۰۰٬۰۰۰",
        "origin": "imported",
    }


def _input_edit(o: Objects, user: Any) -> dict[str, Any]:
    from peyvand.trade.forms import BuyerInputForm

    _served_buyer(o, user)
    return as_post(BuyerInputForm(instance=o["input"], user=o["manager"]), name="ورق فولادی گالوانیزه")


STAFF_A = {"manager": DONE, "officer": DONE}

POST: dict[str, PostEntry] = {
    # Staff record any source for their company's units; each unit states its own exports.
    "trade:export_create": (
        lambda o: {},
        _export_create,
        _changed("trade.ExportRecord", product=NEW_PRODUCT),
        only({**STAFF_A, "staff_b": DONE, "unit_a_owner": DONE, "unit_b_owner": DONE}),
    ),
    # A customs figure: the company corrects it; unit A sees it but corrects only its own statements.
    "trade:export_edit": (
        lambda o: {"pk": o["export_a"].pk},
        _export_edit,
        _changed("trade.ExportRecord", note="رقم گمرک اصلاح شد"),
        only({**STAFF_A, "unit_a_owner": 403}, otherwise=404),
    ),
    "trade:export_delete": (
        lambda o: {"pk": o["export_a"].pk},
        lambda o, u: {},
        lambda o, u: not o["export_a"].__class__.objects.filter(pk=o["export_a"].pk).exists(),
        only({**STAFF_A, "unit_a_owner": 403}, otherwise=404),
    ),
    # A buyer declares its own inputs; company staff declare them for the buyers they serve.
    "trade:input_create": (
        lambda o: {},
        _input_create,
        _changed("trade.BuyerInput", name=NEW_INPUT),
        only({**STAFF_A, "staff_b": DONE, "buyer": DONE}),
    ),
    "trade:input_edit": (
        lambda o: {"pk": o["input"].pk},
        _input_edit,
        _changed("trade.BuyerInput", name="ورق فولادی گالوانیزه"),
        only({**STAFF_A, "buyer": DONE}, otherwise=404),
    ),
    # Opening a sourcing request for an input is brokering: the company's staff, not the buyer.
    "trade:input_open_request": (
        lambda o: {"pk": o["input"].pk},
        lambda o, u: {},
        _changed("trade.BuyerInput", request__isnull=False),
        only({**STAFF_A, "buyer": 403}, otherwise=404),
    ),
    # Reads: a POST is refused before anything is asked of the matching engine (which may queue a build).
    "trade:opportunities": (
        lambda o: {},
        lambda o, u: {"page": "1"},
        lambda o, u: False,
        signed_in(405),
    ),
    "trade:input_detail": (
        lambda o: {"pk": o["input"].pk},
        lambda o, u: {},
        lambda o, u: False,
        signed_in(405),
    ),
}
