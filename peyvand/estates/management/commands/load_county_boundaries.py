"""manage.py load_county_boundaries DIR|FILE — the counties' boundaries (OSM GeoJSON) into the database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peyvand.estates.boundaries import ATTRIBUTION, BoundaryError, load_boundaries


class Command(BaseCommand):
    help = (
        "Store each county's boundary (simplified) from a GeoJSON file, or from gilan_counties.geojson in "
        "a directory (e.g. ../shared/data/gilan-geo). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a GeoJSON file, or a directory holding gilan_counties.geojson")

    def handle(self, *args, path: str, **options) -> None:
        try:
            report = load_boundaries(Path(path))
        except BoundaryError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"County boundaries from {path}: {len(report.loaded)} loaded, {len(report.unchanged)} unchanged, "
            f"{report.points} points in all. {ATTRIBUTION}"
        )
        if report.unmatched:
            self.stderr.write("Not matched to a county: " + ", ".join(report.unmatched))
        if report.missing:
            self.stderr.write("Counties without a boundary in the file: " + ", ".join(report.missing))
