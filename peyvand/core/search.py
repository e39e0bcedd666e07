"""Free-text search over a folded key: the one way every list and lookup matches what people type.

Search boxes and id parameters of every list are read here, within bounds (``limits.SEARCH_LENGTH``
characters, ``limits.SEARCH_TERMS`` words, ids that fit the database): a search of thousands of words or
one 60,000-character word once made SQLite give up ("expression tree is too large") and the page fail.
Too much is refused with a message by the list's form; ``contains_all`` caps what reaches the database.
"""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db import migrations
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peyvand.core import limits
from peyvand.core.jalali import localize_digits
from peyvand.matching.text import search_terms, to_ascii_digits

MAX_ID = 2**63 - 1  # the largest primary key PostgreSQL and SQLite hold


def too_long(query: str | None) -> str | None:
    """The message for a search text past the bounds, or ``None`` when it is fine."""
    query = query or ""
    if len(query) > limits.SEARCH_LENGTH:
        return _("The search text is %(length)s characters long; search with at most %(max)s.") % {
            "length": localize_digits(len(query)),
            "max": localize_digits(limits.SEARCH_LENGTH),
        }
    if len(search_terms(query)) > limits.SEARCH_TERMS:
        return _("Search with at most %(max)s words.") % {"max": localize_digits(limits.SEARCH_TERMS)}
    return None


def bounded_terms(query: str | None) -> list[str]:
    """The folded terms of ``query``, at most ``SEARCH_TERMS`` of at most ``SEARCH_LENGTH`` characters."""
    return [term[: limits.SEARCH_LENGTH] for term in search_terms((query or "")[: limits.SEARCH_LENGTH * 2])][
        : limits.SEARCH_TERMS
    ]


def contains_all(queryset: QuerySet, field: str, query: str | None) -> QuerySet:
    """Rows whose folded ``field`` contains every folded term of ``query`` («ريخته گري» finds «ریخته‌گری»)."""
    for term in bounded_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


def trigram_indexes(table: str, *columns: str) -> migrations.RunPython:
    """A migration step: on PostgreSQL, a GIN trigram index on each folded search column of ``table``.

    ``contains_all`` and ``UnitQuerySet.search`` filter with ``LIKE '%term%'`` on folded text; without an
    index that reads every row (100,000 units: ~0.3 s a search). pg_trgm indexes any ``LIKE`` pattern, in
    Persian too (the database's ``C.UTF-8``/``*.UTF-8`` ctype counts Persian letters as letters), so the
    search finds exactly what it found before, from the index. pg_trgm is a trusted extension (PostgreSQL
    13+): the database's owner may create it. SQLite: nothing to do (its search stays a scan).
    """

    def names(column: str) -> str:
        return f"{table}_{column}_trgm"[:63]

    def forward(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{names(column)}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
            )

    def backward(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{names(column)}"')

    return migrations.RunPython(forward, backward)


def query_id(value: object) -> int | None:
    """An id typed in a query string (any digits), or ``None`` when it is not one the database can hold."""
    text = to_ascii_digits(str(value or "")).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class SearchField(forms.CharField):
    """A search box: at most ``SEARCH_LENGTH`` characters and ``SEARCH_TERMS`` words, refused by name."""

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(limits.SEARCH_LENGTH)}

    def validate(self, value: str) -> None:
        super().validate(value)
        problem = too_long(value)
        if problem:
            raise forms.ValidationError(problem, code="too_long")


class SearchFilter(filters.CharFilter):
    """The ``q`` of a FilterSet: a bounded search box (the filter's own method does the matching)."""

    field_class = SearchField


class IdField(forms.IntegerField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(filters.NumberFilter):
    """A hidden id parameter (``?unit=12``): a whole number the database can hold, or the form refuses it."""

    field_class = IdField
