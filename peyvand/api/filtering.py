"""The API's filter backend: the pages' FilterSets, their errors as the pages word them (a 400)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions


class FilterBackend(DjangoFilterBackend):
    """The page's FilterSet on the API; its errors are the messages the page shows, as 400.

    django-filter's own translation formats each message again with ``%``: a message that already
    carries the typed value (“%” is not a date…) then failed as a server error."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError(
                {name: list(errors) for name, errors in filterset.errors.items()}
            )
        return filterset.qs
