"""Trade through the API: export records (staff: their company's; a unit or a buyer: its own) and the
inputs large buyers declare (staff: their company's; a buyer: its own) — the rows their lists show."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from peyvand.api import resources
from peyvand.api.base import GatedViewSet
from peyvand.api.serializers import NamedRef, ReadModelSerializer

from .filters import ExportFilter, InputFilter
from .models import BuyerInput, ExportRecord
from .views import input_rows, visible_records


class ExportSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True, allow_null=True, help_text="the exporting unit, or null")
    buyer = NamedRef(read_only=True, allow_null=True, help_text="the exporting buyer (no unit), or null")

    class Meta:
        model = ExportRecord
        fields = (
            "id",
            "company",
            "unit",
            "buyer",
            "product",
            "hs_code",
            "tariff_line",
            "destination",
            "value_usd",
            "value_rial",
            "quantity",
            "quantity_unit",
            "year",
            "month",
            "period_start",
            "source",
            "note",
            "updated_at",
        )
        read_only_fields = fields


class BuyerInputSerializer(ReadModelSerializer):
    buyer = NamedRef(read_only=True)

    class Meta:
        model = BuyerInput
        fields = (
            "id",
            "company",
            "buyer",
            "name",
            "description",
            "hs_code",
            "yearly_quantity",
            "quantity_unit",
            "yearly_value_rial",
            "origin",
            "request",
            "updated_at",
        )
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Export records · سوابق صادرات",
        description="The export records list and its filters: staff their company's, a unit or buyer its own."
        "\n\nفهرست سوابق صادرات با همان پالایه‌ها: کارکنان سوابق شرکتشان و هر واحد یا خریدار سوابق خودش.",
    ),
    retrieve=extend_schema(summary="One export record · یک سابقهٔ صادرات"),
)
class ExportViewSet(GatedViewSet):
    queryset = ExportRecord.objects.none()
    serializer_class = ExportSerializer
    filterset_class = ExportFilter
    ordering = ("-period_start", "-id")

    def rows(self, user: Any) -> QuerySet:
        return visible_records(user)


@extend_schema_view(
    list=extend_schema(
        summary="Large buyers' inputs · نهاده‌های خریداران بزرگ",
        description="The inputs large buyers declared: staff their company's buyers', a buyer its own.\n\n"
        "نهاده‌هایی که خریداران بزرگ اعلام کرده‌اند: کارکنان نهاده‌های خریداران شرکتشان و هر خریدار نهاده‌های خودش.",
    ),
    retrieve=extend_schema(summary="One buyer input · یک نهادهٔ خریدار"),
)
class BuyerInputViewSet(GatedViewSet):
    queryset = BuyerInput.objects.none()
    serializer_class = BuyerInputSerializer
    filterset_class = InputFilter

    def rows(self, user: Any) -> QuerySet:
        return input_rows(user)


resources.router.register("exports", ExportViewSet, basename="export")
resources.router.register("buyer-inputs", BuyerInputViewSet, basename="buyer-input")
