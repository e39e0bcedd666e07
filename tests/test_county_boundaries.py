"""County boundaries: loaded from an OSM GeoJSON into the database (matched by name, simplified,
idempotent, bad files refused by name), and served to the map from there."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from peyvand.estates.boundaries import _inside, load_boundaries, simplify_line
from peyvand.estates.models import County

pytestmark = pytest.mark.django_db
SHARED = Path(settings.SHARED_DIR) / "data" / "gilan-geo"


def square(x: float, y: float, size: float = 0.2, steps: int = 40) -> list[list[float]]:
    """A square ring with many collinear points on each side (simplification removes them)."""
    corners = [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]
    ring = []
    for (x1, y1), (x2, y2) in itertools.pairwise(corners):
        ring.extend([[x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps] for i in range(steps)])
    ring.append(ring[0])
    return ring


def feature(name: str, name_en: str, ring) -> dict:
    return {
        "type": "Feature",
        "properties": {"type": "relation", "tags": {"name": name, "name:en": name_en}},
        "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
    }


def write(tmp_path: Path, features: list[dict]) -> Path:
    path = tmp_path / "gilan_counties.geojson"
    unnamed = {
        "type": "Feature",
        "properties": {"type": "node"},
        "geometry": {"type": "Point", "coordinates": [1, 2]},
    }
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [*features, unnamed]}), encoding="utf-8"
    )
    return path


def test_counties_are_matched_by_name_and_stored_simplified(tmp_path) -> None:
    write(
        tmp_path,
        [
            feature("شهرستان رشت", "Rasht County", square(49.5, 37.1)),
            feature(
                "شهرستان صومعه سرا", "Sowme'eh Sara County", square(49.2, 37.3)
            ),  # ZWNJ written as a space
            feature("شهرستان بندر انزلی", "Bandar-e-Anzali County", square(49.4, 37.4)),
            feature("شهرستان ناشناخته", "Nowhere County", square(40, 30)),
        ],
    )
    report = load_boundaries(tmp_path)
    assert sorted(report.loaded) == sorted(["رشت", "صومعه‌سرا", "بندر انزلی"])
    assert report.unmatched == ["شهرستان ناشناخته"]
    assert len(report.missing) == 14
    rasht = County.objects.get(code="rasht")
    ring = rasht.boundary["coordinates"][0][0]
    assert len(ring) == 5  # 161 collinear points down to the square's corners
    assert _inside(tuple(rasht.label_point), rasht.boundary["coordinates"][0])


def test_loading_again_changes_nothing(tmp_path) -> None:
    write(tmp_path, [feature("شهرستان رشت", "Rasht County", square(49.5, 37.1))])
    call_command("load_county_boundaries", str(tmp_path))
    before = County.objects.get(code="rasht").boundary
    report = load_boundaries(tmp_path)
    assert report.loaded == []
    assert report.unchanged == ["رشت"]
    assert County.objects.get(code="rasht").boundary == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "پرونده‌ای نیست"),
        ("not json", "پرونده‌ای GeoJSON نیست"),
        ('{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_written(
    tmp_path, content, message
) -> None:
    path = tmp_path / "counties.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_county_boundaries", str(path))
    assert not County.objects.filter(boundary__isnull=False).exists()


def test_the_inside_point_of_a_c_shaped_county_lies_inside_it() -> None:
    # a "C": its centroid falls in the opening, outside the shape
    ring = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]
    from peyvand.estates.boundaries import inside_point

    point = inside_point({"type": "MultiPolygon", "coordinates": [[ring]]})
    assert _inside(tuple(point), [ring])


def test_simplification_keeps_a_corner_it_cannot_drop() -> None:
    assert simplify_line([[0, 0], [1, 0.5], [2, 0]], tolerance=0.1) == [[0, 0], [1, 0.5], [2, 0]]
    assert simplify_line([[0, 0], [1, 0.0001], [2, 0]], tolerance=0.1) == [[0, 0], [2, 0]]


def test_the_map_serves_the_stored_boundaries_with_their_names(tmp_path, client) -> None:
    write(tmp_path, [feature("شهرستان رشت", "Rasht County", square(49.5, 37.1))])
    load_boundaries(tmp_path)
    response = client.get("/statistics/counties.geojson")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [f["properties"]["name_en"] for f in data["features"]] == ["Rasht"]
    assert "OpenStreetMap" in data["attribution"]
    again = client.get("/statistics/counties.geojson", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_map_follows_a_reload_of_the_boundaries(
    tmp_path, client, django_capture_on_commit_callbacks
) -> None:
    write(tmp_path, [feature("شهرستان رشت", "Rasht County", square(49.5, 37.1))])
    with django_capture_on_commit_callbacks(execute=True):
        load_boundaries(tmp_path)
    first = client.get("/statistics/counties.geojson").content
    write(tmp_path, [feature("شهرستان رشت", "Rasht County", square(49.6, 37.2))])
    with django_capture_on_commit_callbacks(execute=True):
        load_boundaries(tmp_path)
    assert client.get("/statistics/counties.geojson").content != first


@pytest.mark.skipif(
    not (SHARED / "gilan_counties.geojson").exists(), reason="../shared/data/gilan-geo is absent"
)
def test_the_shared_osm_file_gives_all_17_counties_of_gilan() -> None:
    report = load_boundaries(SHARED)
    assert len(report.loaded) == 17
    assert not report.missing
    assert not report.unmatched
    sizes = [len(json.dumps(county.boundary)) for county in County.objects.all()]
    assert sum(sizes) < 120_000  # simplified: the map loads fast over a slow intranet
