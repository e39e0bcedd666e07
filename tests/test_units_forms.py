"""The unit edit page as people use it: numbers shown with the page's digits and read back in either set,
and a bad choice named in the message instead of a dash."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from peyvand.units.models import Product

pytestmark = pytest.mark.django_db


def _edit_data(unit, **values: str) -> dict[str, str]:
    return {
        "name": unit.name,
        "estate": str(unit.estate_id),
        "products-TOTAL_FORMS": "0",
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "50",
        **values,
    }


def _number_input(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start) + 1]


def test_the_numbers_of_the_unit_edit_page_show_persian_digits_in_persian(client, manager, unit_a) -> None:
    unit_a.employees = 1250
    unit_a.save()
    Product.objects.create(unit=unit_a, name="برنج", annual_capacity=2500)
    client.force_login(manager)
    url = reverse("units:edit", args=[unit_a.pk])
    persian = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").text
    assert 'value="۱۲۵۰"' in _number_input(persian, "employees")
    assert 'value="۲۵۰۰' in _number_input(persian, "products-0-annual_capacity")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert 'value="1250"' in _number_input(english, "employees")


@pytest.mark.parametrize("typed", ["۱۲۵۰", "1250", "١٢٥٠", "۱٬۲۵۰"])
def test_the_unit_edit_page_reads_either_digit_set(client, manager, unit_a, typed) -> None:
    client.force_login(manager)
    response = client.post(reverse("units:edit", args=[unit_a.pk]), _edit_data(unit_a, employees=typed))
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.employees == 1250


@pytest.mark.parametrize("bad", ["abc", "1" + "0" * 30, "-5"])
def test_a_bad_capability_id_is_named_in_the_message(client, manager, unit_a, bad) -> None:
    client.force_login(manager)
    page = client.post(
        reverse("units:edit", args=[unit_a.pk]),
        _edit_data(unit_a, capabilities=bad),
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert page.status_code == 200  # the form again, nothing saved
    errors = [line for line in page.text.splitlines() if "invalid-feedback" in line]
    assert any(html.escape(bad) in line for line in errors), errors
    assert not unit_a.capabilities.exists()


def test_the_api_names_a_bad_capability_id(client, manager, unit_a) -> None:
    client.force_login(manager)
    response = client.patch(
        f"/api/v1/units/{unit_a.pk}/",
        {"capabilities": ["abc"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content.decode()
    assert response.json()["errors"] == [
        {
            "field": "capabilities",
            "messages": ["Select a valid choice. abc is not one of the available choices."],
        }
    ]
