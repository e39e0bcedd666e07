"""Green estates' pages: plants, limits, connections, effluent tests and cases, haves and wants,
symbiosis proposals and exchanges, and the green dashboard. Views stay thin: writes go to ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.core import kpis, permissions
from peyvand.core.audit import timeline
from peyvand.core.search import query_id
from peyvand.core.views import render_list
from peyvand.estates.models import IndustrialEstate
from peyvand.units.models import ProductionUnit

from . import services
from .choices import Material, Parameter, ReceivingBody, environmental_group
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
    TreatmentPlant,
    UnitConnection,
)
from .tables import CaseTable, ConnectionTable, EffluentTestTable, LinkTable, ListingTable, PlantTable

DASHBOARD_FIGURES = [
    "plants_operating",
    "plants_due_by_year_end",
    "sewer_connection_share",
    "effluent_compliance",
    "tonnes_diverted",
]


def _require_class(user: Any, action: str, model: type) -> None:
    if not permissions.can(user, action, model):
        raise PermissionDenied


def _plants():
    return TreatmentPlant.objects.prefetch_related(
        Prefetch("estates", queryset=IndustrialEstate.objects.order_by("sort_name"))
    )


def plant_rows(user: Any) -> Any:
    """The treatment plants ``user`` sees (the list page and the API)."""
    return permissions.restrict(_plants(), user, permissions.VIEW)


def effluent_test_rows(user: Any) -> Any:
    """The effluent tests ``user`` sees (the list page and the API): staff their company's, a unit its own."""
    return permissions.restrict(
        EffluentTest.objects.select_related("unit", "unit__estate"), user, permissions.VIEW
    )


def compliance_case_rows(user: Any) -> Any:
    """The compliance cases ``user`` sees (the list page and the API): staff their company's, a unit its own."""
    return permissions.restrict(
        ComplianceCase.objects.select_related("unit", "unit__estate"), user, permissions.VIEW
    )


def limit_rows(user: Any) -> Any:
    """The discharge limits ``user`` sees (the limits grid and the API)."""
    return permissions.restrict(DischargeLimit.objects.select_related("company"), user, permissions.VIEW)


def connection_rows(user: Any) -> Any:
    """The units whose sewer connection ``user`` follows (the connections page and the API): staff only."""
    if not permissions.is_staff_member(user):
        return ProductionUnit.objects.none()
    return permissions.restrict(
        ProductionUnit.objects.select_related("estate", "isic", "connection"), user, permissions.VIEW
    )


def listing_rows(user: Any) -> Any:
    """The haves and wants ``user`` sees (the list page and the API)."""
    return permissions.restrict(
        ResourceListing.objects.select_related("unit", "unit__estate"), user, permissions.VIEW
    )


def link_rows(user: Any) -> Any:
    """The symbiosis exchanges ``user`` sees (the list page and the API): the brokers' and the two units'."""
    return permissions.restrict(_links(), user, permissions.VIEW)


# --- dashboard ------------------------------------------------------------------------------------
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.is_staff_member(user):
        raise PermissionDenied
    today = timezone.localdate()
    figures = kpis.figures(kpis.Query(user, kpis.Period(today)), DASHBOARD_FIGURES)
    plants = permissions.restrict(_plants(), user, permissions.VIEW).order_by("planned_opening", "sort_name")
    links = permissions.restrict(SymbiosisLink.objects.all(), user, permissions.VIEW)
    by_material = [
        (Material(code).label, tonnes, value) for code, tonnes, value in services.diverted_by_material(links)
    ]
    open_cases = permissions.restrict(ComplianceCase.objects.filter(state="open"), user, permissions.VIEW)
    return render(
        request,
        "green/dashboard.html",
        {
            "figures": figures,
            "plants": plants[:30],
            "by_material": by_material,
            "open_cases": open_cases.count(),
            "repeated_cases": open_cases.filter(repeated=True).count(),
        },
    )


# --- treatment plants -----------------------------------------------------------------------------
OPENINGS_PER_PAGE = 12  # the plants list's timeline of openings, a page at a time


