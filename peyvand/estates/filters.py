"""Filters of the estates list."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.core.search import contains_all

from .choices import EstateKind, Readiness
from .models import County, IndustrialEstate


class EstateFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_search")
    county = filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.all(), empty_label=_("All counties")
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=EstateKind.choices, empty_label=_("Estates and zones")
    )
    wastewater = filters.ChoiceFilter(
        label=_("Wastewater network"), choices=Readiness.choices, empty_label=_("Any")
    )

    class Meta:
        model = IndustrialEstate
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_name", value)
