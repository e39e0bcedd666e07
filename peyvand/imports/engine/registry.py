"""The importers registry: the :class:`Importer` base class each kind subclasses, and the registered kinds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from peyvand.core import permissions

from ..models import ImportBatch
from .reading import FileProblem

if TYPE_CHECKING:
    from .mapping import Field
    from .rows import Plan, Row


class Importer:
    """One kind of data. Subclasses declare ``fields`` and implement ``prepare``, ``check``, ``write``.

    ``check(row)`` must not write: it returns a :class:`Plan` (or records errors on the row); ``finish``
    may revisit the plans once every row is read (e.g. history in date order); ``write(plans)`` gets the
    plans of the rows to apply and writes them — inside the engine's transaction, as ``user``.
    """

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    model: ClassVar[type[models.Model]]
    fields: ClassVar[list[Field]]
    # At least one field of each group must be mapped for the import to make sense.
    required_columns: ClassVar[list[tuple[str, ...]]] = []
    order: ClassVar[int] = 50

    def __init__(self, user: Any, *, via: str = "") -> None:
        self.user = user
        self.via = via
        self.today = timezone.localdate()

    # Permission helpers: no user (a command run by the operator) may do everything.
    def may(self, action: str, obj: Any) -> bool:
        return self.user is None or permissions.can(self.user, action, obj)

    def prepare(self, rows: list[Row]) -> None:
        """Load what checking needs (lookups, existing records) in a few queries."""

    def check(self, row: Row) -> Plan | None:
        raise NotImplementedError

    def finish(self, checked: list[tuple[Row, Plan | None]]) -> None:
        """Called once after every row was checked; may add issues or change actions."""

    def write(self, plans: list[Plan]) -> None:
        raise NotImplementedError

    @classmethod
    def field_labels(cls) -> dict[str, str]:
        return {item.name: str(item.label) for item in cls.fields}

    @classmethod
    def missing_columns(cls, mapping: dict[int, str]) -> list[str]:
        mapped = set(mapping.values())
        labels = cls.field_labels()
        return [
            _(" or ").join(labels[name] for name in group)
            for group in cls.required_columns
            if not mapped & set(group)
        ]


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer_class: type[Importer]) -> None:
    """Called from an app's ``AppConfig.ready``."""
    _REGISTRY[importer_class.kind] = importer_class


def importers() -> dict[str, type[Importer]]:
    return dict(sorted(_REGISTRY.items(), key=lambda item: (item[1].order, item[0])))


def get_importer(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise FileProblem(
            _("“%(kind)s” is not something that can be imported. Choose one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(_REGISTRY)}
        ) from None


def kinds_for(user: Any) -> list[type[Importer]]:
    """The kinds ``user`` may import."""
    if not permissions.can(user, permissions.ADD, ImportBatch):
        return []
    return [item for item in importers().values() if permissions.can(user, permissions.IMPORT, item.model)]
