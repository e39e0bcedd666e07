"""The industrial clinic through the API: the revival cases the case board lists (staff: their company's;
a unit: its own), with their causes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from peyvand.api import resources
from peyvand.api.base import GatedViewSet
from peyvand.api.serializers import NamedRef, ReadModelSerializer

from .filters import CaseFilter
from .models import CaseCause, RevivalCase
from .views import case_rows


class CauseSerializer(ReadModelSerializer):
    class Meta:
        model = CaseCause
        fields = ("cause", "severity")
        read_only_fields = fields


class CaseSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True)
    causes = CauseSerializer(many=True, read_only=True)

    class Meta:
        model = RevivalCase
        fields = (
            "id",
            "unit",
            "stage",
            "stage_date",
            "opened_on",
            "requested_by_unit",
            "status_at_opening",
            "employees_at_opening",
            "diagnosis_visit_on",
            "diagnosis",
            "unit_account",
            "causes",
            "outcome_on",
            "jobs_restored",
            "outcome_note",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Revival cases · پرونده‌های احیا",
        description="The case board's rows and filters: staff their company's cases, a unit its own.\n\n"
        "ردیف‌ها و پالایه‌های تابلوی پرونده‌ها: کارکنان پرونده‌های شرکتشان و هر واحد پرونده‌های خودش.",
    ),
    retrieve=extend_schema(summary="One revival case · یک پروندهٔ احیا"),
)
class CaseViewSet(GatedViewSet):
    queryset = RevivalCase.objects.none()
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering = ("-opened_on", "-id")

    def rows(self, user: Any) -> QuerySet:
        return case_rows(user)


resources.router.register("revival-cases", CaseViewSet, basename="revival-case")
