"""Faceted filters of the units list (one FilterSet for the page, the export and the API)."""

from __future__ import annotations

import datetime as dt

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from peyvand.core.filtering import FilterSet
from peyvand.core.jalali import JalaliDateField
from peyvand.core.permissions import is_staff_member
from peyvand.core.search import SearchFilter, bounded_terms
from peyvand.estates.models import County, IndustrialEstate
from peyvand.taxonomy.models import Classification

from .choices import PRODUCING, RETURNED_FROM, SizeClass, UnitStatus
from .models import Certification, ProductionUnit, StatusChange

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
# Filters that reveal non-public fields (VOCABULARY.md): only staff may use them.
STAFF_ONLY_FILTERS = ("status", "on", "returned_from", "returned_to")


def returned_to_production(queryset: QuerySet, start: dt.date | None, end: dt.date | None) -> QuerySet:
    """Units with at least one change idle → operating | semi-active dated in [start, end].

    The single definition of "returned to production" (VOCABULARY.md); the home figure uses it too.
    """
    moves = StatusChange.objects.filter(from_status=RETURNED_FROM, to_status__in=PRODUCING)
    if start:
        moves = moves.filter(date__gte=start)
    if end:
        moves = moves.filter(date__lte=end)
    return queryset.filter(pk__in=moves.values("unit_id"))


@extend_schema_field(OpenApiTypes.STR)  # the API's schema: Jalali (1405/02/10) or ISO (2026-04-30) text
class JalaliDateFilter(filters.Filter):
    field_class = JalaliDateField


@extend_schema_field(OpenApiTypes.INT)
class ChoiceByIdFilter(filters.ModelChoiceFilter):
    """A row chosen by its id, filtered by a method (the API's schema says integer; it cannot guess it)."""


class UnitFilter(FilterSet):
    q = SearchFilter(label=_("Search"), method="filter_search")
    county = filters.ModelChoiceFilter(
        label=_("County"),
        field_name="estate__county",
        queryset=County.objects.all(),
        empty_label=_("All counties"),
    )
    estate = filters.ModelChoiceFilter(
        label=_("Estate"), queryset=IndustrialEstate.objects.all(), empty_label=_("All estates")
    )
    status = filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=UnitStatus.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "status-checks"}),
        method="filter_status",
    )
    # The status a unit had on a past date (from its history): how a KPI "as of" a date is listed.
    on = JalaliDateFilter(label=_("Status on"), method="filter_on")
    division = filters.ModelChoiceFilter(
        label=_("ISIC division"),
        queryset=Classification.objects.isic_divisions(),
        method="filter_division",
        empty_label=_("All activities"),
    )
    size = filters.ChoiceFilter(
        label=_("Size"), choices=SizeClass.choices, method="filter_size", empty_label=_("All sizes")
    )
    export_oriented = filters.BooleanFilter(label=_("Export-oriented"), widget=forms.Select(choices=YES_NO))
    knowledge_based = filters.BooleanFilter(label=_("Knowledge-based"), widget=forms.Select(choices=YES_NO))
    certification = filters.ModelChoiceFilter(
        label=_("Certification"),
        field_name="certifications",
        queryset=Certification.objects.known(),
        empty_label=_("Any certification"),
    )
    returned_from = JalaliDateFilter(label=_("Returned to production from"), method="filter_returned")
    returned_to = JalaliDateFilter(label=_("Returned to production until"), method="filter_returned")

    class Meta:
        model = ProductionUnit
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        staff = is_staff_member(getattr(request, "user", None))
        if not staff:
            for name in STAFF_ONLY_FILTERS:
                self.filters.pop(name, None)

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("returned_from") or data.get("returned_to"):
            queryset = returned_to_production(queryset, data.get("returned_from"), data.get("returned_to"))
        return queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(
            bounded_terms(value), private=is_staff_member(getattr(self.request, "user", None))
        )

    def filter_status(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.in_status(value, on=self.form.cleaned_data.get("on"))

    def filter_on(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset  # read by ``filter_status``: the date qualifies the status filter

    def filter_division(self, queryset: QuerySet, name: str, value: Classification) -> QuerySet:
        return queryset.filter(isic__code__startswith=value.code, isic__scheme=value.scheme)

    def filter_size(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.of_size(value)

    def filter_returned(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset  # applied together in ``qs`` so that both ends bound the same change
