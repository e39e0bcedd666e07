"""Organisations through the API: those the gate lets the user see (staff: their company's clients;
everybody else: their own)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet
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


class OrganisationViewSet(GatedViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering = ("sort_name", "id")
    docs = Docs(
        "Organisations · سازمان‌ها",
        "One organisation · یک سازمان",
        "Organisations you may see: staff their company's clients, others their own.\n\n"
        "سازمان‌هایی که می‌توانید ببینید: کارکنان مشتریان شرکتشان و دیگران سازمان خودشان.",
    )

    def rows(self, user: Any) -> QuerySet:
        return organisation_rows(user)


resources.router.register("organisations", OrganisationViewSet, basename="organisation")
