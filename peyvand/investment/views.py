"""Pages of the investment path: investors, applications (screening, land fit, approval), contracts with
their schedules and milestones, overdue commitments, and the estates' land-use plans. Views stay thin:
every write is a ``services`` call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.accounts.acting import acting_company
from peyvand.core import exports, permissions
from peyvand.core.audit import timeline
from peyvand.core.views import render_list
from peyvand.estates.models import IndustrialEstate

from . import services
from .choices import APPLICATION_TRANSITIONS, MOVE_LABELS, ApplicationState, ContractState, Criterion
from .filters import ApplicationFilter, ContractFilter, InvestorFilter, MilestoneFilter
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
from .tables import ApplicationTable, ContractTable, InvestorTable, OverdueTable


def _errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Investors ---------------------------------------------------------------------------------------
def _investors() -> Any:
    return Investor.objects.with_first_contract().annotate(
        applications_count=Count("applications", distinct=True)
    )


def investor_rows(user: Any) -> Any:
    """The investors ``user`` sees (the list page and the API)."""
    return permissions.restrict(_investors(), user, permissions.VIEW)


def new_investor(user: Any) -> Investor:
    """A new investor's file as ``user`` opens it (the page and the API): an investor's people open their
    organisation's own, in its estate company; staff one for any investor."""
    instance = Investor()
    own = permissions.organisations(user, "investor")
    if own:
        from peyvand.accounts.models import Organisation

        organisation = Organisation.objects.get(pk=own[0])
        instance.organisation = organisation
        if organisation.company_id:
            instance.company_id = organisation.company_id
    return instance


