"""The hostile pass over a running server (each persona, today's new surfaces): what made a page fail.

* "²" (and the other superscripts) is a digit to Python's ``str.isdigit`` but no number to ``int``: an id
  typed with it in a query string or a form, or a date typed with it, was a server error;
* a typed value with "%" in it, refused by an API filter, was a server error (the error message was
  formatted a second time);
* a control character in a name made every xlsx export holding it a file spreadsheet programs refuse.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peyvand.core.jalali import DateParseError, parse_date

from .matrix_world import _bridge

SUPERSCRIPT = "\u00b2"  # ² — str.isdigit() says yes, int() says no

pytestmark = pytest.mark.django_db


@pytest.fixture
def bridge(estate_a, unit_a, buyer) -> dict:
    return _bridge(estate_a, unit_a, buyer)


def _no_server_error(response) -> None:
    assert response.status_code < 500, response.status_code


@pytest.mark.parametrize(
    "typed", [f"1405/0{SUPERSCRIPT}/10", f"1405/02/1{SUPERSCRIPT}", f"140{SUPERSCRIPT}0210"]
)
def test_a_date_typed_with_a_superscript_digit_is_refused_by_name(typed) -> None:
    with pytest.raises(DateParseError):
        parse_date(typed)


def test_dates_in_other_decimal_digits_are_still_read() -> None:
    assert parse_date("۱۴۰۵/۰۲/۱۰") == parse_date("١٤٠٥/٠٢/١٠") == parse_date("1405/02/10")


@pytest.mark.parametrize("name", ["trade:export_create", "trade:hs_suggest", "revival:case_create"])
@pytest.mark.parametrize("typed", [SUPERSCRIPT, "1" + SUPERSCRIPT, "9" * 30])
def test_a_unit_id_typed_with_a_superscript_opens_the_page(client, manager, unit_a, name, typed) -> None:
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get(reverse(name), {"unit": typed, "product": "برنج"})
    assert response.status_code == 200


def test_a_unit_list_dated_with_a_superscript_lists_with_a_message(client, manager, unit_a) -> None:
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get(reverse("units:list"), {"on": f"1405/0{SUPERSCRIPT}/10"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_inviting_or_linking_a_superscript_supplier_id_is_refused_not_a_server_error(
    client, officer, bridge
) -> None:
    client.force_login(officer)
    client.raise_request_exception = False
    request = bridge["request"]
    invited = client.post(reverse("sourcing:request_invite", args=[request.pk]), {"units": [SUPERSCRIPT]})
    assert invited.status_code == 302  # back to the request with "choose at least one supplier"
    linked = client.post(reverse("sourcing:linkage_start", args=[request.pk]), {"unit": SUPERSCRIPT})
    assert linked.status_code == 404


@pytest.mark.parametrize("typed", ["%", "100%", "%(value)s", f"1405/0{SUPERSCRIPT}/10"])
def test_an_api_filter_refusing_a_value_answers_400_with_the_pages_message(
    client, manager, bridge, typed
) -> None:
    client.force_login(manager)
    client.raise_request_exception = False
    response = client.get("/api/v1/linkages/", {"introduced_to": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content[:300]
    errors = {error["field"]: error["messages"] for error in response.json()["errors"]}
    assert "introduced_to" in errors
    assert typed in errors["introduced_to"][0]  # the value as typed, named in the message


def test_the_api_kpis_refuse_a_superscript_date_with_a_400(client) -> None:
    client.raise_request_exception = False
    response = client.get("/api/v1/kpis/", {"on": f"1405/0{SUPERSCRIPT}/10"})
    assert response.status_code == 400
    assert "on" in {error["field"] for error in response.json()["errors"]}


def test_a_control_character_in_a_name_does_not_break_the_xlsx_export(client, manager, unit_a) -> None:
    unit_a.name = "برنج\x01کوبی\x08 الف"
    unit_a.save(update_fields=["name"])
    client.force_login(manager)
    response = client.get(reverse("units:list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    names = [cell.value for cell in next(sheet.iter_cols(min_row=2))]
    assert "برنجکوبی الف" in names


@pytest.mark.parametrize("url", ["/api/v1/requests/", "invitation_answer"])
def test_a_json_body_nested_past_what_python_reads_is_a_400(client, buyer, unit_a_owner, bridge, url) -> None:
    if url == "invitation_answer":
        client.force_login(unit_a_owner)
        url = f"/api/v1/invitations/{bridge['invitation_a'].pk}/answer/"
    else:
        client.force_login(buyer)
    client.raise_request_exception = False
    depth = 100_000
    response = client.post(
        url, "[" * depth + "]" * depth, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content[:200]
    assert response.json()["detail"] == "The JSON body is nested too deeply."
