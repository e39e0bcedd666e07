"""A list's ``?sort=`` takes the names of its orderable columns; anything else is ignored, never passed on."""

from __future__ import annotations

import warnings

import pytest

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def _names(client, query: str) -> list[str]:
    """The three units' names in the order the list shows them."""
    html = client.get(f"/units/?{query}").content.decode()
    return sorted(("آلفا", "بتا", "پارس"), key=html.index)


def test_a_column_name_sorts_and_a_hostile_value_is_ignored(client, manager, estate_a) -> None:
    for name in ("بتا", "پارس", "آلفا"):
        UnitFactory(estate=estate_a, name=name, status="operating")
    client.force_login(manager)
    assert _names(client, "sort=name") == ["آلفا", "بتا", "پارس"]
    assert _names(client, "sort=-name") == ["پارس", "بتا", "آلفا"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # django-tables2 warned of (and will refuse) dotted accessors
        for hostile in ("1.39e-194", "2.00001", "name.__class__", "-", "<script>", "pk;drop"):
            response = client.get("/units/", {"sort": hostile})
            assert response.status_code == 200, hostile
    assert _names(client, "sort=1.39e-194,-name") == ["پارس", "بتا", "آلفا"]
