"""Green estates through the API: treatment plants (the company's staff), effluent tests and compliance
cases (staff: their company's; a unit: its own) — the rows their lists show. Those the pages refuse, the API
refuses."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet
from peyvand.api.serializers import NamedRef, ReadModelSerializer

from .filters import CaseFilter, EffluentTestFilter, PlantFilter
from .models import ComplianceCase, EffluentTest, TreatmentPlant
from .views import compliance_case_rows, effluent_test_rows, plant_rows


class PlantSerializer(ReadModelSerializer):
    estates = NamedRef(many=True, read_only=True)

    class Meta:
        model = TreatmentPlant
        fields = (
            "id",
            "name",
            "name_en",
            "company",
            "estates",
            "capacity_m3_day",
            "inflow_m3_day",
            "technology",
            "stage",
            "stage_since",
            "progress_percent",
            "planned_opening",
            "actual_opening",
            "cost_rial",
            "funding",
            "contractor",
            "created_at",
        )
        read_only_fields = fields


class EffluentTestSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True)

    class Meta:
        model = EffluentTest
        fields = (
            "id",
            "unit",
            "sampled_on",
            "lab",
            "receiving_body",
            "cod",
            "bod5",
            "tss",
            "ph",
            "oil_grease",
            "chromium",
            "lead",
            "cadmium",
            "nickel",
            "zinc",
            "passed",
            "created_at",
        )
        read_only_fields = fields


class ComplianceCaseSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True)

    class Meta:
        model = ComplianceCase
        fields = (
            "id",
            "unit",
            "test",
            "opened_on",
            "deadline",
            "state",
            "repeated",
            "resolved_on",
            "resolution",
            "created_at",
        )
        read_only_fields = fields


class PlantViewSet(GatedViewSet):
    serializer_class = PlantSerializer
    filterset_class = PlantFilter
    list_model = TreatmentPlant
    ordering = ("sort_name", "id")
    docs = Docs(
        "Treatment plants · تصفیه‌خانه‌ها",
        "One treatment plant · یک تصفیه‌خانه",
        "The plants list and its filters (the estate company's staff).\n\n"
        "فهرست تصفیه‌خانه‌ها با همان پالایه‌ها (کارکنان شرکت شهرک‌ها).",
    )

    def rows(self, user: Any) -> QuerySet:
        return plant_rows(user)


class EffluentTestViewSet(GatedViewSet):
    serializer_class = EffluentTestSerializer
    filterset_class = EffluentTestFilter
    list_model = EffluentTest
    ordering = ("-sampled_on", "-id")
    docs = Docs(
        "Effluent tests · آزمون‌های پساب",
        "One effluent test · یک آزمون پساب",
        "The tests list and its filters: staff their company's units' tests, a unit its own.\n\n"
        "فهرست آزمون‌های پساب با همان پالایه‌ها: کارکنان آزمون‌های واحدهای شرکتشان و هر واحد آزمون‌های خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return effluent_test_rows(user)


class ComplianceCaseViewSet(GatedViewSet):
    serializer_class = ComplianceCaseSerializer
    filterset_class = CaseFilter
    list_model = ComplianceCase
    ordering = ("-opened_on", "-id")
    docs = Docs(
        "Compliance cases · پرونده‌های انطباق",
        "One compliance case · یک پروندهٔ انطباق",
        "The compliance cases list and its filters: staff their company's, a unit its own.\n\n"
        "فهرست پرونده‌های انطباق با همان پالایه‌ها: کارکنان پرونده‌های شرکتشان و هر واحد پرونده‌های خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return compliance_case_rows(user)


resources.router.register("treatment-plants", PlantViewSet, basename="treatment-plant")
resources.router.register("effluent-tests", EffluentTestViewSet, basename="effluent-test")
resources.router.register("compliance-cases", ComplianceCaseViewSet, basename="compliance-case")
