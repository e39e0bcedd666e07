"""Filters of the clinic's lists (one FilterSet for the page and its export)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.core.filtering import FilterSet
from peyvand.estates.models import County, IndustrialEstate
from peyvand.matching.text import search_terms
from peyvand.taxonomy.models import Classification
from peyvand.units.choices import PRODUCING, RETURNED_FROM, SizeClass
from peyvand.units.filters import JalaliDateFilter, returned_to_production
from peyvand.units.models import ProductionUnit, StatusChange

from .choices import OPEN_STAGES, CaseStage, Cause, InterventionKind
from .models import RevivalCase, RiskAssessment

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class CaseFilter(FilterSet):
    q = filters.CharFilter(label=_("Unit"), method="filter_search")
    stage = filters.ChoiceFilter(label=_("Stage"), choices=CaseStage.choices, empty_label=_("All stages"))
    open = filters.BooleanFilter(label=_("Open"), method="filter_open", widget=forms.Select(choices=YES_NO))
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
    cause = filters.ChoiceFilter(
        label=_("Cause"), choices=Cause.choices, method="filter_cause", empty_label=_("Any cause")
    )
    intervention = filters.ChoiceFilter(
        label=_("Intervention"),
        choices=InterventionKind.choices,
        method="filter_intervention",
        empty_label=_("Any"),
    )
    opened_from = JalaliDateFilter(label=_("Opened from"), field_name="opened_on", lookup_expr="gte")
    opened_to = JalaliDateFilter(label=_("Opened until"), field_name="opened_on", lookup_expr="lte")

    class Meta:
        model = RevivalCase
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for term in search_terms(value):
            queryset = queryset.filter(unit__search_name__contains=term)
        return queryset

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(stage__in=OPEN_STAGES) if value else queryset.exclude(stage__in=OPEN_STAGES)

    def filter_cause(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=RevivalCase.objects.filter(causes__cause=value).values("pk"))

    def filter_intervention(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=RevivalCase.objects.filter(interventions__kind=value).values("pk"))


def returns_with_case(units: QuerySet, start, end) -> QuerySet:
    """Units whose return to production (idle → operating | semi-active) dated in [start, end] is linked
    to a clinic case."""
    moves = StatusChange.objects.filter(
        from_status=RETURNED_FROM, to_status__in=PRODUCING, revival_case__isnull=False
    )
    if start:
        moves = moves.filter(date__gte=start)
    if end:
        moves = moves.filter(date__lte=end)
    return units.filter(pk__in=moves.values("unit_id"))


class ReturnFilter(FilterSet):
    """The units returned to production in a period (the home figure's definition), with or without a
    case; the same parameters as the unit list so the figures' drill-downs agree."""

    returned_from = JalaliDateFilter(label=_("Returned to production from"), method="filter_period")
    returned_to = JalaliDateFilter(label=_("Returned to production until"), method="filter_period")
    with_case = filters.BooleanFilter(
        label=_("With a clinic case"), method="filter_period", widget=forms.Select(choices=YES_NO)
    )
    estate = filters.ModelChoiceFilter(
        label=_("Estate"), queryset=IndustrialEstate.objects.all(), empty_label=_("All estates")
    )
    county = filters.ModelChoiceFilter(
        label=_("County"),
        field_name="estate__county",
        queryset=County.objects.all(),
        empty_label=_("All counties"),
    )
    division = filters.ModelChoiceFilter(
        label=_("ISIC division"),
        queryset=Classification.objects.isic_divisions(),
        method="filter_division",
        empty_label=_("All activities"),
    )
    size = filters.ChoiceFilter(
        label=_("Size"), choices=SizeClass.choices, method="filter_size", empty_label=_("All sizes")
    )

    class Meta:
        model = ProductionUnit
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        start, end = data.get("returned_from"), data.get("returned_to")
        queryset = returned_to_production(queryset, start, end)
        with_case = data.get("with_case")
        if with_case is not None:
            linked = returns_with_case(ProductionUnit.objects.all(), start, end).values("pk")
            queryset = queryset.filter(pk__in=linked) if with_case else queryset.exclude(pk__in=linked)
        return queryset

    def filter_period(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # applied together in ``qs``: both ends bound the same change

    def filter_division(self, queryset: QuerySet, name: str, value: Classification) -> QuerySet:
        return queryset.filter(isic__code__startswith=value.code, isic__scheme=value.scheme)

    def filter_size(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.of_size(value)


class RiskFilter(FilterSet):
    at_risk = filters.BooleanFilter(label=_("At risk"), widget=forms.Select(choices=YES_NO))
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
    min_score = filters.NumberFilter(
        label=_("Score at least"), field_name="score", lookup_expr="gte", min_value=0, max_value=100
    )
    no_case = filters.BooleanFilter(
        label=_("Without an open case"), method="filter_no_case", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = RiskAssessment
        fields: list[str] = []

    def filter_no_case(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        having = RevivalCase.objects.filter(stage__in=OPEN_STAGES).values("unit_id")
        return queryset.exclude(unit_id__in=having) if value else queryset.filter(unit_id__in=having)
