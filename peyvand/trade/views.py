"""Pages of the trade domain: export records (HS code suggested as the user types), exports by year,
the value-chain map, local-sourcing opportunities and the buyers' declared inputs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.core import caching, jalali, permissions
from peyvand.core.audit import timeline
from peyvand.core.search import query_id
from peyvand.core.views import render_list
from peyvand.units.models import ProductionUnit

from . import chains, hs, opportunities, services
from .choices import ExportSource
from .filters import ExportFilter, InputFilter
from .forms import BuyerInputForm, ExportRecordForm
from .models import BuyerInput, ExportRecord
from .tables import ExportTable, InputTable


def _records() -> Any:
    return ExportRecord.objects.select_related("unit", "buyer")


def visible_records(user: Any) -> Any:
    return permissions.restrict(_records(), user, permissions.VIEW)


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """Export records with their totals (computed from the filtered rows), xlsx/csv of every row."""
    user = request.user
    records = visible_records(user)
    filterset = ExportFilter(request.GET or None, queryset=records, request=request)
    rows = records
    if filterset.is_bound:
        rows = filterset.qs if filterset.is_valid() else records.none()
    return render_list(
        request,
        "trade/export_list.html",
        records,
        ExportFilter,
        ExportTable,
        context={
            "totals": caching.remember_rows("export-totals", user, rows, lambda: services.totals(rows)),
            "can_add": permissions.can(user, permissions.ADD, ExportRecord),
        },
    )


def _save_form(
    request: HttpRequest, form: ExportRecordForm, title: str, record: ExportRecord | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_export(form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The export record was saved."))
            return redirect(saved)
    return render(request, "trade/export_form.html", {"form": form, "title": title, "object": record})


@login_required
@require_http_methods(["GET", "POST"])
def export_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, ExportRecord)
    initial = {}
    unit_id = query_id(request.GET.get("unit"))
    if unit_id is not None:
        initial["unit"] = unit_id
    form = ExportRecordForm(request.POST or None, initial=initial, user=request.user)
    return _save_form(request, form, _("Record an export"), None)


@login_required
@require_http_methods(["GET", "POST"])
def export_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = permissions.get_object_for_user(_records(), request.user, permissions.CHANGE, pk=pk)
    if services.may_state_only(request.user) and record.source != ExportSource.OWN_STATEMENT:
        raise PermissionDenied  # a unit corrects its own statements, not the company's customs figures
    form = ExportRecordForm(request.POST or None, instance=record, user=request.user)
    return _save_form(request, form, _("Correct the export record"), record)


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = permissions.get_object_for_user(
        _records().select_related("unit__estate", "created_by"), request.user, permissions.VIEW, pk=pk
    )
    return render(
        request,
        "trade/export_detail.html",
        {
            "record": record,
            "hs_text": hs.label(record.hs_code),
            "can_edit": permissions.can(request.user, permissions.CHANGE, record)
            and (not services.may_state_only(request.user) or record.source == ExportSource.OWN_STATEMENT),
            "can_delete": permissions.can(request.user, permissions.DELETE, record),
            "events": timeline(record)[:20],
        },
    )


@login_required
@require_POST
def export_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = permissions.get_object_for_user(_records(), request.user, permissions.DELETE, pk=pk)
    target = record.unit
    services.delete_export(record, by=request.user)
    messages.success(request, _("The export record was deleted."))
    return redirect(target if target else "trade:export_list")


@login_required
@require_http_methods(["GET", "POST"])
def hs_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: the five likeliest HS 2022 subheadings for the product being typed, each with why."""
    data = request.POST if request.method == "POST" else request.GET
    text = " ".join(
        part for part in (data.get("product", ""), data.get("name", ""), data.get("description", "")) if part
    )
    isic = None
    unit_id = query_id(data.get("unit"))
    if unit_id is not None:
        unit = (
            permissions.restrict(
                ProductionUnit.objects.select_related("isic"), request.user, permissions.VIEW_PUBLIC
            )
            .filter(pk=unit_id)
            .first()
        )
        isic = unit.isic.code if unit is not None and unit.isic_id else None
    return render(request, "trade/_hs_suggestions.html", {"suggestions": hs.suggest(text, isic=isic)})


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """Values of the units' exports by Jalali year per unit, estate, county, HS chapter or destination,
    with the monthly trend."""
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    dimension = request.GET.get("by", "estate")
    if dimension not in services.DIMENSIONS:
        dimension = "estate"
    records = visible_records(request.user).filter(unit__isnull=False)
    filterset = ExportFilter(request.GET or None, queryset=records, request=request)
    if filterset.is_bound:
        records = filterset.qs if filterset.is_valid() else records.none()
    this_year = jalali.to_jalali(timezone.localdate()).year
    years = [this_year - 2, this_year - 1, this_year]
    rows = services.by_year(records, dimension, years)
    months = services.by_month(records.filter(year__gte=years[0]))
    return render(
        request,
        "trade/summary.html",
        {
            "filter": filterset,
            "dimension": dimension,
            "dimensions": list(services.DIMENSIONS.items()),
            "years": years,
            "rows": rows[:200],
            "totals": [sum(row["values"][index] for row in rows) for index in range(len(years))],
            "trend_chart": chains.trend_chart(months),
        },
    )


@login_required
def chain_map(request: HttpRequest) -> HttpResponse:
    """Who supplies whom (linkages at contract stage and beyond) → which buyers export → where."""
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    form = chains.ChainFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    data = chains.chain_data(request.user, filters)
    return render(
        request,
        "trade/chains.html",
        {
            "form": form,
            "data": data,
            "sankey": chains.sankey_chart(data),
            "graph": chains.graph_chart(data),
        },
    )


