"""Bulk writes and their audit: many rows inserted at once, with the change records auditlog would write.

Public APIs only: auditlog's ``LogEntry`` model and its diff functions, the timeline's
:func:`peyvand.core.audit.log_events`, and the INSERTs of :mod:`peyvand.core.bulk_insert`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from peyvand.core.audit import current_actor
from peyvand.core.audit import log_events as events_bulk
from peyvand.core.bulk_insert import insert_objects

__all__ = ["audit_bulk", "create_rows", "events_bulk", "snapshot"]


def audit_bulk(
    *,
    created: Iterable[models.Model] = (),
    updated: Iterable[tuple[models.Model, models.Model]] = (),
    deleted: Iterable[models.Model] = (),
    extra_changes: dict[int, dict[str, list[str]]] | None = None,
) -> int:
    """Write auditlog's change records for rows written with bulk_create / bulk_update / delete.

    ``updated`` holds (before, after) pairs. Records carry the acting user and ``via`` (inside
    ``acting_as``) exactly as auditlog's own signal handlers would; returns how many were written.
    """
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    actor = current_actor()
    actor = actor if getattr(actor, "pk", None) else None
    common = {
        # The id, not the object: a record with no related object cached skips bulk_create's check of
        # assigned objects (``core.bulk_insert``); the row written is the same.
        "actor_id": actor.pk if actor else None,
        "actor_email": getattr(actor, "email", None) if actor else None,
        "cid": get_cid(),
        "timestamp": timezone.now(),
    }
    entries: list[LogEntry] = []
    types: dict[type, int | None] = {}
    given = (
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "action",
        "changes",
        "additional_data",
    )
    make = positional(LogEntry, (*given, *common))
    shared = tuple(common.values())

    def entry(instance: models.Model, action: int, changes: dict | None) -> None:
        model = type(instance)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model).pk if auditlog.contains(model) else None
        if types[model] is None:
            return
        pk = instance.pk
        additional = instance.get_additional_data() if hasattr(instance, "get_additional_data") else None
        values = (
            types[model],
            str(pk),
            pk if isinstance(pk, int) else None,
            str(instance)[:2000],
            action,
            changes,
            additional,
        )
        entries.append(
            make(*values, *shared) if make else LogEntry(**dict(zip(given, values, strict=True)), **common)
        )

    extras = extra_changes or {}
    for instance in created:
        changes = _one_sided_diff(instance, created=True)
        changes.update(extras.get(id(instance), {}))
        entry(instance, LogEntry.Action.CREATE, changes)
    for before, after in updated:
        changes = model_instance_diff(before, after) or {}
        changes.update(extras.get(id(after), {}))
        if changes:
            entry(after, LogEntry.Action.UPDATE, changes)
    for instance in deleted:
        entry(instance, LogEntry.Action.DELETE, _one_sided_diff(instance, created=False))
    insert_objects(LogEntry, entries, ids=False)
    return len(entries)


_TRACKED: dict[type, list[tuple[Any, str, Any]]] = {}


def _one_sided_diff(instance: models.Model, *, created: bool) -> dict[str, tuple[str, str]]:
    """``auditlog.diff.model_instance_diff(None, instance)`` (or ``(instance, None)``), five times faster.

    The tracked fields are worked out once per model with auditlog's own rules; plain and foreign-key
    values are read the way auditlog's ``get_field_value`` reads them, the others through it, so the
    records read exactly as auditlog's own (a test compares them).
    """
    from auditlog.diff import get_field_value
    from django.utils.encoding import smart_str

    model = type(instance)
    plan = _TRACKED.get(model)
    if plan is None:
        plan = _TRACKED[model] = _tracking_plan(instance)
    changes: dict[str, tuple[str, str]] = {}
    for item, way, attribute in plan:
        # A str (plain) or an int (key) is what smart_str would return for it: taken as it is.
        if way == "plain":
            value = getattr(instance, attribute)
            if type(value) is not str:
                value = str(value) if isinstance(value, Promise) else smart_str(value)
        elif way == "key":
            value = getattr(instance, attribute)
            if type(value) is not int:
                value = smart_str(value, strings_only=True)
        elif way == "constant":
            value = attribute
        elif way == "reverse one" and created:
            value = "None"  # nothing points at a row just created (auditlog reads it at creation too)
        else:
            value = get_field_value(instance, item)
        if value != "None":  # what auditlog reads for the missing side
            text = value if type(value) is str else smart_str(value)
            changes[item.name] = ("None", text) if created else (text, "None")
    return changes


def create_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """Many new rows in batches (``core.bulk_insert``: ``bulk_create`` without its per-value compiling),
    with their ids set on the objects (PostgreSQL and SQLite return them), so that their audit records
    and events can name them."""
    insert_objects(model, objects)


def positional(model: type[models.Model], given: Sequence[str]) -> Callable[..., models.Model] | None:
    """A maker of ``model(**dict(zip(given, values)))`` that passes every concrete field by position, the
    way Django builds the rows it reads: the keyword path looks each field up in the keywords (a third of
    the cost of 30,000 audit records). The fields left out get their defaults, as the keyword path gives
    them; None when one of them has a default to call for each object (left to the keyword path)."""
    fields = model._meta.concrete_fields
    names = [item.attname for item in fields]
    if len(set(given)) != len(given) or not set(given) <= set(names):
        return None
    template: list[Any] = []
    for item in fields:
        if item.attname in given:
            template.append(None)
        elif item.has_default() and callable(item.default):
            return None
        else:
            template.append(item.get_default())
    positions = [names.index(name) for name in given]

    def make(*values: Any) -> models.Model:
        arguments = template.copy()
        for position, value in zip(positions, values, strict=True):
            arguments[position] = value
        return model(*arguments)

    return make


def snapshot(instance: models.Model) -> models.Model:
    """A copy of ``instance`` as it is now, to diff against after changing it."""
    return copy.copy(instance)


def _tracking_plan(instance: models.Model) -> list[tuple[Any, str, Any]]:
    """How to read each field auditlog tracks on ``instance``'s model, by auditlog's own rules: plainly,
    as a key, through auditlog's ``get_field_value``, or a constant (a reverse relation)."""
    from auditlog.diff import get_field_value, get_fields_in_model
    from auditlog.registry import auditlog

    fields = get_fields_in_model(instance)
    settings_of = auditlog.get_model_fields(type(instance))
    if settings_of["include_fields"]:
        fields = [item for item in fields if item.name in settings_of["include_fields"]]
    if settings_of["exclude_fields"]:
        fields = [item for item in fields if item.name not in settings_of["exclude_fields"]]
    plan = []
    for item in fields:
        if item.one_to_many and not getattr(item, "concrete", False):
            # a reverse relation: auditlog reads its manager, the same text every time
            plan.append((item, "constant", get_field_value(instance, item)))
        elif item.one_to_one and not getattr(item, "concrete", False):
            # a reverse one-to-one: one query per row through auditlog (37,000 in a 10,000-unit import)
            plan.append((item, "reverse one", item.name))
        elif not getattr(item, "concrete", False) or isinstance(
            item, models.DateTimeField | models.JSONField
        ):
            plan.append((item, "auditlog", item.name))
        elif (item.one_to_one or item.many_to_one) and not settings.AUDITLOG_USE_FK_STRING_REPRESENTATION:
            plan.append((item, "key", item.attname))
        else:
            plan.append((item, "plain", item.name))
    return plan
