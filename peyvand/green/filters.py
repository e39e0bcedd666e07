"""Filters of green estates' lists (one FilterSet serves the page, its export and the KPI behind it)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.core.filtering import FilterSet
from peyvand.core.search import contains_all, query_id
from peyvand.estates.models import County, IndustrialEstate
from peyvand.units.choices import PRODUCING
from peyvand.units.filters import ChoiceByIdFilter, JalaliDateFilter

from .choices import CaseState, Direction, Material, PlantStage, ReceivingBody, SymbiosisStage
from .models import ComplianceCase, EffluentTest, ResourceListing, SymbiosisLink, TreatmentPlant

_YES_NO = [("", "—"), ("true", _("yes")), ("false", _("no"))]


class _UnitPlace(FilterSet):
    """Estate and county of the unit a row belongs to (``unit_path`` leads to the unit)."""

    unit_path = "unit__"
    q = filters.CharFilter(label=_("Search"), method="filter_search")
    estate = ChoiceByIdFilter(
        label=_("Estate"),
        queryset=IndustrialEstate.objects.all(),
        method="filter_estate",
        empty_label=_("All estates"),
    )
    county = ChoiceByIdFilter(
        label=_("County"),
        queryset=County.objects.all(),
        method="filter_county",
        empty_label=_("All counties"),
    )

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, f"{self.unit_path}search_name", value)

    def filter_estate(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.unit_path}estate": value}) if value else queryset

    def filter_county(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(**{f"{self.unit_path}estate__county": value}) if value else queryset


class PlantFilter(FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_search")
    stage = filters.MultipleChoiceFilter(
        label=_("Stage"), choices=PlantStage.choices, widget=forms.CheckboxSelectMultiple
    )
    estate = ChoiceByIdFilter(
        label=_("Estate"),
        queryset=IndustrialEstate.objects.all(),
        method="filter_estate",
        empty_label=_("All estates"),
    )
    county = ChoiceByIdFilter(
        label=_("County"),
        queryset=County.objects.all(),
        method="filter_county",
        empty_label=_("All counties"),
    )
    # The lists behind the KPIs: due to open by the end of the Jalali year of a date; operating on a date.
    due_on = JalaliDateFilter(label=_("Due to open by the end of the Jalali year of"), method="filter_due_on")
    operating_on = JalaliDateFilter(label=_("Operating on"), method="filter_operating_on")

    class Meta:
        model = TreatmentPlant
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_name", value)

    def filter_estate(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=TreatmentPlant.objects.filter(estates=value).values("pk"))

    def filter_county(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=TreatmentPlant.objects.filter(estates__county=value).values("pk"))

    def filter_due_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.due_by_year_end(value) if value else queryset

    def filter_operating_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.in_stage([PlantStage.OPERATING], value) if value else queryset


class ConnectionFilter(_UnitPlace):
    """Units (of the registry) with their sewer connection."""

    unit_path = ""
    connected = filters.ChoiceFilter(
        label=_("Connected"), choices=_YES_NO[1:], method="filter_connected", empty_label=_("All")
    )
    producing = filters.BooleanFilter(
        label=_("In production"), method="filter_producing", widget=forms.CheckboxInput
    )

    def filter_connected(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "true":
            return queryset.filter(connection__connected=True)
        if value == "false":
            return queryset.exclude(connection__connected=True)
        return queryset

    def filter_producing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(status__in=PRODUCING) if value else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_text", value)


class EffluentTestFilter(_UnitPlace):
    passed = filters.ChoiceFilter(
        label=_("Result"),
        choices=[("true", _("within the limits")), ("false", _("failed"))],
        method="filter_passed",
        empty_label=_("All results"),
    )
    receiving_body = filters.ChoiceFilter(
        label=_("Discharged to"), choices=ReceivingBody.choices, empty_label=_("All")
    )
    sampled_from = JalaliDateFilter(label=_("Sampled from"), field_name="sampled_on", lookup_expr="gte")
    sampled_to = JalaliDateFilter(label=_("Sampled until"), field_name="sampled_on", lookup_expr="lte")
    unit = filters.CharFilter(label=_("Unit"), method="filter_unit", widget=forms.HiddenInput)

    class Meta:
        model = EffluentTest
        fields: list[str] = []

    def filter_unit(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """One unit's tests; a value no id can be (1.5, -5e+126, past the database's ids) selects none."""
        pk = query_id(value)
        return queryset.filter(unit_id=pk) if pk is not None else queryset.none()

    def filter_passed(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(passed=value == "true") if value in ("true", "false") else queryset


class CaseFilter(_UnitPlace):
    state = filters.ChoiceFilter(label=_("State"), choices=CaseState.choices, empty_label=_("All states"))
    repeated = filters.BooleanFilter(
        label=_("Repeated failures only"), method="filter_repeated", widget=forms.CheckboxInput
    )

    class Meta:
        model = ComplianceCase
        fields: list[str] = []

    def filter_repeated(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(repeated=True) if value else queryset


class ListingFilter(_UnitPlace):
    direction = filters.ChoiceFilter(
        label=_("Have or want"), choices=Direction.choices, empty_label=_("Haves and wants")
    )
    material = filters.ChoiceFilter(
        label=_("Material"), choices=Material.choices, empty_label=_("All materials")
    )
    active = filters.BooleanFilter(label=_("Active only"), method="filter_active", widget=forms.CheckboxInput)

    class Meta:
        model = ResourceListing
        fields: list[str] = []

    def filter_active(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(active=True) if value else queryset


class LinkFilter(FilterSet):
    stage = filters.MultipleChoiceFilter(
        label=_("Stage"), choices=SymbiosisStage.choices, widget=forms.CheckboxSelectMultiple
    )
    material = filters.ChoiceFilter(
        label=_("Material"), choices=Material.choices, empty_label=_("All materials")
    )
    estate = ChoiceByIdFilter(
        label=_("Estate"),
        queryset=IndustrialEstate.objects.all(),
        method="filter_estate",
        empty_label=_("All estates"),
    )
    county = ChoiceByIdFilter(
        label=_("County"),
        queryset=County.objects.all(),
        method="filter_county",
        empty_label=_("All counties"),
    )

    class Meta:
        model = SymbiosisLink
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)

    def filter_estate(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(have__unit__estate=value) if value else queryset

    def filter_county(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(have__unit__estate__county=value) if value else queryset
