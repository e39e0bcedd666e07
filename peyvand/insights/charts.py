"""ECharts options of the insights pages (JSON only: ``static/peyvand/js/peyvand.js`` draws them).

Each chart carries ECharts' own ``saveAsImage`` toolbox (a PNG: the dashboard's charts use the canvas
renderer, ``peyvandRenderer``) and each point the URL of the list behind it (``url``), which a click
opens. The map's boundaries come from the database through ``peyvandMap.url``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from peyvand.core import kpis
from peyvand.estates.boundaries import ATTRIBUTION

from .figures import Point

GREEN = "#0f6e63"
GREY = "#adb5bd"
ORANGE = "#e8a33d"


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    return float(value) if not isinstance(value, int) else value


def _toolbox(name: str) -> dict[str, Any]:
    return {
        "feature": {"saveAsImage": {"title": _("Save as PNG"), "name": name, "pixelRatio": 2}},
        "right": 8,
        "top": 0,
    }


def trend(kpi: kpis.KPI, points: list[Point], name: str, compare: bool = True) -> dict[str, Any]:
    """A line over Jalali months (this year and, dashed, the same months a year earlier) or bars over
    Jalali years."""
    this = {
        "name": _("This period"),
        "type": "line" if compare else "bar",
        "smooth": True,
        "data": [{"value": _number(point.figure.value), "url": point.figure.url} for point in points],
        "itemStyle": {"color": GREEN, "borderRadius": 4} if not compare else {"color": GREEN},
        "label": {"show": not compare, "position": "top"},
    }
    series = [this]
    if compare:
        series.append(
            {
                "name": _("Same month last year"),
                "type": "line",
                "smooth": True,
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": GREY},
                "data": [
                    {"value": _number(point.last_year.value), "url": point.last_year.url}
                    for point in points
                    if point.last_year is not None
                ],
            }
        )
    return {
        "peyvandRenderer": "canvas",
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0} if compare else {"show": False},
        "toolbox": _toolbox(name),
        "grid": {"left": 8, "right": 8, "top": 36, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": [point.label for point in points]},
        # a line of a stock need not start at zero (a flat line tells nothing); bars do
        "yAxis": {"type": "value", "name": str(kpis.UNITS.get(kpi.unit, "")), "scale": compare},
        "series": series,
    }


def by_county_bars(kpi: kpis.KPI, rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """Horizontal bars, one per county (largest first), each opening its list."""
    rows = sorted((row for row in rows if row["value"] is not None), key=lambda row: -row["value"])
    return {
        "peyvandRenderer": "canvas",
        "tooltip": {"trigger": "axis"},
        "toolbox": _toolbox(name),
        "grid": {"left": 8, "right": 16, "top": 28, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "inverse": True, "data": [row["name"] for row in rows]},
        "series": [
            {
                "name": str(kpi.name),
                "type": "bar",
                "data": [{"value": _number(row["value"]), "url": row["url"]} for row in rows],
                "itemStyle": {"color": GREEN, "borderRadius": 4},
            }
        ],
    }


def county_map(
    kpi: kpis.KPI,
    counties: list[dict[str, Any]],
    estates: list[dict[str, Any]],
    name: str,
    estate_url: str = "",
) -> dict[str, Any]:
    """A choropleth of ``kpi`` by county with the estates as points sized by their units in production."""
    values = [row["value"] for row in counties if row["value"] is not None]
    top = max(values, default=0) or 1
    biggest = max((point["value"][2] for point in estates), default=0) or 1
    return {
        "peyvandRenderer": "canvas",
        "peyvandMap": {
            "url": reverse("insights_county_map"),
            "name": "counties",
            "urls": {row["name"]: row["url"] for row in counties if row["url"]},
            "error": _("The county boundaries could not be loaded."),
        },
        "tooltip": {"trigger": "item"},
        "toolbox": _toolbox(name),
        "visualMap": {
            "min": 0,
            "max": _number(top),
            "seriesIndex": 0,
            "calculable": True,
            "left": 8,
            "bottom": 24,
            "inRange": {"color": ["#e6f2ef", GREEN]},
            "text": [str(kpi.name), ""],
        },
        "geo": {
            "map": "counties",
            "roam": True,
            "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1, "areaColor": "#f1f3f5"},
            "emphasis": {"itemStyle": {"areaColor": ORANGE}, "label": {"show": True}},
        },
        "graphic": [
            {
                "type": "text",
                "right": 8,
                "bottom": 4,
                "style": {"text": ATTRIBUTION, "fontSize": 10, "fill": "#6c757d"},
            }
        ],
        "series": [
            {
                "name": str(kpi.name),
                "type": "map",
                "geoIndex": 0,
                "data": [
                    {"name": row["name"], "value": _number(row["value"]), "url": row["url"]}
                    for row in counties
                    if row["value"] is not None
                ],
            },
            {
                "name": _("Estates (size: units in production)"),
                "type": "scatter",
                "coordinateSystem": "geo",
                "itemStyle": {"color": ORANGE, "borderColor": "#ffffff", "borderWidth": 1, "opacity": 0.9},
                "data": [
                    {
                        "name": point["name"]
                        + (
                            " — " + _("position approximate: the county's centre")
                            if point["approximate"]
                            else ""
                        ),
                        "value": point["value"],
                        "symbolSize": round(6 + 22 * (point["value"][2] / biggest) ** 0.5, 1),
                        "url": estate_url.replace("__pk__", str(point["estate"].pk)) if estate_url else "",
                    }
                    for point in estates
                ],
            },
        ],
    }
