"""Units through the API: the same rows and fields as the units list and the unit's page.

Staff read the full record of their company's units; everybody else reads the public fields of the units
the public directory lists (VOCABULARY.md: what the public may see of a unit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from peyvand.api import resources
from peyvand.api.base import GatedViewSet, PublicReadMixin, refuse_unreadable_booleans
from peyvand.api.forms import form_data, form_errors, form_values
from peyvand.api.pagination import NameCursorPagination
from peyvand.api.serializers import CodedRef, NamedRef, ReadModelSerializer
from peyvand.core import permissions
from peyvand.core.search import query_id

from . import services
from .filters import STAFF_ONLY_FILTERS, UnitFilter
from .forms import ProductForm, UnitForm
from .models import Product, ProductionUnit, StatusChange
from .views import unit_rows


class ProductSerializer(ReadModelSerializer):
    hs = CodedRef(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = ("id", "name", "name_en", "hs", "annual_capacity", "capacity_unit")
        read_only_fields = fields


class StatusChangeSerializer(ReadModelSerializer):
    class Meta:
        model = StatusChange
        fields = ("id", "date", "from_status", "to_status", "cause", "note")
        read_only_fields = fields


class EstateRef(NamedRef):
    county = NamedRef(read_only=True)


class PublicUnitSerializer(ReadModelSerializer):
    """The public face of a unit."""

    estate = EstateRef(read_only=True)
    isic = CodedRef(read_only=True, allow_null=True)
    size_class = serializers.CharField(read_only=True, allow_null=True)
    certifications = serializers.SerializerMethodField()
    capabilities = CodedRef(many=True, read_only=True)
    products = ProductSerializer(many=True, read_only=True)

    class Meta:
        model = ProductionUnit
        fields: tuple[str, ...] = (
            "id",
            "name",
            "name_en",
            "estate",
            "isic",
            "size_class",
            "export_oriented",
            "knowledge_based",
            "certifications",
            "capabilities",
            "products",
        )
        read_only_fields: tuple[str, ...] = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_certifications(self, unit: ProductionUnit) -> list[str]:
        from .models import OTHER_CERTIFICATION

        return [cert.code for cert in unit.certifications.all() if cert.code != OTHER_CERTIFICATION]


class UnitSerializer(PublicUnitSerializer):
    """The full record: for those who may see it (the unit's staff company, its own people)."""

    status_history = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True, help_text="an e-mail address, or empty")
    website = serializers.CharField(read_only=True, help_text="a web address, or empty")

    class Meta(PublicUnitSerializer.Meta):
        fields = (
            *PublicUnitSerializer.Meta.fields,
            "legal_name",
            "national_id",
            "licence_number",
            "plot",
            "employees",
            "contact_person",
            "phone",
            "email",
            "website",
            "description",
            "description_en",
            "capacity",
            "status",
            "status_since",
            "created_at",
            "updated_at",
            "status_history",
        )
        read_only_fields = fields

    @extend_schema_field(StatusChangeSerializer(many=True, allow_null=True))
    def get_status_history(self, unit: ProductionUnit) -> list[dict[str, Any]] | None:
        """Only on one unit's own page (the list does not carry it)."""
        changes = getattr(unit, "api_history", None)
        if changes is None:
            return None
        return list(StatusChangeSerializer(changes, many=True).data)


class ProductWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, help_text="an existing product of the unit; absent: a new one"
    )
    name = serializers.CharField()
    name_en = serializers.CharField(required=False, allow_blank=True)
    hs = serializers.IntegerField(required=False, allow_null=True, help_text="an HS 2022 code's id")
    annual_capacity = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    capacity_unit = serializers.CharField(required=False, allow_blank=True)


