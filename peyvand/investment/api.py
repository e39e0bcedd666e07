"""Investors and land through the API: the investors, applications and allocation contracts their lists
show (the company's staff: their company's; an investor: its own), and the investment path's writes through
the pages' forms and ``services``: the investor's file and evidence, applications and their moves, screening,
approval, the allocation contract, milestones and repossession. Those the pages refuse, the API refuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from peyvand.api import resources
from peyvand.api.base import WRITE_PARSERS, Docs, GatedViewSet, LanguageMixin, bound_form, write
from peyvand.api.forms import form_body
from peyvand.api.serializers import CodedRef, NamedRef, ReadModelSerializer
from peyvand.core import permissions
from peyvand.estates.models import IndustrialEstate, Plot

from . import services
from .choices import ApplicationState
from .filters import ApplicationFilter, ContractFilter, InvestorFilter
from .forms import (
    ApplicationForm,
    ApproveForm,
    ContractForm,
    EvidenceForm,
    InvestorForm,
    LandUseForm,
    MilestoneForm,
    ReasonForm,
    ReasonRequiredForm,
    ScreenForm,
    WeightsForm,
)
from .models import AllocationContract, Application, Evidence, Investor, LandUse, Milestone
from .views import (
    application_rows,
    contract_rows,
    investor_rows,
    land_use_rows,
    new_investor,
    weights_access,
)


class EvidenceSerializer(ReadModelSerializer):
    class Meta:
        model = Evidence
        fields = ("id", "kind", "description", "checked", "checked_at", "created_at")
        read_only_fields = fields


class MilestoneSerializer(ReadModelSerializer):
    class Meta:
        model = Milestone
        fields = ("id", "kind", "order", "deadline", "done_on", "note")
        read_only_fields = fields


class InvestorSerializer(ReadModelSerializer):
    applications = serializers.IntegerField(source="applications_count", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
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
            "evidence",
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
    milestones = MilestoneSerializer(many=True, read_only=True)

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
            "milestones",
            "created_at",
        )
        read_only_fields = fields


_REVIEW = (
    "The estate company's reviewers (managers, investment experts), as on the page; the investor and a linkage "
    "officer see the record but may not (403), others do not see it (404).\n\nبازبینان شرکت شهرک‌ها (مدیران و "
    "کارشناسان سرمایه‌گذاری)، همان‌گونه که در صفحه؛ سرمایه‌گذار و کارشناس پیوند پرونده را می‌بینند ولی اجازه ندارند "
    "(۴۰۳) و دیگران آن را نمی‌بینند (۴۰۴)."
)


class InvestorViewSet(GatedViewSet):
    serializer_class = InvestorSerializer
    filterset_class = InvestorFilter
    list_model = Investor
    ordering = ("sort_name", "id")
    docs = Docs(
        "Investors · سرمایه‌گذاران",
        "One investor · یک سرمایه‌گذار",
        "The investors list: staff their company's investors, an investor its own file.\n\n"
        "فهرست سرمایه‌گذاران: کارکنان سرمایه‌گذاران شرکتشان و هر سرمایه‌گذار پروندهٔ خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return investor_rows(user).prefetch_related("evidence")

    @extend_schema(
        summary="Open an investor's file · گشودن پروندهٔ سرمایه‌گذار",
        description="Staff open a file for an investor of their company; an investor's organisation has one "
        "file (a second is refused: edit the first).\n\nکارکنان برای سرمایه‌گذار شرکتشان پرونده می‌گشایند؛ هر "
        "سازمان سرمایه‌گذار یک پرونده دارد.",
        request=form_body("Investor", InvestorForm),
        responses={201: InvestorSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        permissions.require(user, permissions.ADD, Investor)
        own = permissions.organisations(user, "investor")
        if own and services.own_investor(user) is not None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Your organisation already has its investor's file: edit it.")]}
            )
        instance = new_investor(user)
        form = self.submit(InvestorForm, instance=instance, user=user)
        if instance.organisation_id and instance.company_id:
            form.cleaned_data.pop("company", None)
        return self.shown(services.save_investor(None, form.cleaned_data, by=user), status=201)

    @extend_schema(
        summary="Edit an investor's file · ویرایش پروندهٔ سرمایه‌گذار",
        description="The investor its own, the company's reviewers their company's; the fields sent change.\n\n"
        "سرمایه‌گذار پروندهٔ خودش و بازبینان شرکت پرونده‌های شرکتشان؛ فقط فیلدهای فرستاده‌شده تغییر می‌کنند.",
        request=form_body("Investor", InvestorForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        investor = self.gated(kwargs["pk"], permissions.CHANGE)
        form = self.edited(InvestorForm, investor, user=request.user)
        return self.shown(services.save_investor(investor, form.cleaned_data, by=request.user))

    @write(
        "Add evidence · افزودن مدرک",
        "Evidence of technical capacity (a document, optional), for the company to check.\n\n"
        "مدرک توان فنی (با پرونده یا بی آن) تا شرکت آن را بررسی کند.",
        body=form_body("Evidence", EvidenceForm),
    )
    def evidence(self, request: Any, pk: str | None = None) -> Response:
        investor = self.gated(pk, permissions.CHANGE)
        form = self.submit(EvidenceForm)
        services.add_evidence(investor, **form.cleaned_data, by=request.user)
        return self.shown(investor)

    @write(
        "Mark evidence checked · تأیید مدرک",
        _REVIEW,
        url_path=r"evidence/(?P<evidence>[0-9]+)/check",
    )
    def evidence_check(self, request: Any, pk: str | None = None, evidence: str = "") -> Response:
        investor = self.gated(pk, permissions.VIEW)
        row = investor.evidence.filter(pk=int(evidence)).first() if len(evidence) < 10 else None
        if row is None:
            raise Http404
        services.check_evidence(row, by=request.user)
        return self.shown(investor)


class ApplicationViewSet(GatedViewSet):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    list_model = Application
    docs = Docs(
        "Land applications · درخواست‌های زمین",
        "One land application · یک درخواست زمین",
        "The applications list and its filters: staff their company's, an investor its own.\n\n"
        "فهرست درخواست‌های زمین با همان پالایه‌ها: کارکنان درخواست‌های شرکتشان و سرمایه‌گذار درخواست‌های خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return application_rows(user)

    @extend_schema(
        summary="File a land application · ثبت درخواست زمین",
        description="A draft: an investor files for its own file (open it first), staff for an investor of "
        "their company.\n\nپیش‌نویس: سرمایه‌گذار برای پروندهٔ خودش و کارکنان برای سرمایه‌گذار شرکتشان.",
        request=form_body("Application", ApplicationForm),
        responses={201: ApplicationSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        permissions.require(user, permissions.ADD, Application)
        investor = None
        if not permissions.is_staff_member(user):
            investor = services.own_investor(user)
            if investor is None:
                raise serializers.ValidationError(
                    {"non_field_errors": [_("Complete your investor's file first.")]}
                )
        form = self.submit(ApplicationForm, user=user, investor=investor)
        return self.shown(services.save_application(None, form.cleaned_data, by=user), status=201)

    @extend_schema(
        summary="Edit a land application · ویرایش درخواست زمین",
        description="While it is a draft or submitted; the fields sent change.\n\n"
        "تا وقتی پیش‌نویس یا ارسال‌شده است؛ فقط فیلدهای فرستاده‌شده تغییر می‌کنند.",
        request=form_body("Application", ApplicationForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        application = self.gated(kwargs["pk"], permissions.CHANGE, application_rows(request.user))
        if application.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
            raise PermissionDenied
        form = self.edited(ApplicationForm, application, user=request.user)
        return self.shown(services.save_application(application, form.cleaned_data, by=request.user))

    @write(
        "Move the application · تغییر وضعیت درخواست",
        "As the page's buttons: the investor submits or withdraws its own, the reviewers take it under review, "
        "return or reject it.\n\nهمانند دکمه‌های صفحه: سرمایه‌گذار درخواستش را می‌فرستد یا پس می‌گیرد و بازبینان "
        "آن را بررسی، برگشت یا رد می‌کنند.",
        body=form_body(
            "ApplicationMove", ReasonForm, state=serializers.ChoiceField(choices=ApplicationState.values)
        ),
    )
    def move(self, request: Any, pk: str | None = None) -> Response:
        application = self.gated(pk, permissions.VIEW)
        state = request.data.get("state")
        if state not in ApplicationState.values:
            raise serializers.ValidationError({"state": [_("Choose one of the application's states.")]})
        reason = self.submit(ReasonForm).cleaned_data["reason"]
        services.move_application(application, state, by=request.user, reason=reason)
        return self.shown(application)

    @write(
        "Screen the application · غربالگری درخواست", _REVIEW, body=form_body("ApplicationScreen", ScreenForm)
    )
    def screen(self, request: Any, pk: str | None = None) -> Response:
        application = self.gated(pk, permissions.REVIEW)
        services.screen(application, by=request.user, note=self.submit(ScreenForm).cleaned_data["note"])
        return self.shown(application)

    @write(
        "Approve the application · تصویب درخواست",
        "The unit enters the registry as “land allocated”.\n\n" + _REVIEW,
        body=form_body("ApplicationApprove", ApproveForm),
    )
    def approve(self, request: Any, pk: str | None = None) -> Response:
        application = self.gated(pk, permissions.REVIEW)
        data = self.submit(ApproveForm, application=application).cleaned_data
        services.approve(application, data["estate"], by=request.user, note=data["note"])
        return self.shown(application)

    @write(
        "Sign the allocation contract · امضای قرارداد واگذاری",
        "On one of the plots that fit the approved application (the first by default); the plot is allocated.\n\n"
        + _REVIEW,
        body=form_body("Contract", ContractForm),
        answer=ContractSerializer,
        status=201,
    )
    def contract(self, request: Any, pk: str | None = None) -> Response:
        application = self.gated(pk, permissions.REVIEW, Application.objects.select_related("estate"))
        if application.state != ApplicationState.APPROVED or hasattr(application, "contract"):
            raise Http404  # as the page: no contract form for an application that cannot have one
        estates = IndustrialEstate.objects.filter(pk=application.estate_id)
        fit = services.estate_fit(application, estates)[0]
        plots = Plot.objects.filter(pk__in=[plot.pk for plot in fit.plots]).select_related("estate")
        stored = ContractForm(plots=plots, initial={"plot": fit.plots[0].pk if fit.plots else None})
        data = self.submit(ContractForm, stored=stored, plots=plots).cleaned_data
        terms = services.Terms(
            price_per_m2_rial=data["price_per_m2_rial"],
            down_payment_share=data["down_payment_share"],
            instalments=data["instalments"],
            waiver_share=data["waiver_share"],
            grace_days=data["grace_days"],
        )
        contract = services.allocate(
            application, data["plot"], terms, by=request.user, signed_on=data["signed_on"]
        )
        return self.shown(contract_rows(request.user).get(pk=contract.pk), 201, ContractSerializer)


class ContractViewSet(GatedViewSet):
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    list_model = AllocationContract
    docs = Docs(
        "Allocation contracts · قراردادهای واگذاری",
        "One allocation contract · یک قرارداد واگذاری",
        "The contracts list and its filters: staff their company's, an investor its own.\n\n"
        "فهرست قراردادهای واگذاری با همان پالایه‌ها: کارکنان قراردادهای شرکتشان و سرمایه‌گذار قراردادهای خودش.",
    )

    def rows(self, user: Any) -> QuerySet:
        return contract_rows(user).prefetch_related("milestones")

    @write(
        "Repossess the land · بازپس‌گیری زمین",
        "Past the grace period of an overdue milestone; the reason is kept on the timeline.\n\n" + _REVIEW,
        body=form_body("Repossess", ReasonRequiredForm),
    )
    def repossess(self, request: Any, pk: str | None = None) -> Response:
        contract = self.gated(pk, permissions.REVIEW)
        reason = self.submit(ReasonRequiredForm).cleaned_data["reason"]
        services.repossess(contract, by=request.user, reason=reason)
        return self.shown(contract)

    @write(
        "Record a milestone done · ثبت انجام مرحله",
        _REVIEW,
        body=form_body("MilestoneDone", MilestoneForm),
        url_path=r"milestones/(?P<milestone>[0-9]+)/done",
    )
    def milestone_done(self, request: Any, pk: str | None = None, milestone: str = "") -> Response:
        contract = self.gated(pk, permissions.VIEW)
        row = contract.milestones.filter(pk=int(milestone)).first() if len(milestone) < 10 else None
        if row is None:
            raise Http404
        data = self.submit(MilestoneForm).cleaned_data
        services.complete_milestone(
            row, done_on=data["done_on"], evidence=data["evidence"], note=data["note"], by=request.user
        )
        return self.shown(contract)


class PlanSerializer(ReadModelSerializer):
    class Meta:
        model = LandUse
        fields = (
            "admitted_isic",
            "max_environment_group",
            "water_left_m3_day",
            "power_left_kw",
            "gas_left_m3_hour",
        )
        read_only_fields = fields


class EstatePlanSerializer(ReadModelSerializer):
    """An estate as the land-use page lists it: its plan (``null`` while none was set) and its free plots."""

    land_use = PlanSerializer(read_only=True, allow_null=True)
    free_plots = serializers.IntegerField(source="free_plot_count", read_only=True)

    class Meta:
        model = IndustrialEstate
        fields = ("id", "name", "name_en", "county", "land_use", "free_plots")
        read_only_fields = fields


class LandUseViewSet(GatedViewSet):
    serializer_class = EstatePlanSerializer
    ordering = ("sort_name", "id")
    docs = Docs(
        "Land-use plans · آمایش شهرک‌ها",
        "One estate's land-use plan · آمایش یک شهرک",
        "Each estate's plan: the industries it admits, the highest environmental group, the water, power and "
        "gas left, and its free plots (the company's staff).\n\nآمایش هر شهرک: صنایع پذیرفته، بالاترین گروه "
        "زیست‌محیطی، آب و برق و گاز باقی‌مانده و قطعه‌های آزاد (کارکنان شرکت).",
    )

    def rows(self, user: Any) -> QuerySet:
        return land_use_rows(user)

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not permissions.is_staff_member(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Set an estate's land-use plan · تنظیم آمایش شهرک",
        description="Staff who may change the estate, as on the page; the fields sent change, the others keep "
        "their value.\n\nکارکنانی که می‌توانند شهرک را ویرایش کنند، همان‌گونه که در صفحه؛ فقط فیلدهای "
        "فرستاده‌شده تغییر می‌کنند.",
        request=form_body("LandUse", LandUseForm)(partial=True),
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        estate = self.gated(kwargs["pk"], permissions.CHANGE, IndustrialEstate.objects.all())
        plan = LandUse.objects.filter(estate=estate).first() or LandUse(estate=estate)
        form = self.edited(LandUseForm, plan)
        services.save_land_use(estate, form.cleaned_data, by=request.user)
        return self.shown(estate)


class WeightsSerializer(serializers.Serializer):
    company = serializers.IntegerField(help_text="the estate company whose rubric this is")
    may_edit = serializers.BooleanField(help_text="whether the caller may set it")
    weights = serializers.DictField(child=serializers.IntegerField(), help_text="points of each criterion")


class WeightsView(LanguageMixin, APIView):
    """The caller's company's screening rubric: its reviewers set it, its other staff and investors read it."""

    parser_classes = WRITE_PARSERS

    def _answer(self, request: Any) -> Response:
        company, may_edit = weights_access(request.user)
        weights = services.weights_for(company.pk)
        return Response({"company": company.pk, "may_edit": may_edit, "weights": weights})

    @extend_schema(
        summary="Screening weights · وزن‌های غربالگری",
        description="The points of each screening criterion of the caller's company.\n\n"
        "امتیاز هر معیار غربالگری در شرکت کاربر.",
        responses=WeightsSerializer,
    )
    def get(self, request: Any) -> Response:
        return self._answer(request)

    @extend_schema(
        summary="Set the screening weights · تنظیم وزن‌های غربالگری",
        description="The company's reviewers (managers, investment experts); the criteria sent change, the others "
        "keep their points. Scores are recomputed when an application is next screened.\n\nبازبینان شرکت؛ "
        "فقط معیارهای فرستاده‌شده تغییر می‌کنند و امتیاز درخواست‌ها در غربالگری بعدی دوباره حساب می‌شود.",
        request=form_body("Weights", WeightsForm),
        responses=WeightsSerializer,
    )
    def post(self, request: Any) -> Response:
        company, may_edit = weights_access(request.user)
        if not may_edit:
            raise PermissionDenied
        stored = WeightsForm(initial=services.weights_for(company.pk))
        form = bound_form(request, WeightsForm, stored=stored)
        services.save_weights(company.pk, form.cleaned_data, by=request.user)
        return self._answer(request)


resources.router.register("investors", InvestorViewSet, basename="investor")
resources.router.register("applications", ApplicationViewSet, basename="application")
resources.router.register("contracts", ContractViewSet, basename="contract")
resources.router.register("land-use-plans", LandUseViewSet, basename="land-use-plan")
resources.paths.append(path("screening-weights/", WeightsView.as_view(), name="screening-weights"))
