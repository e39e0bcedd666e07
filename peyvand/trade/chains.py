"""The value-chain map: who supplies whom (linkages at contract stage and beyond) → which buyers export →
where; as an ECharts sankey and graph whose every node opens its list. Also the exports' monthly trend."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import jalali, limits, permissions
from peyvand.core.jalali import JalaliDateField
from peyvand.core.kpis import jalali_year_bounds
from peyvand.estates.models import County, IndustrialEstate
from peyvand.sourcing.models import INDIRECT_EXPORTS, Linkage

from . import countries
from .services import UNKNOWN_DESTINATION, destination_shares


class ChainFilterForm(forms.Form):
    estate = forms.ModelChoiceField(
        label=gettext_lazy("Estate"),
        queryset=IndustrialEstate.objects.all(),
        required=False,
        empty_label=gettext_lazy("All estates"),
    )
    county = forms.ModelChoiceField(
        label=gettext_lazy("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=gettext_lazy("All counties"),
    )
    chapter = forms.RegexField(
        label=gettext_lazy("HS chapter"),
        regex=r"^\d{2}$",
        required=False,
        max_length=2,
        error_messages={"invalid": gettext_lazy("An HS chapter has two digits.")},
    )
    year = forms.IntegerField(
        label=gettext_lazy("Jalali year"),
        min_value=limits.JALALI_YEARS[0],
        max_value=limits.JALALI_YEARS[1],
        required=False,
        error_messages={
            "min_value": gettext_lazy("Jalali years run from 1300 to 1500."),
            "max_value": gettext_lazy("Jalali years run from 1300 to 1500."),
        },
    )
    on = JalaliDateField(label=gettext_lazy("As of"), required=False)


def chain_linkages(user: Any, filters: dict[str, Any]) -> Any:
    """The linkages at contract stage and beyond that ``user`` may see, narrowed by the map's filters."""
    linkages = permissions.restrict(Linkage.objects.all(), user, permissions.VIEW)
    year, on = filters.get("year"), filters.get("on")
    if on or year:
        ends = [day for day in (on, jalali_year_bounds(year)[1] if year else None) if day]
        linkages = linkages.contracted_by(min(ends))
    else:
        linkages = linkages.contracted()
    if filters.get("estate"):
        linkages = linkages.filter(unit__estate=filters["estate"])
    if filters.get("county"):
        linkages = linkages.filter(unit__estate__county=filters["county"])
    if filters.get("chapter"):
        from .models import ExportRecord

        exporting = ExportRecord.objects.filter(buyer__isnull=False, hs_code__startswith=filters["chapter"])
        linkages = linkages.filter(buyer_id__in=exporting.values("buyer_id"))
    return linkages


def pairs(linkages: Any) -> Any:
    """Buyer–supplier pairs (the value chains), with contract value and indirect exports — one query."""
    return (
        linkages.order_by()
        .values(
            "buyer_id",
            "buyer__name",
            "buyer__name_en",
            "unit_id",
            "unit__name",
            "unit__name_en",
            "unit__estate_id",
            "unit__estate__name",
            "unit__estate__name_en",
        )
        .annotate(value=Sum("contract_value_rial"), indirect=Sum(INDIRECT_EXPORTS), linkages=Count("pk"))
        .order_by("-value", "buyer__name")
    )


def chain_data(user: Any, filters: dict[str, Any]) -> dict[str, Any]:
    english = not jalali.is_persian()
    rows = list(pairs(chain_linkages(user, filters)))
    name = lambda row, prefix: (english and row[f"{prefix}__name_en"]) or row[f"{prefix}__name"]  # noqa: E731
    for row in rows:
        row["unit_label"], row["buyer_label"] = name(row, "unit"), name(row, "buyer")
        row["value"], row["indirect"] = int(row["value"] or 0), int(row["indirect"] or 0)
    start, end = jalali_year_bounds(filters["year"]) if filters.get("year") else (None, None)
    shares = destination_shares(sorted({row["buyer_id"] for row in rows}), start, end, filters.get("chapter"))
    indirect_by_buyer: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        indirect_by_buyer[row["buyer_id"]] += Decimal(row["indirect"] or 0)
    flows: dict[tuple[int, str], int] = {}
    for buyer_id, indirect in indirect_by_buyer.items():
        for code, share in (shares.get(buyer_id) or {UNKNOWN_DESTINATION: Decimal(1)}).items():
            flows[(buyer_id, code)] = int(indirect * share)
    direct = _direct_exports(user, sorted({row["unit_id"] for row in rows}), filters)
    unit_labels = {row["unit_id"]: row["unit_label"] for row in rows}
    for entry in direct:
        entry["unit_label"] = unit_labels.get(entry["unit_id"], "")
    by_destination: dict[str, int] = defaultdict(int)
    for (_buyer, code), value in flows.items():
        by_destination[code] += value
    by_estate: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_estate.setdefault(
            row["unit__estate_id"],
            {"estate_id": row["unit__estate_id"], "label": name(row, "unit__estate"), "value_rial": 0},
        )
        entry["value_rial"] += row["indirect"]
    return {
        "pairs": rows,
        "estates": sorted(by_estate.values(), key=lambda entry: -entry["value_rial"]),
        "destinations": [
            {"destination": code, "label": destination_label(code), "value_rial": value}
            for code, value in sorted(by_destination.items(), key=lambda item: -item[1])
        ],
        "flows": [
            {"buyer_id": buyer_id, "destination": code, "label": destination_label(code), "value_rial": value}
            for (buyer_id, code), value in sorted(flows.items(), key=lambda item: -item[1])
        ],
        "direct": direct,
        "direct_usd": sum(row["value_usd"] for row in direct),
        "total": len(rows),
        "value_rial": sum(row["value"] for row in rows),
        "indirect_rial": sum(row["indirect"] for row in rows),
    }


