"""Two audit layers: field-level change records (django-auditlog) and the business-event timeline.

* Every registry model is registered with auditlog (``register_audited``); the request's user is the
  actor through auditlog's middleware. Commands, jobs and imports wrap their work in
  ``acting_as(user, via="command seed_demo")`` so their changes carry who started them.
* ``log_event(obj, "units.status.changed", data)`` writes one timeline entry; codes are namespaced
  ``app.object.verb``; keys that look secret are masked.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from auditlog.context import set_actor
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise

from .bulk_insert import insert_objects
from .models import Event

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("peyvand_actor", default=None)
_via: contextvars.ContextVar[str] = contextvars.ContextVar("peyvand_via", default="")

SECRET_MARKERS = ("password", "token", "secret", "key", "otp")
MASK = "••••"


@contextlib.contextmanager
def acting_as(user: Any, via: str = "") -> Iterator[None]:
    """Attribute every change made inside to ``user`` (may be None for the system) and ``via``."""
    actor_token = _actor.set(user)
    via_token = _via.set(via)
    try:
        if user is not None and getattr(user, "pk", None):
            with set_actor(user):
                yield
        else:
            yield
    finally:
        _actor.reset(actor_token)
        _via.reset(via_token)


def signed_in(user: Any) -> Any:
    """``user`` when it is a signed-in person, else ``None`` (what "by" fields and actors store)."""
    return user if getattr(user, "is_authenticated", False) else None


def current_via() -> str:
    return _via.get()


def current_actor() -> Any:
    """Who is acting now (``acting_as``): a user, or ``None`` for the system."""
    return _actor.get()


def _mask(data: Mapping[str, Any]) -> dict[str, Any]:
    masked: dict[str, Any] = {}
    for key, value in data.items():
        if any(marker in key.lower() for marker in SECRET_MARKERS):
            masked[key] = MASK
        elif isinstance(value, Mapping):
            masked[key] = _mask(value)
        elif isinstance(value, Promise):
            masked[key] = str(value)
        else:
            masked[key] = value
    return masked


def log_event(
    obj: models.Model, code: str, data: Mapping[str, Any] | None = None, *, actor: Any = None
) -> Event:
    """Record a business event on ``obj``'s timeline. ``actor`` defaults to whoever is acting now."""
    if code.count(".") < 2:
        raise ValueError(f"event codes are namespaced app.object.verb, got {code!r}")
    who = actor if actor is not None else _actor.get()
    if who is not None and not getattr(who, "is_authenticated", False):
        who = None
    return Event.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        code=code,
        data=_mask(dict(data or {})),
        actor=who,
        via=_via.get(),
    )


def log_events(items: Iterable[tuple[models.Model, str, Mapping[str, Any]]]) -> None:
    """``log_event`` for many ``(object, code, data)`` at once (imports): one INSERT per thousand events."""
    who = signed_in(_actor.get())
    via = _via.get()
    types: dict[type, ContentType] = {}
    events = []
    for obj, code, data in items:
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        events.append(
            Event(  # ids, not objects: nothing cached for bulk_create's check of assigned objects to read
                content_type_id=types[model].pk,
                object_id=str(obj.pk),
                code=code,
                data=_mask(dict(data)),
                actor_id=who.pk if who is not None else None,
                via=via,
            )
        )
    insert_objects(Event, events, ids=False)


def timeline(obj: models.Model) -> models.QuerySet[Event]:
    """The business events of ``obj``, newest first, with their actors in the same query."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


_DESCRIPTIONS: dict[str, tuple[Any, Callable[[dict[str, Any]], dict[str, Any]] | None]] = {}


def register_event(
    code: str, label: Any, details: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> None:
    """Declare how an event code reads on a timeline: a translatable ``label`` with ``%(name)s``
    placeholders, filled from the event's data (optionally mapped by ``details``, e.g. codes → labels)."""
    _DESCRIPTIONS[code] = (label, details)


def describe(event: Event) -> str:
    label, details = _DESCRIPTIONS.get(event.code, (None, None))
    if label is None:
        return event.code
    data = details(dict(event.data)) if details else dict(event.data)
    try:
        return str(label) % data
    except (KeyError, TypeError, ValueError):
        return str(label).split("%(")[0].rstrip(" :—") or event.code


class AuditedMixin:
    """Adds who/how context (command, job, import batch) to auditlog's change records."""

    def get_additional_data(self) -> dict[str, str] | None:
        data: dict[str, str] = {}
        via = _via.get()
        if via:
            data["via"] = via
        parent = getattr(self, "history_parent_field", None)
        if parent:
            data["parent"] = f"{parent}:{getattr(self, parent)}"
        return data or None


def register_audited(*model_classes: type[models.Model], exclude: tuple[str, ...] = ()) -> None:
    """Register models for field-level change records (sort keys and search keys are not news)."""
    for model in model_classes:
        auditlog.register(
            model, exclude_fields=["sort_name", "search_name", "search_text", "private_search_text", *exclude]
        )


def field_history(obj: models.Model, *related: models.QuerySet) -> models.QuerySet:
    """auditlog's field-level change records of ``obj`` and of rows that point to it, newest first.

    Child models name their parent key in ``history_parent_field`` (e.g. ``"unit_id"``); their records
    carry it in ``additional_data``, so a unit's products and status changes appear in its history.
    """
    from auditlog.models import LogEntry

    content_type = ContentType.objects.get_for_model(obj)
    own = models.Q(content_type=content_type, object_pk=str(obj.pk))
    children = models.Q()
    for relation in obj._meta.related_objects:
        field = relation.field.attname
        if relation.one_to_many and getattr(relation.related_model, "history_parent_field", None) == field:
            child_type = ContentType.objects.get_for_model(relation.related_model)
            children |= models.Q(content_type=child_type, additional_data__parent=f"{field}:{obj.pk}")
    return (
        LogEntry.objects.filter(own | children).select_related("actor", "content_type").order_by("-timestamp")
    )
