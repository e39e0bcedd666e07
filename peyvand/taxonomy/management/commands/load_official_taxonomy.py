"""manage.py load_official_taxonomy DIR [--if-needed] — the bundled lists, then the official files over them."""

from pathlib import Path

from django.core.management.base import BaseCommand

from peyvand.taxonomy.choices import Level, Scheme
from peyvand.taxonomy.loaders import bundled_subheading_count, load_bundled, load_hs_file, load_isic_file
from peyvand.taxonomy.models import Classification


class Command(BaseCommand):
    help = (
        "Load the project's ISIC/HS lists and, when present, the official files in DIR (e.g. ../shared/data)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir", nargs="?", default="", help="folder with isic4/ and hs2022/ subfolders"
        )
        parser.add_argument("--if-needed", action="store_true", help="skip what is already loaded")

    def handle(self, data_dir: str, if_needed: bool, **options):
        stored = Classification.objects
        if not if_needed or not stored.filter(scheme=Scheme.ISIC4, level=Level.CLASS).exists():
            for scheme, result in load_bundled().items():
                self.stdout.write(f"Bundled {scheme.label}: {result}")
        root = Path(data_dir) if data_dir else None
        isic = root / "isic4" / "ISIC_Rev_4_english_structure.txt" if root else None
        hs = root / "hs2022" / "harmonized-system.csv" if root else None
        if isic and isic.is_file():
            self.stdout.write(f"ISIC Rev.4 from {isic}: {load_isic_file(isic)}")
        if hs and hs.is_file():
            subheadings = stored.filter(scheme=Scheme.HS2022, level=Level.SUBHEADING).count()
            if if_needed and subheadings > bundled_subheading_count():
                self.stdout.write("HS 2022 subheadings already loaded.")
            else:
                self.stdout.write(f"HS 2022 from {hs}: {load_hs_file(hs)}")
