"""What is kept until a table it reads changes (``caching.remember_by_tables``: a select's options): it
survives writes to other tables, and follows at once a write — committed, autocommit or in a
transaction — to any table it read, its labels' own lookups included; ``bump`` makes it stale too.

These tests commit (``transaction=True``), as tests/test_caching.py.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peyvand.core import caching
from peyvand.estates.models import County, IndustrialEstate
from peyvand.units.models import ProductionUnit

# reference_data: the migrations' reference rows (a transactional test before this one flushed them)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def labels(estate_a):
    """Each estate with its county's name, read lazily (the county's table is not in the estates' query)."""
    runs = []

    def compute() -> list[str]:
        runs.append(1)
        return [f"{estate.name} ({estate.county.name})" for estate in IndustrialEstate.objects.order_by("pk")]

    def read() -> list[str]:
        return caching.remember_by_tables(("estates with counties",), compute)

    read.runs = runs  # type: ignore[attr-defined]
    return read


def _kept(labels) -> list[str]:
    """Read until served from the cache (a first run learns the tables, a second stores)."""
    for _ in range(3):
        value = labels()
    before = len(labels.runs)
    assert labels() == value
    assert len(labels.runs) == before, "not served from the cache"
    return value


def test_kept_across_writes_to_other_tables(labels, estate_a) -> None:
    value = _kept(labels)
    runs = len(labels.runs)
    ProductionUnit.objects.create(name="واحد تازه", estate=estate_a, status="operating")
    ProductionUnit.objects.update(employees=7)
    assert labels() == value
    assert len(labels.runs) == runs


def test_a_write_to_a_table_read_shows_at_once(labels, estate_a) -> None:
    _kept(labels)
    IndustrialEstate.objects.filter(pk=estate_a.pk).update(name="شهرک نو")
    assert any(label.startswith("شهرک نو (") for label in labels())


def test_a_write_to_a_table_the_labels_looked_up_shows_at_once(labels, estate_a) -> None:
    _kept(labels)
    County.objects.filter(pk=estate_a.county_id).update(name="شهرستان نو")
    assert any(label.endswith("(شهرستان نو)") for label in labels())


def test_a_write_in_a_transaction_shows_once_committed(labels, estate_a) -> None:
    _kept(labels)
    with transaction.atomic():
        ProductionUnit.objects.update(employees=3)  # first write of the transaction: another table
        IndustrialEstate.objects.filter(pk=estate_a.pk).update(name="شهرک تراکنش")
        assert any(label.startswith("شهرک تراکنش") for label in labels())  # its own write, not the cache
    assert any(label.startswith("شهرک تراکنش") for label in labels())


def test_bump_makes_it_stale(labels) -> None:
    _kept(labels)
    runs = len(labels.runs)
    caching.bump()
    labels()
    assert len(labels.runs) == runs + 1


def _estate_options(client: Client) -> tuple[str, bool]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/units/?status=operating")
    assert page.status_code == 200
    select = re.search(r'<select name="estate".*?</select>', page.text, re.S)
    assert select
    read = any('FROM "estates_industrialestate"' in query["sql"] and "units_productionunit" not in query["sql"]
               for query in queries)  # fmt: skip
    return select.group(0), read


def test_the_units_lists_estate_filter_follows_its_estates_not_the_units(manager, estate_a) -> None:
    client = Client()
    client.force_login(manager)
    for number in range(3):  # each view after a write draws the filters again (their fragment is stale)
        options, _read = _estate_options(client)
        ProductionUnit.objects.create(name=f"واحد دیگر {number}", estate=estate_a, status="operating")
    again, read = _estate_options(client)
    assert again == options
    assert not read  # a unit written: the estates are not read again
    IndustrialEstate.objects.filter(pk=estate_a.pk).update(name="شهرک با نام تازه")
    renamed, read = _estate_options(client)
    assert read
    assert "شهرک با نام تازه" in renamed


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('UPDATE "estates_industrialestate" SET "name" = %s', ["estates_industrialestate"]),
        ('INSERT INTO "units_productionunit" ("name") VALUES (%s)', ["units_productionunit"]),
        ('DELETE FROM "units_product" WHERE "id" IN (1)', ["units_product"]),
        ('UPDATE "public"."estates_industrialestate" SET name = 1', ["estates_industrialestate"]),
        ("UPDATE public.estates_industrialestate SET name = 1", ["estates_industrialestate"]),
        ("UPDATE ESTATES_INDUSTRIALESTATE SET name = 1", ["estates_industrialestate"]),
        ("WITH x AS (SELECT 1) UPDATE estates_industrialestate SET name = 1", ["estates_industrialestate"]),
        ('/* a script */ DELETE FROM ONLY "units_product"', ["units_product"]),
        (
            'TRUNCATE "estates_county", "estates_plot" RESTART IDENTITY CASCADE;',
            ["estates_county", "estates_plot"],
        ),
        ('SELECT "name" FROM "estates_industrialestate" FOR UPDATE', []),
        ("WITH spans AS (SELECT 1) SELECT 2", []),
        ("SELECT 'UPDATE x SET y'", []),
    ],
)
def test_the_tables_a_statement_writes(sql, tables) -> None:
    """Raw SQL too: a schema, quotes or none (the database folds bare names), a WITH, every table of a
    TRUNCATE. ``UPDATE "public"."…"``, ``UPDATE ESTATES_…`` and ``WITH … UPDATE`` moved no table before
    (the last not even the data version), and the estates' options stayed as they were."""
    assert caching.written_tables(sql) == tables


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE "main"."estates_industrialestate" SET name = %s WHERE id = %s',
        "UPDATE ESTATES_INDUSTRIALESTATE SET name = %s WHERE id = %s",
        "WITH chosen AS (SELECT %s AS name) UPDATE estates_industrialestate SET name = (SELECT name FROM chosen)"
        " WHERE id = %s",
    ],
)
def test_a_raw_write_to_a_table_read_shows_at_once(labels, estate_a, statement) -> None:
    if connection.vendor != "sqlite":
        statement = statement.replace('"main".', '"public".')
    _kept(labels)
    with connection.cursor() as cursor:
        cursor.execute(statement, ["شهرک خام", estate_a.pk])
    assert any(label.startswith("شهرک خام (") for label in labels())
