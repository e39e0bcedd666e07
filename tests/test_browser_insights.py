"""Browser: the county map renders offline (no request leaves 127.0.0.1), without CSP violations, on
the public statistics and on the staff dashboard; a county or an estate opens its list."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from peyvand.estates.boundaries import load_boundaries
from peyvand.estates.models import County

from .factories import EstateFactory, UnitFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _square(x: float, y: float, size: float = 0.3) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


@pytest.fixture
def mapped_world(company_a, tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"tags": {"name": f"شهرستان {name}", "name:en": f"{name_en} County"}},
            "geometry": {"type": "MultiPolygon", "coordinates": [[_square(x, 37.0)]]},
        }
        for name, name_en, x in [("رشت", "Rasht", 49.4), ("لاهیجان", "Lahijan", 49.8)]
    ]
    path = tmp_path / "gilan_counties.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    load_boundaries(path)
    rasht = EstateFactory(
        company=company_a, county=County.objects.get(code="rasht"), latitude="37.15", longitude="49.55"
    )
    lahijan = EstateFactory(company=company_a, county=County.objects.get(code="lahijan"))  # no coordinates
    for estate, count in ((rasht, 3), (lahijan, 1)):
        for _ in range(count):
            UnitFactory(estate=estate)
    return {"rasht": rasht, "lahijan": lahijan}


def _watch_requests(web) -> list[str]:
    """Abort and record every request to another host (the page must need none)."""
    outside: list[str] = []

    def route(route_request):
        host = urlparse(route_request.request.url).hostname
        if host in LOCAL_HOSTS:
            route_request.continue_()
        else:
            outside.append(route_request.request.url)
            route_request.abort()

    web.page.route("**/*", route)
    return outside


def _click_at(web, lon: float, lat: float) -> None:
    """Click the map at a longitude/latitude (through ECharts' own projection)."""
    chart = web.page.get_by_test_id("county-map")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    x, y = web.page.evaluate(
        """([lon, lat]) => {
            const chart = echarts.getInstanceByDom(document.querySelector('[data-testid=county-map]'));
            return chart.convertToPixel({geoIndex: 0}, [lon, lat]);
        }""",
        [lon, lat],
    )
    web.page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_public_map_renders_offline_and_a_county_opens_its_list(web, mapped_world) -> None:
    outside = _watch_requests(web)
    web.goto("/statistics/")
    page = web.page
    page.wait_for_selector("[data-testid=county-map][data-map-ready='1']")
    assert page.locator("[data-testid=county-map] canvas").count() >= 1
    assert "OpenStreetMap" in page.get_by_test_id("free-plots").locator("xpath=..").inner_text()
    assert "OpenStreetMap" in page.locator("main").inner_text()
    assert page.get_by_test_id("approximate-estates").count() == 1  # Lahijan's estate has no coordinates
    _click_at(web, 49.45, 37.25)  # inside Rasht, away from its estate
    page.wait_for_url("**/units/?county=*")
    assert "۳" in page.get_by_test_id("result-count").inner_text()
    assert outside == []
    assert web.console_errors == []


def test_the_dashboard_map_renders_offline_and_an_estate_opens_its_units(web, manager, mapped_world) -> None:
    web.login("manager_a")
    outside = _watch_requests(web)
    web.goto("/dashboard/")
    page = web.page
    page.wait_for_selector("[data-testid=county-map][data-map-ready='1']")
    page.wait_for_selector("[data-testid=monthly-chart] canvas")
    _click_at(web, 49.55, 37.15)  # the Rasht estate's point
    page.wait_for_url(f"**/units/?estate={mapped_world['rasht'].pk}")
    assert "۳" in page.get_by_test_id("result-count").inner_text()
    assert outside == []


def test_without_boundaries_the_map_says_how_to_load_them(web, company_a) -> None:
    County.objects.update(boundary=None, label_point=None)
    web.goto("/statistics/")
    message = web.page.get_by_test_id("map-missing").inner_text()
    assert "load_county_boundaries" in message


def test_persian_charts_write_their_numbers_in_persian_digits(web, manager, mapped_world) -> None:
    web.login("manager_a")
    web.goto("/")
    chart = web.page.locator("[data-chart=county-chart-data]")
    chart.locator("svg text").first.wait_for()
    labels = " ".join(chart.locator("svg text").all_text_contents())
    assert any(digit in labels for digit in "۰۱۲۳۴۵۶۷۸۹"), labels
    assert not any(digit in labels for digit in "0123456789"), labels
