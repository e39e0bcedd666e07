"""Filters of the organisations list."""

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.core.filtering import FilterSet
from peyvand.core.search import SearchFilter, contains_all

from .choices import OrganisationKind
from .models import Organisation


class OrganisationFilter(FilterSet):
    q = SearchFilter(label=_("Search"), method="filter_search")
    kind = filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_name", value)
