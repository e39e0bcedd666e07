"""Green estates through the API: the rows their pages list — treatment plants and discharge limits (the
company's staff), sewer connections (staff), effluent tests and compliance cases (staff: their company's; a
unit: its own), haves and wants, and symbiosis exchanges (the brokers and the two units) — and the pages'
writes through the same forms and ``services``, for the same people: register, edit, move and report on a
plant; adopt the default limits and edit one; a unit's connection; record a test; resolve a case; list a
have or a want; start and move an exchange. Those the pages refuse, the API refuses."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from peyvand.api import resources
from peyvand.api.base import Docs, GatedViewSet, write
from peyvand.api.forms import form_body
from peyvand.api.serializers import NamedRef, ReadModelSerializer
from peyvand.core import permissions
from peyvand.core.search import query_id
from peyvand.units.models import ProductionUnit

from . import services
from .choices import PlantStage, SymbiosisStage, environmental_group
from .filters import CaseFilter, ConnectionFilter, EffluentTestFilter, LinkFilter, ListingFilter, PlantFilter
from .forms import (
    ConnectionForm,
    EffluentTestForm,
    ExchangeStepForm,
    LimitForm,
    ListingForm,
    PlantForm,
    ProgressForm,
    ResolveForm,
    StageForm,
)
from .models import (
    ComplianceCase,
    DischargeLimit,
    EffluentTest,
    ResourceListing,
    SymbiosisLink,
    SymbiosisStep,
    TreatmentPlant,
    UnitConnection,
)
from .views import (
    compliance_case_rows,
    connection_rows,
    effluent_test_rows,
    limit_companies,
    limit_rows,
    link_rows,
    listing_rows,
    plant_rows,
)


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


class LimitSerializer(ReadModelSerializer):
    class Meta:
        model = DischargeLimit
        fields = ("id", "company", "receiving_body", "parameter", "minimum", "maximum")
        read_only_fields = fields


class ConnectionStateSerializer(ReadModelSerializer):
    class Meta:
        model = UnitConnection
        fields = ("connected", "connected_on", "receiving_body", "pretreatment_in_place", "updated_at")
        read_only_fields = fields


class UnitConnectionSerializer(ReadModelSerializer):
    """A unit as the connections page lists it: its environmental group and its sewer connection (``null``
    while none was recorded)."""

    estate = NamedRef(read_only=True)
    environmental_group = serializers.SerializerMethodField(help_text="the group of the unit's industry")
    connection = ConnectionStateSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProductionUnit
        fields = ("id", "name", "name_en", "estate", "environmental_group", "connection")
        read_only_fields = fields

    def get_environmental_group(self, unit: ProductionUnit) -> str:
        return str(environmental_group(unit.isic.code if unit.isic else None).value)


class ListingSerializer(ReadModelSerializer):
    unit = NamedRef(read_only=True)

    class Meta:
        model = ResourceListing
        fields = ("id", *ListingForm.Meta.fields, "created_at")  # what the page's form lists
        read_only_fields = fields


class StepSerializer(ReadModelSerializer):
    class Meta:
        model = SymbiosisStep
        fields = ("from_stage", "to_stage", "date", "note")
        read_only_fields = fields


class ExchangeSerializer(ReadModelSerializer):
    have_unit = NamedRef(source="have.unit", read_only=True)
    want_unit = NamedRef(source="want.unit", read_only=True)
    reasons = serializers.JSONField(read_only=True, help_text="why it was proposed: {fa: [...], en: [...]}")
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = SymbiosisLink
        fields = (
            "id",
            "company",
            "have",
            "have_unit",
            "want",
            "want_unit",
            "material",
            "stage",
            "stage_date",
            "introduced_on",
            "tonnes_per_year",
            "value_rial",
            "distance_km",
            "reasons",
            "lost_reason",
            "steps",
        )
        read_only_fields = fields


class AdoptedSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="how many default limits were added")


class ExchangeStartSerializer(serializers.Serializer):
    have = serializers.IntegerField(help_text="a have listing's id")
    want = serializers.IntegerField(help_text="a want listing's id")


_STAFF = (
    "The estate company's staff, as on the page; others who see the row may not (403), others do not see it "
    "(404).\n\nکارکنان شرکت شهرک‌ها، همان‌گونه که در صفحه؛ دیگرانی که ردیف را می‌بینند اجازه ندارند (۴۰۳) و "
    "بقیه آن را نمی‌بینند (۴۰۴)."
)
_EDIT = "\n\nThe fields sent change, the others keep their value.\n\nفقط فیلدهای فرستاده‌شده تغییر می‌کنند."


def _plants_for_change() -> QuerySet:
    return TreatmentPlant.objects.prefetch_related("estates")


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

    @extend_schema(
        summary="Register a treatment plant · ثبت تصفیه‌خانه",
        description="For estates of the caller's company (one company per plant), with its stage now.\n\n"
        "برای شهرک‌های شرکت خودِ کاربر (هر تصفیه‌خانه از یک شرکت)، با مرحلهٔ کنونی‌اش.\n\n" + _STAFF,
        request=form_body("Plant", PlantForm),
        responses={201: PlantSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        permissions.require(request.user, permissions.ADD, TreatmentPlant)
        form = self.submit(PlantForm, stored=PlantForm(user=request.user), user=request.user)
        return self.shown(services.save_plant(None, form.cleaned_data, by=request.user), status=201)

    @extend_schema(
        summary="Edit a treatment plant · ویرایش تصفیه‌خانه",
        description=_STAFF + _EDIT,
        request=form_body("Plant", PlantForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        plant = self.gated(kwargs["pk"], permissions.CHANGE, _plants_for_change())
        form = self.edited(PlantForm, plant, user=request.user)
        return self.shown(services.save_plant(plant, form.cleaned_data, by=request.user))

    @write(
        "Move the plant to another stage · تغییر مرحلهٔ تصفیه‌خانه",
        "One of the stages the plant's stage leads to, dated.\n\nیکی از مرحله‌هایی که مرحلهٔ کنونی به آن راه "
        "دارد، با تاریخ.\n\n" + _STAFF,
        body=form_body("PlantStage", StageForm, to_stage=serializers.ChoiceField(choices=PlantStage.values)),
    )
    def stage(self, request: Any, pk: str | None = None) -> Response:
        plant = self.gated(pk, permissions.CHANGE, _plants_for_change())
        data = self.submit(StageForm, stage=plant.stage, prefix="").cleaned_data
        services.move_plant(plant, data["to_stage"], date=data["date"], note=data["note"], by=request.user)
        return self.shown(plant)

    @write(
        "Report progress · گزارش پیشرفت",
        "A dated report of physical progress, with the inflow measured and a photo (a form post).\n\n"
        "گزارش تاریخ‌دار پیشرفت فیزیکی، با جریان ورودی و عکس (ارسال فرم).\n\n" + _STAFF,
        body=form_body("PlantProgress", ProgressForm),
    )
    def progress(self, request: Any, pk: str | None = None) -> Response:
        plant = self.gated(pk, permissions.CHANGE, _plants_for_change())
        data = self.submit(ProgressForm).cleaned_data
        services.report_progress(
            plant,
            date=data["date"],
            percent=data["percent"],
            inflow_m3_day=data.get("inflow_m3_day"),
            note=data["note"],
            photo=data.get("photo"),
            by=request.user,
        )
        return self.shown(plant)


class LimitViewSet(GatedViewSet):
    serializer_class = LimitSerializer
    list_model = DischargeLimit
    ordering = ("company", "receiving_body", "parameter", "id")
    docs = Docs(
        "Discharge limits · حدود مجاز تخلیه",
        "One discharge limit · یک حد مجاز تخلیه",
        "The limits grid: each company's limit per parameter and receiving body (the company's staff).\n\n"
        "جدول حدود مجاز: حد هر شرکت برای هر شاخص و هر پذیرنده (کارکنان شرکت).",
    )

    def rows(self, user: Any) -> QuerySet:
        return limit_rows(user)

    @extend_schema(
        summary="Edit a discharge limit · ویرایش حد مجاز تخلیه",
        description="The company's managers and environment experts; its linkage officers read the limits but "
        "may not (403).\n\nمدیران و کارشناسان محیط زیست شرکت؛ کارشناس پیوند حدود را می‌بیند ولی اجازه ندارد "
        "(۴۰۳)." + _EDIT,
        request=form_body("Limit", LimitForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        limit = self.gated(kwargs["pk"], permissions.CHANGE)
        form = self.edited(LimitForm, limit)
        return self.shown(form.save())

    @write(
        "Adopt the national default limits · پذیرش حدود پیش‌فرض ملی",
        "Where the caller's companies lack a limit, the national default is added; their own limits never "
        "change.\n\nهرجا شرکت کاربر حدی ندارد، حد پیش‌فرض ملی افزوده می‌شود؛ حدود خود شرکت تغییر نمی‌کند.",
        answer=AdoptedSerializer,
        detail=False,
        url_path="adopt-defaults",
    )
    def adopt_defaults(self, request: Any) -> Response:
        permissions.require(request.user, permissions.VIEW, DischargeLimit)
        companies = limit_companies(request.user)
        if not companies:
            raise PermissionDenied
        return Response({"added": services.adopt_default_limits(companies, by=request.user)})


class ConnectionViewSet(GatedViewSet):
    serializer_class = UnitConnectionSerializer
    filterset_class = ConnectionFilter
    ordering = ("sort_name", "id")
    docs = Docs(
        "Sewer connections · اتصال به فاضلاب",
        "One unit's sewer connection · اتصال یک واحد به فاضلاب",
        "The units of the caller's company with their environmental group and sewer connection (staff).\n\n"
        "واحدهای شرکت با گروه زیست‌محیطی و اتصالشان به شبکهٔ فاضلاب (کارکنان).",
    )

    def rows(self, user: Any) -> QuerySet:
        return connection_rows(user)

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not permissions.is_staff_member(request.user):
            raise exceptions.PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a unit's sewer connection · ثبت اتصال واحد به فاضلاب",
        description="Whether the unit (its id) is connected, since when, where it discharges and its "
        "pre-treatment.\n\nاینکه واحد متصل است یا نه، از چه تاریخی، به کجا تخلیه می‌کند و پیش‌تصفیه‌اش.\n\n"
        + _STAFF
        + _EDIT,
        request=form_body("Connection", ConnectionForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        unit = self.gated(kwargs["pk"], permissions.VIEW, connection_rows(request.user))
        connection = UnitConnection.objects.filter(unit=unit).first() or UnitConnection(unit=unit)
        if not permissions.can(request.user, permissions.CHANGE, connection):
            raise PermissionDenied
        form = self.edited(ConnectionForm, connection)
        services.save_connection(unit, form.cleaned_data, by=request.user)
        return self.shown(unit)


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

    @extend_schema(
        summary="Record an effluent test · ثبت آزمون پساب",
        description="Checked against the company's limits at once: a failed test opens a compliance case "
        "(`passed` says which).\n\nبی‌درنگ با حدود مجاز شرکت سنجیده می‌شود؛ آزمون ردشده پروندهٔ انطباق "
        "می‌گشاید.\n\n" + _STAFF,
        request=form_body("EffluentTest", lambda: EffluentTestForm(user=AnonymousUser())),
        responses={201: EffluentTestSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if not permissions.is_staff_member(request.user):
            raise PermissionDenied
        permissions.require(request.user, permissions.ADD, EffluentTest)
        stored = EffluentTestForm(user=request.user)
        form = self.submit(EffluentTestForm, stored=stored, user=request.user)
        test = services.record_test(form.cleaned_data["unit"], form.test_data(), by=request.user)
        return self.shown(test, status=201)


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

    @write(
        "Resolve the case · بستن پرونده",
        "An open case, with the date and how it was resolved; the unit sees its case but may not (403).\n\n"
        "پروندهٔ باز، با تاریخ و شرح رفع آن؛ واحد پرونده‌اش را می‌بیند ولی اجازه ندارد (۴۰۳).\n\n" + _STAFF,
        body=form_body("CaseResolve", ResolveForm),
    )
    def resolve(self, request: Any, pk: str | None = None) -> Response:
        case = self.gated(pk, permissions.VIEW, compliance_case_rows(request.user))
        if case.state != "open" or not permissions.can(request.user, permissions.CHANGE, case):
            raise PermissionDenied
        data = self.submit(ResolveForm).cleaned_data
        services.resolve_case(case, date=data["date"], resolution=data["resolution"], by=request.user)
        return self.shown(case)


class ListingViewSet(GatedViewSet):
    serializer_class = ListingSerializer
    filterset_class = ListingFilter
    list_model = ResourceListing
    ordering = ("direction", "material", "-tonnes_per_year", "id")
    docs = Docs(
        "Haves and wants · عرضه‌ها و نیازها",
        "One have or want · یک عرضه یا نیاز",
        "The units' by-products, wastes, heat and water on offer or wanted (tonnes a year): staff their "
        "company's, a unit its own.\n\nپسماندها، محصولات جانبی، گرما و آبی که واحدها عرضه می‌کنند یا می‌خواهند "
        "(تن در سال): کارکنان مال شرکتشان و هر واحد مال خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return listing_rows(user)

    @extend_schema(
        summary="List a have or a want · ثبت عرضه یا نیاز",
        description="For a unit the caller may list for: staff their company's units, a unit's people their "
        "own.\n\nبرای واحدی که کاربر می‌تواند برایش ثبت کند: کارکنان واحدهای شرکتشان و کارکنان واحد، واحد "
        "خودشان.",
        request=form_body("Listing", ListingForm),
        responses={201: ListingSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        permissions.require(request.user, permissions.ADD, ResourceListing)
        form = self.submit(ListingForm, stored=ListingForm(user=request.user), user=request.user)
        return self.shown(services.save_listing(None, form.cleaned_data, by=request.user), status=201)

    @extend_schema(
        summary="Edit a have or a want · ویرایش عرضه یا نیاز",
        description="Its unit stays; staff their company's, a unit its own." + _EDIT,
        request=form_body("Listing", ListingForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        rows = ResourceListing.objects.select_related("unit")
        listing = self.gated(kwargs["pk"], permissions.CHANGE, rows)
        form = self.edited(ListingForm, listing, user=request.user)
        return self.shown(services.save_listing(listing, form.cleaned_data, by=request.user))


class ExchangeViewSet(GatedViewSet):
    serializer_class = ExchangeSerializer
    filterset_class = LinkFilter
    list_model = SymbiosisLink
    ordering = ("-stage_date", "-id")
    docs = Docs(
        "Symbiosis exchanges · تبادل‌های هم‌زیستی",
        "One symbiosis exchange · یک تبادل هم‌زیستی",
        "The exchanges officers broker between a have and a want, with their steps: the brokers' company "
        "and the two units.\n\nتبادل‌هایی که کارشناسان میان یک عرضه و یک نیاز کارگزاری می‌کنند، با گام‌هایشان: "
        "شرکت کارگزار و دو واحد.",
    )

    def rows(self, user: Any) -> QuerySet:
        return link_rows(user).prefetch_related(
            Prefetch("steps", queryset=SymbiosisStep.objects.order_by("date", "id"))
        )

    @extend_schema(
        summary="Start an exchange · آغاز تبادل",
        description="Brokering a proposal: a have and a want the caller sees, of the same material. The "
        "company's linkage officers and managers; units may not (403).\n\nکارگزاری یک پیشنهاد: یک عرضه و یک "
        "نیاز از یک ماده که کاربر می‌بیند. کارشناسان پیوند و مدیران شرکت؛ واحدها اجازه ندارند (۴۰۳).",
        request=ExchangeStartSerializer,
        responses={201: ExchangeSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        permissions.require(request.user, permissions.BROKER, SymbiosisLink)
        body = request.data if hasattr(request.data, "get") else {}
        ids = {name: query_id(body.get(name)) for name in ("have", "want")}
        missing = {name: [_("Choose a listing.")] for name, number in ids.items() if number is None}
        if missing:
            raise exceptions.ValidationError(missing)
        visible = listing_rows(request.user)
        have = visible.filter(pk=ids["have"]).first()
        want = visible.filter(pk=ids["want"]).first()
        if have is None or want is None:
            raise Http404  # as the page: a listing the caller does not see is not there
        link = services.start_exchange(have, want, by=request.user)
        return self.shown(link, status=201)

    @write(
        "Move the exchange on · پیشبرد تبادل",
        "To one of the stages its stage leads to (trial, contract, running, or lost with why), with the tonnes "
        "diverted and the value a year. The brokers; the two units follow it but may not (403).\n\nبه یکی از "
        "مرحله‌های بعدی (آزمایشی، قرارداد، جاری یا از دست رفته با دلیل)، با تن منحرف‌شده و ارزش سالانه. "
        "کارگزاران؛ دو واحد آن را دنبال می‌کنند ولی اجازه ندارند (۴۰۳).",
        body=form_body(
            "ExchangeStep", ExchangeStepForm, to_stage=serializers.ChoiceField(choices=SymbiosisStage.values)
        ),
    )
    def move(self, request: Any, pk: str | None = None) -> Response:
        link = self.gated(pk, permissions.VIEW, link_rows(request.user))
        if not permissions.can(request.user, permissions.BROKER, link):
            raise PermissionDenied
        data = self.submit(ExchangeStepForm, stage=link.stage).cleaned_data
        services.move_exchange(
            link,
            data["to_stage"],
            date=data["date"],
            tonnes_per_year=data.get("tonnes_per_year"),
            value_rial=data.get("value_rial"),
            note=data["note"],
            lost_reason=data["lost_reason"],
            by=request.user,
        )
        return self.shown(link)


resources.router.register("treatment-plants", PlantViewSet, basename="treatment-plant")
resources.router.register("discharge-limits", LimitViewSet, basename="discharge-limit")
resources.router.register("sewer-connections", ConnectionViewSet, basename="sewer-connection")
resources.router.register("effluent-tests", EffluentTestViewSet, basename="effluent-test")
resources.router.register("compliance-cases", ComplianceCaseViewSet, basename="compliance-case")
resources.router.register("resource-listings", ListingViewSet, basename="resource-listing")
resources.router.register("symbiosis-exchanges", ExchangeViewSet, basename="symbiosis-exchange")
