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
    group: str = ""  # a key of GROUPS: the item appears in that dropdown


_REGISTRY: dict[str, NavItem] = {}
# Dropdowns of the navigation bar: key -> (label, order among top-level entries).
GROUPS: dict[str, tuple[str | Promise, int]] = {}


def register_group(key: str, label: str | Promise, order: int) -> None:
    GROUPS[key] = (label, order)


def register(item: NavItem) -> None:
    """Called from an app's ``AppConfig.ready`` so that only installed areas appear."""
    _REGISTRY[item.url_name] = item


def items_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    """Top-level entries and dropdowns (``children``) the user may open, in order."""
    entries: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(_REGISTRY.values(), key=lambda entry: entry.order):
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.match or url
        active = current_path == url if prefix == "/" else current_path.startswith(prefix)
        entry = {"url": url, "label": item.label, "active": active, "order": item.order}
        if item.group in GROUPS:
            label, order = GROUPS[item.group]
            group = groups.setdefault(
                item.group,
                {"label": label, "children": [], "active": False, "order": order, "key": item.group},
            )
            group["children"].append(entry)
            group["active"] = group["active"] or active
        else:
            entries.append(entry)
    for group in groups.values():
        if len(group["children"]) == 1:
            entries.append(group["children"][0])
        else:
            entries.append(group)
    return sorted(entries, key=lambda entry: entry["order"])
