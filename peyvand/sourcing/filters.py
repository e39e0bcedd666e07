"""Filters of the bridge's lists."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peyvand.accounts.models import Organisation
from peyvand.core import permissions
from peyvand.core.filtering import FilterSet
from peyvand.core.search import IdFilter, SearchFilter, contains_all
from peyvand.estates.models import County, IndustrialEstate
from peyvand.units.filters import JalaliDateFilter

from .choices import CONTRACTED_STAGES, GapState, InvitationState, LinkageStage, RequestState
from .models import GapTicket, Linkage, Match, SourcingRequest, SupplierInvitation


class RequestFilter(FilterSet):
    q = SearchFilter(label=_("Search"), method="filter_search")
    state = filters.ChoiceFilter(label=_("State"), choices=RequestState.choices, empty_label=_("All states"))
    buyer = filters.ModelChoiceFilter(
        label=_("Buyer"), queryset=Organisation.objects.none(), empty_label=_("All buyers")
    )

    class Meta:
        model = SourcingRequest
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if permissions.is_staff_member(user):
            self.filters["buyer"].queryset = permissions.restrict(
                Organisation.objects.filter(kind="buyer"), user, permissions.VIEW
            )
        else:
            self.filters.pop("buyer")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return contains_all(queryset, "search_text", value)


class LinkageFilter(FilterSet):
    stage = filters.ChoiceFilter(label=_("Stage"), choices=LinkageStage.choices, empty_label=_("All stages"))
    buyer = filters.ModelChoiceFilter(
        label=_("Buyer"), queryset=Organisation.objects.none(), empty_label=_("All buyers")
    )
    unit = IdFilter(label=_("Supplier"), field_name="unit_id", widget=filters.widgets.forms.HiddenInput)
    # The filters behind the ledger's KPIs (insights): the supplier's estate and county, contracts.
    estate = filters.ModelChoiceFilter(
        label=_("Estate"), field_name="unit__estate", queryset=IndustrialEstate.objects.all()
    )
    county = filters.ModelChoiceFilter(
        label=_("County"), field_name="unit__estate__county", queryset=County.objects.all()
    )
    contracted = filters.BooleanFilter(label=_("At a contract stage"), method="filter_contracted")
    introduced_to = JalaliDateFilter(
        label=_("Introduced until"), field_name="introduced_on", lookup_expr="lte"
    )
    contracted_to = JalaliDateFilter(label=_("Contract signed until"), method="filter_contracted_to")

    class Meta:
        model = Linkage
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["buyer"].queryset = permissions.restrict(
            Organisation.objects.filter(kind="buyer"), user, permissions.VIEW
        )

    def filter_contracted(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.contracted() if value else queryset.exclude(stage__in=CONTRACTED_STAGES)

    def filter_contracted_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.contracted_by(value)


class MatchFilter(FilterSet):
    """A request's suggestions (the API's matches list)."""

    request = IdFilter(label=_("Request"), field_name="request_id")
    qualified = filters.BooleanFilter(label=_("Qualified"))

    class Meta:
        model = Match
        fields: list[str] = []


class InvitationFilter(FilterSet):
    """Invitations by request and state (the API's invitations list)."""

    request = IdFilter(label=_("Request"), field_name="request_id")
    state = filters.ChoiceFilter(label=_("State"), choices=InvitationState.choices)

    class Meta:
        model = SupplierInvitation
        fields: list[str] = []


class GapFilter(FilterSet):
    """Gap tickets by state (the API's gaps list)."""

    state = filters.ChoiceFilter(label=_("State"), choices=GapState.choices)

    class Meta:
        model = GapTicket
        fields: list[str] = []