def _direct_exports(user: Any, unit_ids: list[int], filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The chains' suppliers' own (direct) exports by destination, in US dollars — shown beside the
    indirect exports, never added to them."""
    from .models import ExportRecord

    records = permissions.restrict(ExportRecord.objects.filter(unit_id__in=unit_ids), user, permissions.VIEW)
    if filters.get("year"):
        records = records.filter(year=filters["year"])
    if filters.get("chapter"):
        records = records.filter(hs_code__startswith=filters["chapter"])
    rows = (
        records.order_by()
        .values("unit_id", "destination")
        .annotate(value=Sum("value_usd"))
        .order_by("-value")
    )
    return [
        {
            "unit_id": row["unit_id"],
            "destination": row["destination"],
            "label": countries.name(row["destination"]),
            "value_usd": int(row["value"]),
        }
        for row in rows
    ]


def destination_label(code: str) -> str:
    return _("destination not recorded") if code == UNKNOWN_DESTINATION else countries.name(code)


def _nodes(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes (units, buyers, destinations: each with the url of its list) and links between them."""
    ledger, exports = reverse("sourcing:linkage_list"), reverse("trade:export_list")
    nodes: dict[str, dict[str, Any]] = {}
    links: list[dict[str, Any]] = []
    buyer_names: dict[int, str] = {}

    def node(key: str, label: str, category: int, url: str) -> str:
        if key not in nodes:
            taken = {entry["name"] for entry in nodes.values()}
            shown = label if label not in taken else f"{label} ({category})"
            nodes[key] = {"key": key, "name": shown, "category": category, "url": url, "value": 0}
        return nodes[key]["name"]

    for row in data["pairs"]:
        unit = node(
            f"u{row['unit_id']}", row["unit_label"], 0, reverse("units:detail", args=[row["unit_id"]])
        )
        query = urlencode({"buyer": row["buyer_id"], "contracted": "true"})
        buyer = node(f"b{row['buyer_id']}", row["buyer_label"], 1, f"{ledger}?{query}")
        buyer_names[row["buyer_id"]] = buyer
        links.append({"source": unit, "target": buyer, "value": max(row["value"], 1)})
    for flow in data["flows"]:
        if flow["buyer_id"] not in buyer_names or flow["value_rial"] <= 0:
            continue
        query = urlencode({"destination": flow["destination"], "exporter": "buyers"})
        url = f"{exports}?{query}" if flow["destination"] != UNKNOWN_DESTINATION else ""
        target = node(f"d{flow['destination']}", flow["label"], 2, url)
        links.append({"source": buyer_names[flow["buyer_id"]], "target": target, "value": flow["value_rial"]})
    return list(nodes.values()), links


def sankey_chart(data: dict[str, Any]) -> dict[str, Any]:
    nodes, links = _nodes(data)
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "sankey",
                "data": [{"name": entry["name"], "url": entry["url"]} for entry in nodes],
                "links": links,
                "emphasis": {"focus": "adjacency"},
                "nodeGap": 10,
                "label": {"fontSize": 11},
            }
        ],
    }


def graph_chart(data: dict[str, Any]) -> dict[str, Any]:
    nodes, links = _nodes(data)
    exports = reverse("trade:export_list")
    names = {entry["key"]: entry["name"] for entry in nodes}
    for row in data.get("direct", []):
        unit_name, key = names.get(f"u{row['unit_id']}"), f"d{row['destination']}"
        if unit_name is None:
            continue
        if key not in names:
            query = urlencode({"destination": row["destination"], "exporter": "units"})
            nodes.append(
                {"key": key, "name": row["label"], "category": 2, "url": f"{exports}?{query}", "value": 0}
            )
            names[key] = row["label"]
        links.append({"source": unit_name, "target": names[key], "direct": True})
    categories = [
        {"name": str(_("units"))},
        {"name": str(_("large buyers"))},
        {"name": str(_("destinations"))},
    ]
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"data": [category["name"] for category in categories]},
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "draggable": True,
                "force": {"repulsion": 140, "edgeLength": 90},
                "categories": categories,
                "label": {"show": True, "position": "right", "fontSize": 10},
                "edgeSymbol": ["none", "arrow"],
                "data": [
                    {
                        "name": entry["name"],
                        "category": entry["category"],
                        "url": entry["url"],
                        "symbolSize": 14 + 6 * (2 - entry["category"]),
                    }
                    for entry in nodes
                ],
                "links": [
                    {
                        "source": link["source"],
                        "target": link["target"],
                        **({"lineStyle": {"type": "dashed"}} if link.get("direct") else {}),
                    }
                    for link in links
                ],
            }
        ],
    }


def trend_chart(months: list[tuple[int, int, int]]) -> dict[str, Any]:
    labels = [jalali.localize_digits(f"{year}/{month:02d}") for year, month, _value in months]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 70, "right": 20, "top": 20, "bottom": 40},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value"},
        "series": [
            {"type": "line", "smooth": True, "areaStyle": {}, "data": [value for _y, _m, value in months]}
        ],
    }
