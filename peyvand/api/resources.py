"""The ``/api/v1/`` resources: each domain app declares its viewsets in its ``api.py`` and registers them here
(``router.register`` or ``paths.append``), as apps register with the admin; ``urls.py`` discovers those modules.
The API app itself imports no domain app (tests/test_layering.py)."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import DefaultRouter

from .base import RootView


class Router(DefaultRouter):
    include_root_view = True
    include_format_suffixes = False
    APIRootView = RootView


router = Router()
paths: list[Any] = []  # views that are not viewsets (the KPI figures)