@login_required
def plant_list(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.VIEW, TreatmentPlant)
    plants = plant_rows(request.user)
    # The openings in date order (the opening itself once known, else the planned one), a page at a time:
    # a national registry holds thousands of plants; the full list sorts by opening too.
    openings = (
        plants.prefetch_related(None)
        .exclude(planned_opening=None, actual_opening=None)
        .order_by(Coalesce("actual_opening", "planned_opening"), "sort_name", "pk")
    )
    timeline_page = Paginator(openings, OPENINGS_PER_PAGE).get_page(request.GET.get("openings"))
    return render_list(
        request,
        "green/plant_list.html",
        plants,
        PlantFilter,
        PlantTable,
        context={
            "can_add": permissions.can(request.user, permissions.ADD, TreatmentPlant),
            "timeline_page": timeline_page,
            # The timeline's page is not a filter of the table (no "Clear filters" for it).
            "active_filters": sum(
                1 for key, value in request.GET.items() if value and key not in {"page", "sort", "openings"}
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plant_create(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.ADD, TreatmentPlant)
    form = PlantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plant = services.save_plant(None, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The treatment plant was registered."))
            return redirect(plant)
    return render(request, "green/form.html", {"form": form, "title": _("Register a treatment plant")})


@login_required
@require_http_methods(["GET", "POST"])
def plant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plant = permissions.get_object_for_user(
        TreatmentPlant.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    form = PlantForm(request.POST or None, instance=plant, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plant(plant, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The treatment plant was saved."))
            return redirect(plant)
    return render(
        request,
        "green/form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": plant}, "back": plant},
    )


def _plant_context(request: HttpRequest, plant: TreatmentPlant, **forms: Any) -> dict[str, Any]:
    can_change = permissions.can(request.user, permissions.CHANGE, plant)
    return {
        "plant": plant,
        "reports": plant.reports.select_related("by")[:20],
        "stage_changes": plant.stage_changes.select_related("by"),
        "events": timeline(plant)[:30],
        "can_change": can_change,
        "progress_form": forms.get("progress_form") or (ProgressForm() if can_change else None),
        "stage_form": forms.get("stage_form") or (StageForm(stage=plant.stage) if can_change else None),
    }


@login_required
def plant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plant = permissions.get_object_for_user(_plants(), request.user, permissions.VIEW, pk=pk)
    return render(request, "green/plant_detail.html", _plant_context(request, plant))


@login_required
@require_http_methods(["GET", "POST"])
def plant_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress (the form also sits on the plant's page)."""
    plant = permissions.get_object_for_user(_plants(), request.user, permissions.CHANGE, pk=pk)
    form = ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_progress(
                plant,
                date=form.cleaned_data["date"],
                percent=form.cleaned_data["percent"],
                inflow_m3_day=form.cleaned_data.get("inflow_m3_day"),
                note=form.cleaned_data["note"],
                photo=form.cleaned_data.get("photo"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress report was recorded."))
            return redirect(plant)
    return render(
        request,
        "green/form.html",
        {
            "form": form,
            "title": _("Report progress on %(name)s") % {"name": plant},
            "back": plant,
            "multipart": True,
        },
    )


@login_required
@require_POST
def plant_stage(request: HttpRequest, pk: int) -> HttpResponse:
    plant = permissions.get_object_for_user(_plants(), request.user, permissions.CHANGE, pk=pk)
    form = StageForm(request.POST, stage=plant.stage)
    if form.is_valid():
        try:
            services.move_plant(
                plant,
                form.cleaned_data["to_stage"],
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plant's stage was changed."))
            return redirect(plant)
    return render(
        request, "green/plant_detail.html", _plant_context(request, plant, stage_form=form), status=400
    )


# --- discharge limits ------------------------------------------------------------------------------
def limit_companies(user: Any) -> list[int]:
    """The estate companies whose limits ``user`` may set (the gate's ``add`` on discharge limits)."""
    return [
        org_id
        for org_kind, role, org_id in permissions.memberships(user)
        if org_kind == "estate_company"
        and permissions.allowed(org_kind, role, "discharge_limit", permissions.ADD)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def limit_list(request: HttpRequest) -> HttpResponse:
    """The limits grid (a read). A company without some of its limits adopts the national defaults by an
    explicit POST here (effluent tests adopt them too when the first one is recorded); a GET never writes."""
    _require_class(request.user, permissions.VIEW, DischargeLimit)
    companies = limit_companies(request.user)
    if request.method == "POST":
        if not companies:
            raise PermissionDenied
        added = services.adopt_default_limits(companies, by=request.user)
        if added:
            messages.success(
                request, _("The national default limits were adopted where a limit was missing.")
            )
        else:
            messages.info(request, _("Every limit is already set: nothing was changed."))
        return redirect("green:limit_list")
    limits = limit_rows(request.user)
    table: dict[str, dict[str, DischargeLimit]] = {}
    for limit in limits:
        table.setdefault(limit.parameter, {})[limit.receiving_body] = limit
    rows = [
        (Parameter(code).label, [table.get(code, {}).get(body) for body in ReceivingBody.values])
        for code in Parameter.values
    ]
    return render(
        request,
        "green/limit_list.html",
        {
            "rows": rows,
            "bodies": ReceivingBody.choices,
            "can_edit": permissions.can(request.user, permissions.CHANGE, DischargeLimit),
            "missing": services.missing_limits(companies),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def limit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    limit = permissions.get_object_for_user(
        DischargeLimit.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    form = LimitForm(request.POST or None, instance=limit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The limit was saved."))
        return redirect("green:limit_list")
    title = _("Limit of %(parameter)s — %(body)s") % {
        "parameter": limit.get_parameter_display(),
        "body": limit.get_receiving_body_display(),
    }
    return render(request, "green/form.html", {"form": form, "title": title})


# --- sewer connections ------------------------------------------------------------------------------
@login_required
def connection_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    units = connection_rows(request.user)
    return render_list(
        request,
        "green/connection_list.html",
        units,
        ConnectionFilter,
        ConnectionTable,
        can_edit=permissions.can(request.user, permissions.CHANGE, UnitConnection),
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.get_object_for_user(
        ProductionUnit.objects.select_related("estate", "isic"), request.user, permissions.VIEW, pk=pk
    )
    connection = UnitConnection.objects.filter(unit=unit).first() or UnitConnection(unit=unit)
    if not permissions.can(request.user, permissions.CHANGE, connection):
        raise PermissionDenied
    form = ConnectionForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_connection(unit, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The sewer connection was saved."))
            return redirect("green:connection_list")
    group = environmental_group(unit.isic.code if unit.isic else None)
    return render(
        request,
        "green/form.html",
        {
            "form": form,
            "title": _("Sewer connection of %(unit)s") % {"unit": unit.display_name},
            "note": _("Environmental group: %(group)s") % {"group": group.label},
        },
    )


# --- effluent tests and compliance cases ----------------------------------------------------------------
@login_required
def test_list(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.VIEW, EffluentTest)
    tests = effluent_test_rows(request.user)
    return render_list(
        request,
        "green/test_list.html",
        tests,
        EffluentTestFilter,
        EffluentTestTable,
        context={
            "can_add": permissions.is_staff_member(request.user)
            and permissions.can(request.user, permissions.ADD, EffluentTest)
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def test_create(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    _require_class(request.user, permissions.ADD, EffluentTest)
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit", "").isdigit() else {}
    form = EffluentTestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            test = services.record_test(form.cleaned_data["unit"], form.test_data(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if test.passed:
                messages.success(request, _("The test was recorded: within the limits."))
            else:
                messages.warning(request, _("The test failed: a compliance case was opened."))
            return redirect(test)
    return render(request, "green/form.html", {"form": form, "title": _("Record an effluent test")})


@login_required
def test_detail(request: HttpRequest, pk: int) -> HttpResponse:
    test = permissions.get_object_for_user(
        EffluentTest.objects.select_related("unit", "unit__estate", "by"),
        request.user,
        permissions.VIEW,
        pk=pk,
    )
    exceeded = {row[0]: row for row in test.exceedances}
    rows = [(label, value, exceeded.get(code)) for code, label, value in test.values()]
    case = ComplianceCase.objects.filter(test=test).first()
    return render(
        request, "green/test_detail.html", {"test": test, "rows": rows, "case": case, "Parameter": Parameter}
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.VIEW, ComplianceCase)
    cases = compliance_case_rows(request.user)
    return render_list(request, "green/case_list.html", cases, CaseFilter, CaseTable)


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.get_object_for_user(
        ComplianceCase.objects.select_related("unit", "unit__estate", "test"),
        request.user,
        permissions.VIEW,
        pk=pk,
    )
    can_resolve = case.state == "open" and permissions.can(request.user, permissions.CHANGE, case)
    form = ResolveForm(request.POST or None) if can_resolve else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.resolve_case(
                    case,
                    date=form.cleaned_data["date"],
                    resolution=form.cleaned_data["resolution"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The case was resolved."))
                return redirect(case)
    failures = EffluentTest.objects.filter(unit=case.unit, passed=False).order_by("-sampled_on")[:10]
    return render(
        request,
        "green/case_detail.html",
        {
            "case": case,
            "form": form,
            "failures": failures,
            "events": timeline(case)[:20],
            "today": timezone.localdate(),
        },
    )


# --- haves and wants, proposals, exchanges ------------------------------------------------------------
@login_required
def listing_list(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.VIEW, ResourceListing)
    listings = listing_rows(request.user)
    return render_list(
        request,
        "green/listing_list.html",
        listings,
        ListingFilter,
        ListingTable,
        context={"can_add": permissions.can(request.user, permissions.ADD, ResourceListing)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.ADD, ResourceListing)
    form = ListingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_listing(None, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The listing was saved."))
            return redirect("green:listing_list")
    return render(request, "green/form.html", {"form": form, "title": _("List a have or a want")})


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = permissions.get_object_for_user(
        ResourceListing.objects.select_related("unit"), request.user, permissions.CHANGE, pk=pk
    )
    form = ListingForm(request.POST or None, instance=listing, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_listing(listing, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The listing was saved."))
            return redirect("green:listing_list")
    return render(request, "green/form.html", {"form": form, "title": str(listing)})


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The matcher's have↔want pairs, best first, with reasons and distance (Persian and English)."""
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    material = request.GET.get("material", "")
    if material not in Material.values:
        material = ""
    found = services.proposals(request.user, material=material)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    listings = ResourceListing.objects.select_related("unit__estate").in_bulk(
        [p.have.id for p in shown] + [p.want.id for p in shown]
    )
    language = "en" if (get_language() or "fa").startswith("en") else "fa"
    rows = [
        {
            "have": listings[p.have.id],
            "want": listings[p.want.id],
            "score": round(p.score * 100),
            "distance": p.distance_km,
            "reasons": p.reasons[language],
        }
        for p in shown
    ]
    return render(
        request,
        "green/proposal_list.html",
        {
            "rows": rows,
            "page": page,
            "total": len(found),
            "materials": Material.choices,
            "material": material,
            "can_broker": permissions.can(request.user, permissions.BROKER, SymbiosisLink),
        },
    )


@login_required
@require_POST
def link_start(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.BROKER, SymbiosisLink)
    ids = [query_id(request.POST.get("have")), query_id(request.POST.get("want"))]
    if None in ids:
        raise Http404
    visible = permissions.restrict(
        ResourceListing.objects.select_related("unit", "unit__estate"), request.user, permissions.VIEW
    )
    have = visible.filter(pk=ids[0]).first()
    want = visible.filter(pk=ids[1]).first()
    if have is None or want is None:
        raise Http404
    try:
        link = services.start_exchange(have, want, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(
            request, " ".join(getattr(error, "messages", [str(_("You may not broker this exchange."))]))
        )
        return redirect("green:proposal_list")
    messages.success(request, _("The exchange was started: follow it to contract."))
    return redirect(link)


def _links():
    return SymbiosisLink.objects.select_related("have__unit__estate", "want__unit__estate")


@login_required
def link_list(request: HttpRequest) -> HttpResponse:
    _require_class(request.user, permissions.VIEW, SymbiosisLink)
    links = link_rows(request.user)
    filterset = LinkFilter(request.GET or None, queryset=links, request=request)
    rows = links if not filterset.is_bound else (filterset.qs if filterset.is_valid() else links.none())
    totals = (
        rows.diverting()
        .order_by()
        .aggregate(count=Count("pk"), tonnes=Sum("tonnes_per_year"), value=Sum("value_rial"))
    )
    return render_list(
        request,
        "green/link_list.html",
        links,
        LinkFilter,
        LinkTable,
        context={
            "totals": totals,
            "tonnes_int": int(totals["tonnes"] or 0),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    link = permissions.get_object_for_user(_links(), request.user, permissions.VIEW, pk=pk)
    can_move = permissions.can(request.user, permissions.BROKER, link)
    form = ExchangeStepForm(request.POST or None, stage=link.stage) if can_move else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.move_exchange(
                    link,
                    form.cleaned_data["to_stage"],
                    date=form.cleaned_data["date"],
                    tonnes_per_year=form.cleaned_data.get("tonnes_per_year"),
                    value_rial=form.cleaned_data.get("value_rial"),
                    note=form.cleaned_data["note"],
                    lost_reason=form.cleaned_data["lost_reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The exchange was updated."))
                return redirect(link)
    language = "en" if (get_language() or "fa").startswith("en") else "fa"
    return render(
        request,
        "green/link_detail.html",
        {
            "link": link,
            "steps": link.steps.select_related("by"),
            "reasons": (link.reasons or {}).get(language, []),
            "form": form if form is not None and form.fields["to_stage"].choices else None,
            "events": timeline(link)[:30],
        },
    )


def estate_plants(request: HttpRequest, estate: IndustrialEstate, full: bool) -> str:
    """The estate page's block of the treatment plants serving the estate (registered with
    ``estates.extensions``), for those the permission gate lets see them; nothing when there are none."""
    plants = permissions.restrict(
        TreatmentPlant.objects.filter(estates=estate), request.user, permissions.VIEW
    )
    return render_to_string(
        "green/_estate_plants.html",
        {"plants": list(plants.order_by("planned_opening", "sort_name"))},
        request=request,
    )