@login_required
def investor_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, permissions.VIEW, Investor):
        raise PermissionDenied
    rows = investor_rows(request.user)
    return render_list(
        request,
        "investment/investor_list.html",
        rows,
        InvestorFilter,
        InvestorTable,
        context={
            "can_add": permissions.can(request.user, permissions.ADD, Investor)
            and (permissions.is_staff_member(request.user) or services.own_investor(request.user) is None)
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def investor_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, Investor)
    own = permissions.organisations(request.user, "investor")
    if own and services.own_investor(request.user) is not None:
        return redirect(services.own_investor(request.user))
    instance = new_investor(request.user)
    form = InvestorForm(request.POST or None, instance=instance, user=request.user)
    if instance.organisation_id and instance.company_id:
        form.fields.pop("company", None)
    if request.method == "POST" and form.is_valid():
        try:
            investor = services.save_investor(None, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The investor's file was saved."))
            return redirect(investor)
    return render(request, "investment/form.html", {"form": form, "title": _("New investor")})


@login_required
def investor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    investor = permissions.get_object_for_user(
        Investor.objects.select_related("company", "organisation"), request.user, permissions.VIEW, pk=pk
    )
    user = request.user
    return render(
        request,
        "investment/investor_detail.html",
        {
            "object": investor,
            "evidence": investor.evidence.select_related("checked_by"),
            "applications": investor.applications.select_related("isic").order_by("-created_at"),
            "can_edit": permissions.can(user, permissions.CHANGE, investor),
            "can_check": permissions.can(user, permissions.REVIEW, investor),
            "can_apply": permissions.can(user, permissions.ADD, Application)
            and permissions.can(user, permissions.CHANGE, investor),
            "evidence_form": EvidenceForm(),
            "knowledge_based": investor.is_knowledge_based(),
            "events": timeline(investor)[:30],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def investor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    investor = permissions.get_object_for_user(
        Investor.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    form = InvestorForm(request.POST or None, instance=investor, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_investor(investor, form.cleaned_data, by=request.user)
        messages.success(request, _("The investor's file was saved."))
        return redirect(investor)
    return render(
        request, "investment/form.html", {"form": form, "title": investor.display_name, "object": investor}
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    investor = permissions.get_object_for_user(
        Investor.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_evidence(investor, **form.cleaned_data, by=request.user)
        messages.success(request, _("The evidence was added; the estate company checks it."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(investor)


@login_required
@require_POST
def evidence_check(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = Evidence.objects.select_related("investor").filter(pk=pk).first()
    if evidence is None or not permissions.can(request.user, permissions.VIEW, evidence.investor):
        raise Http404
    services.check_evidence(evidence, by=request.user)
    messages.success(request, _("The evidence is marked as checked."))
    return redirect(evidence.investor)


# --- Applications ------------------------------------------------------------------------------------
def _applications() -> Any:
    return Application.objects.select_related("investor", "isic")


def application_rows(user: Any) -> Any:
    """The land applications ``user`` sees (the list page and the API)."""
    return permissions.restrict(_applications(), user, permissions.VIEW)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, permissions.VIEW, Application):
        raise PermissionDenied
    rows = application_rows(request.user)
    filterset = ApplicationFilter(request.GET or None, queryset=rows, request=request)
    selected = rows if not filterset.is_bound else (filterset.qs if filterset.is_valid() else rows.none())
    totals = selected.order_by().aggregate(
        jobs=Sum("jobs_planned"), investment_rial=Sum("investment_rial"), land_m2=Sum("land_m2")
    )
    counts = dict(rows.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return render_list(
        request,
        "investment/application_list.html",
        rows,
        ApplicationFilter,
        ApplicationTable,
        context={
            "can_add": permissions.can(request.user, permissions.ADD, Application),
            "totals": {key: int(value or 0) for key, value in totals.items()},
            "states": [(state, counts.get(state.value, 0)) for state in ApplicationState],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, Application)
    investor = None
    if not permissions.is_staff_member(request.user):
        investor = services.own_investor(request.user)
        if investor is None:
            messages.info(request, _("Complete your investor's file first."))
            return redirect("investment:investor_create")
    form = ApplicationForm(request.POST or None, user=request.user, investor=investor)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.save_application(None, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The application was saved as a draft. Submit it when it is complete.")
            )
            return redirect(application)
    return render(request, "investment/form.html", {"form": form, "title": _("New investment application")})


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_object_for_user(_applications(), request.user, permissions.CHANGE, pk=pk)
    if application.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, instance=application, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_application(application, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The application was saved."))
            return redirect(application)
    return render(
        request, "investment/form.html", {"form": form, "title": application.title, "object": application}
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_object_for_user(
        _applications().select_related("estate", "unit", "company").prefetch_related("preferred_estates"),
        request.user,
        permissions.VIEW,
        pk=pk,
    )
    user = request.user
    reviewer = permissions.can(user, permissions.REVIEW, application)
    context: dict[str, Any] = {
        "object": application,
        "reviewer": reviewer,
        "moves": [
            (state, MOVE_LABELS[state])
            for state in ApplicationState.values
            if state in APPLICATION_TRANSITIONS[application.state]
            and state != ApplicationState.APPROVED
            and services.can_move(application, user, state)
        ],
        "can_edit": permissions.can(user, permissions.CHANGE, application)
        and application.state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED),
        "reason_form": ReasonForm(),
        "events": timeline(application)[:40],
        "contract": getattr(application, "contract", None)
        if application.state == ApplicationState.APPROVED
        else None,
        "criteria": dict(Criterion.choices),
    }
    if permissions.is_staff_member(user) and permissions.can(user, permissions.VIEW, application):
        context["fits"] = services.estate_fit(application)
        context["fit_count"] = sum(1 for fit in context["fits"] if fit.fits)
    if reviewer and application.state in (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW):
        context["screen_form"] = ScreenForm(initial={"note": application.reviewer_note})
    if reviewer and application.state == ApplicationState.UNDER_REVIEW:
        best = next((fit.estate for fit in context.get("fits", []) if fit.fits), None)
        context["approve_form"] = ApproveForm(application=application, initial={"estate": best})
    if reviewer and application.state == ApplicationState.APPROVED and context["contract"] is None:
        context["can_allocate"] = True
    return render(request, "investment/application_detail.html", context)


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    application = permissions.get_object_for_user(
        Application.objects.all(), request.user, permissions.VIEW, pk=pk
    )
    if state not in ApplicationState.values:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.move_application(application, state, by=request.user, reason=reason)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("The application is now “%(state)s”.") % {"state": ApplicationState(state).label}
        )
    return redirect(application)


@login_required
@require_POST
def application_screen(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_object_for_user(
        Application.objects.all(), request.user, permissions.REVIEW, pk=pk
    )
    form = ScreenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(application)
    try:
        services.screen(application, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The score was recomputed and the notes kept."))
    return redirect(application)


@login_required
@require_POST
def application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_object_for_user(
        Application.objects.all(), request.user, permissions.REVIEW, pk=pk
    )
    form = ApproveForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(application)
    try:
        services.approve(
            application, form.cleaned_data["estate"], by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Approved: the unit is in the registry as “land allocated”."))
    return redirect(application)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_object_for_user(
        _applications().select_related("estate"), request.user, permissions.REVIEW, pk=pk
    )
    if application.state != ApplicationState.APPROVED or hasattr(application, "contract"):
        raise Http404
    fit = services.estate_fit(application, IndustrialEstate.objects.filter(pk=application.estate_id))[0]
    from peyvand.estates.models import Plot

    plots = Plot.objects.filter(pk__in=[plot.pk for plot in fit.plots]).select_related("estate")
    form = ContractForm(
        request.POST or None, plots=plots, initial={"plot": fit.plots[0].pk if fit.plots else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = services.Terms(
            price_per_m2_rial=data["price_per_m2_rial"],
            down_payment_share=data["down_payment_share"],
            instalments=data["instalments"],
            waiver_share=data["waiver_share"],
            grace_days=data["grace_days"],
        )
        try:
            contract = services.allocate(
                application, data["plot"], terms, by=request.user, signed_on=data["signed_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contract was signed and the plot allocated."))
            return redirect(contract)
    return render(
        request,
        "investment/form.html",
        {
            "form": form,
            "title": _("Allocation contract for %(title)s") % {"title": application.title},
            "object": application,
            "fit": fit,
        },
    )


# --- Contracts and milestones ------------------------------------------------------------------------
def _contracts() -> Any:
    return AllocationContract.objects.select_related("application__investor", "plot__estate")


def contract_rows(user: Any) -> Any:
    """The allocation contracts ``user`` sees (the list page and the API)."""
    return permissions.restrict(_contracts(), user, permissions.VIEW)


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, permissions.VIEW, AllocationContract):
        raise PermissionDenied
    rows = contract_rows(request.user)
    filterset = ContractFilter(request.GET or None, queryset=rows, request=request)
    selected = rows if not filterset.is_bound else (filterset.qs if filterset.is_valid() else rows.none())
    totals = selected.order_by().aggregate(
        area_m2=Sum("area_m2"),
        jobs=Sum("application__jobs_planned"),
        investment_rial=Sum("application__investment_rial"),
    )
    totals["area_ha"] = (totals["area_m2"] or 0) / 10000
    return render_list(
        request,
        "investment/contract_list.html",
        rows,
        ContractFilter,
        ContractTable,
        context={"totals": {key: int(value or 0) for key, value in totals.items()}},
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = permissions.get_object_for_user(
        _contracts().select_related("application__unit"), request.user, permissions.VIEW, pk=pk
    )
    reviewer = permissions.can(request.user, permissions.REVIEW, contract)
    milestones = list(contract.milestones.all())
    return render(
        request,
        "investment/contract_detail.html",
        {
            "object": contract,
            "application": contract.application,
            "payments": contract.payments.all(),
            "milestones": milestones,
            "reviewer": reviewer and contract.state == ContractState.ACTIVE,
            "milestone_form": MilestoneForm(),
            "late": services.repossession_due(contract),
            "repossess_form": ReasonRequiredForm(),
            "events": timeline(contract)[:40],
        },
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = Milestone.objects.select_related("contract").filter(pk=pk).first()
    if milestone is None or not permissions.can(request.user, permissions.VIEW, milestone):
        raise Http404
    form = MilestoneForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(milestone.contract)
    try:
        services.complete_milestone(
            milestone,
            done_on=form.cleaned_data["done_on"],
            evidence=form.cleaned_data["evidence"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("“%(milestone)s” is recorded as done.") % {"milestone": milestone.get_kind_display()}
        )
    return redirect(milestone.contract)


@login_required
@require_POST
def contract_repossess(request: HttpRequest, pk: int) -> HttpResponse:
    contract = permissions.get_object_for_user(
        AllocationContract.objects.all(), request.user, permissions.REVIEW, pk=pk
    )
    form = ReasonRequiredForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why: the reason is kept on the timeline."))
        return redirect(contract)
    try:
        services.repossess(contract, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.warning(request, _("The land was repossessed."))
    return redirect(contract)


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, permissions.VIEW, AllocationContract):
        raise PermissionDenied
    rows = permissions.restrict(
        Milestone.objects.overdue().select_related("contract__application__investor"),
        request.user,
        permissions.VIEW,
    )
    return render_list(request, "investment/overdue_list.html", rows, MilestoneFilter, OverdueTable)


# --- Screening weights ------------------------------------------------------------------------------
def weights_access(user: Any) -> tuple[Any, bool]:
    """The company whose rubric ``user`` reads (the page and the API) and whether they may set it (its
    reviewers); 403 to those who may do neither."""
    company = acting_company(user)
    if company is None:
        raise PermissionDenied
    may_edit = permissions.can(user, permissions.REVIEW, Application(company_id=company.pk))
    if not may_edit and not permissions.can(user, permissions.VIEW, Application):
        raise PermissionDenied
    return company, may_edit


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    """The company's screening rubric: the points of each criterion (its reviewers set them)."""
    company, may_edit = weights_access(request.user)
    company_id = company.pk
    form = WeightsForm(request.POST or None, initial=services.weights_for(company_id))
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            services.save_weights(company_id, form.cleaned_data, by=request.user)
            messages.success(request, _("The screening weights were saved."))
            return redirect("investment:weights")
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "investment/weights.html",
        {"form": form, "may_edit": may_edit, "company": company},
    )


# --- Land-use plans (آمایش) --------------------------------------------------------------------------
def land_use_rows(user: Any) -> Any:
    """The estates whose land-use plan ``user`` reads (the list page and the API): staff only."""
    if not permissions.is_staff_member(user):
        return IndustrialEstate.objects.none()
    return permissions.restrict(
        IndustrialEstate.objects.with_figures().select_related("land_use", "county"), user, permissions.VIEW
    )


@login_required
def land_use_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    estates = land_use_rows(request.user)
    from django.conf import settings
    from django.core.paginator import Paginator

    file_format = request.GET.get("export")
    if file_format in exports.FORMATS:
        return exports.export_rows(*_land_use_rows(estates), file_format, "land-use-plans")
    page = Paginator(estates, settings.PEYVAND_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "investment/land_use_list.html",
        {
            "page": page,
            "can_edit": permissions.can(request.user, permissions.CHANGE, IndustrialEstate),
            "can_export": True,
        },
    )


def _land_use_rows(estates: Any) -> tuple[list[str], Any]:
    """Every estate the user sees with its plan: the same columns as the page."""
    headers = [
        _("Estate"),
        _("Industries admitted"),
        _("Highest environmental group"),
        _("Water left (m³/day)"),
        _("Power left (kW)"),
        _("Gas left (m³/hour)"),
        _("Free plots"),
    ]

    def rows() -> Any:
        for estate in estates:
            plan = getattr(estate, "land_use", None)
            yield [
                estate.display_name,
                (plan.admitted_isic or _("every industry")) if plan else "",
                plan.max_environment_group if plan else "",
                plan.water_left_m3_day if plan else "",
                plan.power_left_kw if plan else "",
                plan.gas_left_m3_hour if plan else "",
                estate.free_plot_count,
            ]

    return [str(header) for header in headers], rows()


@login_required
@require_http_methods(["GET", "POST"])
def land_use_edit(request: HttpRequest, pk: int) -> HttpResponse:
    estate = permissions.get_object_for_user(
        IndustrialEstate.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    instance = LandUse.objects.filter(estate=estate).first() or LandUse(estate=estate)
    form = LandUseForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_land_use(estate, form.cleaned_data, by=request.user)
        messages.success(request, _("The land-use plan was saved."))
        return redirect("investment:land_use")
    return render(
        request,
        "investment/form.html",
        {"form": form, "title": _("Land-use plan: %(estate)s") % {"estate": estate.display_name}},
    )
