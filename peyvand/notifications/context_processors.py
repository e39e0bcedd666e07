"""The number under the bell, for every page a signed-in user sees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: one query, and only on pages that show the bell.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
