"""Filters of the investment lists (the KPIs link to these very filters)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.core.filtering import FilterSet
from peyvand.core.search import contains_all
from peyvand.estates.models import IndustrialEstate
from peyvand.units.filters import JalaliDateFilter

from .choices import ApplicationState, ContractState, KnowledgeLevel, MilestoneKind
from .models import AllocationContract, Application, Investor, Milestone


class InvestorFilter(FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_search")
    knowledge_level = filters.ChoiceFilter(
        label=_("Knowledge-based"), choices=KnowledgeLevel.choices, empty_label=_("All")
    )
    knowledge_based = filters.BooleanFilter(label=_("Holds a certificate"), method="filter_knowledge")
    first_contract_from = JalaliDateFilter(label=_("First contract from"), method="filter_first_from")
    first_contract_to = JalaliDateFilter(label=_("First contract until"), method="filter_first_to")

    class Meta:
        model = Investor
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_name", value)

    def filter_knowledge(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        condition = {"knowledge_level": KnowledgeLevel.NONE}
        return queryset.exclude(**condition) if value else queryset.filter(**condition)

    def filter_first_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(first_contract_on__gte=value)

    def filter_first_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(first_contract_on__lte=value)


class ApplicationFilter(FilterSet):
    state = filters.MultipleChoiceFilter(label=_("State"), choices=ApplicationState.choices)
    estate = filters.ModelChoiceFilter(
        label=_("Approved estate"), queryset=IndustrialEstate.objects.all(), empty_label=_("All estates")
    )
    knowledge_based = filters.BooleanFilter(label=_("Knowledge-based investor"), method="filter_knowledge")

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_knowledge(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        condition = {"investor__knowledge_level": KnowledgeLevel.NONE}
        return queryset.exclude(**condition) if value else queryset.filter(**condition)


class ContractFilter(FilterSet):
    state = filters.ChoiceFilter(label=_("State"), choices=ContractState.choices, empty_label=_("All states"))
    estate = filters.ModelChoiceFilter(
        label=_("Estate"),
        field_name="plot__estate",
        queryset=IndustrialEstate.objects.all(),
        empty_label=_("All estates"),
    )
    signed_from = JalaliDateFilter(label=_("Signed from"), field_name="signed_on", lookup_expr="gte")
    signed_to = JalaliDateFilter(label=_("Signed until"), field_name="signed_on", lookup_expr="lte")

    class Meta:
        model = AllocationContract
        fields: list[str] = []


class MilestoneFilter(FilterSet):
    kind = filters.ChoiceFilter(label=_("Milestone"), choices=MilestoneKind.choices, empty_label=_("All"))
    estate = filters.ModelChoiceFilter(
        label=_("Estate"),
        field_name="contract__plot__estate",
        queryset=IndustrialEstate.objects.all(),
        empty_label=_("All estates"),
    )

    class Meta:
        model = Milestone
        fields: list[str] = []
