"""Many new rows in few INSERTs (``core.bulk_insert``, the import's writes): the rows stored are those
``bulk_create`` stores — every value, the ids set on the objects, a timestamp added on creation, a key
to an object saved after it was assigned — in one statement per thousand rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peyvand.core.bulk_insert import insert_objects
from peyvand.core.models import Event
from peyvand.units.models import ProductionUnit, StatusChange

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def _columns(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in type(row)._meta.concrete_fields}


def test_the_rows_are_those_bulk_create_stores(estate_a, manager) -> None:
    template = UnitFactory.build(estate=estate_a, name="ریخته‌گری «نو»", export_oriented=True, employees=12)
    ours = [
        ProductionUnit(**{**_columns(template), "id": None, "national_id": f"1032000000{n}"}) for n in (1, 2)
    ]
    django = [
        ProductionUnit(**{**_columns(template), "id": None, "national_id": f"1032000001{n}"}) for n in (1, 2)
    ]
    insert_objects(ProductionUnit, ours)
    ProductionUnit.objects.bulk_create(django)
    assert all(unit.pk and not unit._state.adding for unit in ours)
    for mine, theirs in zip(ours, django, strict=True):
        stored, expected = (
            _columns(ProductionUnit.objects.get(pk=mine.pk)),
            _columns(ProductionUnit.objects.get(pk=theirs.pk)),
        )
        for name in ("id", "national_id", "created_at", "updated_at"):
            stored.pop(name), expected.pop(name)
        assert stored == expected


def test_a_key_to_an_object_saved_after_it_was_assigned_is_stored(estate_a, manager) -> None:
    unit = UnitFactory.build(estate=estate_a)
    change = StatusChange(
        unit=unit, to_status="operating", date=dt.date(2024, 1, 1), cause="initial", by=manager
    )
    insert_objects(ProductionUnit, [unit])
    insert_objects(StatusChange, [change])
    assert StatusChange.objects.get(pk=change.pk).unit_id == unit.pk


def test_a_thousand_rows_take_one_statement(estate_a) -> None:
    unit = UnitFactory(estate=estate_a)
    events = [Event(content_type_id=1, object_id=str(unit.pk), code="x", data={"n": n}) for n in range(2500)]
    with CaptureQueriesContext(connection) as queries:
        insert_objects(Event, events, ids=False)
    assert sum(query["sql"].startswith("INSERT") for query in queries.captured_queries) == 3
    stored = Event.objects.filter(code="x")
    assert stored.count() == 2500
    assert all(event.created_at is not None for event in stored)
    assert sorted(event.data["n"] for event in stored) == list(range(2500))


def test_a_value_shared_by_rows_is_stored_in_each_and_a_different_one_is_not_mixed_up(estate_a) -> None:
    """The same object in many rows (one timestamp for every audit record) is prepared once; a row with
    another value between two rows of the same one keeps its own."""
    unit = UnitFactory(estate=estate_a)
    shared, other, empty = {"n": "shared"}, {"n": "other"}, {}
    events = [
        Event(content_type_id=1, object_id=str(unit.pk), code=f"y.{n}", data=data)
        for n, data in enumerate([shared, shared, other, shared, empty, empty, shared])
    ]
    insert_objects(Event, events, ids=False)
    stored = dict(Event.objects.filter(code__startswith="y.").values_list("code", "data"))
    assert [stored[f"y.{n}"] for n in range(7)] == [shared, shared, other, shared, empty, empty, shared]


def test_a_record_made_by_position_is_the_one_made_by_keywords(manager) -> None:
    """``engine.bulk.positional`` (the audit records of an import) gives each field what the keyword path
    gives, the defaults of the fields left out included."""
    from auditlog.models import LogEntry

    from peyvand.imports.engine.bulk import positional

    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    given = {
        "content_type_id": 3,
        "object_pk": "12",
        "object_id": 12,
        "object_repr": "واحد",
        "action": 0,
        "changes": {"name": ["None", "واحد"]},
        "additional_data": {"via": "import batch 1"},
        "actor_id": manager.pk,
        "actor_email": manager.email,
        "cid": None,
        "timestamp": now,
    }
    make = positional(LogEntry, tuple(given))
    assert make is not None
    assert _columns(make(*given.values())) == _columns(LogEntry(**given))
    assert positional(LogEntry, ("object_pk",)) is None  # the timestamp's default is called per record
