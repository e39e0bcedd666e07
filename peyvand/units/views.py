"""Units pages: the faceted list, the profile, create/edit, and the life-cycle change."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.core import permissions
from peyvand.core.audit import field_history, timeline
from peyvand.core.caching import public_page
from peyvand.core.paging import RequestConfig
from peyvand.core.views import render_list
from peyvand.estates.models import IndustrialEstate

from . import services
from .choices import ClaimState
from .filters import STAFF_ONLY_FILTERS, UnitFilter
from .forms import ClaimForm, ClaimReviewForm, ProductFormSet, StatusChangeForm, UnitCreateForm, UnitForm
from .models import ClaimRequest, Product, ProductionUnit
from .tables import PublicUnitTable, UnitTable, staff_columns

# Panels other apps add to a unit's full profile (e.g. the clinic: the unit's cases): each a function of
# (request, unit) returning the context of its template (with a "template" key), or None to show nothing.
_detail_panels: list[Callable[[HttpRequest, ProductionUnit], dict | None]] = []


def add_detail_panel(panel: Callable[[HttpRequest, ProductionUnit], dict | None]) -> None:
    """Called from an app's ``AppConfig.ready``."""
    if panel not in _detail_panels:
        _detail_panels.append(panel)


# Blocks other apps add to the main column of a unit's page (e.g. trade: its exports): each a function of
# (request, unit) returning HTML ("" to show nothing), so the units app loads none of their templates.
_main_blocks: list[Callable[[HttpRequest, ProductionUnit], str]] = []


def add_main_block(block: Callable[[HttpRequest, ProductionUnit], str]) -> None:
    """Called from an app's ``AppConfig.ready``."""
    if block not in _main_blocks:
        _main_blocks.append(block)


def _units_base():
    return ProductionUnit.objects.select_related("estate", "estate__county", "isic")


def estate_units(request: HttpRequest, estate: IndustrialEstate, full: bool) -> str:
    """The estate page's block of its production units (registered with ``estates.extensions``): every
    field for the estate company's staff (``full``), the public directory's columns for everybody else."""
    units = _units_base().filter(estate=estate)
    if full:
        table = UnitTable(units, prefix="u-", exclude=("estate",))
    else:
        units = permissions.restrict(units, request.user, permissions.VIEW_PUBLIC)
        table = PublicUnitTable(
            units.prefetch_related("certifications"), request=request, prefix="u-", exclude=("estate",)
        )
    RequestConfig(request, paginate={"per_page": 15}).configure(table)
    return render_to_string(
        "units/estate_units.html", {"estate": estate, "units_table": table}, request=request
    )


def unit_rows(user) -> tuple[QuerySet, bool]:
    """The units ``user`` lists (the page and the API): staff their company's whole registry, everybody
    else the public directory; and whether the rows are full records."""
    if permissions.is_staff_member(user):
        return permissions.restrict(_units_base(), user, permissions.VIEW), True
    return permissions.restrict(_units_base(), user, permissions.VIEW_PUBLIC), False