class UnitWriteSerializer(serializers.Serializer):
    """A unit's profile, as on its edit page: the unit's people edit their profile fields, staff the registry
    fields too. Only the fields sent change; ``products``, when sent, is the whole new list."""

    name = serializers.CharField(required=False, help_text="staff")
    legal_name = serializers.CharField(required=False, allow_blank=True, help_text="staff")
    national_id = serializers.CharField(required=False, allow_blank=True, help_text="staff")
    licence_number = serializers.CharField(required=False, allow_blank=True, help_text="staff")
    estate = serializers.IntegerField(required=False, help_text="staff")
    plot = serializers.IntegerField(required=False, allow_null=True, help_text="staff")
    isic = serializers.IntegerField(required=False, allow_null=True, help_text="staff")
    export_oriented = serializers.BooleanField(required=False, help_text="staff")
    knowledge_based = serializers.BooleanField(required=False, help_text="staff")
    name_en = serializers.CharField(required=False, allow_blank=True)
    contact_person = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    employees = serializers.IntegerField(required=False, allow_null=True)
    capacity = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    certifications = serializers.ListField(child=serializers.IntegerField(), required=False)
    capabilities = serializers.ListField(child=serializers.IntegerField(), required=False)
    products = ProductWriteSerializer(many=True, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Production units · واحدهای تولیدی",
        description="The units list's rows and filters (Jalali or Gregorian dates). Staff read their "
        "company's units in full; others the public directory.\n\nهمان ردیف‌ها و پالایه‌های فهرست واحدها "
        "(تاریخ شمسی یا میلادی). کارکنان شرکت همهٔ فیلدها را می‌بینند و دیگران فیلدهای عمومی را.",
        responses=UnitSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One production unit · یک واحد تولیدی",
        description="The full record with its status history for those who may see it, else the public "
        "fields.\n\nشناسنامهٔ کامل با تاریخچهٔ وضعیت برای کسی که اجازه دارد، وگرنه فیلدهای عمومی.",
        responses=UnitSerializer,
    ),
)
class UnitViewSet(PublicReadMixin, GatedViewSet):
    queryset = ProductionUnit.objects.none()  # the serializer depends on the caller (full or public)
    filterset_class = UnitFilter
    pagination_class = NameCursorPagination
    detail_action = permissions.VIEW_PUBLIC

    def rows(self, user: Any) -> QuerySet:
        rows, _staff = unit_rows(user)
        return rows.prefetch_related(
            "certifications",
            "capabilities",
            Prefetch("products", queryset=Product.objects.select_related("hs")),
        )

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # as on the page: the filters that reveal non-public fields are refused, not silently dropped
        if not permissions.is_staff_member(request.user) and any(
            request.query_params.get(name) for name in STAFF_ONLY_FILTERS
        ):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Update a unit's profile and products · ویرایش شناسنامه و محصولات واحد",
        description="Through the same service as the edit page. Fields you may not edit answer 403.\n\n"
        "با همان سرویس صفحهٔ ویرایش. فیلدی که اجازهٔ ویرایشش را ندارید پاسخ ۴۰۳ می‌گیرد.",
        request=UnitWriteSerializer,
        responses={200: UnitSerializer},
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        unit = self.gated(kwargs["pk"], permissions.CHANGE, ProductionUnit.objects.select_related("estate"))
        if not hasattr(request.data, "items"):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the fields as one JSON object.")]}
            )
        body = dict(request.data)
        rows = body.pop("products", None)
        if set(body) - set(services.editable_fields(unit, request.user)):
            raise PermissionDenied
        stored = form_values(UnitForm(instance=unit, user=request.user))
        form = UnitForm(form_data(body, stored), instance=unit, user=request.user)
        refuse_unreadable_booleans(form, request.data)
        errors = {} if form.is_valid() else form_errors(form)
        products = None
        if rows is not None:
            if not isinstance(rows, list):
                raise serializers.ValidationError({"products": ["a list of products"]})
            existing = {product.pk: product for product in unit.products.all()}
            products = []
            for index, row in enumerate(rows):
                row = dict(row) if isinstance(row, dict) else {}
                product_id = query_id(row.pop("id", None)) if row.get("id") is not None else None
                product = existing.get(product_id) if product_id is not None else None
                stored_row = form_values(ProductForm(instance=product)) if product is not None else None
                product_form = ProductForm(form_data(row, stored_row), instance=product)
                if product_id is not None and product_id not in existing:
                    errors[f"products.{index}.id"] = [str(_("A product listed is not one of this unit's."))]
                elif not product_form.is_valid():
                    errors.update(form_errors(product_form, f"products.{index}."))
                else:
                    products.append({**product_form.cleaned_data, "id": product_id})
        if errors:
            raise serializers.ValidationError(errors)
        values = {name: form.cleaned_data[name] for name in body}
        services.update_profile(unit, values, by=request.user, products=products)
        self.action = "retrieve"
        return Response(UnitSerializer(self.get_object(), context=self.get_serializer_context()).data)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if getattr(self, "swagger_fake_view", False):
            return UnitSerializer
        if self.action == "list":
            return UnitSerializer if permissions.is_staff_member(self.request.user) else PublicUnitSerializer
        return UnitSerializer if self.full_record else PublicUnitSerializer

    def get_queryset(self) -> QuerySet:
        if self.action == "retrieve" and not getattr(self, "swagger_fake_view", False):
            # one unit: any unit the user may see at least publicly (their own, whatever its status)
            return ProductionUnit.objects.select_related("estate", "estate__county", "isic").prefetch_related(
                "certifications",
                "capabilities",
                Prefetch("products", queryset=Product.objects.select_related("hs")),
            )
        return super().get_queryset()

    def get_object(self) -> ProductionUnit:
        unit = super().get_object()
        self.full_record = permissions.can(self.request.user, permissions.VIEW, unit)
        if self.full_record:
            unit.api_history = list(unit.status_changes.order_by("-date", "-id"))
        return unit


resources.router.register("units", UnitViewSet, basename="unit")
