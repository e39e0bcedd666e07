"""The navigation: each area registers itself once; the shell shows only those the user may open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    visible: Callable[[Any], bool]
    order: int = 50
    match: str = ""  # URL namespace or prefix that marks the item active


_REGISTRY: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Called from an app's ``AppConfig.ready`` so that only installed areas appear."""
    _REGISTRY[item.url_name] = item


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    entries = []
    for item in sorted(_REGISTRY.values(), key=lambda entry: entry.order):
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.match or url
        active = current_path == url if prefix == "/" else current_path.startswith(prefix)
        entries.append({"url": url, "label": item.label, "active": active})
    return entries
