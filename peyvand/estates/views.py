"""Estates pages: list, detail with its plots (and the blocks other apps add: its units), create/edit, plots."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peyvand.core import permissions
from peyvand.core.audit import timeline
from peyvand.core.caching import public_page
from peyvand.core.paging import RequestConfig
from peyvand.core.views import render_list

from . import extensions, services
from .filters import EstateFilter
from .forms import EstateForm, PlotForm
from .models import IndustrialEstate, Plot
from .tables import EstateTable, PlotTable


def _estates():
    return IndustrialEstate.objects.select_related("county").annotate(**extensions.figures())


def estate_rows(user) -> QuerySet:
    """The estates ``user`` lists (the page and the API): every estate is public."""
    return permissions.restrict(_estates().with_figures(), user, permissions.VIEW_PUBLIC)


@public_page(first_page_only=True)
def estate_list(request: HttpRequest) -> HttpResponse:
    queryset = estate_rows(request.user)
    return render_list(
        request,
        "estates/estate_list.html",
        queryset,
        EstateFilter,
        EstateTable,
        context={"can_add": permissions.can(request.user, permissions.ADD, IndustrialEstate)},
    )


@public_page()
def estate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    estate = permissions.get_object_for_user(
        _estates().with_figures(), request.user, permissions.VIEW_PUBLIC, pk=pk
    )
    user = request.user
    full = permissions.can(user, permissions.VIEW, estate)
    context = {
        "estate": estate,
        "full": full,
        "sections": extensions.sections(request, estate, full),
        "can_edit": permissions.can(user, permissions.CHANGE, estate),
        "can_add_plot": full and permissions.can(user, permissions.ADD, Plot),
    }
    if full:
        plots = Plot.objects.filter(estate=estate).prefetch_related("units")
        plots_table = PlotTable(plots, prefix="p-")
        RequestConfig(request, paginate={"per_page": 15}).configure(plots_table)
        context["plots_table"] = plots_table
        context["events"] = timeline(estate)[:30]
    return render(request, "estates/estate_detail.html", context)


@require_http_methods(["GET", "POST"])
def estate_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.ADD, IndustrialEstate)
    form = EstateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            estate = services.save_estate(None, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The estate was added."))
            return redirect(estate)
    return render(request, "estates/estate_form.html", {"form": form, "title": _("Add an estate")})


@require_http_methods(["GET", "POST"])
def estate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    estate = permissions.get_object_for_user(
        IndustrialEstate.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    form = EstateForm(request.POST or None, instance=estate, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_estate(estate, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The estate was saved."))
            return redirect(estate)
    return render(
        request,
        "estates/estate_form.html",
        {"form": form, "estate": estate, "title": _("Edit %(name)s") % {"name": estate}},
    )


@require_http_methods(["GET", "POST"])
def plot_create(request: HttpRequest, pk: int) -> HttpResponse:
    estate = permissions.get_object_for_user(
        IndustrialEstate.objects.all(), request.user, permissions.CHANGE, pk=pk
    )
    permissions.require(request.user, permissions.ADD, Plot)
    form = PlotForm(request.POST or None, estate=estate)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plot(None, {**form.cleaned_data, "estate": estate}, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plot was added."))
            return redirect(estate)
    return render(
        request,
        "estates/estate_form.html",
        {"form": form, "estate": estate, "title": _("Add a plot to %(name)s") % {"name": estate}},
    )


@require_http_methods(["GET", "POST"])
def plot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plot = permissions.get_object_for_user(
        Plot.objects.select_related("estate"), request.user, permissions.CHANGE, pk=pk
    )
    form = PlotForm(request.POST or None, instance=plot, estate=plot.estate)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plot(plot, form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plot was saved."))
            return redirect(plot.estate)
    return render(
        request,
        "estates/estate_form.html",
        {"form": form, "estate": plot.estate, "title": _("Edit plot %(number)s") % {"number": plot.number}},
    )
