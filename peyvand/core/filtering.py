"""The project's FilterSet: each filterset builds its own form fields.

django-filter copies a FilterSet class's filters for each instance, and a filter keeps the form field it
built the first time it was asked (``Filter.field`` caches ``_field``). Whatever builds fields on the class's
own filters — drf-spectacular does when it writes the API schema — leaves those fields in every later copy,
built before ``__init__`` could give them the request's choices or querysets: after the schema was served
once, the export list's destination filter refused every country (its choices are given per request).
Every filterset of the project derives from this one, which drops such fields after copying
(tests/test_filtersets.py).

Its form's selects render through ``core.forms.QuickSelect``."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from .forms import quick_selects


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for copied in self.filters.values():
            copied.__dict__.pop("_field", None)

    @property
    def form(self) -> forms.Form:
        """The filters' form, its plain selects drawn by ``QuickSelect`` (same HTML, a fraction of the CPU)."""
        if not hasattr(self, "_form"):
            quick_selects(super().form)
        return super().form
