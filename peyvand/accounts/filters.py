"""Filters of the organisations list."""

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.matching.text import search_terms

from .choices import OrganisationKind
from .models import Organisation


class OrganisationFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for term in search_terms(value):
            queryset = queryset.filter(search_name__contains=term)
        return queryset
