"""Free-text search over a folded key: the one way every list and lookup matches what people type."""

from __future__ import annotations

from django.db.models import QuerySet

from peyvand.matching.text import search_terms


def contains_all(queryset: QuerySet, field: str, query: str | None) -> QuerySet:
    """Rows whose folded ``field`` contains every folded term of ``query`` («ريخته گري» finds «ریخته‌گری»)."""
    for term in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset
