"""Filters of the export records list (the same FilterSet serves the page, its exports and the KPIs)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core import permissions
from peyvand.core.filtering import FilterSet
from peyvand.core.search import IdFilter, contains_all
from peyvand.estates.models import County, IndustrialEstate
from peyvand.taxonomy.models import Classification
from peyvand.units.choices import SizeClass
from peyvand.units.filters import JalaliDateFilter
from peyvand.units.models import ProductionUnit

from . import countries
from .choices import Exporter, ExportSource, InputOrigin
from .models import BuyerInput, ExportRecord


class ExportFilter(FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_search")
    exporter = filters.ChoiceFilter(
        label=_("Exporter"),
        choices=Exporter.choices,
        empty_label=_("Units and buyers"),
        method="filter_exporter",
    )
    unit = IdFilter(label=_("Unit"), field_name="unit_id", widget=forms.HiddenInput)
    buyer = filters.ModelChoiceFilter(
        label=_("Large buyer"), queryset=Organisation.objects.none(), empty_label=_("All buyers")
    )
    estate = filters.ModelChoiceFilter(
        label=_("Estate"),
        field_name="unit__estate",
        queryset=IndustrialEstate.objects.all(),
        empty_label=_("All estates"),
    )
    county = filters.ModelChoiceFilter(
        label=_("County"),
        field_name="unit__estate__county",
        queryset=County.objects.all(),
        empty_label=_("All counties"),
    )
    # The KPI filters of the registry: an ISIC division and a size class of the exporting unit.
    division = filters.ModelChoiceFilter(
        label=_("ISIC division"),
        queryset=Classification.objects.isic_divisions(),
        method="filter_division",
        widget=forms.HiddenInput,
    )
    size = filters.ChoiceFilter(
        label=_("Size"), choices=SizeClass.choices, method="filter_size", widget=forms.HiddenInput
    )
    chapter = filters.CharFilter(label=_("HS chapter"), method="filter_chapter", max_length=6)
    destination = filters.ChoiceFilter(label=_("Destination"), choices=(), empty_label=_("All countries"))
    year = filters.NumberFilter(label=_("Jalali year"), field_name="year", min_value=1300, max_value=1500)
    month = filters.NumberFilter(label=_("Jalali month"), field_name="month", min_value=1, max_value=12)
    source = filters.ChoiceFilter(
        label=_("Source"), choices=ExportSource.choices, empty_label=_("All sources")
    )
    period_from = JalaliDateFilter(label=_("From"), field_name="period_start", lookup_expr="gte")
    period_to = JalaliDateFilter(label=_("Until"), field_name="period_start", lookup_expr="lte")

    class Meta:
        model = ExportRecord
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["buyer"].queryset = permissions.restrict(
            Organisation.objects.filter(kind="buyer"), user, permissions.VIEW
        )
        self.filters["destination"].extra["choices"] = countries.choices()

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_text", value)

    def filter_exporter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == Exporter.UNITS:
            return queryset.filter(unit__isnull=False)
        if value == Exporter.BUYERS:
            return queryset.filter(buyer__isnull=False)
        return queryset

    def filter_chapter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        code = "".join(ch for ch in value if ch.isdigit())
        return queryset.filter(hs_code__startswith=code) if code else queryset

    def filter_division(self, queryset: QuerySet, name: str, value: Classification) -> QuerySet:
        return queryset.filter(unit__isic__scheme=value.scheme, unit__isic__code__startswith=value.code)

    def filter_size(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(unit__in=ProductionUnit.objects.of_size(value).values("pk"))


class InputFilter(FilterSet):
    origin = filters.ChoiceFilter(
        label=_("Bought from"), choices=InputOrigin.choices, empty_label=_("Anywhere")
    )
    buyer = filters.ModelChoiceFilter(
        label=_("Large buyer"), queryset=Organisation.objects.none(), empty_label=_("All buyers")
    )

    class Meta:
        model = BuyerInput
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["buyer"].queryset = permissions.restrict(
            Organisation.objects.filter(kind="buyer"), user, permissions.VIEW
        )
