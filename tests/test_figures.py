"""Figures shown on pages equal hand counts: an estate's allocated area, the home chart's colours."""

from __future__ import annotations

import json
import re

import pytest

from peyvand.estates.models import IndustrialEstate
from peyvand.insights.views import STATUS_CHART_COLORS
from peyvand.units.choices import UnitStatus

from .factories import PlotFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate_with_units(estate_a):
    """Three plots (1,000 + 2,000 m² allocated, 500 m² free) and three units in the estate."""
    PlotFactory(estate=estate_a, area_m2=1000, state="allocated")
    PlotFactory(estate=estate_a, area_m2=2000, state="allocated")
    PlotFactory(estate=estate_a, area_m2=500, state="free")
    for status in ("operating", "operating", "idle"):
        UnitFactory(estate=estate_a, status=status)
    return estate_a


def test_an_estates_allocated_area_is_not_multiplied_by_its_units(estate_with_units, manager, client) -> None:
    from peyvand.estates.views import _estates

    estate = _estates().with_figures().get(pk=estate_with_units.pk)
    assert (estate.allocated_area_m2, estate.plot_count, estate.free_plot_count, estate.unit_count) == (
        3000,
        3,
        1,
        2,
    )
    client.force_login(manager)
    page = client.get(f"/estates/{estate_with_units.pk}/")
    assert "۳٬۰۰۰" in page.text
    assert "۹٬۰۰۰" not in page.text


def test_an_estate_without_plots_shows_zero_plots(estate_a) -> None:
    estate = IndustrialEstate.objects.with_figures().get(pk=estate_a.pk)
    assert (estate.plot_count, estate.free_plot_count, estate.allocated_area_m2) == (0, 0, None)


def _status_chart(client) -> dict[str, str]:
    page = client.get("/")
    data = re.search(
        r'<script id="status-chart-data" type="application/json">(.*?)</script>', page.text, re.S
    )
    chart = json.loads(data.group(1))
    return {item["key"]: item["itemStyle"]["color"] for item in chart["series"][0]["data"]}


def test_the_home_chart_keeps_each_statuss_colour_when_other_statuses_have_no_units(
    estate_a, manager, client
) -> None:
    UnitFactory(estate=estate_a, status="operating")
    UnitFactory(estate=estate_a, status="idle")
    client.force_login(manager)
    colours = _status_chart(client)
    # Only two statuses have units: idle stays red and operating green, not the palette's first two.
    assert colours == {"operating": "#198754", "idle": "#dc3545"}
    UnitFactory(estate=estate_a, status="planned")
    assert _status_chart(client)["idle"] == "#dc3545"


def test_every_status_has_its_own_chart_colour() -> None:
    assert set(STATUS_CHART_COLORS) == set(UnitStatus.values)
    assert len(set(STATUS_CHART_COLORS.values())) == len(UnitStatus.values)
