"""Services take cleaned values (from a form, the API, a command or an importer) and the acting user.

The mechanism they share, knowing no domain: refuse the keys a caller may not set, copy the changed ones
onto the instance (compared with the row as stored: a ModelForm has already copied its values onto the
instance it was given), set many-to-many relations and say which changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models


def refuse_others(values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Raise ``PermissionDenied`` when ``values`` holds a key outside ``allowed``."""
    refused = sorted(set(values) - set(allowed))
    if refused:
        raise PermissionDenied(f"may not set {', '.join(refused)}")


def stored(instance: models.Model) -> models.Model | None:
    """The row as it is in the database (``None`` for an instance not saved yet)."""
    if instance.pk is None:
        return None
    return type(instance)._default_manager.get(pk=instance.pk)


def assign(
    instance: models.Model,
    values: Mapping[str, Any],
    fields: Iterable[str],
    *,
    before: models.Model | None = None,
) -> list[str]:
    """Copy the ``fields`` present in ``values`` onto ``instance``; the names whose value differs from
    ``before`` (the stored row; the instance itself when there is none)."""
    reference = instance if before is None else before
    changed = [name for name in fields if name in values and _differs(reference, name, values[name])]
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    return changed


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation and field.concrete:  # a foreign key: compared by id (an empty one has no object)
        return getattr(instance, field.attname) != getattr(value, "pk", value)
    return bool(getattr(instance, name) != value)


def validate(instance: models.Model, changed: Iterable[str]) -> None:
    """The model's own checks of the fields that changed (``ValidationError`` with each field's message)."""
    names = set(changed)
    instance.full_clean(
        exclude=[field.name for field in instance._meta.fields if field.name not in names],
        validate_unique=bool(names),
    )


def set_relations(instance: models.Model, values: Mapping[str, Any], relations: Iterable[str]) -> list[str]:
    """Set the many-to-many ``relations`` present in ``values``; the names whose members changed."""
    changed = []
    for name in relations:
        if name not in values:
            continue
        manager = getattr(instance, name)
        before = set(manager.values_list("pk", flat=True))
        items = list(values[name] or [])
        manager.set(items)
        if before != {item.pk for item in items}:
            changed.append(name)
    return changed
