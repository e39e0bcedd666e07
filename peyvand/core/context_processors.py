"""Context every page needs: the navigation, the text direction and the other language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi

from . import caching, navigation
from .permissions import is_staff_member


def shell(request: HttpRequest) -> dict[str, Any]:
    language = get_language() or "fa"
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(user, request.path),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "other_language": "en" if language.startswith("fa") else "fa",
        "is_staff_member": is_staff_member(user) if user is not None else False,
    }


def cached_page_csrf(request: HttpRequest) -> dict[str, str]:
    """A page rendered to be kept for every anonymous visitor holds a placeholder, not this visitor's
    CSRF token (``core/caching.py`` puts each visitor's own token in when it serves the page)."""
    return caching.csrf_context(request)
