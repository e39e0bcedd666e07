"""Investors and land through the API: the investors, applications and allocation contracts their lists
show (the company's staff: their company's; an investor: its own). Those the pages refuse, the API refuses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from peyvand.api import resources
from peyvand.api.base import GatedViewSet
from peyvand.api.serializers import CodedRef, NamedRef, ReadModelSerializer

from .filters import ApplicationFilter, ContractFilter, InvestorFilter
from .models import AllocationContract, Application, Investor
from .views import application_rows, contract_rows, investor_rows


class InvestorSerializer(ReadModelSerializer):
    applications = serializers.IntegerField(source="applications_count", read_only=True)
    email = serializers.CharField(read_only=True, help_text="an e-mail address, or empty")

    class Meta:
        model = Investor
        fields = (
            "id",
            "kind",
            "name",
            "name_en",
            "company",
            "organisation",
            "national_id",
            "contact_person",
            "phone",
            "email",
            "address",
            "knowledge_level",
            "knowledge_expiry",
            "knowledge_register_number",
            "applications",
            "created_at",
        )
        read_only_fields = fields


class ApplicationSerializer(ReadModelSerializer):
    investor = NamedRef(read_only=True)
    isic = CodedRef(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = (
            "id",
            "investor",
            "company",
            "title",
            "product",
            "isic",
            "hs_codes",
            "investment_rial",
            "usd_share",
            "jobs_planned",
            "land_m2",
            "water_m3_day",
            "power_kw",
            "gas_m3_hour",
            "wastewater",
            "environment_group",
            "export_share",
            "export_markets",
            "import_substitution",
            "state",
            "state_since",
            "submitted_on",
            "score",
            "reviewer_note",
            "estate",
            "unit",
            "created_at",
        )
        read_only_fields = fields


class ContractSerializer(ReadModelSerializer):
    investor = NamedRef(source="application.investor", read_only=True)
    estate = NamedRef(source="plot.estate", read_only=True, allow_null=True)

    class Meta:
        model = AllocationContract
        fields = (
            "id",
            "number",
            "application",
            "investor",
            "plot",
            "estate",
            "signed_on",
            "area_m2",
            "price_per_m2_rial",
            "total_rial",
            "down_payment_share",
            "instalments",
            "waiver_share",
            "grace_days",
            "state",
            "closed_on",
            "created_at",
        )
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Investors · سرمایه‌گذاران",
        description="The investors list: staff their company's investors, an investor its own file.\n\n"
        "فهرست سرمایه‌گذاران: کارکنان سرمایه‌گذاران شرکتشان و هر سرمایه‌گذار پروندهٔ خودش.",
    ),
    retrieve=extend_schema(summary="One investor · یک سرمایه‌گذار"),
)
class InvestorViewSet(GatedViewSet):
    queryset = Investor.objects.none()
    serializer_class = InvestorSerializer
    filterset_class = InvestorFilter
    list_model = Investor
    ordering = ("sort_name", "id")

    def rows(self, user: Any) -> QuerySet:
        return investor_rows(user)


@extend_schema_view(
    list=extend_schema(
        summary="Land applications · درخواست‌های زمین",
        description="The applications list and its filters: staff their company's, an investor its own.\n\n"
        "فهرست درخواست‌های زمین با همان پالایه‌ها: کارکنان درخواست‌های شرکتشان و سرمایه‌گذار درخواست‌های خودش.",
    ),
    retrieve=extend_schema(summary="One land application · یک درخواست زمین"),
)
class ApplicationViewSet(GatedViewSet):
    queryset = Application.objects.none()
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    list_model = Application

    def rows(self, user: Any) -> QuerySet:
        return application_rows(user)


@extend_schema_view(
    list=extend_schema(
        summary="Allocation contracts · قراردادهای واگذاری",
        description="The contracts list and its filters: staff their company's, an investor its own.\n\n"
        "فهرست قراردادهای واگذاری با همان پالایه‌ها: کارکنان قراردادهای شرکتشان و سرمایه‌گذار قراردادهای خودش.",
    ),
    retrieve=extend_schema(summary="One allocation contract · یک قرارداد واگذاری"),
)
class ContractViewSet(GatedViewSet):
    queryset = AllocationContract.objects.none()
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    list_model = AllocationContract

    def rows(self, user: Any) -> QuerySet:
        return contract_rows(user)


resources.router.register("investors", InvestorViewSet, basename="investor")
resources.router.register("applications", ApplicationViewSet, basename="application")
resources.router.register("contracts", ContractViewSet, basename="contract")
