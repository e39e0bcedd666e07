"""Trade through the API: export records (staff: their company's; a unit or a buyer: its own) and the
inputs large buyers declare (staff: their company's; a buyer: its own) — the rows their lists show — and
their writes through the pages' forms and ``services``: record, correct and delete an export, declare and
edit an input, open a sourcing request for it; the HS-code suggestion the export form offers, as a read."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet, write
from peyvand.api.forms import form_body
from peyvand.api.serializers import NamedRef, ReadModelSerializer
from peyvand.core import permissions
from peyvand.core.search import query_id
from peyvand.units.models import ProductionUnit

from . import hs, services
from .choices import ExportSource
from .filters import ExportFilter, InputFilter
from .forms import BuyerInputForm, ExportRecordForm
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


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="HS 2022 subheading, six digits")
    score = serializers.FloatField()
    description_en = serializers.CharField()
    name_fa = serializers.CharField()
    heading = serializers.CharField()
    heading_en = serializers.CharField()
    heading_fa = serializers.CharField()
    chapter = serializers.CharField()
    chapter_en = serializers.CharField()
    chapter_fa = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="why, in the caller's language")


class ExportViewSet(GatedViewSet):
    serializer_class = ExportSerializer
    filterset_class = ExportFilter
    ordering = ("-period_start", "-id")
    docs = Docs(
        "Export records · سوابق صادرات",
        "One export record · یک سابقهٔ صادرات",
        "The export records list and its filters: staff their company's, a unit or buyer its own.\n\n"
        "فهرست سوابق صادرات با همان پالایه‌ها: کارکنان سوابق شرکتشان و هر واحد یا خریدار سوابق خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return visible_records(user)

    @extend_schema(
        summary="Record an export · ثبت صادرات",
        description="As the export page: staff record any source for their company's units and buyers; a unit's "
        "people state their own unit's exports (source: the unit's own statement).\n\nهمانند صفحهٔ ثبت صادرات: "
        "کارکنان هر منبعی را برای واحدها و خریداران شرکتشان ثبت می‌کنند و واحد فقط اظهار خودش را.",
        request=form_body("Export", lambda: ExportRecordForm(user=AnonymousUser())),
        responses={201: ExportSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        permissions.require(request.user, permissions.ADD, ExportRecord)
        form = self.submit(ExportRecordForm, user=request.user)
        record = services.save_export(form.save(commit=False), by=request.user)
        return self.shown(record, status=201)

    @extend_schema(
        summary="Correct an export record · اصلاح سابقهٔ صادرات",
        description="The fields sent change, the others keep their value. A unit corrects only its own "
        "statements, not the company's customs figures (403).\n\nفقط فیلدهای فرستاده‌شده تغییر می‌کنند. واحد فقط "
        "اظهار خودش را اصلاح می‌کند، نه رقم گمرکی شرکت را (۴۰۳).",
        request=form_body("Export", lambda: ExportRecordForm(user=AnonymousUser()))(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        record = self.gated(kwargs["pk"], permissions.CHANGE, self.rows(request.user))
        if services.may_state_only(request.user) and record.source != ExportSource.OWN_STATEMENT:
            raise PermissionDenied
        form = self.edited(ExportRecordForm, record, user=request.user)
        return self.shown(services.save_export(form.save(commit=False), by=request.user))

    @extend_schema(
        summary="Delete an export record · حذف سابقهٔ صادرات",
        description="The company's staff only; the deletion stays on the unit's timeline.\n\n"
        "فقط کارکنان شرکت؛ حذف در تاریخچهٔ واحد می‌ماند.",
        responses={204: None},
    )
    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        record = self.gated(kwargs["pk"], permissions.DELETE, self.rows(request.user))
        services.delete_export(record, by=request.user)
        return Response(status=204)

    @extend_schema(
        summary="Suggest HS codes · پیشنهاد کد HS",
        description="The five likeliest HS 2022 subheadings for a product description, each with why (the "
        "export form's suggestion). `unit`: a unit whose ISIC activity narrows them.\n\nپنج زیرعنوان محتمل "
        "HS 2022 برای شرح کالا، هر یک با دلیل (همان پیشنهاد فرم صادرات).",
        parameters=[
            OpenApiParameter("product", str, description="the product, in Persian or English"),
            OpenApiParameter("unit", int, description="a unit's id (its ISIC activity)"),
        ],
        responses={200: SuggestionSerializer(many=True)},
        filters=False,
    )
    @action(
        detail=False, methods=["get"], url_path="hs-suggestions", filter_backends=[], pagination_class=None
    )
    def hs_suggestions(self, request: Any) -> Response:
        unit_id = query_id(request.query_params.get("unit"))
        isic = None
        if unit_id is not None:
            unit = (
                permissions.restrict(
                    ProductionUnit.objects.select_related("isic"), request.user, permissions.VIEW_PUBLIC
                )
                .filter(pk=unit_id)
                .first()
            )
            isic = unit.isic.code if unit is not None and unit.isic is not None else None
        return Response(hs.suggest(request.query_params.get("product", ""), isic=isic))


class BuyerInputViewSet(GatedViewSet):
    serializer_class = BuyerInputSerializer
    filterset_class = InputFilter
    docs = Docs(
        "Large buyers' inputs · نهاده‌های خریداران بزرگ",
        "One buyer input · یک نهادهٔ خریدار",
        "The inputs large buyers declared: staff their company's buyers', a buyer its own.\n\n"
        "نهاده‌هایی که خریداران بزرگ اعلام کرده‌اند: کارکنان نهاده‌های خریداران شرکتشان و هر خریدار نهاده‌های خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return input_rows(user)

    @extend_schema(
        summary="Declare an input · اعلام نهاده",
        description="A buyer declares its own; the company's staff for a buyer they serve.\n\n"
        "خریدار نهادهٔ خودش را اعلام می‌کند و کارکنان شرکت برای خریدار مشتری‌شان.",
        request=form_body("BuyerInput", lambda: BuyerInputForm(user=AnonymousUser())),
        responses={201: BuyerInputSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        permissions.require(request.user, permissions.ADD, BuyerInput)
        form = self.submit(BuyerInputForm, user=request.user)
        return self.shown(services.save_input(form.save(commit=False), by=request.user), status=201)

    @extend_schema(
        summary="Edit a declared input · ویرایش نهاده",
        description="The fields sent change, the others keep their value.\n\nفقط فیلدهای فرستاده‌شده تغییر می‌کنند.",
        request=form_body("BuyerInput", lambda: BuyerInputForm(user=AnonymousUser()))(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        item = self.gated(kwargs["pk"], permissions.CHANGE, BuyerInput.objects.select_related("buyer"))
        form = self.edited(BuyerInputForm, item, user=request.user)
        return self.shown(services.save_input(form.save(commit=False), by=request.user))

    @write(
        "Open a sourcing request for the input · باز کردن درخواست تأمین برای نهاده",
        "Brokering: the company's staff open a draft request so the bridge finds local suppliers; the input "
        "then names it.\n\nکارگزاری: کارکنان شرکت پیش‌نویس درخواستی باز می‌کنند تا پل، تأمین‌کنندهٔ محلی بیابد.",
        url_path="open-request",
    )
    def open_request(self, request: Any, pk: str | None = None) -> Response:
        item = self.gated(pk, permissions.BROKER, BuyerInput.objects.select_related("buyer"))
        services.open_request(item, by=request.user)
        return self.shown(item)


resources.router.register("exports", ExportViewSet, basename="export")
resources.router.register("buyer-inputs", BuyerInputViewSet, basename="buyer-input")