@public_page(first_page_only=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    """The registry for staff (their company's units, every field); the public directory for others."""
    user = request.user
    staff = permissions.is_staff_member(user)
    if not staff and any(request.GET.get(name) for name in STAFF_ONLY_FILTERS):
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    table_kwargs = {}
    queryset, staff = unit_rows(user)
    if staff:
        queryset, extra_columns = staff_columns(queryset)
        table_class = UnitTable
        table_kwargs["extra_columns"] = extra_columns
    else:
        queryset = queryset.prefetch_related("certifications")
        table_class = PublicUnitTable
    return render_list(
        request,
        "units/unit_list.html",
        queryset,
        UnitFilter,
        table_class,
        context={
            "staff_view": staff,
            "can_add": permissions.can(user, permissions.ADD, ProductionUnit) and staff,
        },
        **table_kwargs,
    )


@public_page()
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The full profile for those who may see it, the public profile for everybody else."""
    products = Prefetch("products", queryset=Product.objects.select_related("hs"))
    queryset = (
        _units_base()
        .select_related("plot", "organisation")
        .prefetch_related(products, "certificates__certification", "capabilities")
    )
    unit = permissions.get_object_for_user(queryset, request.user, permissions.VIEW_PUBLIC, pk=pk)
    full = permissions.can(request.user, permissions.VIEW, unit)
    context = {
        "unit": unit,
        "full": full,
        "can_edit": permissions.can(request.user, permissions.CHANGE, unit),
        "can_change_status": permissions.can(request.user, permissions.CHANGE_STATUS, unit),
        "can_merge": permissions.can(request.user, permissions.MERGE, unit),
        "can_invite": permissions.is_staff_member(request.user)
        and permissions.can(request.user, permissions.CHANGE, unit),
        "can_claim": request.user.is_anonymous or not permissions.can(request.user, permissions.CHANGE, unit),
        "staff": permissions.is_staff_member(request.user),
    }
    context["main_blocks"] = [block(request, unit) for block in _main_blocks]
    if full:
        context["history"] = unit.status_changes.select_related("by").order_by("-date", "-id")
        context["events"] = timeline(unit)[:50]
        context["panels"] = [panel for panel in (show(request, unit) for show in _detail_panels) if panel]
    return render(request, "units/unit_detail.html", context)


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    permissions.require(request.user, permissions.ADD, ProductionUnit)
    form = UnitCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                unit = services.register_unit(
                    form.save(commit=False),
                    status=form.cleaned_data["initial_status"],
                    since=form.cleaned_data["status_since"],
                    by=request.user,
                )
                form.save_m2m()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit was registered."))
            return redirect(unit)
    return render(request, "units/unit_form.html", {"form": form, "title": _("Register a production unit")})


def product_rows(formset) -> list[dict]:
    """The products the formset keeps, as the service takes them (an existing one with its id)."""
    rows = []
    deleted = set(formset.deleted_forms)
    for form in formset.forms:
        if form in deleted:
            continue
        if form.instance.pk is None and not form.has_changed():
            continue  # the empty row for a new product, left empty
        row = {name: form.cleaned_data.get(name) for name in services.PRODUCT_FIELDS}
        if form.instance.pk is not None:
            row["id"] = form.instance.pk
        rows.append(row)
    return rows


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff edit the whole profile; a unit's representatives edit their own profile and products."""
    unit = permissions.get_object_for_user(_units_base(), request.user, permissions.CHANGE, pk=pk)
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    formset = ProductFormSet(request.POST or None, instance=unit, prefix="products")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_profile(unit, form.cleaned_data, by=request.user, products=product_rows(formset))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(unit)
    return render(
        request,
        "units/unit_form.html",
        {
            "form": form,
            "formset": formset,
            "unit": unit,
            "title": _("Edit %(name)s") % {"name": unit.display_name},
        },
    )


@require_http_methods(["GET", "POST"])
def unit_change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a dated life-cycle change with its cause (staff only)."""
    unit = permissions.get_object_for_user(_units_base(), request.user, permissions.CHANGE_STATUS, pk=pk)
    form = StatusChangeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(
                unit,
                form.cleaned_data["to_status"],
                date=form.cleaned_data["date"],
                cause=form.cleaned_data["cause"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(unit)
    return render(request, "units/unit_status_form.html", {"form": form, "unit": unit})


@require_http_methods(["GET", "POST"])
def unit_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's representative asks to manage its profile, with evidence."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    unit = permissions.get_object_for_user(_units_base(), request.user, permissions.VIEW_PUBLIC, pk=pk)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_claim(unit, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request was sent. The estate company will review it and let you know.")
            )
            return redirect(unit)
    return render(request, "units/claim_form.html", {"form": form, "unit": unit})


@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    """Claims to review (staff) and the user's own claims."""
    claims = permissions.restrict(
        ClaimRequest.objects.select_related("unit", "unit__estate", "user", "reviewed_by"),
        request.user,
        permissions.VIEW,
    ).order_by("state", "-created_at")
    state = request.GET.get("state", "pending")
    if state in ClaimState.values:
        claims = claims.filter(state=state)
    paginator = Paginator(claims, settings.PEYVAND_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "units/claim_list.html",
        {
            "page": page,
            "state": state,
            "states": ClaimState.choices,
            "can_review": permissions.can(request.user, permissions.REVIEW, ClaimRequest),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_review(request: HttpRequest, pk: int) -> HttpResponse:
    claim = permissions.get_object_for_user(
        ClaimRequest.objects.select_related("unit", "user", "unit__estate"),
        request.user,
        permissions.REVIEW,
        pk=pk,
    )
    form = ClaimReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_claim(
                claim,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The claim was decided."))
            return redirect("units:claims")
    return render(request, "units/claim_review.html", {"form": form, "claim": claim})


@login_required
@require_POST
def unit_representatives(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's organisation page, where staff invite its representatives (made first if none)."""
    unit = permissions.get_object_for_user(_units_base(), request.user, permissions.CHANGE, pk=pk)
    organisation = services.open_representation(unit, by=request.user)
    return redirect("accounts:organisation_detail", pk=organisation.pk)


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's full field-level history (who changed what, when), for staff."""
    unit = permissions.get_object_for_user(_units_base(), request.user, permissions.VIEW, pk=pk)
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    entries = field_history(unit)
    paginator = Paginator(entries, 30)
    return render(
        request,
        "units/unit_history.html",
        {"unit": unit, "page": paginator.get_page(request.GET.get("page"))},
    )


class MergeForm(forms.Form):
    """Which unit is the duplicate of this one (it disappears into this one)."""

    duplicate = forms.ModelChoiceField(
        label=gettext_lazy("The duplicate record"), queryset=ProductionUnit.objects.none()
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I checked both records: they are the same unit. The duplicate's history, products and requests move here and the duplicate is deleted."
        ),
    )

    def __init__(self, *args, unit: ProductionUnit, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = permissions.restrict(
            ProductionUnit.objects.exclude(pk=unit.pk).select_related("estate"), user, permissions.MERGE
        )
        self.fields["duplicate"].queryset = units.order_by("sort_name")
        self.fields["duplicate"].label_from_instance = lambda other: " — ".join(
            part for part in (other.display_name, other.estate.display_name, other.national_id or "") if part
        )


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff merge two records of the same unit; the merge is on both timelines."""
    unit = permissions.get_object_for_user(_units_base(), request.user, permissions.MERGE, pk=pk)
    initial = {"duplicate": request.GET.get("other")} if request.GET.get("other", "").isdigit() else None
    form = MergeForm(request.POST or None, initial=initial, unit=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge_units(unit, form.cleaned_data["duplicate"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The two records were merged into this one."))
            return redirect("units:detail", pk=unit.pk)
    candidates = services.merge_candidates(unit, request.user)
    return render(request, "units/unit_merge.html", {"unit": unit, "form": form, "candidates": candidates})
