"""Anonymous search reads public fields only (issue 9 item 4; VOCABULARY.md "What the public may see").

The registered legal name, national ID and licence number are not public: a visitor searching for them
finds nothing, while the estate company's staff still find the unit by them.
"""

from __future__ import annotations

import pytest

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

LEGAL_NAME = "شرکت سهامی خاص زرین‌بافت شمال"
NATIONAL_ID = "10861234567"


@pytest.fixture
def unit(estate_a):
    return UnitFactory(
        estate=estate_a,
        name="کارگاه پارچه‌بافی رشت",
        legal_name=LEGAL_NAME,
        national_id=NATIONAL_ID,
        status="operating",
    )


def _found(client, query: str) -> bool:
    response = client.get("/units/", {"q": query})
    assert response.status_code == 200
    return "کارگاه پارچه‌بافی رشت" in response.text


@pytest.mark.parametrize("query", ["زرین‌بافت", "زرين بافت شمال", NATIONAL_ID])
def test_an_anonymous_search_for_a_non_public_field_finds_nothing(client, unit, query) -> None:
    assert not _found(client, query)


@pytest.mark.parametrize("persona", ["buyer", "unit_b_owner"])
def test_a_signed_in_client_searching_a_legal_name_finds_nothing(client, request, unit, persona) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert not _found(client, "زرین‌بافت")


def test_the_public_still_finds_the_unit_by_its_public_name(client, unit) -> None:
    assert _found(client, "پارچه بافی")


@pytest.mark.parametrize("query", ["زرین‌بافت", NATIONAL_ID])
def test_staff_find_the_unit_by_its_legal_name_and_national_id(client, manager, unit, query) -> None:
    client.force_login(manager)
    assert _found(client, query)


def test_an_edited_legal_name_is_searchable_by_staff_only(client, manager, unit) -> None:
    unit.legal_name = "شرکت تعاونی نوین‌تار"
    unit.save()
    assert not _found(client, "نوین‌تار")
    client.force_login(manager)
    assert _found(client, "نوین‌تار")
    assert not _found(client, "زرین‌بافت")
