"""Organisations through the API: those the gate lets the user see (staff: their company's clients;
everybody else: their own)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from peyvand.api import resources
from peyvand.api.base import GatedViewSet
from peyvand.api.serializers import ReadModelSerializer

from .filters import OrganisationFilter
from .models import Organisation
from .views import organisation_rows


class OrganisationSerializer(ReadModelSerializer):
    members = serializers.IntegerField(source="member_count", read_only=True)
    email = serializers.CharField(read_only=True, help_text="an e-mail address, or empty")

    class Meta:
        model = Organisation
        fields = ("id", "kind", "name", "name_en", "company", "email", "phone", "is_active", "members")
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Organisations · سازمان‌ها",
        description="Organisations you may see: staff their company's clients, others their own.\n\n"
        "سازمان‌هایی که می‌توانید ببینید: کارکنان مشتریان شرکتشان و دیگران سازمان خودشان.",
    ),
    retrieve=extend_schema(summary="One organisation · یک سازمان"),
)
class OrganisationViewSet(GatedViewSet):
    queryset = Organisation.objects.none()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering = ("sort_name", "id")

    def rows(self, user: Any) -> QuerySet:
        return organisation_rows(user)


resources.router.register("organisations", OrganisationViewSet, basename="organisation")
