"""The estate page draws its units through ``estates.extensions`` (``units`` registers the block and the
"units in production" figure; ``estates`` imports nothing of ``units``): the same units as before, for
the same people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(estate_a, estate_b):
    return {
        "working": UnitFactory(estate=estate_a, name="کارخانه کاشی البرز"),
        "closed": UnitFactory(estate=estate_a, name="ریسندگی تعطیل", status="closed"),
        "elsewhere": UnitFactory(estate=estate_b, name="واحد شهرک دیگر"),
    }


def test_staff_see_every_unit_of_the_estate_and_only_its_units(client, manager, estate_a, units) -> None:
    client.force_login(manager)
    page = client.get(reverse("estates:detail", args=[estate_a.pk])).text
    assert "کارخانه کاشی البرز" in page
    assert "ریسندگی تعطیل" in page  # the company's staff see closed units too
    assert "واحد شهرک دیگر" not in page
    assert f"{reverse('units:list')}?estate={estate_a.pk}" in page  # on to the searchable list


def test_the_public_sees_the_estates_units_in_production(client, estate_a, units) -> None:
    page = client.get(reverse("estates:detail", args=[estate_a.pk])).text
    assert "کارخانه کاشی البرز" in page
    assert "ریسندگی تعطیل" not in page
    assert "واحد شهرک دیگر" not in page


def test_the_estate_list_counts_the_units_in_production(client, estate_a, units) -> None:
    from peyvand.estates.views import _estates

    assert _estates().get(pk=estate_a.pk).unit_count == 1
