"""Filters keep working after the API schema was written: each filterset builds its own form fields.

drf-spectacular builds form fields on the FilterSet classes' own filters when it writes the schema; django-filter
copies those fields into every later filterset, built before the request's choices and querysets were given.
In one process (a gunicorn worker, the test run) the export list's destination filter then refused every
country. Filters given a queryset per request (the buyers a user may see) must survive the schema too."""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django.urls import reverse

import peyvand
from peyvand.core.filtering import FilterSet
from peyvand.core.search import IdField
from peyvand.trade import services
from peyvand.trade.models import ExportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema_written(client) -> None:
    assert client.get("/api/schema/", {"format": "json"}).status_code == 200


def export(unit, value_usd: int, destination: str) -> None:
    entry = ExportRecord(
        unit=unit,
        product="چای سیاه",
        hs_code="090240",
        destination=destination,
        value_usd=value_usd,
        year=1404,
        month=5,
        source="customs",
    )
    services.prepare(entry)
    entry.save()


def test_the_destination_filter_works_after_the_schema_was_written(
    schema_written, client, manager, unit_a, unit_b
) -> None:
    export(unit_a, 1000, "IQ")
    export(unit_b, 250, "IQ")
    export(unit_a, 500, "AE")
    client.force_login(manager)
    page = client.get(reverse("trade:export_list"), {"destination": "IQ"})
    assert 'data-total="value_usd" data-value="1250"' in page.text
    assert '<option value="IQ" selected>' in page.text


def test_the_buyer_filters_offer_the_buyers_after_the_schema_was_written(
    schema_written, client, manager, buyer, company_a
) -> None:
    organisation = buyer.memberships.get().organisation
    organisation.company = company_a
    organisation.save()
    client.force_login(manager)
    for url in (reverse("sourcing:request_list"), reverse("trade:export_list")):
        page = client.get(url, {"buyer": organisation.pk})
        assert f'<option value="{organisation.pk}" selected>' in page.text, url


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_filterset_of_the_project_builds_its_own_fields() -> None:
    for module in pkgutil.walk_packages(peyvand.__path__, "peyvand."):
        if module.name.endswith(".filters"):
            importlib.import_module(module.name)
    ours = [cls for cls in _subclasses(django_filters.FilterSet) if cls.__module__.startswith("peyvand.")]
    assert len(ours) > 20
    strays = [f"{cls.__module__}.{cls.__name__}" for cls in ours if not issubclass(cls, FilterSet)]
    assert not strays, f"derive these from peyvand.core.filtering.FilterSet: {strays}"


def test_every_number_a_list_reads_is_bounded() -> None:
    """``?unit=99999999999999999999999999`` on the export list answered 500 (an integer the database cannot
    hold): every number filter of the project has a range its form checks."""
    for module in pkgutil.walk_packages(peyvand.__path__, "peyvand."):
        if module.name.endswith(".filters"):
            importlib.import_module(module.name)
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _subclasses(FilterSet)
        for name, number in cls.base_filters.items()
        if isinstance(number, django_filters.NumberFilter)
        and "max_value" not in number.extra
        and not issubclass(number.field_class, IdField)
    ]
    assert not unbounded, f"give these a min_value/max_value (or use core.search.IdFilter): {unbounded}"


def test_a_huge_unit_id_on_the_export_pages_is_refused_not_a_server_error(client, manager) -> None:
    client.raise_request_exception = False
    client.force_login(manager)
    for name in ("trade:export_list", "trade:summary"):
        page = client.get(reverse(name), {"unit": "9" * 26})
        assert page.status_code == 200, name
