"""Estates and plots through the API: the estates list's rows (public to everybody) and the plots an
estate's page shows to those who see its full record."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet, PublicReadMixin
from peyvand.api.serializers import NamedRef, ReadModelSerializer
from peyvand.core import permissions

from .filters import EstateFilter, PlotFilter
from .models import IndustrialEstate, Plot
from .views import estate_rows


class EstateSerializer(ReadModelSerializer):
    county = NamedRef(read_only=True)
    producing_units = serializers.IntegerField(source="unit_count", read_only=True)

    class Meta:
        model = IndustrialEstate
        fields = (
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "county",
            "total_area_ha",
            "industrial_area_ha",
            "water",
            "power",
            "gas",
            "telecom",
            "wastewater",
            "latitude",
            "longitude",
            "description",
            "producing_units",
        )
        read_only_fields = fields


class PlotSerializer(ReadModelSerializer):
    units: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Plot
        fields = ("id", "estate", "number", "area_m2", "zone", "state", "units")
        read_only_fields = fields


class EstateViewSet(PublicReadMixin, GatedViewSet):
    serializer_class = EstateSerializer
    filterset_class = EstateFilter
    detail_action = permissions.VIEW_PUBLIC
    ordering = ("sort_name", "id")
    docs = Docs(
        "Industrial estates · شهرک‌ها و نواحی صنعتی",
        "One estate · یک شهرک",
        "The estates list (public): filters as on the page.\n\nفهرست شهرک‌ها (عمومی) با همان پالایه‌ها.",
    )

    def rows(self, user: Any) -> QuerySet:
        return estate_rows(user)


class PlotViewSet(GatedViewSet):
    serializer_class = PlotSerializer
    filterset_class = PlotFilter
    ordering = ("estate_id", "number", "id")
    docs = Docs(
        "Plots · قطعه‌ها",
        "One plot · یک قطعه",
        "Plots of the estates whose full record you see (staff of the estate company).\n\n"
        "قطعه‌های شهرک‌هایی که شناسنامهٔ کامل آن‌ها را می‌بینید (کارکنان شرکت شهرک‌ها).",
    )

    def rows(self, user: Any) -> QuerySet:
        return permissions.restrict(Plot.objects.prefetch_related("units"), user, permissions.VIEW)


resources.router.register("estates", EstateViewSet, basename="estate")
resources.router.register("plots", PlotViewSet, basename="plot")
