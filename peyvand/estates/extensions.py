"""What the apps above add to the estate pages, so that ``estates`` imports none of them.

Arrows point one way (ARCHITECTURE.md): ``units`` builds on ``estates``, so the estate page cannot
import the units' models or tables to draw an estate's units. Instead an app registers, from its
``AppConfig.ready``:

* a **figure** — a named annotation on the estates' queryset (``unit_count``: units in production),
  shown on the estate list and the estate page;
* a **section** — a block of the estate page, drawn by the app from the request and the estate
  (``units``: the estate's production units, the full table for its company's staff, the public
  directory's columns for everybody else; ``green_plants``: the treatment plants serving the estate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import IndustrialEstate


@dataclass(frozen=True)
class Section:
    """A block of the estate page: ``render(request, estate, full)`` returns its HTML (``full``: the user
    may see the estate's staff view)."""

    name: str
    render: Callable[[HttpRequest, IndustrialEstate, bool], str]
    order: int = 50


_figures: dict[str, Callable[[], Any]] = {}
_sections: dict[str, Section] = {}


def register_figure(name: str, expression: Callable[[], Any]) -> None:
    """Annotate every estates queryset of the pages with ``name=expression()``."""
    _figures[name] = expression


def figures() -> dict[str, Any]:
    return {name: expression() for name, expression in _figures.items()}


def register_section(section: Section) -> None:
    _sections[section.name] = section


def sections(request: HttpRequest, estate: IndustrialEstate, full: bool) -> list[str]:
    """The registered blocks of ``estate``'s page, drawn for this request, in their order."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.name))
    return [section.render(request, estate, full) for section in ordered]
