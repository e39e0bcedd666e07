"""The home page: headline figures computed from data, each a link to the list behind it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.core import permissions

from . import kpis

# One colour per life-cycle status (the badge colours of ``units.choices.STATUS_COLORS``), fixed to the
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


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    figures = kpis.home_figures(user)
    staff = permissions.is_staff_member(user)
    status_rows = kpis.status_breakdown(user)
    county_rows = kpis.units_by_county(user)
    status_chart = {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0, "type": "scroll"},
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
        "figures": figures,
        "staff": staff,
        "status_chart": status_chart if status_rows else None,
        "county_chart": county_chart if county_rows else None,
        "status_click_url": reverse("units:list") + "?status=__key__" if staff else "",
        "county_click_url": reverse("units:list") + "?county=__key__" if user.is_authenticated else "",
        "page_title": _("Home"),
        "bridge": kpis.bridge_totals(user),
    }
    return render(request, "insights/home.html", context)
