"""Insights pages: home, the staff dashboard (trends, last year, map, xlsx, press report), the public
statistics with open data, and the county boundaries for the maps. Every figure comes from the KPI
registry (``core/kpis.py``) through ``figures``, and links to the list behind it."""

from __future__ import annotations

import hashlib
import json
import re

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from peyvand.core import exports, jalali, kpis, permissions
from peyvand.core.caching import public_page
from peyvand.estates.boundaries import ATTRIBUTION, CACHE_KEY, feature_collection
from peyvand.estates.models import County, IndustrialEstate
from peyvand.units.models import units_in_production_of_estate

from . import charts, figures, opendata
from .forms import DashboardForm, PressReportForm
from .report import render_pdf

# One colour per life-cycle status (``UnitStatus``'s badge colours), fixed to the
# status itself: a palette by position would shift every colour when a status has no units.
STATUS_CHART_COLORS = {
    "planned": "#6c757d",
    "land_allocated": "#0dcaf0",
    "under_construction": "#0d6efd",
    "operating": "#198754",
    "semi_active": "#ffc107",
    "idle": "#dc3545",
    "closed": "#343a40",
    "land_repossessed": "#8c6d62",
}
CHARTS = ("figures", "monthly", "yearly", "counties")


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff = permissions.is_staff_member(user)
    status_rows = figures.status_breakdown(user)
    county_rows = figures.units_by_county(user)
    status_chart = {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},  # wraps onto a second line: a paged legend hides statuses behind arrows
        "series": [
            {
                "type": "pie",
                "radius": ["45%", "72%"],
                "avoidLabelOverlap": True,
                "itemStyle": {"borderColor": "#fff", "borderWidth": 2},
                "label": {"show": False},
                "data": [
                    {
                        "name": row["name"],
                        "value": row["value"],
                        "key": row["code"],
                        "itemStyle": {"color": STATUS_CHART_COLORS[row["code"]]},
                    }
                    for row in status_rows
                ],
            }
        ],
    }
    county_chart = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 8, "top": 10, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "inverse": True, "data": [row["name"] for row in county_rows]},
        "series": [
            {
                "type": "bar",
                "data": [{"value": row["value"], "key": row["key"]} for row in county_rows],
                "itemStyle": {"color": "#0f6e63", "borderRadius": 4},
            }
        ],
    }
    context = {
        "figures": figures.home_figures(user),
        "bridge": figures.bridge_figures(user),
        "investment": figures.investment_figures(user),
        "staff": staff,
        "status_chart": status_chart if status_rows else None,
        "county_chart": county_chart if county_rows else None,
        "status_click_url": reverse("units:list") + "?status=__key__" if staff else "",
        "county_click_url": reverse("units:list") + "?county=__key__",
        "page_title": _("Home"),
    }
    return render(request, "insights/home.html", context)


def _require_staff(request: HttpRequest) -> None:
    """The dashboard and the press report are the company's: its staff only (the public has its page)."""
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied


def _dashboard_data(request: HttpRequest) -> dict:
    form = DashboardForm(request.GET or None, user=request.user)
    query = form.query()
    kpi = kpis.get(form.chosen_kpi())
    return {"form": form, "query": query, "kpi": kpi}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    data = _dashboard_data(request)
    query, kpi = data["query"], data["kpi"]
    months = figures.monthly(kpi, query)
    years = figures.yearly(kpi, query)
    mapped = kpi if "county" in kpi.filters else kpis.get("operating_units")
    # the map is the county breakdown itself: every filter but the county applies
    others = {name: value for name, value in query.filters.items() if name != "county"}
    counties = figures.by_county(mapped, kpis.Query(query.user, query.period, others))
    has_boundaries = County.objects.filter(boundary__isnull=False).exists()
    points = figures.estate_points(request.user) if has_boundaries else []
    export_query = request.GET.urlencode()
    context = {
        **data,
        "comparisons": figures.compare(query),
        "last_year": query.period.a_year_before(),
        "monthly_chart": charts.trend(kpi, months, f"{kpi.code}-months"),
        "yearly_chart": charts.trend(kpi, years, f"{kpi.code}-years", compare=False),
        "map_kpi": mapped,
        "map_chart": charts.county_map(
            mapped,
            counties,
            points,
            f"{mapped.code}-map",
            estate_url=reverse("units:list") + "?estate=__pk__",
        )
        if has_boundaries
        else None,
        "approximate_estates": [point for point in points if point["approximate"]],
        "attribution": ATTRIBUTION,
        "report_on": jalali.jalali_text(query.on),
        "export_query": f"?{export_query}" if export_query else "",
        "report_form": PressReportForm(initial={"lang": translation.get_language()}),
        "page_title": _("Dashboard"),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
@require_GET
def chart_export(request: HttpRequest, chart: str) -> HttpResponse:
    """A dashboard chart's data as xlsx (the project's export engine), for the dashboard's filters."""
    _require_staff(request)
    if chart not in CHARTS:
        raise Http404
    data = _dashboard_data(request)
    query, kpi = data["query"], data["kpi"]
    if chart == "figures":
        headers = [_("Figure"), _("Value"), _("Same period last year"), _("Period"), _("Definition")]
        rows = [
            [
                str(row.figure.kpi.name),
                row.figure.value,
                row.last_year.value,
                str(kpis.PERIOD_SEMANTICS[row.figure.kpi.period]),
                str(row.figure.kpi.definition),
            ]
            for row in figures.compare(query)
        ]
    elif chart in ("monthly", "yearly"):
        points = figures.monthly(kpi, query) if chart == "monthly" else figures.yearly(kpi, query)
        headers = [_("Jalali month") if chart == "monthly" else _("Jalali year"), str(kpi.name)]
        if chart == "monthly":
            headers.append(_("Same month last year"))
        rows = [
            [point.label, point.figure.value] + ([point.last_year.value] if chart == "monthly" else [])
            for point in points
        ]
    else:
        headers = [_("County"), str(kpi.name)]
        rows = [[row["name"], row["value"]] for row in figures.by_county(kpi, query)]
    content = exports.write_xlsx(headers, rows, title=str(kpi.name) if chart != "figures" else _("Figures"))
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    stamp = jalali.jalali_text(query.on).replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="peyvand-{chart}-{kpi.code}-{stamp}.xlsx"'
    return response


@login_required
@require_GET
def press_report(request: HttpRequest) -> HttpResponse:
    """The press report PDF as of the chosen date, in the chosen language."""
    _require_staff(request)
    form = PressReportForm(request.GET)
    if not form.is_valid():
        return render(request, "insights/report_error.html", {"form": form}, status=400)
    on = form.cleaned_data.get("on") or timezone.localdate()
    language = form.cleaned_data.get("lang") or translation.get_language() or "fa"
    pdf = render_pdf(on, language, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = jalali.jalali_text(on).replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="peyvand-press-report-{stamp}-{language}.pdf"'
    return response


@require_GET
@public_page(first_page_only=True)
def statistics(request: HttpRequest) -> HttpResponse:
    """The public statistics: public figures with their public lists, estates with free plots, the map,
    and the open data. What it shows is the same for everybody (the public view)."""
    public = AnonymousUser()
    query = figures.query_for(public)
    shown = [figure for figure in kpis.figures(query) if figure.kpi.public]
    estates = (
        permissions.restrict(IndustrialEstate.objects.with_figures(), public, permissions.VIEW_PUBLIC)
        .select_related("county")
        .annotate(units_in_production=units_in_production_of_estate())
        .filter(free_plot_count__gt=0)
        .order_by("county__sort_name", "sort_name")
    )
    page = Paginator(estates, 25).get_page(request.GET.get("page"))
    has_boundaries = County.objects.filter(boundary__isnull=False).exists()
    in_production = kpis.get("units_in_production")
    county_rows = figures.by_county(in_production, query)
    points = figures.estate_points(public) if has_boundaries else []
    context = {
        "figures": shown,
        "estates_page": page,
        "county_chart": charts.by_county_bars(in_production, county_rows, "units-by-county"),
        "map_chart": charts.county_map(
            in_production,
            county_rows,
            points,
            "units-in-production-map",
            estate_url=reverse("estates:detail", args=[0]).replace("/0/", "/__pk__/"),
        )
        if has_boundaries
        else None,
        "approximate_estates": [point for point in points if point["approximate"]],
        "attribution": ATTRIBUTION,
        "datasets": opendata.DATASETS.values(),
        "licence": opendata.licence(),
        "today": timezone.localdate(),
        "page_title": _("Statistics"),
    }
    return render(request, "insights/statistics.html", context)


@require_GET
def open_data(request: HttpRequest, dataset: str, file_format: str) -> HttpResponse:
    """A public dataset as CSV or JSON (public fields of public rows; the licence and the date inside)."""
    if dataset not in opendata.DATASETS or file_format not in ("csv", "json"):
        raise Http404
    chosen = opendata.DATASETS[dataset]
    if file_format == "csv":
        response = HttpResponse(opendata.as_csv(chosen), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(opendata.as_json(chosen), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="peyvand-{dataset}-{stamp}.{file_format}"'
    return response


@require_GET
def county_map(request: HttpRequest) -> HttpResponse:
    """The counties' boundaries as GeoJSON, from the database (cached; public: boundaries are OSM's)."""
    content = cache.get(CACHE_KEY)
    if content is None:
        counties = County.objects.filter(boundary__isnull=False).order_by("sort_name")
        content = _json_bytes(feature_collection(counties))
        cache.set(CACHE_KEY, content, 24 * 3600)
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    if etag in re.split(r"\s*,\s*", request.headers.get("If-None-Match", "")):
        return HttpResponse(status=304)
    response = HttpResponse(content, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