@login_required
@require_safe
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """What large buyers buy outside the province that local units make or could make, by value. A read:
    a POST is refused (asking the matching engine may queue its index build, which a POST must not do)."""
    user = request.user
    inputs = permissions.restrict(
        BuyerInput.objects.select_related("buyer", "request"), user, permissions.VIEW
    )
    ranked = opportunities.ranked(inputs, user)
    from django.core.paginator import Paginator

    page = Paginator(ranked, 20).get_page(request.GET.get("page"))
    opportunities.attach_suppliers(page.object_list, user)
    return render(
        request,
        "trade/opportunities.html",
        {
            "page": page,
            "total": len(ranked),
            "gaps": opportunities.open_gaps(user)[:20],
            "can_add": permissions.can(user, permissions.ADD, BuyerInput),
        },
    )


def input_rows(user: Any) -> Any:
    """The large buyers' inputs ``user`` sees (the list page and the API)."""
    return permissions.restrict(BuyerInput.objects.select_related("buyer"), user, permissions.VIEW)


@login_required
def input_list(request: HttpRequest) -> HttpResponse:
    inputs = input_rows(request.user)
    return render_list(
        request,
        "trade/input_list.html",
        inputs,
        InputFilter,
        InputTable,
        context={"can_add": permissions.can(request.user, permissions.ADD, BuyerInput)},
    )


def _input_form(
    request: HttpRequest, form: BuyerInputForm, title: str, item: BuyerInput | None
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_input(form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The input was saved."))
            return redirect(saved)
    return render(request, "trade/input_form.html", {"form": form, "title": title, "object": item})


@login_required
@require_http_methods(["GET", "POST"])
def input_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, BuyerInput)
    form = BuyerInputForm(request.POST or None, user=request.user)
    return _input_form(request, form, _("Declare an input"), None)


@login_required
@require_http_methods(["GET", "POST"])
def input_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_object_for_user(
        BuyerInput.objects.select_related("buyer"), request.user, permissions.CHANGE, pk=pk
    )
    form = BuyerInputForm(request.POST or None, instance=item, user=request.user)
    return _input_form(request, form, _("Edit the declared input"), item)


@login_required
@require_safe
def input_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A declared input with the local units that make it (a read: its only form posts elsewhere)."""
    item = permissions.get_object_for_user(
        BuyerInput.objects.select_related("buyer", "request"), request.user, permissions.VIEW, pk=pk
    )
    suppliers = opportunities.suppliers_for(item, request.user)
    return render(
        request,
        "trade/input_detail.html",
        {
            "item": item,
            "hs_text": hs.label(item.hs_code) if item.hs_code else "",
            "suppliers": suppliers,
            "can_edit": permissions.can(request.user, permissions.CHANGE, item),
            "can_open_request": permissions.can(request.user, permissions.BROKER, item)
            and not item.request_id,
            "events": timeline(item)[:20],
        },
    )


@login_required
@require_POST
def input_open_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_object_for_user(
        BuyerInput.objects.select_related("buyer"), request.user, permissions.BROKER, pk=pk
    )
    try:
        sourcing_request = services.open_request(item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(item)
    messages.success(
        request, _("A draft sourcing request was opened for this input: complete and publish it.")
    )
    return redirect(sourcing_request)


@login_required
def captured(request: HttpRequest) -> HttpResponse:
    """The linkages that won a buyer's declared input for a local supplier, with their totals."""
    from peyvand.sourcing.filters import LinkageFilter
    from peyvand.sourcing.models import Linkage
    from peyvand.sourcing.tables import LinkageTable

    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    from_inputs = BuyerInput.objects.filter(request__isnull=False).values("request_id")
    linkages = permissions.restrict(
        Linkage.objects.contracted()
        .filter(request_id__in=from_inputs)
        .select_related("buyer", "unit", "unit__estate", "request"),
        request.user,
        permissions.VIEW,
    )
    filterset = LinkageFilter(request.GET or None, queryset=linkages, request=request)
    rows = linkages
    if filterset.is_bound:
        rows = filterset.qs if filterset.is_valid() else linkages.none()
    return render_list(
        request,
        "trade/captured.html",
        linkages,
        LinkageFilter,
        LinkageTable,
        context={"totals": rows.totals()},
    )


def unit_exports(request: HttpRequest, unit: ProductionUnit) -> str:
    """The block of a unit's page (registered with ``units.views.add_main_block``): export readiness and
    the unit's export records by Jalali year, for those who may see the unit's full profile."""
    from .readiness import checklist

    user = request.user
    this_year = jalali.to_jalali(timezone.localdate()).year
    records = permissions.restrict(ExportRecord.objects.filter(unit=unit), user, permissions.VIEW)
    may_see = permissions.can(user, permissions.VIEW, unit)
    if not may_see:
        return ""
    by_year = list(records.order_by().values("year").annotate(value=Sum("value_usd")).order_by("-year")[:5])
    context = {
        "unit": unit,
        "show": may_see,
        "checks": checklist(unit, this_year),
        "by_year": by_year,
        "latest": list(records.order_by("-period_start", "-id")[:5]),
        "can_add": permissions.can(user, permissions.ADD, ExportRecord)
        and permissions.can(user, permissions.CHANGE, unit),
    }
    return render_to_string("trade/_unit_panel.html", context, request=request)
