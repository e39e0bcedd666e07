"""Many new rows in few INSERT statements, each statement's text built once: ``bulk_create`` without
Django's per-value compilation.

An import of 10,000 units writes ~75,000 rows (units, their first status records, products, audit
records, timeline events); ``bulk_create`` compiled each value of each row through the query compiler
(~40 % of the apply's CPU). Here each value is still prepared by its field exactly as ``bulk_create``
prepares it (``pre_save`` with ``add=True``, then ``get_db_prep_save``), and the statement for a batch
of N rows is one text with N rows of placeholders, made once per N. The ids the database gives are set
on the objects, as ``bulk_create`` sets them. Any case outside the plain one (a model with a parent, a
primary key that is not an auto field, an object with its id set, a field with a database default or a
placeholder of its own, a value that is an expression) goes through ``bulk_create`` itself.

The statements go through the connection's cursor, so the cache's write watcher sees them
(``core.caching``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router, transaction

__all__ = ["insert_objects"]

BATCH = 1000  # rows per INSERT statement
MAX_PARAMETERS = 32_000  # SQLite allows 32,766 in one statement, PostgreSQL's protocol 65,535


def insert_objects(model: type[models.Model], objects: Sequence[models.Model], *, ids: bool = True) -> None:
    """Insert ``objects`` (new instances of ``model``) in batches; with ``ids``, set their primary keys."""
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    key = meta.pk
    columns = [item for item in meta.concrete_fields if item is not key and not item.generated]
    plain = (
        not meta.parents
        and getattr(key, "db_returning", False)  # an auto field: the database gives the id
        and not any(item.has_db_default() or hasattr(item, "get_placeholder") for item in columns)
        and (not ids or connection.features.can_return_rows_from_bulk_insert)
        and all(instance.pk is None for instance in objects)
    )
    rows = _prepared_rows(objects, columns, connection) if plain else None
    if rows is None:
        model._default_manager.db_manager(alias).bulk_create(list(objects), batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(item.column)) for item in columns)
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608 -- names from the model, quoted
    row_text = "(" + ", ".join(["%s"] * len(columns)) + ")"
    returning, returning_params = connection.ops.returning_columns([key]) if ids else ("", ())
    size = max(1, min(BATCH, MAX_PARAMETERS // max(len(columns), 1)))
    statements: dict[int, str] = {}
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            count = len(batch)
            if count not in statements:
                statements[count] = (
                    head + ", ".join([row_text] * count) + (f" {returning}" if returning else "")
                )
            cursor.execute(statements[count], [value for row in batch for value in row])
            if ids:
                returned = connection.ops.fetch_returned_rows(cursor, returning_params)
                for instance, (pk, *_rest) in zip(objects[start : start + size], returned, strict=True):
                    instance.pk = pk
    for instance in objects:
        instance._state.adding = False
        instance._state.db = alias


def _prepared_rows(
    objects: Sequence[models.Model], columns: list[models.Field], connection: Any
) -> list[list[Any]] | None:
    """Each object's values as the database takes them, as ``bulk_create`` prepares them; None when a
    value is an expression (left to ``bulk_create``)."""
    # A str in a plain text column and a bool in a plain yes/no column are what their fields' preparation
    # returns unchanged (most of an import's values): taken as they are.
    kept = [_PASSED_AS_IS.get(type(item), ()) for item in columns]
    # A field whose ``pre_save`` is Field's own only reads the attribute: read here, without the call.
    plain = [item.attname if type(item).pre_save is models.Field.pre_save else None for item in columns]
    # The very object the previous row had in a column (one timestamp for every audit record of a batch,
    # the same actor, type, None) is prepared once: a field prepares the same value the same way.
    last: list[Any] = [_NONE_YET] * len(columns)
    prepared: list[Any] = [None] * len(columns)
    rows = []
    for instance in objects:
        # What bulk_create does first: a related object saved since it was assigned gives its id now.
        # Only an object with a related object cached has anything to check (Django's own test first).
        if instance._state.fields_cache:
            instance._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        row = []
        for position, (item, types, attname) in enumerate(zip(columns, kept, plain, strict=True)):
            value = getattr(instance, attname) if attname else item.pre_save(instance, True)
            if type(value) in types:
                row.append(value)
            elif value is last[position]:
                row.append(prepared[position])
            elif hasattr(value, "resolve_expression"):
                return None
            else:
                last[position] = value
                prepared[position] = item.get_db_prep_save(value, connection=connection)
                row.append(prepared[position])
        rows.append(row)
    return rows


_NONE_YET = object()  # no value seen yet in a column


_PASSED_AS_IS: dict[type, tuple[type, ...]] = {
    models.CharField: (str, type(None)),
    models.TextField: (str, type(None)),
    models.BooleanField: (bool, type(None)),
}
