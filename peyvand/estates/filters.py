"""Filters of the estates list."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.core.filtering import FilterSet
from peyvand.core.search import SearchFilter, contains_all

from .choices import EstateKind, PlotState, Readiness
from .models import County, IndustrialEstate, Plot

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class EstateFilter(FilterSet):
    q = SearchFilter(label=_("Search"), method="filter_search")
    county = filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.all(), empty_label=_("All counties")
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=EstateKind.choices, empty_label=_("Estates and zones")
    )
    wastewater = filters.ChoiceFilter(
        label=_("Wastewater network"), choices=Readiness.choices, empty_label=_("Any")
    )
    free_plots = filters.BooleanFilter(
        label=_("With free plots"), method="filter_free_plots", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = IndustrialEstate
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_name", value)

    def filter_free_plots(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        with_free = Plot.objects.filter(state=PlotState.FREE).values("estate_id")
        return queryset.filter(pk__in=with_free) if value else queryset.exclude(pk__in=with_free)


class PlotFilter(FilterSet):
    """Plots by estate and state (the API's plots list)."""

    estate = filters.ModelChoiceFilter(label=_("Estate"), queryset=IndustrialEstate.objects.all())
    state = filters.ChoiceFilter(label=_("State"), choices=PlotState.choices)

    class Meta:
        model = Plot
        fields: list[str] = []
