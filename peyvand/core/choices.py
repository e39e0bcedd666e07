"""Choices drawn as coloured badges: one mechanism for every app's states and kinds.

    @badge_colours({"pending": "warning", "approved": "success", "rejected": "danger"})
    class ClaimState(BadgeColour, models.TextChoices): ...

``ClaimState.PENDING.color`` is then ``"warning"`` (a Bootstrap colour name, ``text-bg-<color>``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models

BADGE_COLOURS = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"})

ChoicesClass = TypeVar("ChoicesClass", bound=type[Enum])


class BadgeColour:
    """Mixed into a choices class whose members are shown as badges; ``@badge_colours`` names the colours."""

    _badge_colours: Mapping[object, str] = {}

    @property
    def color(self) -> str:
        return self._badge_colours.get(self.value, "secondary")  # type: ignore[attr-defined]


def badge_colours(colours: Mapping[str, str] | Mapping[int, str]) -> Callable[[ChoicesClass], ChoicesClass]:
    """Give a choices class one badge colour per value; refused at import when a value is missed or unknown."""

    def decorate(choices: ChoicesClass) -> ChoicesClass:
        values = {member.value for member in choices}
        if set(colours) != values or not set(colours.values()) <= BADGE_COLOURS:
            raise ImproperlyConfigured(
                f"{choices.__name__}: badge colours must name each of {sorted(values, key=str)} once, "
                f"with one of {sorted(BADGE_COLOURS)}"
            )
        choices._badge_colours = dict(colours)  # type: ignore[attr-defined]
        return choices

    return decorate


def label_of(choices: type[models.Choices], code: object) -> str:
    """The label of ``code`` among ``choices``; the code itself (a dash when empty) if it is not one of them."""
    return str(choices(code).label) if code in choices.values else str(code or "—")
