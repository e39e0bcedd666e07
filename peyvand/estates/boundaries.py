"""County boundaries from OpenStreetMap's GeoJSON (ODbL, "© OpenStreetMap contributors") into ``County``.

The file is read in place (``../shared/data/gilan-geo``) and never copied into the repository: each
county's geometry is simplified (Douglas–Peucker, ~100 m, coordinates rounded to 5 decimals), stored on
its ``County`` row with a point inside it, and served by the map from the database. Counties are
matched by name (Persian without «شهرستان», spaces and half-spaces ignored; or English without
"County"); running the loader again changes nothing unless the file changed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.matching.text import fold

from .models import County

ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
TOLERANCE = 0.001  # degrees (~100 m at Gilan's latitude): enough for a province map
PRECISION = 5
FILE_NAME = "gilan_counties.geojson"
CACHE_KEY = "peyvand:counties:geojson"  # the map's GeoJSON, dropped whenever boundaries are loaded

Ring = list[list[float]]


class BoundaryError(ValueError):
    """A file that cannot be loaded; ``str()`` is a message for the user."""


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # features of the file matching no county
    missing: list[str] = field(default_factory=list)  # counties with no feature in the file
    points: int = 0


def _key(text: str) -> str:
    """A county name with «شهرستان» / "County", spaces, half-spaces and hyphens removed, folded."""
    folded = fold(text)
    for word in ("شهرستان", "county"):
        folded = folded.replace(word, "")
    return "".join(ch for ch in folded if ch.isalnum())


# --- Geometry -------------------------------------------------------------------------------------
def _distance(point: list[float], start: list[float], end: list[float]) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify_line(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative (long rings would exhaust recursion)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, 0
        for i in range(first + 1, last):
            distance = _distance(points[i], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float = TOLERANCE) -> Ring | None:
    """A closed ring simplified and rounded; ``None`` when too little of it is left to be a polygon."""
    points = [[round(x, PRECISION), round(y, PRECISION)] for x, y, *_rest in ring]
    simplified = simplify_line(points, tolerance)
    if simplified[0] != simplified[-1]:
        simplified.append(simplified[0])
    return simplified if len(simplified) >= 4 else None


def simplify_geometry(geometry: dict[str, Any], tolerance: float = TOLERANCE) -> dict[str, Any] | None:
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    result = []
    for polygon in polygons:
        rings = [simplify_ring(ring, tolerance) for ring in polygon]
        if rings and rings[0] is not None:
            result.append([ring for ring in rings if ring is not None])
    return {"type": "MultiPolygon", "coordinates": result} if result else None


def _area(ring: Ring) -> float:
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))


def _inside(point: tuple[float, float], polygon: list[Ring]) -> bool:
    """Even-odd rule over the polygon's rings (holes included)."""
    x, y = point
    inside = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def inside_point(geometry: dict[str, Any]) -> list[float]:
    """A point inside the largest polygon: its centroid when inside, else the middle of the widest
    stretch of the horizontal line through the centroid that lies inside."""
    polygon = max(geometry["coordinates"], key=lambda rings: abs(_area(rings[0])))
    outer = polygon[0]
    area = _area(outer)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairwise(outer))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairwise(outer))
    centroid = (cx / (6 * area), cy / (6 * area)) if area else tuple(outer[0])
    if _inside(centroid, polygon):
        return [round(centroid[0], PRECISION), round(centroid[1], PRECISION)]
    y = centroid[1]
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for ring in polygon
        for (x1, y1), (x2, y2) in pairwise(ring)
        if (y1 > y) != (y2 > y)
    )
    stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not stretches:  # a degenerate polygon: any vertex will do
        return [outer[0][0], outer[0][1]]
    left, right = max(stretches, key=lambda pair: pair[1] - pair[0])
    return [round((left + right) / 2, PRECISION), round(y, PRECISION)]


# --- Loading --------------------------------------------------------------------------------------
def read_features(path: Path) -> list[dict[str, Any]]:
    """The named (Multi)Polygon features of a GeoJSON file (OSM's unnamed points are ignored)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundaryError(_("No file at %(path)s.") % {"path": path}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(
            _("%(path)s is not a GeoJSON file: %(error)s") % {"path": path, "error": exc}
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(_("%(path)s is not a GeoJSON FeatureCollection.") % {"path": path})
    features = []
    for feature in data.get("features") or []:
        geometry = feature.get("geometry") or {}
        properties = feature.get("properties") or {}
        tags = properties.get("tags") or properties
        name = tags.get("name") or tags.get("name:fa") or ""
        if geometry.get("type") in ("Polygon", "MultiPolygon") and name:
            features.append({"name": name, "name_en": tags.get("name:en", ""), "geometry": geometry})
    return features


def resolve(path: Path) -> Path:
    """``path`` itself, or the county file inside the directory ``path``."""
    return path / FILE_NAME if path.is_dir() else path


@transaction.atomic
def load_boundaries(path: Path, tolerance: float = TOLERANCE) -> LoadReport:
    """Store each county's simplified boundary and inside point; idempotent."""
    features = read_features(resolve(path))
    if not features:
        raise BoundaryError(_("%(path)s holds no named county boundary.") % {"path": path})
    counties = list(County.objects.all())
    by_key: dict[str, County] = {}
    for county in counties:
        for name in (county.name, county.name_en, county.code):
            if _key(name):
                by_key.setdefault(_key(name), county)
    report = LoadReport()
    matched: set[int] = set()
    for feature in features:
        county = by_key.get(_key(feature["name"])) or by_key.get(_key(feature["name_en"]))
        if county is None or county.pk in matched:
            report.unmatched.append(feature["name"])
            continue
        matched.add(county.pk)
        geometry = simplify_geometry(feature["geometry"], tolerance)
        if geometry is None:
            report.unmatched.append(feature["name"])
            continue
        report.points += sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)
        point = inside_point(geometry)
        if county.boundary == geometry and county.label_point == point:
            report.unchanged.append(county.name)
            continue
        # update(): a geometry is reloaded from its source, not an edit for the field-level history
        County.objects.filter(pk=county.pk).update(boundary=geometry, label_point=point)
        report.loaded.append(county.name)
    report.missing = [county.name for county in counties if county.pk not in matched]
    if report.loaded:  # now, and again once committed (a request in between may have cached the old)
        cache.delete(CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return report


def feature_collection(counties) -> dict[str, Any]:
    """The stored boundaries as one GeoJSON FeatureCollection (names in both languages, for the map)."""
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "features": [
            {
                "type": "Feature",
                "id": county.code,
                "properties": {
                    "code": county.code,
                    "pk": county.pk,
                    "name": county.name,
                    "name_en": county.name_en,
                },
                "geometry": county.boundary,
            }
            for county in counties
            if county.boundary
        ],
    }
